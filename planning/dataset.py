"""A dataset is a folder (or an ``.xlsx`` workbook): read it, validate all of it, or refuse.

:func:`read_dataset` accepts

* a folder with ``company.yaml``, ``plan.yaml``, ``staff.csv``, ``actuals.csv``,
  ``targets.csv`` and optionally ``funnel.csv``;
* a folder where the tables live in one ``.xlsx`` workbook (one sheet per CSV, named like the
  file without ``.csv``) next to the YAML files;
* the path of such a workbook.

In a folder, CSV files win over a workbook's sheet of the same name; a workbook passed by
its path wins over CSV files beside it (a missing sheet falls back to the CSV). Every problem of every file is
collected. ``scenarios.yaml`` is not this module's: :mod:`planning.inputs` (the loader
everyone calls, ``load_dataset``) parses it with :mod:`planning.scenarios` once the other
files are valid, and reports its own problems with theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from planning.errors import InputError, Problem
from planning.money import Currency, currency_problem, locale_problem
from planning.periods import Period, parse_period
from planning.plan import Plan, parse_plan
from planning.table_reading import RawTable, read_csv_table, read_workbook_tables, workbook_problem
from planning.tables import Column, check_columns, report_duplicates
from planning.yaml_files import read_yaml

__all__ = ["Company", "Dataset", "DatasetDraft", "read_dataset", "TABLES"]



def _positive(s):
    return s > 0


def _non_negative(s):
    return s >= 0


STAFF_COLUMNS = (
    Column("employee_id", "text"),
    Column("name", "text"),
    Column("department", "text"),
    Column("role", "text"),
    Column("annual_salary", "amount", (_non_negative, "is negative; expected an annual salary of 0 or more")),
    Column("fte", "number", (lambda s: (s > 0) & (s <= 1), "is out of range; expected an FTE above 0 and at most 1, like 0.6")),
    Column("start_date", "date"),
    Column("end_date", "optional_date"),
    Column("bonus_eligible", "bool"),
)
ACTUALS_COLUMNS = (
    Column("period", "period"),
    Column("department", "text"),
    *(Column(c, "amount", (_non_negative, "is negative; expected an amount of 0 or more")) for c in ("revenue", "cogs", "opex")),
)
TARGETS_COLUMNS = (
    Column("period", "period"),
    *(Column(c, "amount", (_positive, "is not above 0; expected a target above 0")) for c in ("revenue_target", "gop_target")),
)
FUNNEL_COLUMNS = (
    Column("period", "period"),
    Column("campaign", "text"),
    Column("channel", "text"),
    Column("spend", "amount", (_non_negative, "is negative; expected an amount of 0 or more")),
    Column("leads", "count"),
    Column("qualified", "count"),
    Column("won", "count"),
    Column("revenue", "amount", (_non_negative, "is negative; expected an amount of 0 or more")),
)
TABLES = {"staff": (STAFF_COLUMNS, True), "actuals": (ACTUALS_COLUMNS, True),
          "targets": (TARGETS_COLUMNS, True), "funnel": (FUNNEL_COLUMNS, False)}


#: ``date_order`` values of company.yaml: how a date like 31/03/2026 is read.
DATE_ORDERS = ("ISO", "DMY", "MDY")


@dataclass(frozen=True)
class Company:
    """company.yaml: ``currency`` is a :class:`~planning.money.Currency` (the ISO code, which
    knows its minor unit and the locale amounts are written in); ``date_order`` says how
    dates written with slashes are read (``ISO``: only YYYY-MM-DD)."""

    name: str
    currency: str
    fiscal_year_start_month: int = 1
    date_order: str = "ISO"

    def __post_init__(self):
        if not isinstance(self.currency, Currency):
            object.__setattr__(self, "currency", Currency(self.currency))


@dataclass(frozen=True, eq=False)
class Dataset:
    """A validated dataset. Tables are pandas DataFrames with typed columns.

    Attributes
    ----------
    staff : DataFrame
        employee_id, name, department, role (str), annual_salary, fte (float),
        start_date, end_date (datetime64, NaT when still employed), bonus_eligible (bool).
    actuals : DataFrame
        period (str like ``2026Q3``), department, revenue, cogs, opex.
    targets : DataFrame
        period, revenue_target, gop_target.
    funnel : DataFrame
        period, campaign, channel, spend, leads, qualified, won, revenue (empty if absent).
    scenarios : Any
        The company's scenarios as :func:`planning.inputs.load_dataset` parsed them from
        ``scenarios.yaml`` (a :class:`~planning.scenarios.ScenarioSet`), or None. This
        module never reads or parses them.
    sources : dict
        Every input file read, name -> path (for provenance hashes).
    """

    root: Path
    company: Company
    staff: pd.DataFrame
    actuals: pd.DataFrame
    targets: pd.DataFrame
    funnel: pd.DataFrame
    plan: Plan
    scenarios: Any = None
    sources: dict[str, Path] = field(default_factory=dict)

    def period(self, text: str | Period) -> Period:
        """Parse a period label in this company's fiscal calendar."""
        if isinstance(text, Period):
            return text
        return parse_period(text, self.company.fiscal_year_start_month)

    @property
    def periods(self) -> list[Period]:
        """Periods that have actuals, in order."""
        return sorted(self.period(p) for p in self.actuals["period"].unique())

    @property
    def reportable_periods(self) -> list[Period]:
        """Periods with both actuals and targets, in order."""
        with_targets = set(self.targets["period"])
        return [p for p in self.periods if str(p) in with_targets]

    def require_period(self, text: str | Period) -> Period:
        """A period that has actuals and targets, else an InputError saying which is missing."""
        try:
            period = self.period(text)
        except ValueError as exc:
            raise InputError.single("--period", str(exc)) from None
        label = str(period)
        problems = []
        if label not in set(self.actuals["period"]):
            problems.append(Problem("actuals.csv", None, "period", f"has no rows for period {label}; "
                                    f"periods with actuals: {', '.join(map(str, self.periods)) or 'none'}"))
        if label not in set(self.targets["period"]):
            problems.append(Problem("targets.csv", None, "period", f"has no row for period {label}"))
        if problems:
            raise InputError(problems)
        return period


