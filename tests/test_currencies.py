"""Money in the currency's own units (domain.md 4.2): JPY has no decimals, KWD three.

A JPY and a KWD company run end to end (bonus, report, statements, workbook) with every
amount a whole number of their minor unit and the payouts adding up in it.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planning import load_dataset
from planning.bonus import bonus_for_period
from planning.bookkeeper import CONFIDENTIAL, money_format
from planning.cli import main
from planning.money import (
    CURRENCIES,
    Currency,
    cents_array,
    default_locale,
    format_cents,
    format_money,
    minor_digits,
    round_cents,
    round_cents_array,
    sum_cents,
    to_cents,
)
from tests.conftest import SAMPLE, write_dataset

# --- the money module -------------------------------------------------------------------------


def test_minor_units_come_from_babel():
    assert (minor_digits("AUD"), minor_digits("JPY"), minor_digits("KWD"), minor_digits("")) == (2, 0, 3, 2)
    jpy, kwd = Currency("jpy"), Currency("KWD")
    assert jpy == "JPY" and isinstance(jpy, str) and (jpy.digits, jpy.scale) == (0, 1)
    assert (kwd.digits, kwd.scale) == (3, 1000)


def test_rounding_half_up_in_the_minor_unit():
    assert round_cents(1328.5, "JPY") == 1329.0
    assert round_cents(-1328.5, "JPY") == -1329.0
    assert round_cents(1328.49, "JPY") == 1328.0
    assert round_cents(Decimal("1.0005"), "KWD") == 1.001
    assert round_cents(1.0005, "KWD") == 1.001           # float noise of a half mil counts as the half
    assert round_cents(2.675, Currency("AUD")) == 2.68
    assert round_cents_array([0.5, 1.5, 2.5], 0).tolist() == [1.0, 2.0, 3.0]
    assert to_cents(12.3456, "KWD") == 12346 and to_cents(99.5, "JPY") == 100
    assert cents_array([1.001, 2.002], "KWD").tolist() == [1001, 2002]
    assert sum_cents([0.001] * 3, "KWD") == 0.003 and sum_cents([1.0, 2.0], "JPY") == 3.0


def test_a_bad_unit_is_a_programming_error():
    with pytest.raises(TypeError):
        round_cents(1.0, 2.5)
    with pytest.raises(TypeError):
        round_cents(1.0, -1)


def test_amounts_are_written_by_babel_in_the_currency_own_unit():
    assert format_cents(1328.2, "AUD") == "AUD 1,328.20"
    assert format_cents(1328, "JPY") == "JPY 1,328"
    assert format_cents(-1.5, "KWD") == "-KWD 1.500"
    assert format_cents(1234.5, Currency("EUR", "de_DE")) == "1.234,50 EUR"
    assert format_cents(1234567.5, "INR") == "INR 12,34,567.50"     # en_IN groups in lakhs
    assert format_money(1234567.891, "AUD") == "AUD 1,234,568"        # whole units
    assert format_cents(0.5, "AUD", 2) == "AUD 0.5000"                # exact shares: two more
    assert format_cents(12.5, "KWD", code=False) == "12.500"
    assert format_money(-0.4, "JPY") == "JPY 0"                       # no minus sign on a zero


def test_default_locale_keeps_the_iso_code_and_english():
    assert default_locale("AUD") == "en_AU" and default_locale("USD") == "en_US"
    assert default_locale("EUR") == "en" and default_locale("KWD") == "en"


def test_currency_list_is_babel_in_use_codes():
    assert {"AUD", "EUR", "JPY", "KWD", "USD", "XOF"} <= set(CURRENCIES)
    assert "XYZ" not in CURRENCIES and "XAU" not in CURRENCIES and "XTS" not in CURRENCIES
    assert "HRK" not in CURRENCIES         # Croatia adopted the euro in 2023
    assert len(CURRENCIES) > 140


def test_currency_pickles_with_its_unit_and_locale():
    import pickle

    again = pickle.loads(pickle.dumps(Currency("JPY", "ja_JP")))
    assert (again, again.digits, again.locale, type(again)) == ("JPY", 0, "ja_JP", Currency)


# --- company.yaml ---------------------------------------------------------------------------


@pytest.mark.parametrize("yaml_text, message", [
    ("name: X\ncurrency: HRK\n", "company.yaml, key currency: 'HRK' (Croatian Kuna) is no longer in use"),
    ("name: X\ncurrency: XAU\n", "company.yaml, key currency: 'XAU' (Gold) is no longer in use"),
    ("name: X\ncurrency: EUR\nlocale: xx_YY\n", "company.yaml, key locale: 'xx_YY' is not a locale Babel knows"),
    ("name: X\ncurrency: EUR\nlocale: 5\n", "company.yaml, key locale: 5 is not a locale"),
])
def test_company_currency_and_locale_are_checked(tmp_path, yaml_text, message):
    from planning.errors import InputError

    folder = write_dataset(tmp_path / "d", {"company.yaml": yaml_text})
    with pytest.raises(InputError) as err:
        load_dataset(folder)
    assert any(str(p).startswith(message) for p in err.value.problems), [str(p) for p in err.value.problems]


def test_a_locale_in_company_yaml_writes_amounts_its_way(tmp_path, capsys):
    folder = write_dataset(tmp_path / "d", {"company.yaml": "name: X\ncurrency: EUR\nlocale: de_DE\n"})
    assert main(["pnl", "--data", str(folder), "--period", "2026Q1"]) == 0
    assert "1.000.000,00 EUR" in capsys.readouterr().out


# --- a JPY and a KWD company end to end -----------------------------------------------------


def _company(tmp_path: Path, currency: str) -> Path:
    """The sample company in ``currency``; for KWD some amounts get a third decimal."""
    folder = tmp_path / currency
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.xlsx", "scenarios.yaml"))
    text = (folder / "company.yaml").read_text().replace("currency: AUD", f"currency: {currency}")
    (folder / "company.yaml").write_text(text)
    if currency == "KWD":
        for name in ("actuals.csv", "staff.csv"):
            frame = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
            for column in ("revenue", "opex", "annual_salary"):
                if column in frame:
                    frame[column] = [f"{v}7" if "." in v else f"{v}.337" for v in frame[column]]
            frame.to_csv(folder / name, index=False)
    return folder


def _whole(values, digits: int) -> bool:
    scaled = np.asarray(values, dtype=float) * 10**digits
    return bool(np.all(np.abs(scaled - np.round(scaled)) < 1e-6))


@pytest.fixture(scope="module", params=["JPY", "KWD"])
def company(request, tmp_path_factory):
    return _company(tmp_path_factory.mktemp("cur"), request.param), request.param


def test_loaded_amounts_are_whole_minor_units(company):
    folder, currency = company
    ds = load_dataset(folder)
    digits = minor_digits(currency)
    assert ds.company.currency.digits == digits
    for table, columns in ((ds.staff, ["annual_salary"]), (ds.actuals, ["revenue", "cogs", "opex"])):
        for column in columns:
            assert _whole(table[column], digits)
    if currency == "KWD":   # the third decimal is kept, not rounded to cents
        assert not _whole(ds.actuals["revenue"], 2)
    else:                   # 3769746.43 yen is read as 3769746 yen
        assert ds.actuals["revenue"].iloc[0] == 3769746.0


def test_bonus_json_adds_up_in_the_minor_unit(company, capsys):
    folder, currency = company
    digits = minor_digits(currency)
    for period in ("2026Q1", "2026Q3"):
        assert main(["bonus", "--data", str(folder), "--period", period, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        payouts = [a["payout"] for a in data["allocations"]]
        assert data["pool"] > 0 and data["currency"] == currency
        assert _whole(payouts + [data["pool"], data["allocated"], data["unallocated"]], digits)
        units = [round(p * 10**digits) for p in payouts]
        assert sum(units) == round(data["allocated"] * 10**digits)
        assert round(data["allocated"] * 10**digits) + round(data["unallocated"] * 10**digits) == \
            round(data["pool"] * 10**digits)
        if currency == "JPY":
            assert all(isinstance(p, int | float) and float(p).is_integer() for p in payouts)


def test_bonus_text_writes_amounts_in_the_minor_unit(company, capsys):
    folder, currency = company
    assert main(["bonus", "--data", str(folder), "--period", "2026Q1"]) == 0
    out = capsys.readouterr().out
    amounts = re.findall(rf"{currency} (-?[\d,]+(?:\.\d+)?)", out)
    assert amounts
    decimals = {len(a.split(".")[1]) if "." in a else 0 for a in amounts}
    assert decimals == {minor_digits(currency)}, out


def test_statements_and_report_write_the_minor_unit(company, tmp_path, capsys):
    folder, currency = company
    digits = minor_digits(currency)
    result = bonus_for_period(load_dataset(folder), "2026Q1")
    paid = result.allocations[result.allocations["payout"] > 0].iloc[0]
    shown = format_cents(paid["payout"], result.currency)
    assert main(["statements", "--data", str(folder), "--period", "2026Q1", "--out", str(tmp_path / "s")]) == 0
    page = (tmp_path / "s" / "2026Q1" / f"{paid['employee_id']}.html").read_text()
    assert f"You receive {shown}" in page
    assert (".00" not in shown) if digits == 0 else (len(shown.split(".")[1]) == 3)
    assert main(["report", "--data", str(folder), "--period", "2026Q1", "--out", str(tmp_path / "r"),
                 "--quiet", "--draws", "200"]) == 0
    report = (tmp_path / "r" / "2026Q1-owner.html").read_text()
    assert format_cents(result.pool, result.currency) in report
    if digits == 0:
        assert not re.search(r"JPY [\d,]+\.\d", report)
    capsys.readouterr()


def test_workbook_holds_the_minor_unit(company, tmp_path, capsys):
    folder, currency = company
    digits = minor_digits(currency)
    book = tmp_path / "b.xlsx"
    assert main(["bonus", "--data", str(folder), "--period", "2026Q1", "--xlsx", str(book)]) == 0
    capsys.readouterr()
    people = pd.read_excel(book, sheet_name="people")
    people = people[people["employee_id"].notna() & ~people["employee_id"].isin(["Total", CONFIDENTIAL])]
    payouts = people["payout"].to_numpy()
    assert _whole(payouts, digits)
    result = bonus_for_period(load_dataset(folder), "2026Q1")
    assert round(payouts.sum() * 10**digits) == round(result.allocated * 10**digits)
    import openpyxl

    sheet = openpyxl.load_workbook(book)["people"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("payout") + 1).number_format == money_format(currency)
    assert money_format(currency).startswith(f'"{currency}" #,##0' + ("" if digits == 0 else "." + "0" * digits + ";"))


def test_year_adds_up_in_the_minor_unit(company, tmp_path, capsys):
    """The bonus year in JPY and KWD: every amount whole minor units, and section 6.3's sums exact."""
    folder, currency = company
    digits = minor_digits(currency)
    year_folder = tmp_path / "year"
    shutil.copytree(folder, year_folder)
    plan = (year_folder / "plan.yaml").read_text()
    (year_folder / "plan.yaml").write_text(plan + "year: {settle: year_to_date, holdback: 0.2, "
                                           "year_end: {gates: {revenue: 1.0, gop: 1.0}}}\n")
    units = lambda x: round(x * 10**digits)  # noqa: E731
    for fy in ("2025", "2026"):
        assert main(["year", "--data", str(year_folder), "--year", fy, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        amounts = [v for q in data["quarters"] for k, v in q.items() if k != "period"]
        amounts += [p["total"] for p in data["people"]] + [p["year_end"] for p in data["people"]]
        assert _whole(amounts, digits)
        for q in data["quarters"]:
            assert units(q["allocated"]) + units(q["unallocated"]) + units(q["held_back"]) == units(q["pool"])
            assert units(q["held_back"]) == int((Decimal("0.2") * units(q["pool"])).quantize(Decimal(1), ROUND_HALF_UP))
        end = data["year_end"]
        assert units(end["released"]) + units(end["forfeited"]) == units(end["reserve"])
        paid = sum(units(p["total"]) for p in data["people"])
        unallocated = sum(units(q["unallocated"]) for q in data["quarters"]) + units(end["unallocated"])
        assert paid + unallocated + units(end["forfeited"]) == sum(units(q["pool"]) for q in data["quarters"])
    assert main(["bonus", "--data", str(year_folder), "--period", "2026Q4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert _whole([a["payout"] for a in data["allocations"]] + [data["held_back"]], digits)
    assert units(data["allocated"]) + units(data["unallocated"]) + units(data["held_back"]) == units(data["pool"])
