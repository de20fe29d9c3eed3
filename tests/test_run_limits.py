"""One source for the Monte Carlo's seed and draws limits: the direct run and the report
check them with the same function (planning.montecarlo.seed_and_draws_problems); a report
is only held to fewer draws (MAX_REPORT_DRAWS, a named constant beside MAX_DRAWS)."""

from __future__ import annotations

import numpy as np
import pytest

from planning import InputError
from planning.cli import main
from planning.montecarlo import (
    MAX_DRAWS,
    MAX_REPORT_DRAWS,
    MAX_SEED,
    seed_and_draws_problems,
    simulate,
)
from planning.reporting.defaults import report_seed_and_draws_problems
from planning.reporting.runner.jobs import plan_reports


def messages(problems):
    return [(p.file, p.message) for p in problems]


def test_the_limits_are_a_64_bit_seed_and_the_reports_fewer_draws():
    assert MAX_SEED == 2**63 - 1
    assert MAX_REPORT_DRAWS == 10_000_000 < MAX_DRAWS == 50_000_000


@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1, 2**64, True, 2.0, "3", None])
def test_a_bad_seed_is_refused_by_both_with_the_same_words(seed):
    direct, report = seed_and_draws_problems(seed, 100), report_seed_and_draws_problems(seed, 100)
    assert messages(direct) == messages(report) == [
        ("--seed", f"{seed!r} is not a seed; expected a whole number from 0 to 2**63-1")]


@pytest.mark.parametrize("seed", [0, 1, 20260101, MAX_SEED])
def test_a_good_seed_passes_both(seed):
    assert seed_and_draws_problems(seed, 1) == report_seed_and_draws_problems(seed, 1) == []


@pytest.mark.parametrize("draws", [0, -5, 2.5, True, "100", None])
def test_bad_draws_are_refused_by_both_with_the_same_words_but_their_own_limit(draws):
    assert messages(seed_and_draws_problems(0, draws)) == [
        ("--draws", f"{draws!r} is not a number of draws; expected a whole number from 1 to 50,000,000")]
    assert messages(report_seed_and_draws_problems(0, draws)) == [
        ("--draws", f"{draws!r} is not a number of draws; expected a whole number from 1 to 10,000,000")]


def test_the_report_is_held_to_fewer_draws_than_a_direct_run():
    assert seed_and_draws_problems(0, MAX_REPORT_DRAWS + 1) == []
    assert report_seed_and_draws_problems(0, MAX_REPORT_DRAWS) == []
    assert messages(report_seed_and_draws_problems(0, MAX_REPORT_DRAWS + 1)) == [
        ("--draws", "10,000,001 draws are too many to keep every draw's pool in memory; expected at most 10,000,000")]
    assert seed_and_draws_problems(0, MAX_DRAWS) == []
    assert messages(seed_and_draws_problems(0, MAX_DRAWS + 1)) == [
        ("--draws", "50,000,001 draws are too many to keep every draw's pool in memory; expected at most 50,000,000")]


def test_a_numpy_integer_runs_directly_but_a_reports_parameter_is_a_python_int():
    assert seed_and_draws_problems(np.int64(7), np.int32(9)) == []
    assert [p.file for p in report_seed_and_draws_problems(np.int64(7), np.int32(9))] == ["--draws", "--seed"]


def test_both_are_reported_at_once():
    assert [p.file for p in seed_and_draws_problems(-1, 0)] == ["--draws", "--seed"]


def test_simulate_refuses_a_seed_the_report_refuses(tiny):
    with pytest.raises(InputError) as err:
        simulate(tiny, "2026Q1", draws=10, seed=MAX_SEED + 1)
    assert messages(err.value.problems) == [
        ("--seed", f"{MAX_SEED + 1!r} is not a seed; expected a whole number from 0 to 2**63-1")]


def test_plan_reports_refuses_before_loading_anything(tmp_path):
    with pytest.raises(InputError) as err:
        plan_reports(tmp_path / "no such folder", seed=MAX_SEED + 1, draws=MAX_REPORT_DRAWS + 1)
    assert [p.file for p in err.value.problems] == ["--draws", "--seed"]


def test_the_commands_print_one_line_and_exit_2(tmp_path, capsys):
    assert main(["simulate", "--data", "data", "--period", "2026Q3", "--seed", str(2**63)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --seed: {2**63} is not a seed; expected a whole number from 0 to 2**63-1\n"
    out = tmp_path / "reports"
    assert main(["report", "--data", "data", "--all", "--out", str(out), "--draws", str(MAX_REPORT_DRAWS + 1)]) == 2
    assert "--draws: 10,000,001 draws are too many" in capsys.readouterr().err
    assert not out.exists()