def parse_company(data: Any, label: str) -> Company:
    problems = []
    if not isinstance(data, dict):
        raise InputError.single(label, "must be a mapping with keys name, currency, fiscal_year_start_month")
    name = data.get("name")
    if isinstance(name, int | float) and not isinstance(name, bool):
        name = str(name)  # a company called 1984 is written `name: 1984`
    if name is None or (isinstance(name, str) and not name.strip()):
        problems.append(Problem(label, None, "name", "is missing or empty; expected the company's name"))
    elif not isinstance(name, str):
        problems.append(Problem(label, None, "name", f"{name!r} is not a name; expected the company's name as text"))
    currency = data.get("currency")
    if (why := currency_problem(currency)) is not None:
        problems.append(Problem(label, None, "currency", why))
    locale = data.get("locale")
    if locale is not None and (why := locale_problem(locale)) is not None:
        problems.append(Problem(label, None, "locale", why))
    date_order = data.get("date_order", "ISO")
    date_order = "ISO" if date_order is None else date_order
    if not isinstance(date_order, str) or date_order.strip().upper() not in DATE_ORDERS:
        problems.append(Problem(label, None, "date_order", f"{date_order!r} is not a date order; expected DMY "
                                "(31/03/2026), MDY (03/31/2026) or ISO (2026-03-31 only)"))
    month = data.get("fiscal_year_start_month", 1)
    if month is None:
        month = 1
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        problems.append(Problem(label, None, "fiscal_year_start_month", f"{month!r} is not a month; expected a whole number from 1 to 12"))
    if problems:
        raise InputError(problems)
    return Company(name.strip(), Currency(currency, locale.strip() if locale else None), month,
                   date_order.strip().upper())


