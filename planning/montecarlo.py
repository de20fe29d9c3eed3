"""Seeded Monte Carlo of a scenario: how likely is the bonus, how big, and for whom.

Every uncertain driver's change is drawn from its ``scipy.stats`` distribution (through a
Gaussian copula when drivers are correlated), the quarter is projected with the same
formulas as a single scenario (:func:`planning.scenarios.project_arrays`), and the pool and
each person's share follow the bonus engine's rules, vectorised across draws *and* people
(no draws x people matrix: :meth:`planning.sharing.SharingRule.share_sums`).

Reproducibility. Draws are generated in fixed blocks of :data:`BLOCK` draws. Block b's
normals for driver j (j its row in the driver table) come from
``SeedSequence(seed, spawn_key=(b, j))``, which is
``SeedSequence(seed).spawn(n_blocks)[b].spawn(n_drivers)[j]``. Blocks are grouped into
chunks for an executor, and every block's statistics are combined in block order, so the
result depends only on the seed, the number of draws and the scenario: not on
``chunk_size``, the executor or how many workers it has.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from planning.bonus import pool_arrays, staff_in_period
from planning.dataset import Dataset
from planning.errors import InputError, Problem
from planning.money import round_cents, unit_digits
from planning.montecarlo_result import MonteCarloResult
from planning.periods import Period
from planning.plan import Plan
from planning.scenarios import (
    DRIVERS,
    Scenario,
    ScenarioModel,
    build_model,
    project_arrays,
)
from planning.scenarios.spec import MAX_RELATIVE
from planning.sharing import SharingRule, cap_cents
from planning.year.outlook import (
    YearDraws,
    YearRules,
    combine_year,
    planned_draws,
    simulate_year_blocks,
    year_rules,
    zero_salary,
)

__all__ = [
    "BLOCK",
    "MAX_DRAWS",
    "MAX_REPORT_DRAWS",
    "MAX_SEED",
    "seed_and_draws_problems",
    "simulate",
    "simulate_model",
    "draw_outcomes",
    "allocated_cents",
    "to_share",
]

#: Draws per seeded block (the unit of reproducibility; chunks are whole blocks).
BLOCK = 65_536
DEFAULT_CHUNK = 4 * BLOCK
#: Every draw's pool is kept (8 bytes each, for exact percentiles): 50 million is 0.4 GiB.
MAX_DRAWS = 50_000_000
#: A report's Monte Carlo runs inside each job's notebook, several jobs at once: a report is
#: held to fewer draws than a direct run (``planning report --draws``).
MAX_REPORT_DRAWS = 10_000_000
#: The largest seed: a seed is a whole number from 0 to 2**63-1 (a signed 64-bit integer).
MAX_SEED = 2**63 - 1
_DRIVER_INDEX = {name: j for j, name in enumerate(DRIVERS)}


# --- what a worker needs ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Spec:
    """The picklable part of a model a worker needs to simulate blocks."""

    model: ScenarioModel
    weights: np.ndarray
    caps: np.ndarray            # in cents, floored as the engine does
    salary_uncertain: bool
    year: YearRules | None = None   # with a ``year:`` plan: the rest of the year's sharing rules

    @property
    def rule(self) -> SharingRule:
        return SharingRule.build(self.weights, self.caps)


def _spec(model: ScenarioModel) -> _Spec:
    people = staff_in_period(model.staff, model.period, model.plan.distribution, model.salary_factor)
    caps = cap_cents(people, model.currency)
    # Workers need weights and caps, not the staff table: keep what is pickled small.
    year = None if model.year is None else year_rules(model.year, model.staff, model.period, model.plan,
                                                      model.salary_factor, model.currency)
    return _Spec(replace(model, staff=model.staff.iloc[:0]), people["weight"].to_numpy(), caps,
                 "salary_change" in model.scenario.uncertainty, year)


def _changes(model: ScenarioModel, seed: int, block: int, size: int, later: int = 0) -> dict[str, np.ndarray]:
    """The drivers' changes for one block: fixed value + a draw from each distribution
    (``later`` > 0: the ``later``-th quarter after the planned one, streams ``(block, j, later)``)."""
    changes: dict[str, np.ndarray | float] = dict(model.drivers)
    names = model.uncertain
    if not names:
        return {k: np.full(size, v) for k, v in changes.items()}
    z = np.empty((len(names), size))
    for i, name in enumerate(names):
        key = (block, _DRIVER_INDEX[name]) + ((later,) if later else ())
        stream = np.random.SeedSequence(seed, spawn_key=key)
        z[i] = np.random.default_rng(stream).standard_normal(size)
    if model.cholesky is not None:
        z = model.cholesky @ z
    for i, name in enumerate(names):
        drawn = changes[name] + model.scenario.uncertainty[name].from_normal(z[i])
        if DRIVERS[name].kind == "relative":
            # The range a fixed change is held to: a heavy tail (pareto, levy, cauchy) cannot
            # take an amount to infinity and overflow the sums.
            drawn = np.clip(drawn, -1.0, MAX_RELATIVE)
        changes[name] = drawn
    return {k: np.broadcast_to(v, (size,)) for k, v in changes.items()}


@dataclass(frozen=True)
class _Outcomes:
    """Per draw: revenue, GOP (whole cents) and the salary scale relative to the scenario's."""

    revenue: np.ndarray
    gop: np.ndarray
    scale: np.ndarray | None


