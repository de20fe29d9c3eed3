"""Hostile and careless input files: each refused in seconds, in bounded memory, in one clear
line (issue 11, classes 4 to 6)."""

from __future__ import annotations

import os
import time

import pytest

from planning import InputError, load_dataset
from planning.input_limits import MAX_TABLE_BYTES, MAX_YAML_BYTES
from planning.plan import load_plan
from planning.yaml_files import read_yaml
from tests.conftest import write_dataset

STAFF_HEADER = "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible"
STAFF_ROWS = [STAFF_HEADER.split(","),
              ["A1", "Ann", "Sales", "Manager", 100000, 1, "2020-01-01", None, "true"],
              ["A2", "Bob", "Sales", "Associate", 50000, 0.5, "2020-01-01", None, "true"]]


def refusal(path, seconds: float = 10.0) -> list[str]:
    started = time.perf_counter()
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert time.perf_counter() - started < seconds
    return [str(p) for p in exc.value.problems]


# --- YAML -----------------------------------------------------------------------------------


def test_deeply_nested_yaml_is_one_line(tmp_path):
    folder = write_dataset(tmp_path / "d", {"plan.yaml": "pool: " + "[" * 5000 + "]" * 5000 + "\n"})
    lines = refusal(folder)
    assert len(lines) == 1 and lines[0].startswith("plan.yaml, line 1: nests more than 50 levels deep")


def test_deep_block_yaml_is_one_line(tmp_path):
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x: 1\n"
    folder = write_dataset(tmp_path / "d", {"scenarios.yaml": text})
    lines = refusal(folder)
    assert any("scenarios.yaml, line" in line and "nests more than 50 levels" in line for line in lines)


def test_billion_laughs_is_refused_in_seconds(tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    text = "\n".join(lines) + "\n"
    (tmp_path / "plan.yaml").write_text(text)
    started = time.perf_counter()
    with pytest.raises(InputError) as exc:
        load_plan(tmp_path / "plan.yaml")
    assert time.perf_counter() - started < 5
    (line,) = [str(p) for p in exc.value.problems]
    assert "expands to more than 200,000 values through its aliases" in line and line.startswith("plan.yaml, line")


def test_ordinary_anchors_still_work(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("base: &b {rate: 0.3, method: gop_share}\npool:\n  <<: *b\n  rate: 0.2\n")
    assert read_yaml(path)["pool"] == {"rate": 0.2, "method": "gop_share"}


def test_a_yaml_file_over_the_limit_is_refused_unread(tmp_path):
    folder = write_dataset(tmp_path / "d")
    with open(folder / "plan.yaml", "ab") as fh:
        fh.truncate(MAX_YAML_BYTES + 1)   # sparse: nothing to read, the size alone refuses it
    lines = refusal(folder, 3)
    assert any(line.startswith("plan.yaml: is 1 MB; the limit is 1 MB") or
               line.startswith("plan.yaml: is ") and "the limit is 1 MB" in line for line in lines)


# --- what is at the path --------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", ["staff.csv", "plan.yaml", "company.yaml", "scenarios.yaml"])
def test_a_named_pipe_is_refused_without_blocking(tmp_path, name):
    folder = write_dataset(tmp_path / "d")
    (folder / name).unlink(missing_ok=True)
    os.mkfifo(folder / name)
    lines = refusal(folder, 5)
    assert f"{name}: cannot be read: it is a named pipe, not a file" in "\n".join(lines)


@pytest.mark.timeout(30)
def test_a_device_as_the_plan_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"^/dev/zero: cannot be read: it is a device"):
            read_yaml(__import__("pathlib").Path("/dev/zero"), "/dev/zero")
    from planning.cli import main

    assert main(["bonus", "--data", str(write_dataset(tmp_path / "d")), "--period", "2026Q1",
                 "--plan", "/dev/zero"]) == 2


def test_a_csv_over_the_size_limit_is_refused_unread(tmp_path):
    folder = write_dataset(tmp_path / "d")
    with open(folder / "funnel.csv", "ab") as fh:
        fh.truncate(MAX_TABLE_BYTES + 1)
    lines = refusal(folder, 3)
    assert any(line.startswith("funnel.csv: is ") and "the limit is 20 MB" in line for line in lines)