def _locate(path: Path) -> tuple[Path, Path | None]:
    """(folder of YAML files, workbook or None)."""
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return path.parent, path
    if path.is_dir():
        books = sorted(p for p in path.glob("*.xlsx") if not p.name.startswith("~$"))
        has_csv = (path / "staff.csv").exists()
        if not has_csv and len(books) == 1:
            return path, books[0]
        if not has_csv and len(books) > 1:
            names = ", ".join(b.name for b in books)
            raise InputError.single(str(path), f"has {len(books)} workbooks ({names}) and no staff.csv; expected "
                                    f"one workbook, or name it: --data {path / books[0].name}")
        return path, None
    if path.exists():
        raise InputError.single(str(path), "is neither a dataset folder nor an .xlsx workbook")
    raise InputError.single(str(path), "not found; expected a dataset folder or an .xlsx workbook")


class DatasetDraft(NamedTuple):
    """What :func:`read_dataset` found: the dataset (None if any file has a problem), every
    problem, and the parsed YAML of the optional files the dataset itself does not read
    (``scenarios.yaml``: :mod:`planning.inputs` parses it)."""

    dataset: Dataset | None
    problems: list[Problem]
    extra_yaml: dict[str, Any]


def read_dataset(path: Path | str, extra_yaml: tuple[str, ...] = ()) -> DatasetDraft:
    """Read and validate every file of a dataset, collecting all problems instead of raising.

    ``extra_yaml`` names optional YAML files beside the dataset that another module parses
    (their syntax problems are collected here, their contents returned as read). The
    dataset's ``scenarios`` is left None. Raises InputError only when there is no dataset
    to read (a missing folder, an unreadable workbook). :func:`planning.inputs.load_dataset`
    is the loader everyone calls.
    """
    root, workbook = _locate(Path(path))
    problems: list[Problem] = []
    sources: dict[str, Path] = {}

    def yaml_file(name: str, required: bool):
        file = root / name
        if not file.exists():
            if required:
                problems.append(Problem(name, None, None, f"file not found in {root}"))
            return None
        sources[name] = file
        try:
            return read_yaml(file)
        except InputError as exc:
            problems.extend(exc.problems)
            return None

    company_data = yaml_file("company.yaml", True)
    company = None
    if company_data is not None or (root / "company.yaml").exists():
        try:
            company = parse_company(company_data, "company.yaml")
        except InputError as exc:
            problems.extend(exc.problems)
    fy_month = company.fiscal_year_start_month if company else 1
    unit = company.currency if company else 2   # amounts are rounded to its minor unit
    date_order = company.date_order if company else "ISO"

    sheets = {}
    if workbook is not None:
        sources[workbook.name] = workbook
        try:
            sheets = read_workbook_tables(workbook)
        except InputError:
            raise
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise InputError.single(workbook.name, workbook_problem(exc)) from None

    # A workbook passed by name is what the user means, even beside CSV files; in a folder
    # the CSV files win.
    workbook_named = workbook is not None and Path(path).is_file()
    typed: dict[str, pd.DataFrame | None] = {}
    for name, (columns, required) in TABLES.items():
        raw: RawTable | None = None
        csv_path = root / f"{name}.csv"
        if workbook_named and name in sheets:
            raw = sheets[name]
        elif csv_path.exists():
            sources[csv_path.name] = csv_path
            try:
                raw = read_csv_table(csv_path)
            except InputError as exc:
                problems.extend(exc.problems)
                typed[name] = None
                continue
        elif name in sheets:
            raw = sheets[name]
        elif required:
            where = f"{root}" + (f" (nor a sheet '{name}' in {workbook.name})" if workbook else "")
            problems.append(Problem(f"{name}.csv", None, None, f"file not found in {where}"))
        typed[name] = None if raw is None else check_table(name, raw, columns, problems, fy_month, unit,
                                                           date_order)

    syntax_problems = len(problems)
    plan_data = yaml_file("plan.yaml", True)
    plan = None
    if "plan.yaml" in sources and len(problems) == syntax_problems:
        try:
            plan = parse_plan(plan_data, "plan.yaml")
        except InputError as exc:
            problems.extend(exc.problems)
    extra = {name: data for name in extra_yaml if (data := yaml_file(name, False)) is not None}

    staff = typed["staff"]
    if plan is not None and staff is not None and "points" in plan.distribution.methods:
        _check_points(plan, staff, problems)
    if problems:
        return DatasetDraft(None, problems, extra)

    typed = {name: None if frame is None else _finalise(name, frame) for name, frame in typed.items()}
    funnel = typed["funnel"]
    if funnel is None:
        funnel = pd.DataFrame({c.name: pd.Series(dtype=float if c.kind != "text" and c.kind != "period" else object)
                               for c in FUNNEL_COLUMNS})
    dataset = Dataset(root=root, company=company, staff=typed["staff"], actuals=typed["actuals"],
                      targets=typed["targets"], funnel=funnel, plan=plan, scenarios=None,
                      sources=sources)
    return DatasetDraft(dataset, problems, extra)