def _outcomes(spec: _Spec, seed: int, block: int, size: int, later: int = 0) -> _Outcomes:
    model = spec.model
    changes = _changes(model, seed, block, size, later)
    figures = project_arrays(model.baseline, changes)
    scale = None
    if spec.salary_uncertain:   # relative to the fixed salary change the caps were built with
        scale = np.maximum(0.0, 1.0 + changes["salary_change"]) / model.salary_factor
    return _Outcomes(figures["revenue"], figures["gop"], scale)


def to_share(spec: _Spec, pool_cents: np.ndarray, scale) -> tuple[np.ndarray, np.ndarray | None]:
    """(pools to share, salary scales), with a salary scale of 0 handled as the engine does.

    A draw whose pay cut reaches -100% has every salary at 0: with ``salary`` sharing nobody
    has weight and with an individual cap every cap is 0, so nothing is paid; otherwise
    (``equal`` or ``points`` without caps) salaries do not matter and the pool is shared as
    it is. Scaling by 0 would divide the pool by 0 in :meth:`SharingRule.share_sums`.
    """
    return zero_salary(spec.model.plan, pool_cents, scale)


def allocated_cents(spec: _Spec, rule: SharingRule, pool_cents: np.ndarray, scale) -> np.ndarray:
    """What is paid out of each pool: min(pool, the caps' total), as the engine does."""
    if rule.total_weight <= 0:
        return np.zeros_like(pool_cents)
    if scale is None:
        return np.round(np.minimum(pool_cents, rule.total_cap))
    return np.floor(np.minimum(pool_cents, scale * rule.total_cap) + 0.5)


@dataclass(frozen=True)
class _BlockStats:
    draws: int
    counts: np.ndarray          # revenue gate, GOP gate, both, pays, self-funding
    cents: np.ndarray           # int64 sums: pool, cost, revenue, GOP
    payout_sums: np.ndarray     # per person, cents
    pools: np.ndarray           # currency units, one per draw
    year: YearDraws | None = None


def _int_cents(cents: np.ndarray) -> np.ndarray:
    """Amounts already in whole cents (floats) as int64 (``np.round`` only removes binary noise)."""
    return np.round(cents).astype(np.int64)


def _simulate_blocks(spec: _Spec, seed: int, blocks: Sequence[tuple[int, int]]) -> list[_BlockStats]:
    """Simulate the blocks ``(index, size)``; runs in a worker."""
    model, rule = spec.model, spec.rule
    k = 10 ** unit_digits(model.currency)   # minor units ("cents") per currency unit
    out = []
    for block, size in blocks:
        o = _outcomes(spec, seed, block, size)
        year = None
        if model.year is None:
            steps = pool_arrays(model.plan, o.revenue, o.gop, model.revenue_target, model.gop_target,
                                model.currency)
            pool_cents = np.round(steps.pool * k)
            share_cents, scale = to_share(spec, pool_cents, o.scale)
        else:   # quarter k after the actual year so far: P_k, less what is held back, is shared now
            quarter = planned_draws(model.year, model.plan, o.revenue, o.gop, model.revenue_target,
                                    model.gop_target, model.currency)
            steps, pool_cents = quarter.steps, quarter.pool
            share_cents, scale = to_share(spec, quarter.shared, o.scale)

            def later(i, block=block, size=size):
                drawn = _outcomes(spec, seed, block, size, later=i + 1)
                return drawn.revenue, drawn.gop, drawn.scale

            year = simulate_year_blocks(model.year, spec.year, model.plan, (quarter, o.revenue, o.gop, o.scale),
                                        (model.revenue_target, model.gop_target), later, model.currency)
        allocated = allocated_cents(spec, rule, share_cents, scale)
        excess_cents = np.round(steps.excess_gop * k)
        counts = np.array([steps.revenue_passed.sum(), steps.gop_passed.sum(), steps.gates_passed.sum(),
                           (pool_cents > 0).sum(), (allocated <= excess_cents).sum()], dtype=np.int64)
        # Whole cents as int64 before summing: a float sum of a block loses cents above 2**53.
        cents = np.array([_int_cents(pool_cents).sum(), _int_cents(allocated).sum(),
                          _int_cents(o.revenue * k).sum(), _int_cents(o.gop * k).sum()], dtype=np.int64)
        out.append(_BlockStats(size, counts, cents, rule.share_sums(share_cents, scale),
                               steps.pool if year is None else pool_cents / k, year))
    return out


