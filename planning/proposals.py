"""The team's proposed targets (``proposals.csv``): load, validate, compare, and price them.

Owners set better targets when they hear the people who must hit them. Each department
proposes the company's revenue and GOP targets for a coming quarter (every department
owns the same two targets) with its own forecast range, and says why in a comment:

=========================  ========  ==============================================
column                     required  meaning
=========================  ========  ==============================================
``period``                 yes       the quarter, like ``2027Q1``
``department``             yes       a department of ``staff.csv`` or ``actuals.csv``
``proposed_revenue_target`` yes      the company revenue target it proposes (> 0)
``proposed_gop_target``    yes       the company GOP target it proposes (> 0)
``revenue_forecast_low``   yes       its low case for company revenue (>= 0)
``revenue_forecast_high``  yes       its high case (>= the low case)
``gop_forecast_low``       yes       its low case for company GOP (may be negative)
``gop_forecast_high``      yes       its high case (>= the low case)
``comment``                no        why, in the department's words
=========================  ========  ==============================================

Bad input is refused like the rest of the dataset: one :class:`~planning.errors.Problem`
per bad cell with the file, the spreadsheet row and the column.

The owner's targets for the quarter are the ones the rest of the workbook uses:
``targets.csv``, or for a quarter not there yet, the ``base`` scenario's ``targets`` in
``scenarios.yaml`` (:func:`planning.scenarios.build_model`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from planning.dataset import Dataset
from planning.errors import InputError, Problem, quoted
from planning.montecarlo import simulate_model
from planning.plan import Plan
from planning.scenarios import build_model, scenario_set
from planning.scenarios.model import targets_for  # the one rule for a quarter's targets
from planning.table_reading import RawTable, read_csv_table, read_workbook_tables
from planning.tables import BAD_TEXT_RE, NOT_UTF8, Column, check_columns, report_duplicates

__all__ = ["PROPOSAL_COLUMNS", "load_proposals", "validate_proposals", "owner_targets",
           "compare_proposals", "proposal_odds"]

FILE = "proposals.csv"
_AMOUNT = "amount"
PROPOSAL_COLUMNS = (
    Column("period", "period"),
    Column("department", "text"),
    Column("proposed_revenue_target", _AMOUNT, (lambda s: s > 0, "is not above 0; expected a target above 0")),
    Column("proposed_gop_target", _AMOUNT, (lambda s: s > 0, "is not above 0; expected a target above 0")),
    Column("revenue_forecast_low", _AMOUNT, (lambda s: s >= 0, "is negative; expected revenue of 0 or more")),
    Column("revenue_forecast_high", _AMOUNT, (lambda s: s >= 0, "is negative; expected revenue of 0 or more")),
    Column("gop_forecast_low", _AMOUNT),
    Column("gop_forecast_high", _AMOUNT),
)


def load_proposals(dataset: Dataset, path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the proposals of ``dataset`` (or the file at ``path``).

    Without ``path``: where the dataset's tables came from a workbook, its ``proposals``
    sheet, else ``proposals.csv`` beside it; in a folder of CSV files, ``proposals.csv``,
    else a ``proposals`` sheet of a workbook there (the dataset's own rule for its tables).

    Returns
    -------
    DataFrame
        The columns above in order, amounts as float (whole cents), ``comment`` as text
        ("" when absent), in file order.

    Raises
    ------
    InputError
        With every problem found (missing file, missing column, bad cell, unknown
        department, low case above high case, a department proposing twice for a quarter).
    """
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise InputError.single(path.name, f"file not found ({path})")
        return validate_proposals(read_csv_table(path), dataset)
    books = [s for s in dataset.sources.values() if s.suffix.lower() in (".xlsx", ".xlsm")]
    # Where the dataset's own tables came from the workbook (a workbook passed by its path, or
    # a folder of YAML files and one workbook), its proposals sheet wins over a CSV beside it,
    # as the other tables' sheets do; in a folder of CSV files, proposals.csv wins.
    from_book = bool(books) and "staff.csv" not in dataset.sources
    sheets = read_workbook_tables(books[0]) if books else {}
    if from_book and "proposals" in sheets:
        return validate_proposals(sheets["proposals"], dataset)
    csv_path = dataset.root / FILE
    if csv_path.is_file():
        return validate_proposals(read_csv_table(csv_path), dataset)
    if "proposals" in sheets:
        return validate_proposals(sheets["proposals"], dataset)
    raise InputError.single(FILE, f"file not found in {dataset.root} (nor a 'proposals' sheet in the "
                            "dataset's workbook); expected the departments' proposed targets")


