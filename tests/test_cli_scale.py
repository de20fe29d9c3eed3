"""simulate --workers / --scheduler: the same numbers wherever the draws run, and bad
addresses or worker counts as one line, exit 2."""

from __future__ import annotations

import json
import logging

import pytest

from planning.cli import main
from tests.conftest import ROOT

pytest.importorskip("distributed")

DATA = str(ROOT / "data")
ARGS = ["simulate", "--period", "2027Q1", "--draws", "140000", "--seed", "7", "--json", "--data", DATA]


def _run(capsys, *extra):
    status = main([*ARGS, *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def test_simulate_on_a_scheduler_and_on_local_workers_matches_this_process(capsys, scheduler):
    status, here, _ = _run(capsys)
    assert status == 0
    status, remote, _ = _run(capsys, "--scheduler", scheduler)
    assert status == 0 and remote == here
    status, local, _ = _run(capsys, "--workers", "1")
    assert status == 0 and local == here
    assert json.loads(here)["draws"] == 140000


def test_bad_worker_count_and_unreachable_scheduler_are_one_line_exit_2(capsys, monkeypatch):
    status, out, err = _run(capsys, "--workers", "0")
    assert status == 2 and json.loads(out)["problems"][0]["file"] == "--workers"
    monkeypatch.setattr("planning.executors.CONNECT_TIMEOUT", 1)
    status, out, err = _run(capsys, "--scheduler", "tcp://127.0.0.1:9")
    problem = json.loads(out)["problems"][0]
    assert status == 2 and problem["file"] == "--scheduler" and "cannot reach" in problem["message"]
    assert "Traceback" not in err


def test_workers_and_scheduler_are_one_or_the_other(capsys):
    status, out, _ = _run(capsys, "--workers", "2", "--scheduler", "tcp://127.0.0.1:9")
    assert status == 2 and "not allowed with" in json.loads(out)["problems"][0]["message"]
