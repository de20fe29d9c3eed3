"""Quarterly reports: safe parameters, privacy of the staff page, escaping, offline HTML,
atomic publishing, the batch, and the kernel runs end to end (a few, on a tiny dataset)."""

from __future__ import annotations

import decimal
import enum
import json
import re
import sys
import textwrap
from datetime import date
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import zmq
from hypothesis import example, given
from hypothesis import strategies as st

from planning import InputError, bonus_for_period, load_dataset
from planning.bonus import staff_in_period
from planning.cli import main
from planning.reporting.content.gates import gate_distances
from planning.reporting.content.markup import Chart, html_table
from planning.reporting.content.privacy import suppressed_department_payouts
from planning.reporting.content.report import build_report
from planning.reporting.publishing import html_problems, publish_html, write_index
from planning.reporting.runner.batch import DEFAULT_TEMPLATE, execute_job, render_reports
from planning.reporting.runner.jobs import ReportError, ReportJob, plan_reports
from planning.reporting.runner.kernel import KernelSession
from planning.reporting.runner.parameters import check_parameters, declared_parameters
from tests.conftest import ROOT, TINY_FILES, write_dataset

HOSTILE = "<img src=x onerror=alert(1)>"
TINY_STAFF, TINY_ACTUALS = (textwrap.dedent(TINY_FILES[f]) for f in ("staff.csv", "actuals.csv"))
HOSTILE_CAMPAIGN = "<script>alert(2)</script>"
SALARIES = {"A1": 123457, "A2": 54321, "A3": 67891, "A4": 43219, "A5": 211113}
NAMES = {"A1": HOSTILE, "A2": "Brunhilde Quaxley", "A3": "Cassius Vellacott", "A4": "Dorothea Pimblett",
         "A5": "Evander Snodgrass"}
STAFF = "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n" + "".join(
    f"{eid},{NAMES[eid]},{dept},{role},{SALARIES[eid]},{fte},{start},{end},{elig}\n"
    for eid, dept, role, fte, start, end, elig in (
        ("A1", "Sales", "Manager", 1, "2020-01-01", "", "true"),
        ("A2", "Sales", "Associate", 0.5, "2020-01-01", "", "true"),
        ("A3", "IT", "Associate", 1, "2026-02-15", "", "true"),
        ("A4", "IT", "Associate", 1, "2020-01-01", "2026-02-14", "true"),
        ("A5", "Marketing", "Director", 1, "2020-01-01", "", "false"),
    ))
FUNNEL = f"""period,campaign,channel,spend,leads,qualified,won,revenue
2026Q1,Search,Search ads,10000,200,40,10,300000
2026Q1,{HOSTILE_CAMPAIGN},Awareness,5000,50,0,0,0
"""


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    """The tiny dataset with a hostile staff name and campaign, and distinctive salaries."""
    return write_dataset(tmp_path_factory.mktemp("hostile") / "data", {"staff.csv": STAFF, "funnel.csv": FUNNEL})


_NOISE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+|\b[0-9a-f]{64}\b"
                    r'| (?:d|x|y|x1|x2|y1|y2|width|height|viewBox|transform|style|points|id|clip-path|xlink:href)="[^"]*"')


def visible(page: str) -> str:
    """A page without embedded PNG data, SHA-256 digests and SVG geometry (digit runs there
    mean nothing); the SVG's text and tooltips stay."""
    return _NOISE.sub("", page)


def salary_strings(dataset, period) -> set[str]:
    """Every way a salary (annual or for the quarter) could be printed."""
    people = staff_in_period(dataset.staff, dataset.period(period), dataset.plan.distribution)
    amounts = list(dataset.staff["annual_salary"]) + list(people["period_salary"])
    out = set()
    for x in amounts:
        out |= {f"{x:,.0f}", f"{x:,.2f}", f"{x:.0f}", f"{x:.2f}"}
    return {s for s in out if len(s.replace(",", "").split(".")[0]) >= 4}


# --- parameters (no kernel) ---------------------------------------------------------------


DECLARED = {"data_path", "period", "audience", "plan_path", "seed", "draws", "inputs_sha256", "note"}


@pytest.mark.parametrize("name", ["x=1;import os", "x = 1", "1st", "class", "__import__('os')", "", "a.b", 3])
def test_crafted_parameter_names_are_refused(name):
    with pytest.raises(InputError) as exc:
        check_parameters({name: 1}, DECLARED)
    assert "not a plain identifier" in str(exc.value)


def test_undeclared_names_are_refused():
    with pytest.raises(InputError, match="not declared by the template"):
        check_parameters({"salaries": [1, 2]}, DECLARED)


class Colour(enum.IntEnum):
    RED = 1


class Sneaky(str):
    def encode(self, *a, **k):  # papermill would call this while quoting
        return b'"; import os; "'