def validate_proposals(table: RawTable, dataset: Dataset) -> pd.DataFrame:
    """Check a proposals table read as text; see :func:`load_proposals`."""
    problems: list[Problem] = []
    frame = check_columns(table, PROPOSAL_COLUMNS, problems, dataset.company.fiscal_year_start_month,
                          unit=dataset.company.currency)
    file = table.file
    known = set(dataset.staff["department"]) | set(dataset.actuals["department"])
    unknown = frame["department"].notna() & (frame["department"] != "") & ~frame["department"].isin(known)
    for row, name in frame.loc[unknown, ["_row", "department"]].itertuples(index=False):
        problems.append(Problem(file, int(row), "department", f"{quoted(name)} is not a department of "
                                f"staff.csv or actuals.csv; expected one of: {', '.join(sorted(known))}"))
    for metric in ("revenue", "gop"):
        low = frame[f"{metric}_forecast_low"].astype(float)
        high = frame[f"{metric}_forecast_high"].astype(float)
        upside_down = low.notna() & high.notna() & (low > high)
        for row, lo, hi in frame.loc[upside_down, ["_row", f"{metric}_forecast_low",
                                                    f"{metric}_forecast_high"]].itertuples(index=False):
            problems.append(Problem(file, int(row), f"{metric}_forecast_low", f"{lo:,.2f} is above "
                                    f"{metric}_forecast_high {hi:,.2f}; expected low <= high"))
    if "comment" in table.frame.columns:  # free text, but readable text like every other cell
        comment = table.frame["comment"].fillna("").astype(str)
        for idx in np.flatnonzero(comment.str.contains(BAD_TEXT_RE).to_numpy()):
            cell = comment.iloc[idx]
            what = ("has bytes that are not UTF-8 text; expected a UTF-8 file (in Excel: Save As \"CSV UTF-8\")"
                    if NOT_UTF8 in cell else "contains a control character; expected plain text")
            problems.append(Problem(file, int(table.rows[idx]), "comment", f"{quoted(cell)} {what}"))
    report_duplicates(frame, ["period", "department"], file, problems, "period and department")
    if not len(frame) and not problems:
        problems.append(Problem(file, None, None, "has no proposals; expected one row per department"))
    if problems:
        raise InputError(problems)
    comments = (table.frame["comment"] if "comment" in table.frame.columns
                else pd.Series("", index=table.frame.index))
    out = frame.drop(columns="_row").assign(comment=comments.fillna("").astype(str).to_numpy())
    for c in out.columns:
        if c not in ("period", "department", "comment"):
            out[c] = out[c].astype(float)
    return out.reset_index(drop=True)


def owner_targets(dataset: Dataset, period: str) -> tuple[float, float]:
    """The owner's (revenue, GOP) targets for ``period``: ``targets.csv``, else the base scenario's.

    The same rule as :func:`planning.scenarios.build_model`, without building the model: the
    targets do not depend on the base quarter's actuals or funnel, so a quarter the scenario
    engine cannot project still has its owner's targets.

    Raises InputError when neither gives one.
    """
    try:
        label = dataset.period(period)
    except ValueError as exc:
        raise InputError.single("period", str(exc)) from None
    return targets_for(dataset, label, scenario_set(dataset).get("base"))


