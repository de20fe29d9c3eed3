"""Loading and validation: every rule of domain section 1 and what users get wrong."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from planning import InputError, load_dataset
from tests.conftest import ROOT, TINY_FILES, write_dataset

STAFF_HEADER = "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"


def tiny_workbook(folder, staff_rows):
    """The tiny dataset as ``folder/book.xlsx`` (YAML files beside it) with these staff sheet rows."""
    import textwrap

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "staff"
    for row in staff_rows:
        wb.active.append(row)
    for name in ("actuals", "targets"):
        sheet = wb.create_sheet(name)
        for line in TINY_FILES[f"{name}.csv"].strip().splitlines():
            sheet.append([c.strip() for c in line.split(",")])
    wb.save(folder / "book.xlsx")
    for name in ("company.yaml", "plan.yaml"):
        (folder / name).write_text(textwrap.dedent(TINY_FILES[name]))
    return folder / "book.xlsx"


def problems_of(tmp_path, overrides):
    folder = write_dataset(tmp_path / "bad", overrides)
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    return [str(p) for p in exc.value.problems]


def test_sample_company_loads(sample):
    assert sample.company.currency == "AUD"
    assert sample.company.fiscal_year_start_month == 7
    assert 35 <= len(sample.staff) <= 60
    assert {"Sales", "Marketing", "Fulfilment", "IT"} <= set(sample.staff["department"])
    assert [str(p) for p in sample.periods][0] == "2025Q1"
    assert len(sample.reportable_periods) == 8
    assert sample.staff["start_date"].dtype.kind == "M"
    assert sample.staff["end_date"].isna().any() and sample.staff["end_date"].notna().any()
    assert (sample.funnel["won"] <= sample.funnel["qualified"]).all()


def test_staff_has_only_its_typed_columns(tiny):
    # The staff table used to keep the loader's spreadsheet-row column and its parse dtypes.
    assert list(tiny.staff.columns) == ["employee_id", "name", "department", "role", "annual_salary", "fte",
                                        "start_date", "end_date", "bonus_eligible"]
    assert tiny.staff["fte"].dtype == float and tiny.staff["annual_salary"].dtype == float
    assert tiny.staff["bonus_eligible"].dtype == bool
    assert tiny.staff["start_date"].dtype.kind == "M" and tiny.staff["end_date"].dtype.kind == "M"


def test_workbook_is_an_equivalent_dataset(sample, tmp_path):
    folder = tmp_path / "xl"
    folder.mkdir()
    for name in ("company.yaml", "plan.yaml"):
        shutil.copy(ROOT / "data" / name, folder / name)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_workbook.py"), str(ROOT / "data"),
                    str(folder / "book.xlsx")], check=True, capture_output=True)
    for path in (folder, folder / "book.xlsx"):
        book = load_dataset(path)
        for table in ("staff", "actuals", "targets", "funnel"):
            pd.testing.assert_frame_equal(getattr(book, table), getattr(sample, table))


def test_shipped_workbook_matches_the_csvs(sample, tmp_path):
    shutil.copy(ROOT / "data" / "sample-company.xlsx", tmp_path / "sample-company.xlsx")
    for name in ("company.yaml", "plan.yaml"):
        shutil.copy(ROOT / "data" / name, tmp_path / name)
    book = load_dataset(tmp_path / "sample-company.xlsx")
    pd.testing.assert_frame_equal(book.staff, sample.staff)
    pd.testing.assert_frame_equal(book.actuals, sample.actuals)


def test_a_workbook_passed_by_path_wins_over_csv_files_beside_it(tmp_path):
    import openpyxl

    folder = write_dataset(tmp_path / "both")
    wb = openpyxl.Workbook()
    wb.active.title = "targets"
    wb.active.append(["period", "revenue_target", "gop_target"])
    wb.active.append(["2026Q1", 1_000_000, 150_000])   # targets.csv says 200,000
    wb.save(folder / "book.xlsx")
    assert load_dataset(folder / "book.xlsx").targets["gop_target"].tolist() == [150_000.0]
    assert load_dataset(folder).targets["gop_target"].tolist() == [200_000.0, 200_000.0]   # folder: CSV wins


def test_a_folder_with_two_workbooks_says_which_to_pass(tmp_path):
    import openpyxl

    for name in ("a.xlsx", "b.xlsx"):
        openpyxl.Workbook().save(tmp_path / name)
    with pytest.raises(InputError) as exc:
        load_dataset(tmp_path)   # used to say only 'staff.csv: file not found'
    assert [str(p) for p in exc.value.problems] == [
        f"{tmp_path}: has 2 workbooks (a.xlsx, b.xlsx) and no staff.csv; expected one workbook, or name it: "
        f"--data {tmp_path / 'a.xlsx'}"]


def test_workbook_problems_name_the_sheet(tmp_path):
    with pytest.raises(InputError) as exc:
        load_dataset(tiny_workbook(tmp_path, [STAFF_HEADER.strip().split(","),
                                             ["A1", "Ann", "Sales", "Manager", "12k", 1, "2020-01-01", None, True]]))
    assert [str(p) for p in exc.value.problems] == [
        "book.xlsx [staff], row 2, column annual_salary: '12k' is not a number; expected an amount "
        "like 12000 or 12000.50 (no currency sign, no thousands separators)"]


BAD_INPUTS = [
    # (file, replacement text, expected line)
    ("staff.csv", STAFF_HEADER.replace("annual_salary,", "") + "A1,Ann,Sales,M,1,2020-01-01,,true\n",
     "staff.csv, row 1, column annual_salary: missing column"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,12k,1,2020-01-01,,true\n",
     "staff.csv, row 2, column annual_salary: '12k' is not a number"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,1000,1,31/02/2024,,true\n",
     "staff.csv, row 2, column start_date: '31/02/2024' is not a date; expected an ISO date like 2024-02-29"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,1000,1,2024-02-31,,true\n",
     "staff.csv, row 2, column start_date: '2024-02-31' is not a real calendar date"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,1000,1,2020-01-01,,true\nA1,Bob,IT,M,1000,1,2020-01-01,,true\n",
     "staff.csv, row 3, column employee_id: duplicate employee_id 'A1' (also on row 2)"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,1000,,2020-01-01,,true\n",
     "staff.csv, row 2, column fte: is empty; expected a plain number like 0.8"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,1000,1.5,2020-01-01,,true\n",
     "staff.csv, row 2, column fte: '1.5' is out of range; expected an FTE above 0 and at most 1"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,1000,0,2020-01-01,,true\n",
     "staff.csv, row 2, column fte: '0' is out of range"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,-5,1,2020-01-01,,true\n",
     "staff.csv, row 2, column annual_salary: '-5' is negative"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,1000,1,2020-01-01,2019-12-31,true\n",
     "staff.csv, row 2, column end_date: 2019-12-31 is before start_date 2020-01-01"),
    ("staff.csv", STAFF_HEADER + "A1,Ann,Sales,M,1000,1,2020-01-01,,maybe\n",
     "staff.csv, row 2, column bonus_eligible: 'maybe' is not true or false"),
    ("staff.csv", STAFF_HEADER + "\n\nA1,,Sales,M,1000,1,2020-01-01,,true\n",
     "staff.csv, row 4, column name: is empty"),
    ("actuals.csv", "period,department,revenue,cogs,opex\n2026-Q5,Sales,1,1,1\n",
     "actuals.csv, row 2, column period: '2026-Q5' has quarter 5; expected a quarter from 1 to 4"),
    ("actuals.csv", "period,department,revenue,cogs,opex\n2026Q1,Sales,\"1,000\",1,1\n",
     "actuals.csv, row 2, column revenue: '1,000' is not a number"),
    ("actuals.csv", "period,department,revenue,cogs,opex\n2026Q1,Sales,1,1,1\n2026Q1,Sales,2,2,2\n",
     "actuals.csv, row 3, column department: duplicate period and department '2026Q1, Sales' (also on row 2)"),
    ("actuals.csv", "period,department,revenue,cogs,opex\n2026Q1,Sales,1,-1,1\n",
     "actuals.csv, row 2, column cogs: '-1' is negative"),
    ("targets.csv", "period,revenue_target,gop_target\n2026Q1,1000,0\n",
     "targets.csv, row 2, column gop_target: '0' is not above 0"),
    ("targets.csv", "period,revenue_target,gop_target\n2026Q1,1000,100\n2026Q1,1000,100\n",
     "targets.csv, row 3, column period: duplicate period '2026Q1' (also on row 2)"),
    ("funnel.csv", "period,campaign,channel,spend,leads,qualified,won,revenue\n2026Q1,X,Y,1,10,5,6,100\n",
     "funnel.csv, row 2, column won: 6 is more than qualified (5); expected won <= qualified <= leads"),
    ("funnel.csv", "period,campaign,channel,spend,leads,qualified,won,revenue\n2026Q1,X,Y,1,10.5,5,1,100\n",
     "funnel.csv, row 2, column leads: '10.5' is not a whole number"),
    ("company.yaml", "name: X\ncurrency: euro\n",
     "company.yaml, key currency: 'euro' is not a currency code; expected an ISO 4217 code"),
    ("company.yaml", "name: X\ncurrency: XYZ\n",
     "company.yaml, key currency: 'XYZ' is not a currency code; expected an ISO 4217 code"),
    ("company.yaml", "name: [Acme]\ncurrency: EUR\n",
     "company.yaml, key name: ['Acme'] is not a name; expected the company's name as text"),
    ("company.yaml", "name: X\ncurrency: EUR\nfiscal_year_start_month: 13\n",
     "company.yaml, key fiscal_year_start_month: 13 is not a month"),
    ("plan.yaml", "gates: {revenue: 95, gop: 1.0}\npool: {method: excess_gop_share, rate: 0.3}\n",
     "plan.yaml, key gates.revenue: 95 is out of range; expected an attainment from 0 to 2, like 0.95 for 95%; "
     "95 looks like a percentage: write 0.95 for 95%"),
    ("plan.yaml", "gates: {revenue: 0.95\npool: {method: x}\n",
     "plan.yaml, line 2: YAML syntax error"),
    ("actuals.csv", "period,department,revenue,cogs,opex\n2026Q1,Sales,1e400,1,1\n",
     "actuals.csv, row 2, column revenue: '1e400' is too large; expected an amount below 10,000,000,000,000"),
    ("funnel.csv", "period,campaign,channel,spend,leads,qualified,won,revenue\n2026Q1,X,Y,1,1e300,5,1,100\n",
     "funnel.csv, row 2, column leads: '1e300' is too large; expected a whole number below"),
    ("targets.csv", "period,revenue_target,gop_target,GOP_Target\n2026Q1,1000,100,200\n",
     "targets.csv, row 1, column gop_target: appears 2 times in the header (columns C, D); expected each column once"),
    ("staff.csv", STAFF_HEADER + "A1,Ann\x00,Sales,M,1000,1,2020-01-01,,true\n",
     "staff.csv, row 2, column name: 'Ann\\x00' contains a control character; expected plain text"),
    ("staff.csv", "\n\n" + STAFF_HEADER.replace(",fte", "") + "A1,Ann,Sales,M,1000,2020-01-01,,true\n",
     "staff.csv, row 3, column fte: missing column"),
    ("targets.csv", "period,revenue_target,gop_target\n9999Q4,1000,100\n",
     "targets.csv, row 2, column period: '9999Q4' has fiscal year 9999; expected a year from 1900 to 2999"),
    ("staff.csv", None, "staff.csv: file not found"),
    ("plan.yaml", None, "plan.yaml: file not found"),
]


@pytest.mark.parametrize(("file", "text", "expected"), BAD_INPUTS, ids=[f"{f}:{e.split(': ', 1)[-1][:40]}" for f, _, e in BAD_INPUTS])
def test_bad_input_names_file_row_and_column(tmp_path, file, text, expected):
    lines = problems_of(tmp_path, {file: text})
    assert any(line.startswith(expected) for line in lines), lines


def test_all_problems_of_a_file_are_collected(tmp_path):
    lines = problems_of(tmp_path, {
        "staff.csv": STAFF_HEADER + "A1,Ann,Sales,M,12k,1,2020-01-01,,true\nA2,Bob,IT,M,100,2,31/02/2024,,yes\n",
        "targets.csv": "period,revenue_target,gop_target\n2026Q9,1000,100\n",
    })
    assert len(lines) == 4
    assert {line.split(",")[0] for line in lines} == {"staff.csv", "targets.csv"}


def test_points_plan_needs_points_for_every_role(tmp_path):
    lines = problems_of(tmp_path, {"plan.yaml": "pool: {rate: 0.3}\ndistribution: {method: points, points: {Manager: 2}}\n"})
    assert lines == [
        f"plan.yaml, key distribution.points: role {role!r} (staff.csv row {row}) has no points and "
        "there is no 'default'; expected points for every role or a default"
        for role, row in (("Associate", 3), ("Director", 6))]


def test_semicolon_csv_and_excel_style_booleans(tmp_path):
    text = STAFF_HEADER.replace(",", ";") + "A1;Ann;Sales;M;1000;1;2020-01-01;;TRUE\n"
    ds = load_dataset(write_dataset(tmp_path / "ok", {"staff.csv": text}))
    assert ds.staff["bonus_eligible"].tolist() == [True]


def test_semicolon_csv_after_a_blank_line(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "semi", {"targets.csv": "\nperiod;revenue_target;gop_target\n"
                                                                     "2026Q1;1000000;200000\n"}))
    assert ds.targets["gop_target"].tolist() == [200_000.0]


def test_funnel_is_optional(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "nofunnel", {"funnel.csv": None}))
    assert ds.funnel.empty and "leads" in ds.funnel.columns


def test_require_period_says_what_is_missing(tiny):
    with pytest.raises(InputError, match="actuals.csv, key period: has no rows for period 2027Q1"):
        tiny.require_period("2027Q1")
    with pytest.raises(InputError, match="expected a fiscal quarter like 2026Q3"):
        tiny.require_period("Q1")


def test_csv_that_is_not_utf8_names_the_cell(tmp_path):
    folder = write_dataset(tmp_path / "latin1")
    (folder / "staff.csv").write_bytes((STAFF_HEADER + "A1,Zoë,Sales,M,1000,1,2020-01-01,,true\n").encode("cp1252"))
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    assert [str(p) for p in exc.value.problems] == [
        "staff.csv, row 2, column name: 'Zo\ufffd' has bytes that are not UTF-8 text; expected a UTF-8 file "
        '(in Excel: Save As "CSV UTF-8")']


def test_a_header_after_blank_rows_keeps_row_numbers(tmp_path):
    ds = load_dataset(write_dataset(tmp_path / "blank", {"targets.csv": "\n\nperiod,revenue_target,gop_target\n"
                                                                      "2026Q1,1000,100\n"}))
    assert ds.targets["period"].tolist() == ["2026Q1"]
    lines = problems_of(tmp_path, {"targets.csv": "\nperiod,revenue_target,gop_target\n2026Q1,1000,0\n"})
    assert lines == ["targets.csv, row 3, column gop_target: '0' is not above 0; expected a target above 0"]


def test_a_csv_that_cannot_be_read_is_one_problem(tmp_path):
    folder = write_dataset(tmp_path / "dir", {"staff.csv": None})
    (folder / "staff.csv").mkdir()
    with pytest.raises(InputError) as exc:
        load_dataset(folder)
    assert [p.file for p in exc.value.problems] == ["staff.csv"]
    assert "cannot be read" in str(exc.value.problems[0])


def test_a_csv_the_csv_module_refuses_is_one_problem(tmp_path):
    lines = problems_of(tmp_path, {"staff.csv": STAFF_HEADER + "A1," + "x" * 200_000 + ",Sales,M,1,1,2020-01-01,,true\n"})
    assert len(lines) == 1 and lines[0].startswith("staff.csv: is not a readable CSV file (field larger than field limit")


def test_an_empty_workbook_sheet_is_missing_its_columns(tmp_path):
    with pytest.raises(InputError) as exc:
        load_dataset(tiny_workbook(tmp_path, []))
    assert str(exc.value.problems[0]).startswith("book.xlsx [staff], row 1, column employee_id: missing column")


def test_a_company_named_by_a_number(tmp_path):
    # `name: 1984` is an integer to YAML; it used to be refused as "missing or empty".
    ds = load_dataset(write_dataset(tmp_path / "n", {"company.yaml": "name: 1984\ncurrency: EUR\n"}))
    assert ds.company.name == "1984"


def test_scenarios_yaml_problems_come_in_the_same_error_as_the_other_files(tmp_path):
    # scenarios.yaml used to be read only once every other file was valid, so a bad staff.csv
    # hid its problems until the next run.
    lines = problems_of(tmp_path, {
        "staff.csv": STAFF_HEADER + "A1,Ann,Sales,M,12k,1,2020-01-01,,true\n",
        "scenarios.yaml": "scenarios: {base: {drivers: {leeds: 0.2}}}\n",
    })
    assert len(lines) == 2, lines
    assert lines[0].startswith("staff.csv, row 2, column annual_salary: '12k' is not a number")
    assert lines[1].startswith("scenarios.yaml, key scenarios.base.drivers.leeds: unknown driver 'leeds'")


def test_what_scenarios_yaml_can_say_without_valid_tables_is_said_at_once(tmp_path):
    lines = problems_of(tmp_path, {
        "staff.csv": STAFF_HEADER + "A1,Ann,Sales,M,12k,1,2020-01-01,,true\n",
        "scenarios.yaml": """\
            extra: 1
            scenarios:
              base: {uncertainty: {leads: {dist: nrom, scale: 0.1}, average_deal: {dist: norm, scale: -1}}}
              a: {inherits: b, base_period: 2026Q9}
              b: {inherits: a, base_period: 2020Q1, targets: {2026Q5: {gop_target: 1}}}
              c: {uncertainty: {leads: {dist: norm, scale: 0.1}}, correlation: {leads: {opex_growth: 0.5}}}
            """,
    })
    scenario_keys = [line.split(": ", 1)[0].removeprefix("scenarios.yaml, key ") for line in lines[1:]]
    assert lines[0].startswith("staff.csv, row 2, column annual_salary")
    assert sorted(scenario_keys) == sorted([
        "extra", "scenarios.base.uncertainty.leads.dist", "scenarios.base.uncertainty.average_deal",
        "scenarios.a.base_period", "scenarios.b.targets.2026Q5", "scenarios.a.inherits",
        "scenarios.c.correlation.leads.opex_growth"]), lines
    # Whether a quarter has actuals needs valid tables: that check waits for them (2020Q1).
    assert not any("no actuals" in line for line in lines)
