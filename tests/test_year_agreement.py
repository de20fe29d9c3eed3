"""The sample company's bonus year agrees with itself to the cent in every face: the year's
JSON (``planning year --json``), the bookkeeper's workbook (``year --xlsx``), the year-end
report's figures and each person's statements."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from planning.cli import main
from planning.money import to_cents
from planning.reporting.content.year_report import build_year_report
from planning.reporting.statements import build_statements
from planning.year import bonus_in_year


@pytest.fixture(scope="module")
def sample(year_sample):
    """The sample company with the year plan of docs/plan.md (``year_sample`` in conftest)."""
    return year_sample


CENTS = re.compile(r"-?[\d,]+\.\d\d")


def _cents(text: str) -> int:
    return round(float(text.replace(",", "")) * 100)


def _sheet(book, name) -> list[dict]:
    rows = list(book[name].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if r and r[0] is not None]


@pytest.mark.parametrize("fy", ["2025", "2026"])
def test_json_workbook_report_and_statements_agree_to_the_cent(sample, tmp_path, capsys, fy):
    book_path = tmp_path / f"year{fy}.xlsx"
    assert main(["year", "--data", str(sample.root), "--year", fy, "--json", "--xlsx", str(book_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    cur = sample.company.currency
    people = {p["employee_id"]: p for p in data["people"]}
    periods = [q["period"] for q in data["quarters"]]

    # the workbook: the same quarters, year end and people
    book = openpyxl.load_workbook(book_path, data_only=True)
    for q, row in zip(data["quarters"], _sheet(book, "quarters"), strict=False):
        assert row["period"] == q["period"]
        for key in ("earned_to_date", "pool", "shared_now", "held_back", "allocated", "unallocated", "reserve"):
            assert to_cents(row[key], cur) == to_cents(q[key], cur), (q["period"], key)
    for row in _sheet(book, "people"):
        if str(row["employee_id"]) not in people:
            continue   # a totals or note row
        person = people[str(row["employee_id"])]
        for p in periods:
            assert to_cents(row[p], cur) == to_cents(person["quarters"][p], cur)
        assert to_cents(row["year_end"], cur) == to_cents(person["year_end"], cur)
        assert to_cents(row["total"], cur) == to_cents(person["total"], cur)

    # the owner's year-end report: every person's row, and the quarters' table
    report = build_year_report(str(sample.root), fy, "owner")
    text = re.sub(r"<[^>]+>", "|", "".join(h.markup for h in report.payouts_by_person()))
    for eid, person in people.items():
        cells = re.search(rf"\|{re.escape(eid)}\|(.*?)\|\|\|", text).group(1)
        amounts = [_cents(a) for a in CENTS.findall(cells)]
        assert amounts == [to_cents(person["quarters"][p], cur) for p in periods] + \
            [to_cents(person["year_end"], cur), to_cents(person["total"], cur)], eid
    quarters = re.sub(r"<[^>]+>", "|", report.quarters()[0].markup)
    for q in data["quarters"]:
        row = re.search(rf"\|{q['period']}\|(.*?)\|\|\|", quarters).group(1)
        assert [_cents(a) for a in CENTS.findall(row)] == [to_cents(q[k], cur) for k in (
            "earned_to_date", "pool", "held_back", "shared_now", "reserve", "allocated", "unallocated")]
    end = data["year_end"]
    assert (report.year.year_end.released, report.year.year_end.forfeited) == (end["released"], end["forfeited"])

    # the statements: each quarter's payout, and at the year end the year-end payment and the year
    for p in periods:
        result, year = bonus_in_year(sample, p)
        for s in build_statements(sample, result, year):
            assert _cents(CENTS.search(s.payout).group()) == to_cents(people[s.employee_id]["quarters"][p], cur)
            if p == periods[-1]:
                total = CENTS.findall(s.year_lines[-1])[-1]
                assert _cents(total) == to_cents(people[s.employee_id]["total"], cur), s.employee_id