# --- combining the blocks ------------------------------------------------------------------


def _mean(total_cents, draws: int, unit) -> float:
    """A mean of whole-cent amounts from their exact integer sum, rounded to cents half up."""
    return round_cents(Decimal(int(total_cents)) / draws / 10 ** unit_digits(unit), unit)


def _combine(model: ScenarioModel, stats: list[_BlockStats], seed: int) -> MonteCarloResult:
    draws = sum(s.draws for s in stats)
    counts = np.sum([s.counts for s in stats], axis=0)
    cents = np.sum([s.cents for s in stats], axis=0)      # int64: exact
    unit = model.currency
    payouts = np.sum([s.payout_sums for s in stats], axis=0) / draws / 10 ** unit_digits(unit)
    pools = np.concatenate([s.pools for s in stats])
    p10, p50, p90 = np.percentile(pools, [10, 50, 90])
    people = staff_in_period(model.staff, model.period, model.plan.distribution, model.salary_factor)
    people = people[["employee_id", "name", "department", "eligible"]].assign(expected_payout=payouts)
    p = counts / draws
    return MonteCarloResult(
        scenario=model.scenario.name, period=str(model.period), base_period=model.baseline.period,
        currency=model.currency, draws=draws, seed=seed,
        p_revenue_gate=float(p[0]), p_gop_gate=float(p[1]), p_gates_passed=float(p[2]),
        p_pays=float(p[3]), p_self_funding=float(p[4]),
        expected_pool=_mean(cents[0], draws, unit), expected_cost=_mean(cents[1], draws, unit),
        expected_revenue=_mean(cents[2], draws, unit), expected_gop=_mean(cents[3], draws, unit),
        # From the exact sums, not the difference of two rounded means (a cent off at times).
        expected_gop_after_bonus=_mean(cents[3] - cents[1], draws, unit),
        pool_p10=round_cents(p10, unit), pool_p50=round_cents(p50, unit), pool_p90=round_cents(p90, unit),
        people=people.reset_index(drop=True), pools=pools,
        year=None if model.year is None else combine_year(
            model.year, [s.year for s in stats], people, model.plan, unit, _mean),
    )


# --- running ----------------------------------------------------------------------------------


def _blocks(draws: int) -> list[tuple[int, int]]:
    n = math.ceil(draws / BLOCK)
    return [(b, min(BLOCK, draws - b * BLOCK)) for b in range(n)]


def _whole(value, exact: bool) -> bool:
    if exact:
        return type(value) is int
    return not isinstance(value, bool) and isinstance(value, int | np.integer)


def seed_and_draws_problems(seed, draws, max_draws: int = MAX_DRAWS, exact: bool = False) -> list[Problem]:
    """The one check of a Monte Carlo's ``--seed`` and ``--draws``, for a direct run and a report.

    Parameters
    ----------
    seed, draws
        The values to check: whole numbers, the seed from 0 to :data:`MAX_SEED`, the draws
        from 1 to ``max_draws``.
    max_draws : int
        :data:`MAX_DRAWS` for a direct run, :data:`MAX_REPORT_DRAWS` for a report.
    exact : bool
        Accept only a Python ``int`` (a report's parameters are written into its notebook),
        not a NumPy integer too.

    Returns
    -------
    list of Problem
        One problem against ``--draws`` and one against ``--seed`` when they are wrong.
    """
    problems = []
    if not _whole(draws, exact) or draws < 1:
        problems.append(Problem("--draws", None, None,
                                f"{draws!r} is not a number of draws; expected a whole number from 1 to {max_draws:,}"))
    elif draws > max_draws:
        problems.append(Problem("--draws", None, None, f"{draws:,} draws are too many to keep every draw's pool "
                                f"in memory; expected at most {max_draws:,}"))
    if not _whole(seed, exact) or not 0 <= seed <= MAX_SEED:
        problems.append(Problem("--seed", None, None, f"{seed!r} is not a seed; expected a whole number from 0 to 2**63-1"))
    return problems


