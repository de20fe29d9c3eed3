from datetime import date

import pytest

from planning.periods import Period, parse_period, period_containing


def test_calendar_quarters():
    p = parse_period("2026Q1")
    assert (p.start, p.end, p.days) == (date(2026, 1, 1), date(2026, 3, 31), 90)
    assert parse_period("2024Q1").days == 91  # leap year
    assert parse_period("2026Q4").end == date(2026, 12, 31)


def test_july_fiscal_year_from_the_contract():
    q1 = parse_period("2027Q1", 7)
    q3 = parse_period("2027Q3", 7)
    assert (q1.start, q1.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert (q3.start, q3.end) == (date(2027, 1, 1), date(2027, 3, 31))
    assert parse_period("2027Q4", 7).end == date(2027, 6, 30)


def test_april_fiscal_year_and_navigation():
    p = parse_period("2026Q4", 4)  # Jan-Mar 2026
    assert (p.start, p.end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert str(p.next()) == "2027Q1" and p.next().start == date(2026, 4, 1)
    assert str(p.previous(4)) == "2025Q4"


@pytest.mark.parametrize("month", range(1, 13))
def test_quarters_tile_the_year(month):
    quarters = [Period(2030, q, month) for q in (1, 2, 3, 4)]
    assert sum(q.days for q in quarters) in (365, 366)
    for a, b in zip(quarters, quarters[1:], strict=False):
        assert (b.start - a.end).days == 1
    assert period_containing(quarters[2].start, month) == quarters[2]
    assert period_containing(quarters[2].end, month) == quarters[2]


@pytest.mark.parametrize("text", ["2026-Q5", "2026Q0", "Q3 2026", "2026", "", "26Q1"])
def test_bad_periods_say_what_was_expected(text):
    with pytest.raises(ValueError, match="like 2026Q3"):
        parse_period(text)


def test_lenient_spellings():
    assert str(parse_period(" 2026-q3 ")) == "2026Q3"


@pytest.mark.parametrize(("text", "month"), [("9999Q4", 1), ("0001Q1", 7), ("1899Q4", 1), ("3000Q1", 1)])
def test_years_without_calendar_dates_are_refused(text, month):
    # 9999Q4 ends on 9999-12-31 but its next quarter does not exist; 0001Q1 with a July year
    # starts in year 0. Both used to load and then crash the bonus with a traceback.
    with pytest.raises(ValueError, match="expected a year from 1900 to 2999, like 2026Q3"):
        parse_period(text, month)
    assert parse_period("1900Q1", 7).start == date(1899, 7, 1)
    assert parse_period("2999Q4").end == date(2999, 12, 31)
