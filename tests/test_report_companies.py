"""report over many companies: each into OUT/<its folder's name>/ with its own index, one
pool of workers, everything validated first (a company's problems name its folder)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from planning.reporting.companies import company_datasets, many_companies
from tests.conftest import ROOT, write_dataset


def run(*args):
    return subprocess.run([sys.executable, "-m", "planning", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT)


def _sample(folder):
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("*.xlsx", "books"))
    return folder


def test_a_folder_of_companies_renders_each_into_its_own_folder(tmp_path):
    companies = tmp_path / "companies"
    _sample(companies / "firm-alpha")
    _sample(companies / "firm-omega")
    out = tmp_path / "out"
    done = run("report", "--data", companies, "--period", "2026Q4", "--audience", "staff", "--json", "--out", out)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert [c["company"] for c in answer["companies"]] == ["firm-alpha", "firm-omega"]
    assert {(r["company"], r["period"], r["audience"]) for r in answer["reports"]} == {
        ("firm-alpha", "2026Q4", "staff"), ("firm-omega", "2026Q4", "staff")}
    for name in ("firm-alpha", "firm-omega"):
        assert (out / name / "2026Q4-staff.html").is_file() and (out / name / "index.html").is_file()
    assert not (out / "2026Q4-staff.html").exists()
    # the same inputs give the same page, whichever company folder they sit in (but its name)
    pages = [(out / n / "2026Q4-staff.html").read_text(encoding="utf-8").replace(n, "X") for n in ("firm-alpha", "firm-omega")]
    strip = [p[:p.index("generated (UTC)")] for p in pages]
    assert strip[0] == strip[1]


def test_every_company_is_checked_before_anything_renders(tmp_path):
    good = _sample(tmp_path / "acme")
    bad = write_dataset(tmp_path / "bolt", {"staff.csv": "employee_id,name\n1,Ann\n"})
    out = tmp_path / "out"
    done = run("report", "--data", good, bad, "--period", "2026Q4", "--out", out)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert all(line.startswith("error: bolt/") for line in done.stderr.strip().splitlines())
    assert not out.exists() or not any(out.rglob("*.html"))


def test_company_folders_by_name(tmp_path):
    (tmp_path / "a" / "acme").mkdir(parents=True)
    (tmp_path / "a" / "acme" / "company.yaml").write_text("name: A\n")
    (tmp_path / "b" / "acme").mkdir(parents=True)
    (tmp_path / "b" / "acme" / "company.yaml").write_text("name: B\n")
    assert many_companies([ROOT / "data"]) is None          # one dataset: OUT itself, as before
    assert many_companies([tmp_path / "nothing"]) is None    # the loader's own words for it
    assert [n for n, _ in company_datasets([tmp_path / "a"])] == ["acme"]
    try:
        company_datasets([tmp_path / "a" / "acme", tmp_path / "b" / "acme"])
    except Exception as exc:  # noqa: BLE001 - InputError, checked by its words
        assert "both called 'acme'" in str(exc)
    else:
        raise AssertionError("two companies called acme were accepted")