def _check_run(draws, seed, chunk_size) -> None:
    problems = seed_and_draws_problems(seed, draws)
    if problems:
        raise InputError(problems[:1])
    if chunk_size is not None and (not isinstance(chunk_size, int | np.integer) or chunk_size < 1):
        raise InputError.single("chunk_size", f"{chunk_size!r} is not a chunk size; expected a whole number of draws above 0")


def simulate_model(model: ScenarioModel, draws: int = 10_000, seed: int = 0,
                   executor: Executor | None = None, chunk_size: int | None = None,
                   progress: Callable[[int, int], None] | None = None) -> MonteCarloResult:
    """:func:`simulate` for an already built :class:`~planning.scenarios.ScenarioModel`."""
    _check_run(draws, seed, chunk_size)
    spec = _spec(model)
    blocks = _blocks(int(draws))
    per_chunk = max(1, math.ceil((chunk_size or DEFAULT_CHUNK) / BLOCK))
    chunks = [blocks[i:i + per_chunk] for i in range(0, len(blocks), per_chunk)]
    results: list[list[_BlockStats] | None] = [None] * len(chunks)
    done = 0

    def finished(i: int) -> None:
        nonlocal done
        done += sum(size for _, size in chunks[i])
        if progress is not None:
            progress(done, int(draws))

    if executor is None:
        for i, chunk in enumerate(chunks):
            results[i] = _simulate_blocks(spec, int(seed), chunk)
            finished(i)
    else:
        futures = {executor.submit(_simulate_blocks, spec, int(seed), chunk): i
                   for i, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            finished(i)
    return _combine(model, [s for chunk in results for s in chunk], int(seed))


def simulate(dataset: Dataset, period: str | Period, scenario: str | Scenario = "base",
             draws: int = 10_000, seed: int = 0, plan: Plan | None = None,
             executor: Executor | None = None, chunk_size: int | None = None,
             progress: Callable[[int, int], None] | None = None) -> MonteCarloResult:
    """Monte Carlo of a scenario's quarter: gate probabilities, pool percentiles, payouts.

    Parameters
    ----------
    dataset : Dataset
    period : str or Period
        The quarter being planned (as :func:`planning.scenarios.run_scenario`).
    scenario : str or Scenario
        Its ``uncertainty`` gives each uncertain driver's distribution; drivers without one
        stay at the scenario's value.
    draws : int
    seed : int
        The same seed, draws and scenario give the same result, number for number.
    plan : Plan, optional
        Instead of the dataset's plan (the scenario's plan overrides apply on top).
    executor : concurrent.futures.Executor, optional
        Run chunks on it (``ProcessPoolExecutor``, a Dask ``Client.get_executor()``, ...).
        The result is identical to running without one.
    chunk_size : int, optional
        Draws per task (rounded up to whole blocks of :data:`BLOCK`); default 4 blocks.
    progress : callable, optional
        ``progress(done, total)`` after each chunk of draws (the model draws no bar itself;
        the CLI's ``--progress`` passes one that moves a tqdm bar).

    Notes
    -----
    For each draw: change_x = scenario's change_x + X_x with X_x = F_x^-1(Phi(z_x)), z the
    independent standard normals of the block multiplied by the Cholesky factor of the
    drivers' correlation matrix (a Gaussian copula; without correlations the X_x are
    independent). Then revenue and GOP as :func:`~planning.scenarios.project_arrays`, the
    pool as :func:`~planning.bonus.pool_arrays`, the amount paid out as min(pool, sum of
    caps) and each person's expected payout by water-filling
    (:meth:`~planning.sharing.SharingRule.share_sums`), all exact to the engine's cents.
    A distribution with no spread (``{dist: randint, low: 0, high: 1}``) gives exactly the
    deterministic scenario.
    """
    return simulate_model(build_model(dataset, period, scenario, plan), draws, seed, executor,
                          chunk_size, progress)


# --- the draws the goal seeks of planning.montecarlo_goals share ------------------------------


def draw_outcomes(model: ScenarioModel, draws: int, seed: int) -> tuple[_Spec, _Outcomes]:
    _check_run(draws, seed, None)
    spec = _spec(model)
    parts = [_outcomes(spec, int(seed), b, size) for b, size in _blocks(int(draws))]
    scale = None if parts[0].scale is None else np.concatenate([p.scale for p in parts])
    return spec, _Outcomes(np.concatenate([p.revenue for p in parts]),
                           np.concatenate([p.gop for p in parts]), scale)