#: The tables that mean nothing empty: a header alone is refused, not read as a company of nobody.
_ONE_ROW_AT_LEAST = {"staff": "one row per employee", "actuals": "one row per period and department",
                     "targets": "one row per period"}


def check_table(name, raw, columns, problems, fy_month, unit=2, date_order="ISO") -> pd.DataFrame:
    frame = check_columns(raw, columns, problems, fy_month, unit=unit, date_order=date_order)
    file = raw.file
    if name in _ONE_ROW_AT_LEAST and not len(frame) and not any(p.file == file for p in problems):
        problems.append(Problem(file, raw.header_row, None, f"has a header but no rows; expected "
                                f"{_ONE_ROW_AT_LEAST[name]}"))
    if name == "staff":
        report_duplicates(frame, ["employee_id"], file, problems, "employee_id")
        both = frame["end_date"].notna() & frame["start_date"].notna()
        early = both & (frame["end_date"] < frame["start_date"])
        for row, end, start in frame.loc[early, ["_row", "end_date", "start_date"]].itertuples(index=False):
            problems.append(Problem(file, int(row), "end_date", f"{end.date()} is before start_date {start.date()}; expected end_date on or after start_date"))
    elif name == "actuals":
        report_duplicates(frame, ["period", "department"], file, problems, "period and department")
    elif name == "targets":
        report_duplicates(frame, ["period"], file, problems, "period")
    elif name == "funnel":
        report_duplicates(frame, ["period", "campaign"], file, problems, "period and campaign")
        for a, b in (("qualified", "leads"), ("won", "qualified")):
            over = frame[a].notna() & frame[b].notna() & (frame[a] > frame[b])
            for row, x, y in frame.loc[over, ["_row", a, b]].itertuples(index=False):
                problems.append(Problem(file, int(row), a, f"{int(x)} is more than {b} ({int(y)}); expected won <= qualified <= leads"))
    return frame


def _finalise(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the row numbers and give every column its final dtype (only for valid tables)."""
    frame = frame.drop(columns="_row")
    if name == "staff":
        frame["bonus_eligible"] = frame["bonus_eligible"].astype(bool)
        for c in ("start_date", "end_date"):
            frame[c] = pd.to_datetime(frame[c])
        frame["fte"] = frame["fte"].astype(float)
    if name == "funnel":
        for c in ("leads", "qualified", "won"):
            frame[c] = frame[c].astype("int64")
    for c in frame.columns:
        if c in ("revenue", "cogs", "opex", "annual_salary", "revenue_target", "gop_target", "spend"):
            frame[c] = frame[c].astype(float)
    return frame


def _check_points(plan: Plan, staff: pd.DataFrame, problems: list[Problem]) -> None:
    if "_row" not in staff.columns:
        return
    missing = {}
    for role, row in zip(staff["role"], staff["_row"], strict=True):
        if plan.distribution.points_for(role) is None and role not in missing:
            missing[role] = int(row)
    for role, row in missing.items():
        problems.append(Problem("plan.yaml", None, "distribution.points",
                                f"role {role!r} (staff.csv row {row}) has no points and there is no 'default'; "
                                "expected points for every role or a default"))
