"""Personal statements: one escaped, private page per eligible person, with the right numbers."""

from __future__ import annotations

import os
import time

import pytest

from planning import InputError, bonus_for_period, load_dataset
from planning.cli import main
from planning.reporting.publishing import html_problems
from planning.reporting.statements import (
    build_statements,
    render_statements,
    statement_filename,
    write_statements,
)
from tests.conftest import write_dataset

HOSTILE = "<img src=x onerror=alert(1)>"
STAFF = """\
employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible
A1,<img src=x onerror=alert(1)>,Sales,Manager,100000,1,2020-01-01,,true
A2,Bob,Sales,Associate,50000,0.5,2020-01-01,,true
A3,Cat,IT,Associate,60000,1,2026-02-15,,true
A4,Dan,IT,Associate,40000,1,2020-01-01,2026-02-14,true
A5,Eve,Marketing,Director,200000,1,2020-01-01,,false
"""


@pytest.fixture
def hostile_dir(tmp_path):
    return write_dataset(tmp_path / "data", {"staff.csv": STAFF})


def test_one_page_per_eligible_person_plus_an_index(hostile_dir, tmp_path):
    paths = write_statements(hostile_dir, "2026Q1", tmp_path / "out")
    folder = tmp_path / "out" / "2026Q1"
    assert [p.name for p in paths] == ["A1.html", "A2.html", "A3.html", "index.html"]  # A4 left, A5 not eligible
    assert sorted(p.name for p in folder.iterdir()) == ["A1.html", "A2.html", "A3.html", "index.html"]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in paths)


def test_hostile_name_only_escaped_and_pages_are_static(hostile_dir, tmp_path):
    paths = write_statements(hostile_dir, "2026Q1", tmp_path)
    for path in paths:
        page = path.read_text()
        assert HOSTILE not in page
        assert html_problems(page) == [], path.name
    assert "&lt;img src=x onerror=alert(1)&gt;" in (tmp_path / "2026Q1" / "A1.html").read_text()
    assert "&lt;img src=x onerror=alert(1)&gt;" in (tmp_path / "2026Q1" / "index.html").read_text()


def test_statement_shows_the_engine_payout_inputs_and_gates(hostile_dir):
    dataset = load_dataset(hostile_dir)
    result = bonus_for_period(dataset, "2026Q1")
    pages = render_statements(dataset, result)
    payouts = result.allocations.set_index("employee_id")["payout"]
    for eid in ("A1", "A2", "A3"):
        assert f"You receive EUR {payouts[eid]:,.2f} for 2026Q1." in pages[f"{eid}.html"]
    cat = pages["A3.html"]
    assert "Salary (full-time, per year)</th><td>EUR 60,000" in cat
    assert "45 (50.0% of the quarter)" in cat  # 15 Feb to 31 Mar of a 90-day quarter
    assert "The GOP gate (100.0% of target, EUR 200,000) passed with EUR 10,000 to spare" in cat
    assert "Bob" not in cat and "EUR 100,000" not in cat  # nobody else's salary or name
    assert sum(payouts[e] for e in ("A1", "A2", "A3")) == pytest.approx(result.allocated)


def test_missed_gate_explains_the_gap_and_pays_nothing(hostile_dir):
    dataset = load_dataset(hostile_dir)
    pages = render_statements(dataset, bonus_for_period(dataset, "2026Q2"))
    page = pages["A1.html"]
    assert "There is no success bonus for 2026Q2: a gate was missed." in page
    assert "was missed by EUR 50,000" in page and "was missed by EUR 90,000" in page
    assert "You receive</th><td>EUR 0.00" in page


def test_capped_person_is_told_about_the_cap(hostile_dir):
    plan = hostile_dir / "plan.yaml"
    plan.write_text(plan.read_text().replace("min_days_in_period: 0", "min_days_in_period: 0\n  individual_cap: 0.05"))
    dataset = load_dataset(hostile_dir)
    result = bonus_for_period(dataset, "2026Q1")
    capped = result.allocations.query("capped")["employee_id"].tolist()
    assert capped
    statements = {s.employee_id: s for s in build_statements(dataset, result)}
    assert any("more than your cap" in line for line in statements[capped[0]].arithmetic)


def test_file_names_come_from_ids_and_are_safe():
    assert statement_filename("E012") == "E012.html"
    odd = statement_filename("../etc/passwd")
    assert "/" not in odd and odd.startswith("___etc_passwd-") and odd.endswith(".html")
    assert statement_filename("a/b") != statement_filename("a_b")