def compare_proposals(proposals: pd.DataFrame, revenue_target: float, gop_target: float) -> pd.DataFrame:
    """Each proposal against the owner's targets, and against the department's own forecast.

    Returns
    -------
    DataFrame
        Per proposal: ``revenue_vs_owner`` and ``gop_vs_owner`` (proposed / owner's - 1),
        the forecast mid-points, and ``stance``: ``above own forecast`` when a proposed
        target is above the department's own high case (it does not believe it), ``below
        own forecast`` when below its low case (a target it expects to beat easily), else
        ``within own forecast``.

    Notes
    -----
    mid = (low + high) / 2; revenue_vs_owner = proposed_revenue_target / revenue_target - 1.
    """
    p = proposals
    out = pd.DataFrame({
        "period": p["period"], "department": p["department"],
        "proposed_revenue_target": p["proposed_revenue_target"],
        "revenue_vs_owner": p["proposed_revenue_target"] / revenue_target - 1,
        "revenue_forecast_mid": (p["revenue_forecast_low"] + p["revenue_forecast_high"]) / 2,
        "proposed_gop_target": p["proposed_gop_target"],
        "gop_vs_owner": p["proposed_gop_target"] / gop_target - 1,
        "gop_forecast_mid": (p["gop_forecast_low"] + p["gop_forecast_high"]) / 2,
    })
    above = ((p["proposed_revenue_target"] > p["revenue_forecast_high"])
             | (p["proposed_gop_target"] > p["gop_forecast_high"]))
    below = ((p["proposed_revenue_target"] < p["revenue_forecast_low"])
             | (p["proposed_gop_target"] < p["gop_forecast_low"]))
    out["stance"] = np.select([above, below], ["above own forecast", "below own forecast"],
                              "within own forecast")
    out["comment"] = p["comment"]
    return out.reset_index(drop=True)


def proposal_odds(dataset: Dataset, period: str, proposals: pd.DataFrame, draws: int = 20_000,
                  seed: int = 0, plan: Plan | None = None, scenario: str = "base") -> pd.DataFrame:
    """What each set of targets means for the odds and cost of the bonus (Monte Carlo).

    The owner's targets come first, then each department's proposal. Every row is the same
    simulation of ``scenario`` (same seed, so the same simulated quarters) with only the
    targets changed, so the differences between rows are due to the targets alone.

    Returns
    -------
    DataFrame
        Index ``targets`` (``owner`` or the department); columns revenue_target,
        gop_target, p_gates_passed, p_pays, expected_pool, expected_cost, pool_p90.

    Notes
    -----
    For each row: :func:`planning.montecarlo.simulate_model` of the scenario's model with
    ``revenue_target`` and ``gop_target`` replaced (common random numbers across rows).
    """
    model = build_model(dataset, period, scenario, plan)
    rows = [("owner", model.revenue_target, model.gop_target)]
    mine = proposals[proposals["period"] == str(model.period)]
    rows += list(zip(mine["department"], mine["proposed_revenue_target"], mine["proposed_gop_target"],
                     strict=True))
    records = []
    for name, revenue_target, gop_target in rows:
        sim = simulate_model(replace(model, revenue_target=float(revenue_target),
                                     gop_target=float(gop_target)), draws=draws, seed=seed)
        records.append({"targets": name, "revenue_target": float(revenue_target),
                        "gop_target": float(gop_target), "p_gates_passed": sim.p_gates_passed,
                        "p_pays": sim.p_pays, "expected_pool": sim.expected_pool,
                        "expected_cost": sim.expected_cost, "pool_p90": sim.pool_p90})
    table = pd.DataFrame(records).set_index("targets")
    table.attrs.update(period=str(model.period), scenario=model.scenario.name, draws=draws, seed=seed,
                       base_period=model.baseline.period)
    return table
