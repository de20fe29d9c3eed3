"""The sample company's books (data/books/) reproduce data/actuals.csv exactly, from either file."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from planning import load_dataset
from planning.books import import_books
from planning.cli import main
from tests.conftest import ROOT, SAMPLE

BOOKS = {"xero": SAMPLE / "books" / "xero-account-transactions.csv",
         "beancount": SAMPLE / "books" / "bluegum.beancount"}


@pytest.fixture
def empty_company(tmp_path):
    into = tmp_path / "bluegum"
    into.mkdir()
    for name in ("company.yaml", "accounts.yaml"):
        shutil.copy(SAMPLE / name, into / name)
    return into


@pytest.mark.parametrize("source", sorted(BOOKS))
def test_importing_the_sample_books_reproduces_actuals_csv_exactly(empty_company, source):
    result = import_books(source, BOOKS[source], empty_company)
    assert (empty_company / "actuals.csv").read_bytes() == (SAMPLE / "actuals.csv").read_bytes()
    assert [c.period for c in result.books.checks] == [f"{y}Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)]
    assert all(c.reconciled and c.imported == c.source for c in result.books.checks)
    excluded = {a.account.code for a in result.books.accounts if a.line == "excluded"}
    assert excluded == {"1010", "1100", "2100", "2200", "2300", "2400", "3100", "4900", "9100"}
    drawings = [a for a in result.books.accounts if "rawings" in a.account.name]
    assert len(drawings) == 1 and drawings[0].line == "excluded" and drawings[0].debit > 0


def test_the_xero_sample_checks_its_own_total_lines(empty_company):
    result = import_books("xero", BOOKS["xero"], empty_company)
    assert result.totals_checked == 24          # 23 accounts and the grand total


@pytest.mark.parametrize("source", sorted(BOOKS))
def test_importing_into_the_sample_dataset_changes_nothing(sample_copy, source, capsys):
    before = (sample_copy / "actuals.csv").stat().st_mtime_ns
    assert main(["import", "--from", source, str(BOOKS[source]), "--into", str(sample_copy)]) == 0
    out = capsys.readouterr().out
    quarters = ", ".join(f"{y}Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4))
    assert f"unchanged: {quarters}\n" in out and "nothing written" in out and out.count("yes, to the cent") == 8
    assert (sample_copy / "actuals.csv").stat().st_mtime_ns == before


def test_the_generator_is_deterministic(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_sample_books", ROOT / "scripts" / "make_sample_books.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shutil.copy(SAMPLE / "actuals.csv", tmp_path / "actuals.csv")
    monkeypatch.setattr(module, "DATA", tmp_path)
    module.main()
    for name in ("books/bluegum.beancount", "books/xero-account-transactions.csv", "accounts.yaml"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_the_sample_dataset_still_validates_with_its_books(capsys):
    dataset = load_dataset(SAMPLE)
    assert "accounts.yaml" not in dataset.sources        # the mapping is not an input of the reports
    assert main(["validate", "--data", str(SAMPLE)]) == 0
    assert "accounts: 8 rules for `planning import`, 5 departments" in capsys.readouterr().out


def test_validate_reports_a_broken_accounts_yaml(sample_copy, capsys):
    text = (sample_copy / "accounts.yaml").read_text().replace("line: cogs", "line: costs")
    (sample_copy / "accounts.yaml").write_text(text)
    assert main(["validate", "--data", str(sample_copy)]) == 2
    assert "error: accounts.yaml, key accounts[4].line: 'costs' is not a line" in capsys.readouterr().err


def test_the_getting_started_tour_imports_the_sample_books():
    from planning.ui.tour import books_demo

    for source in sorted(BOOKS):
        text = books_demo(SAMPLE, source)
        assert text.endswith("The imported actuals.csv is the same as actuals.csv, byte for byte.")
        assert text.count("yes, to the cent") == 8
    assert "has no accounts.yaml" in books_demo(ROOT / "tests")