def test_bad_input_writes_nothing(hostile_dir, tmp_path, capsys):
    with pytest.raises(InputError):
        write_statements(hostile_dir, "2030Q1", tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert main(["statements", "--data", str(hostile_dir), "--period", "2026Q9", "--out", str(tmp_path / "o")]) == 2
    assert "Traceback" not in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_cli_statements(hostile_dir, tmp_path, capsys):
    assert main(["statements", "--data", str(hostile_dir), "--period", "2026Q1", "--out", str(tmp_path)]) == 0
    assert "3 personal statements" in capsys.readouterr().out


def test_statements_are_fast_for_many_people(tmp_path):
    rows = ["employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible"]
    rows += [f"E{i:04d},Person {i},Dept {i % 7},Associate,{40000 + i},1,2020-01-01,,true" for i in range(1000)]
    folder = write_dataset(tmp_path / "big", {"staff.csv": "\n".join(rows) + "\n"})
    started = time.perf_counter()
    paths = write_statements(folder, "2026Q1", tmp_path / "out")
    assert len(paths) == 1001
    assert time.perf_counter() - started < 20  # one template, no kernel: typically about 1 s


def test_an_output_path_that_is_a_file_is_bad_input(hostile_dir, tmp_path, capsys):
    afile = tmp_path / "statements"
    afile.write_text("keep me")
    assert main(["statements", "--data", str(hostile_dir), "--period", "2026Q1", "--out", str(afile)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --out: ") and "is a file" in err and err.count("\n") == 1
    assert afile.read_text() == "keep me"


def test_a_new_run_replaces_the_period_folder_and_a_failed_one_leaves_it(hostile_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_statements(hostile_dir, "2026Q1", out)
    folder = out / "2026Q1"
    assert sorted(p.name for p in folder.iterdir()) == ["A1.html", "A2.html", "A3.html", "index.html"]
    stricter = tmp_path / "plan.yaml"  # A3 joined on 15 Feb: 45 days, now too few
    stricter.write_text((hostile_dir / "plan.yaml").read_text().replace("min_days_in_period: 0",
                                                                         "min_days_in_period: 60"))
    paths = write_statements(hostile_dir, "2026Q1", out, plan=stricter)
    # A3 is no longer eligible: no stale page with last run's payout is left for them
    assert sorted(p.name for p in folder.iterdir()) == ["A1.html", "A2.html", "index.html"]
    assert [p.name for p in paths] == ["A1.html", "A2.html", "index.html"] and all(p.exists() for p in paths)
    assert folder.stat().st_mode & 0o777 == 0o700
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    real_fsync, calls = os.fsync, []

    def failing_fsync(fd):  # the disk fills up after the first page
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space"):
        write_statements(hostile_dir, "2026Q1", out)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in out.iterdir()) == ["2026Q1"]  # no temporary folder left


def test_someone_below_the_cap_is_told_why_they_get_more_than_their_weight_share(hostile_dir):
    plan = hostile_dir / "plan.yaml"
    plan.write_text(plan.read_text().replace("method: salary", "method: equal").replace(
        "min_days_in_period: 0", "min_days_in_period: 0\n  individual_cap: 0.15"))
    dataset = load_dataset(hostile_dir)
    result = bonus_for_period(dataset, "2026Q1")  # pool 5,000; equal weights 1, 0.5, 0.5
    people = result.allocations.set_index("employee_id")
    assert people.at["A2", "capped"] and people.at["A3", "capped"] and not people.at["A1", "capped"]
    assert people.at["A1", "payout"] == pytest.approx(5000 - 937.50 - 1125.00)
    lines = {s.employee_id: s.arithmetic for s in build_statements(dataset, result)}
    text = " ".join(lines["A1"])
    assert "50.0% of the pool would be EUR 2,500.00, but some people reached their individual cap" in text
    assert "EUR 2,937.50" in text
    assert "EUR 937" not in text and "EUR 1,125" not in text and "EUR 2,062" not in text  # no colleague's cap
    assert not any("some people reached" in line for line in lines["A2"])


def test_file_names_stay_apart_on_case_insensitive_disks_and_windows(tmp_path):
    assert statement_filename("E012") == "E012.html"
    for reserved in ("CON", "nul", "Com1", "LPT9", "index"):
        name = statement_filename(reserved)
        assert name.startswith(f"{reserved}-") and name != f"{reserved}.html"
    rows = ["employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible",
            "e1,Lower Case,Sales,Associate,50000,1,2020-01-01,,true",
            "E1,Upper Case,Sales,Associate,90000,1,2020-01-01,,true",
            "E2,Other,Sales,Associate,60000,1,2020-01-01,,true",
            "index,Called Index,Sales,Associate,60000,1,2020-01-01,,true"]
    data = write_dataset(tmp_path / "case", {"staff.csv": "\n".join(rows) + "\n"})
    dataset = load_dataset(data)
    names = {s.employee_id: s.filename for s in build_statements(dataset, bonus_for_period(dataset, "2026Q1"))}
    assert names["E2"] == "E2.html"
    assert len({n.casefold() for n in names.values()} | {"index.html"}) == len(names) + 1
    paths = write_statements(data, "2026Q1", tmp_path / "out")
    assert len(paths) == 5 and "Upper Case" in paths[[p.name for p in paths].index(names["E1"])].read_text()
    assert names["index"] != "index.html" and "Called Index" in (tmp_path / "out" / "2026Q1" / names["index"]).read_text()
    assert "Confidential: every person's payout" in (tmp_path / "out" / "2026Q1" / "index.html").read_text()