@pytest.mark.parametrize("value", [decimal.Decimal("1.5"), date(2026, 1, 1), (1, 2), {1, 2}, b"bytes",
                                   float("nan"), float("inf"), object(), Colour.RED, Sneaky("x"),
                                   {1: "int key"}, [[[[[[[[[["too deep"]]]]]]]]]], print])
def test_values_that_are_not_plain_json_are_refused(value):
    with pytest.raises(InputError):
        check_parameters({"note": value}, DECLARED)


def test_plain_values_pass_and_are_copied():
    nested = {"a": [1, 2.5, None, True, "x"], "b": {"c": "d"}}
    checked = check_parameters({"note": nested, "seed": 3}, DECLARED)
    assert checked == {"note": nested, "seed": 3}
    nested["a"].append(object())  # a later change cannot slip past the check
    assert checked["note"]["a"] == [1, 2.5, None, True, "x"]


def test_the_template_declares_exactly_the_report_parameters():
    assert declared_parameters(DEFAULT_TEMPLATE) == DECLARED - {"note"}
    nb = nbformat.read(DEFAULT_TEMPLATE, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for line in params[0].source.splitlines():  # literals only: name = literal
        if line and not line.startswith("#"):
            name, value = (part.strip() for part in line.split("=", 1))
            assert name.isidentifier()
            json.loads(value.replace("None", "null"))


def test_bad_parameters_stop_everything_before_a_kernel_starts(tmp_path, monkeypatch):
    monkeypatch.setattr(KernelSession, "start", lambda self: pytest.fail("a kernel was started"))
    job = ReportJob("2026Q1", "owner", {"period": "2026Q1", "x=1;import os": 1})
    with pytest.raises(InputError):
        render_reports([job], tmp_path / "out", workers=1)
    assert not (tmp_path / "out").exists()


# --- validation before anything runs -----------------------------------------------------


def test_bad_input_exits_2_and_writes_nothing(sample_copy, tmp_path, capsys):
    text = (sample_copy / "staff.csv").read_text().replace("172000", "172k", 1)
    (sample_copy / "staff.csv").write_text(text)
    out = tmp_path / "reports"
    assert main(["report", "--data", str(sample_copy), "--period", "2026Q4", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "staff.csv, row 2, column annual_salary" in err and "Traceback" not in err
    assert main(["report", "--data", str(sample_copy), "--all", "--out", str(out)]) == 2
    assert not out.exists()


def test_unknown_period_and_bad_plan_are_refused_first(tiny_dir, tmp_path):
    with pytest.raises(InputError, match="no rows for period 2030Q1"):
        plan_reports(tiny_dir, ["2030Q1"])
    plan = tmp_path / "plan.yaml"
    plan.write_text("gates: {gop: 95}\n")
    with pytest.raises(InputError):
        plan_reports(tiny_dir, ["2026Q1"], plan=plan)
    with pytest.raises(InputError, match="not an audience"):
        plan_reports(tiny_dir, ["2026Q1"], ["board"])


def test_jobs_carry_paths_and_hashes_never_salaries(hostile_dir):
    jobs = plan_reports(hostile_dir)
    assert [j.key for j in jobs] == ["2026Q1-owner", "2026Q1-staff", "2026Q2-owner", "2026Q2-staff"]
    params = jobs[0].parameters
    assert set(params) == DECLARED - {"note"}
    assert params["inputs_sha256"]["staff.csv"] == __import__("hashlib").sha256(
        (hostile_dir / "staff.csv").read_bytes()).hexdigest()
    text = json.dumps([j.parameters for j in jobs])
    assert not any(str(s) in text for s in SALARIES.values())


# --- content, without a kernel -------------------------------------------------------------


def section_html(report, *names) -> str:
    parts = []
    for name in names:
        for item in getattr(report, name)():
            parts.append(item._repr_html_() if hasattr(item, "_repr_html_") else "")
    return "".join(parts)


ALL_SECTIONS = ("title", "how_to_read", "results", "gates", "pool", "sharing_rule", "payouts_by_department",
                "staff_payouts_by_department", "payouts_by_person", "marketing", "outlook", "sensitivity",
                "glossary", "provenance")


def test_names_are_escaped_in_every_section(hostile_dir):
    page = section_html(build_report(hostile_dir, "2026Q1", "owner"), *ALL_SECTIONS)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert HOSTILE not in page and HOSTILE_CAMPAIGN not in page
    assert html_problems(page) == []


def test_staff_sections_show_no_name_salary_or_individual_payout(hostile_dir):
    report = build_report(hostile_dir, "2026Q1", "staff")
    page = visible(section_html(report, *ALL_SECTIONS))
    for name in NAMES.values():
        assert name not in page and json.dumps(name)[1:-1] not in page
    assert "&lt;img" not in page
    for text in salary_strings(report.dataset, "2026Q1"):
        assert text not in page, text
    payouts = report.bonus.allocations.query("payout > 0")["payout"]
    assert len(payouts) >= 2
    for value in payouts:  # each person's payout; the combined group total is allowed
        assert f"{value:,.2f}" not in page
    assert "All departments" in page and "5,000.00" in page
    for owner_only in ("payouts_by_person", "payouts_by_department", "outlook", "sensitivity"):
        assert getattr(report, owner_only)() == []


def test_gate_distances_say_what_closes_the_gap(tiny):
    result = bonus_for_period(tiny, "2026Q2")  # revenue 900k of 1M (gate 95%), GOP 110k of 200k
    revenue, gop = gate_distances(result, gross_margin=500_000 / 900_000)
    assert not revenue.gate.passed and revenue.gate.gap_amount == 50_000
    assert revenue.margin == pytest.approx(-50_000)
    assert "Revenue needed EUR 50,000 more" in revenue.closing[0]
    assert gop.gate.gap_amount == 90_000
    assert "EUR 90,000 less operating cost, or about EUR 162,000 more revenue" in gop.closing[1]
    passed = gate_distances(bonus_for_period(tiny, "2026Q1"), 0.6)
    assert all(d.gate.passed and d.closing == () for d in passed)
    assert passed[1].margin == pytest.approx(10_000)


def test_html_table_escapes_cells_and_headers():
    table = html_table([HOSTILE], [[HOSTILE_CAMPAIGN]])
    assert "<img" not in table and "<script" not in table and "&lt;img src=x" in table


def test_chart_png_is_the_same_bytes_every_time(tiny):
    from planning.charts import bonus_waterfall

    result = bonus_for_period(tiny, "2026Q1")
    first = Chart(bonus_waterfall(result), "w").png()
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert Chart(lambda: bonus_waterfall(result), "w").png() == first


# --- suppression ----------------------------------------------------------------------------


def frame(**eligible):
    return pd.DataFrame({"eligible": list(eligible.values()),
                         "payout": [100.0 * n + 0.01 for n in eligible.values()]}, index=list(eligible))


def test_no_small_group_nothing_suppressed():
    table, combined = suppressed_department_payouts(frame(Sales=5, Fulfilment=20))
    assert list(table["group"]) == ["Fulfilment", "Sales"] and combined == []


def test_one_small_group_takes_the_smallest_other_with_it():
    table, combined = suppressed_department_payouts(frame(IT=3, Sales=7, Fulfilment=20, HR=6))
    assert combined == ["HR", "IT"]
    assert list(table["group"]) == ["Fulfilment", "Sales", "Other departments"]
    assert table.iloc[-1]["eligible"] == 9 and table.iloc[-1]["payout"] == pytest.approx(900.02)


def test_two_small_groups_combine_and_grow_until_five():
    table, combined = suppressed_department_payouts(frame(IT=2, HR=2, Sales=9, Fulfilment=20))
    assert combined == ["HR", "IT", "Sales"] and table.iloc[-1]["eligible"] == 13
    table, combined = suppressed_department_payouts(frame(IT=3, HR=2, Sales=9))
    assert combined == ["HR", "IT"] and table.iloc[-1]["eligible"] == 5


def test_everything_small_shows_only_the_total_and_empty_departments_are_left_out():
    table, combined = suppressed_department_payouts(frame(IT=2, HR=1, Sales=0))
    assert list(table["group"]) == ["All departments"] and combined == ["HR", "IT"]


@given(st.dictionaries(st.sampled_from(["A", "B", "C", "D", "E", "F", "G"]),
                       st.tuples(st.integers(0, 30), st.integers(0, 10_000_000)), min_size=1))
@example({"A": (1, 0)})
@example({"A": (3, 100), "B": (9, 250)})
@example({"A": (2, 100), "B": (2, 250), "C": (0, 0)})
def test_suppression_properties(groups):
    by_department = pd.DataFrame({"eligible": [n for n, _ in groups.values()],
                                  "payout": [c / 100 for _, c in groups.values()]}, index=list(groups))
    table, combined = suppressed_department_payouts(by_department)
    singles = table[~table["group"].isin(["Other departments", "All departments"])]
    assert (singles["eligible"] >= 5).all()  # no small group alone
    if len(singles):  # (with nothing shown alone, the one row is the company total, public anyway)
        assert len(combined) != 1  # a lone hidden group could be found by subtraction
        if combined:
            assert table.iloc[-1]["eligible"] >= 5
    total = round(sum(c for n, c in groups.values() if n > 0))
    assert round(table["payout"].sum() * 100) == total  # adds up to the cent


# --- HTML safety and publishing ---------------------------------------------------------------


@pytest.mark.parametrize("page", [
    '<script src="https://cdn.example/x.js"></script>',
    "<script>alert(1)</script>",
    '<img src="https://tracker.example/p.png">',
    '<img src="x" onerror="alert(1)">',
    '<link rel="stylesheet" href="https://fonts.example/css">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="http://example.com">x</a>',
    "<style>@import url(https://x.example/a.css);</style>",
    "<style>body { background: url(http://x.example/a.png) }</style>",
    '<iframe src="data:text/html,hi"></iframe>',
    '<meta http-equiv="refresh" content="0;url=http://x">',
])
def test_unsafe_pages_are_refused(page):
    assert html_problems(page)


def test_safe_page_passes():
    page = ('<style>a { background: url(data:image/png;base64,AAAA) }</style><a href="#gates">gates</a>'
            '<img src="data:image/png;base64,iVBORw0KGgo=" alt="chart">')
    assert html_problems(page) == []


def test_publishing_is_atomic(tmp_path, monkeypatch):
    target = tmp_path / "2026Q1-owner.html"
    publish_html(target, "previous", 0o640)
    assert target.read_text() == "previous" and (target.stat().st_mode & 0o777) == 0o640

    def broken_write(self, *a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", broken_write)
    with pytest.raises(OSError):
        publish_html(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026Q1-owner.html"]


def test_index_lists_reports_only_and_escapes(tmp_path):
    for name in ("2026Q1-owner.html", "2026Q2-staff.html"):
        (tmp_path / name).write_text(f"<html><head><title>{HOSTILE.replace('<', '&lt;')}: x</title></head></html>")
    (tmp_path / "notes.html").write_text("x")
    (tmp_path / "statements").mkdir()
    page = write_index(tmp_path).read_text()
    assert 'href="2026Q1-owner.html"' in page and 'href="2026Q2-staff.html"' in page
    assert "notes.html" not in page and "statements" not in page
    assert HOSTILE not in page and html_problems(page) == []
    assert page.index("2026Q2") < page.index("2026Q1")  # newest first


def test_kernel_start_is_retried_a_bounded_number_of_times(monkeypatch, tmp_path):
    calls = []

    def flaky(self, attempt):
        calls.append(attempt)
        if len(calls) < 3:
            raise zmq.ZMQError(98, "Address already in use")

    def dead(self, attempt):
        calls.append(attempt)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(KernelSession, "_start_once", flaky)
    session = KernelSession(retries=2, retry_delay=0)
    session.start()
    assert calls == [0, 1, 2]
    calls.clear()
    monkeypatch.setattr(KernelSession, "_start_once", dead)
    with pytest.raises(ReportError, match="after 3 attempts"):
        session.start()
    assert calls == [0, 1, 2]
    session.close()


# --- end to end on a real kernel (one shared run of the tiny dataset) -----------------------


@pytest.fixture(scope="module")
def rendered(hostile_dir, tmp_path_factory):
    """Both audiences of both quarters of the hostile tiny dataset, on two workers."""
    out = tmp_path_factory.mktemp("reports")
    jobs = plan_reports(hostile_dir)
    paths = render_reports(jobs, out, workers=2)
    return out, {p.name: p.read_text(encoding="utf-8") for p in paths}


def test_batch_publishes_every_report_and_the_index(rendered):
    out, pages = rendered
    assert sorted(pages) == ["2026Q1-owner.html", "2026Q1-staff.html", "2026Q2-owner.html", "2026Q2-staff.html"]
    index = (out / "index.html").read_text()
    assert all(f'href="{name}"' in index for name in pages)
    assert sorted(p.name for p in out.iterdir()) == sorted([*pages, "index.html"])  # no temp files
    assert (out / "2026Q1-owner.html").stat().st_mode & 0o777 == 0o640


EXTERNAL = re.compile(r"<(script|link|img)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


def test_pages_are_static_offline_and_show_no_code(rendered):
    for name, page in rendered[1].items():
        assert not EXTERNAL.search(page), name
        assert "<script" not in page.lower() and "require.js" not in page and "mathjax" not in page.lower()
        assert html_problems(page) == []
        assert "Traceback" not in page and "build_report(" not in page and "display(*" not in page
        assert "application/vnd.jupyter.widget" not in page
        assert page.count('<figure class="pl-chart') >= 3 and page.count("<svg ") >= 3, name  # inline SVG charts


def test_hostile_names_only_appear_escaped(rendered):
    for name, page in rendered[1].items():
        assert HOSTILE not in page and HOSTILE_CAMPAIGN not in page, name
    owner = rendered[1]["2026Q1-owner.html"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in owner
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in owner


def test_staff_pages_leak_nothing_personal(rendered, hostile_dir):
    dataset = load_dataset(hostile_dir)
    for period in ("2026Q1", "2026Q2"):
        page = visible(rendered[1][f"{period}-staff.html"])
        for person in NAMES.values():
            assert person not in page and "Quaxley" not in page and "&lt;img" not in page
        for text in salary_strings(dataset, period):
            assert text not in page, (period, text)
    owner = rendered[1]["2026Q1-owner.html"]
    assert "Brunhilde Quaxley" in owner and "Why each person receives" in owner


def test_provenance_appendix(rendered, hostile_dir):
    page = rendered[1]["2026Q1-owner.html"]
    for file in ("company.yaml", "staff.csv", "actuals.csv", "targets.csv", "funnel.csv", "plan.yaml"):
        digest = __import__("hashlib").sha256((hostile_dir / file).read_bytes()).hexdigest()
        assert digest in page, file
    for text in ("20260101", "generated (UTC)", "numpy", "papermill", "code commit"):
        assert text in page


def test_report_numbers_match_the_engine(rendered, hostile_dir):
    result = bonus_for_period(load_dataset(hostile_dir), "2026Q1")
    owner = rendered[1]["2026Q1-owner.html"]
    for payout in result.allocations.query("payout > 0")["payout"]:
        assert f"{payout:,.2f}" in owner
    assert "EUR 5,000" in owner and "missed" in rendered[1]["2026Q2-staff.html"]


def test_executed_notebook_metadata_carries_no_salary(hostile_dir):
    jobs = plan_reports(hostile_dir, ["2026Q1"], ["staff"])
    with KernelSession() as session:
        nb = execute_job(session, jobs[0])
    assert set(nb.metadata.papermill.parameters) == DECLARED - {"note"}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("image/png", None)
        # run timings (papermill's start/end/duration, the kernel's execution times) are
        # floats whose digits can contain a salary's by chance: they carry no data
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    for timing in ("start_time", "end_time", "duration"):
        nb.metadata.papermill.pop(timing, None)
    text = visible(json.dumps(nb))
    assert not any(str(s) in text for s in SALARIES.values())
    assert "Quaxley" not in text
    assert all(c.cell_type != "code" or "audience-owner" not in c.metadata.get("tags", []) for c in nb.cells)


def test_same_inputs_and_seed_give_the_same_page(rendered, hostile_dir, tmp_path):
    again = render_reports(plan_reports(hostile_dir, ["2026Q1"], ["owner"]), tmp_path, workers=1)[0].read_text()
    strip = re.compile(r'<section class="pl-section" id="provenance">.*?</section>', re.S)
    first = strip.sub("", rendered[1]["2026Q1-owner.html"])
    assert first == strip.sub("", again) and len(first) > 10_000


def test_a_failing_template_leaves_the_previous_report_and_no_partial_file(hostile_dir, tmp_path):
    nb = nbformat.read(DEFAULT_TEMPLATE, as_version=4)
    nb.cells.insert(5, nbformat.v4.new_code_cell('raise RuntimeError("boom")'))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    out = tmp_path / "out"
    out.mkdir()
    (out / "2026Q1-owner.html").write_text("previous report")
    with pytest.raises(ReportError) as exc:
        render_reports(plan_reports(hostile_dir, ["2026Q1"], ["owner"]), out, template=broken, workers=1)
    assert re.fullmatch(r"the template failed at cell \d+: RuntimeError: boom", exc.value.failures["2026Q1-owner"])
    assert (out / "2026Q1-owner.html").read_text() == "previous report"
    assert sorted(p.name for p in out.iterdir()) == ["2026Q1-owner.html", "index.html"]


def test_a_value_that_is_code_stays_a_string(tmp_path):
    pwned = tmp_path / "PWNED"
    template = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('note = ""\nother = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import os, sys\nprint(repr(note)); print(repr(other)); print(os.path.exists('PWNED'))\n"
                                  "print(sys.executable)"),
    ], metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    path = tmp_path / "t.ipynb"
    nbformat.write(template, path)
    values = {"note": "__import__('os').system('touch PWNED')",
              "other": f"\"\\\"; __import__('pathlib').Path({str(pwned)!r}).touch(); \"\\n"}
    with KernelSession() as session:
        nb = execute_job(session, ReportJob("2026Q1", "owner", values), path)
    printed = nb.cells[-1].outputs[0].text.splitlines()
    assert printed == [repr(values["note"]), repr(values["other"]), "False", sys.executable]  # this venv's Python
    assert not pwned.exists()


def test_cli_report_prints_where_the_reports_are(hostile_dir, tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["report", "--data", str(hostile_dir), "--period", "2026Q2", "--audience", "staff",
                 "--out", str(out), "--draws", "200"]) == 0
    captured = capsys.readouterr()
    assert str(out / "2026Q2-staff.html") in captured.out and "index.html" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["2026Q2-staff.html", "index.html"]


def test_sample_company_has_eight_reportable_quarters():
    jobs = plan_reports(ROOT / "data")
    assert len(jobs) == 16 and {j.period for j in jobs} == {f"{y}Q{q}" for y in (2025, 2026) for q in range(1, 5)}


# --- hardening: text that matplotlib would read as maths, error lines ----------------------


MATHS_STAFF = ("employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n"
               + "".join(f"M{i},P{i},{dept},Role $x^{{2$,50000,1,2020-01-01,,true\n"
                         for i, dept in enumerate(["Ops $\\undefinedcmd$"] * 5 + ["Sales $5 and $6"] * 5)))
MATHS_ACTUALS = """period,department,revenue,cogs,opex
2026Q1,Sales $5 and $6,1000000,400000,100000
2026Q1,Ops $\\undefinedcmd$,0,0,290000
"""
MATHS_FUNNEL = """period,campaign,channel,spend,leads,qualified,won,revenue
2026Q1,$\\frac{1$ offer,$$,10000,200,40,10,300000
2026Q1,Brand $\\x$,Awareness,5000,50,0,0,0
"""


def test_names_with_dollar_signs_draw_as_text_and_never_break_a_chart(tmp_path):
    data = write_dataset(tmp_path / "maths", {"staff.csv": MATHS_STAFF, "actuals.csv": MATHS_ACTUALS,
                                              "funnel.csv": MATHS_FUNNEL})
    for audience in ("owner", "staff"):
        report = build_report(data, "2026Q1", audience, draws=50)
        charts = [item for name in ALL_SECTIONS for item in getattr(report, name)() if isinstance(item, Chart)]
        assert len(charts) >= 5
        for chart in charts:  # mathtext would raise ValueError on "$\undefinedcmd$" and "$\frac{1$"
            assert chart.png()[:8] == b"\x89PNG\r\n\x1a\n", chart.alt
        texts = [t.get_text() for chart in charts for t in chart.figure.findobj(
            lambda o: hasattr(o, "get_parse_math"))]
        assert any("$\\undefinedcmd$" in t for t in texts)  # the name itself, not maths


def test_a_failing_cell_is_reported_by_its_first_line_that_says_something(tmp_path):
    template = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('note = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell('raise ValueError("\\n  \\nthe real reason\\nmore")'),
    ], metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    path = tmp_path / "t.ipynb"
    nbformat.write(template, path)
    with KernelSession() as session, pytest.raises(ReportError) as exc:
        execute_job(session, ReportJob("2026Q1", "owner", {"note": "x"}), path)
    assert exc.value.failures["2026Q1-owner"].endswith("ValueError: the real reason")


# --- hardening: what a small group's payouts give away --------------------------------------


CAPPED_PLAN = """\
gates: {revenue: 0.95, gop: 1.0}
pool: {method: excess_gop_share, rate: 0.5, floor: 0, cap: null, self_funding: true}
distribution: {method: salary, require_employed_at_period_end: true, individual_cap: 0.05}
"""
ONE_PERSON = """employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible
S1,Solo Quimby,Sales,Manager,87654,0.8,2020-01-01,,true
S2,Other Person,IT,Associate,50000,1,2020-01-01,,false
"""


def test_staff_page_never_shows_what_a_few_capped_people_were_paid(tmp_path):
    data = write_dataset(tmp_path / "solo", {"staff.csv": ONE_PERSON, "plan.yaml": CAPPED_PLAN})
    report = build_report(data, "2026Q1", "staff")
    b = report.bonus
    assert b.unallocated > 0 and 0 < b.allocated < b.pool  # the cap kept most of the pool back
    page = visible(section_html(report, *ALL_SECTIONS))
    paid, person = f"{b.allocated:,.2f}", b.allocations.iloc[0]
    # paid / 5% = the quarter's salary; GOP - paid; pool - paid: each would give the pay away
    for text in (paid, f"{b.gop_after_bonus:,.2f}", f"{b.unallocated:,.2f}",
                 f"{person.period_salary:,.2f}", "87,654", "70,123"):
        assert text not in page, text
    assert f"{b.pool:,.2f}" in page and "not shown" in page  # the pool itself is public
    owner = section_html(build_report(data, "2026Q1", "owner"), "pool")
    assert paid in owner and f"{b.gop_after_bonus:,.2f}" in owner


NO_WEIGHT = "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n" + "".join(
    [f"Z{i},Zero {i},Sales,Partner,0,1,2020-01-01,,true\n" for i in range(4)]
    + ["Z9,Only Paid,Sales,Manager,91234,1,2020-01-01,,true\n"]
    + [f"T{i},Tech {i},IT,Associate,{60000 + 1000 * i},1,2020-01-01,,true\n" for i in range(6)])


def test_people_who_can_take_nothing_do_not_make_a_group_big_enough(tmp_path):
    data = write_dataset(tmp_path / "zero", {"staff.csv": NO_WEIGHT})
    report = build_report(data, "2026Q1", "staff")
    one = report.bonus.allocations.set_index("employee_id").at["Z9", "payout"]
    assert one > 0 and report.bonus.by_department().at["Sales", "eligible"] == 5
    page = visible(section_html(report, "staff_payouts_by_department", "pool", "title"))
    assert f"{one:,.2f}" not in page  # Sales' total is one person's payout
    assert "All departments" in page


ONE_GATE_PLAN = """\
gates: {revenue: 0.9}
pool: {method: gop_share, rate: 0.1}
distribution: {method: equal}
"""


def test_the_reading_guide_speaks_of_this_company_and_its_plan(tmp_path):
    staff = TINY_STAFF.replace("IT", "R&D <b>lab</b>")
    actuals = TINY_ACTUALS.replace("IT", "R&D <b>lab</b>")
    data = write_dataset(tmp_path / "guide", {"staff.csv": staff, "actuals.csv": actuals, "plan.yaml": ONE_GATE_PLAN})
    guide = section_html(build_report(data, "2026Q1", "staff"), "how_to_read")
    assert "(Marketing, R&amp;D &lt;b&gt;lab&lt;/b&gt; and Sales)" in guide
    assert "the revenue gate below, a share of its GOP becomes" in guide
    assert "fulfilment" not in guide.lower() and "both" not in guide
    sample = section_html(build_report(ROOT / "data", "2026Q4", "staff"), "how_to_read")
    assert "reaches <strong>both</strong> gates below, part of the profit it made above its GOP target" in sample
    # the template itself carries no company's words: the guide is built from the data
    nb = nbformat.read(DEFAULT_TEMPLATE, as_version=4)
    shown = [c.source for c in nb.cells if c.cell_type == "markdown" and "remove_cell" not in c.metadata.get("tags", [])]
    assert not any("fulfilment" in text.lower() or "gates below" in text for text in shown)


def test_outlook_without_uncertainty_says_it_is_a_projection_not_odds(tiny_dir):
    text = section_html(build_report(tiny_dir, "2026Q1", "owner", draws=20), "outlook")
    assert "This is a projection, not odds: this dataset has no scenarios.yaml" in text
    assert "ups and downs" not in text and "base scenario in scenarios.yaml allows" not in text
    sample = section_html(build_report(ROOT / "data", "2026Q4", "owner", draws=50), "outlook")
    assert "with the ups and downs the base scenario in scenarios.yaml allows" in sample
    assert "Drivers that vary: average won deal, gross margin, lead-to-win rate" in sample


def test_an_output_path_that_is_a_file_is_bad_input_before_any_kernel(hostile_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(KernelSession, "start", lambda self: pytest.fail("a kernel was started"))
    afile = tmp_path / "reports.html"
    afile.write_text("keep me")
    for out, says in ((afile, "is a file"), (afile / "sub", "lies under a file")):
        assert main(["report", "--data", str(hostile_dir), "--period", "2026Q1", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error: --out: ") and says in err, err
        assert "Traceback" not in err
    assert main(["report", "--data", str(hostile_dir), "--all", "--jobs", "0", "--out", str(tmp_path / "r")]) == 2
    assert "error: --jobs: 0 is not a number of workers" in capsys.readouterr().err
    assert afile.read_text() == "keep me" and sorted(p.name for p in tmp_path.iterdir()) == ["reports.html"]


def test_pool_shares_are_named_for_what_they_are_and_the_real_cost_shows_when_caps_bite(tmp_path):
    five = "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible\n" + "".join(
        f"C{i},Person {i},Sales,Associate,{50000 + 1000 * i},1,2020-01-01,,true\n" for i in range(5))
    data = write_dataset(tmp_path / "capped", {"staff.csv": five, "plan.yaml": CAPPED_PLAN})
    for audience in ("owner", "staff"):
        report = build_report(data, "2026Q1", audience)
        b = report.bonus
        assert b.unallocated > 0 and b.allocated > 0
        text = section_html(report, "pool")
        assert "Cost of the bonus as a share of GOP" not in text  # that was the pool, not the cost
        assert f"The pool as a share of GOP</td><td class=\"num\">{b.pool / b.gop * 100:.1f}%" in text
        assert f"Cost of the bonus (paid out) as a share of GOP</td><td class=\"num\">{b.allocated / b.gop * 100:.1f}%" in text


def test_index_keeps_a_company_name_with_colons_whole(tmp_path):
    title = "Smith &amp; Sons: Builders: Ltd &lt;b&gt;: 2026Q1 quarterly report (owner)"
    (tmp_path / "2026Q1-owner.html").write_text(f"<html><head><title>{title}</title></head></html>")
    page = write_index(tmp_path).read_text()
    assert "<h1>Smith &amp; Sons: Builders: Ltd &lt;b&gt;</h1>" in page


NO_LEADS_FUNNEL = """period,campaign,channel,spend,leads,qualified,won,revenue
2026Q1,Radio,Awareness,100,0,0,0,0
"""


def test_a_funnel_without_a_single_lead_does_not_break_the_report(tmp_path):
    data = write_dataset(tmp_path / "noleads", {"funnel.csv": NO_LEADS_FUNNEL})
    report = build_report(data, "2026Q1", "staff")
    items = report.marketing()
    for item in items:  # the funnel chart's lead-to-win axis was NaN: ValueError
        item.png() if isinstance(item, Chart) else item._repr_html_()
    text = items[0]._repr_html_()
    assert "on 1 campaign, which brought 0 leads and 0 wins" in text
    assert "1 campaign spent EUR 100 and won nothing: Radio" in text


NO_GATES_PLAN = """\
gates: {}
pool: {method: gop_share, rate: 0.1, floor: 500, self_funding: false}
distribution: {method: equal}
"""


def test_a_plan_without_gates_is_not_said_to_have_passed_them(tmp_path):
    data = write_dataset(tmp_path / "nogates", {"plan.yaml": NO_GATES_PLAN})
    report = build_report(data, "2026Q1", "staff")
    text = section_html(report, "title", "how_to_read")
    assert "This plan has no gates: the company earns a success bonus pool" in text
    assert "Every gate was passed" not in text
    assert "Under this plan, which has no gates, a share of its GOP becomes" in text and ",," not in text


def test_a_first_quarter_has_no_empty_comparison_columns(tiny_dir):
    first = section_html(build_report(tiny_dir, "2026Q1", "staff"), "results")
    assert "previous quarter" not in first and "change (EUR)" not in first
    assert "There are no actuals for 2025Q4, so there is no earlier quarter to compare with." in first
    assert "<td></td><td></td><td class=\"num\">1,000,000" not in first
    second = section_html(build_report(tiny_dir, "2026Q2", "staff"), "results")
    assert "2026Q1 (EUR)" in second and "change (EUR)" in second and "no earlier quarter" not in second


def test_each_persons_payout_sits_next_to_their_name(hostile_dir):
    table = section_html(build_report(hostile_dir, "2026Q1", "owner"), "payouts_by_person")
    header = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", table.split("</thead>")[0])
    assert header[:4] == ["id", "name", "payout (EUR)", "eligible"]  # seen without scrolling sideways
    result = bonus_for_period(load_dataset(hostile_dir), "2026Q1")
    a2 = result.allocations.set_index("employee_id").loc["A2"]
    assert f'<td>A2</td><td>Brunhilde Quaxley</td><td class="num">{a2.payout:,.2f}</td><td>yes</td>' in table


def test_a_dataset_in_a_hostile_git_repository_runs_nothing(tiny_dir, tmp_path):
    import shutil
    import subprocess

    from planning.provenance import data_commit, provenance

    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    run = lambda *a: subprocess.run([git, "-c", "user.email=a@b.c", "-c", "user.name=t", *a], cwd=tiny_dir,  # noqa: E731
                                    check=True, capture_output=True, text=True).stdout.strip()
    run("init", "-q")
    run("add", "-A")
    run("commit", "-qm", "data")
    commit = run("rev-parse", "HEAD")
    marker = tmp_path / "PWNED"
    run("config", "core.fsmonitor", f"touch {marker}; false")  # git status would run this
    info = provenance({"seed": 1}, load_dataset(tiny_dir).sources)
    assert not marker.exists()
    assert info["data_commit"] == commit and info["code_commit"] != commit
    run("pack-refs", "--all")  # the branch now lives in packed-refs only
    assert data_commit(tiny_dir / "staff.csv") == commit and not marker.exists()
    assert data_commit(tmp_path) is None


def test_the_template_defaults_are_the_reporting_defaults():
    """The seed and draws are written once (planning.reporting.defaults); the template's
    parameters cell must hold the same literals, and the CLI's help says them."""
    from planning.cli import build_parser
    from planning.reporting.defaults import DEFAULT_DRAWS, DEFAULT_SEED

    nb = nbformat.read(DEFAULT_TEMPLATE, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert f"seed = {DEFAULT_SEED}\n" in cell.source and f"draws = {DEFAULT_DRAWS}\n" in cell.source
    report = build_parser()._subparsers._group_actions[0].choices["report"]
    helps = {a.dest: a.help for a in report._actions}
    assert f"(default {DEFAULT_SEED})" in helps["seed"] and f"(default {DEFAULT_DRAWS})" in helps["draws"]
