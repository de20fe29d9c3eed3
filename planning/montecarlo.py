"""Seeded Monte Carlo of a scenario: how likely is the bonus, how big, and for whom.

Every uncertain driver's change is drawn from its ``scipy.stats`` distribution (through a
Gaussian copula when drivers are correlated), the quarter is projected with the same
formulas as a single scenario (:func:`planning.scenarios.project_arrays`), and the pool and
each person's share follow the bonus engine's rules, vectorised across draws *and* people
(no draws x people matrix: :meth:`planning.bonus.SharingRule.share_sums`).

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
from collections.abc import Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np
import pandas as pd
from tqdm import tqdm

from planning.bonus import SharingRule, cap_cents, pool_arrays, staff_in_period
from planning.dataset import Dataset
from planning.errors import InputError
from planning.money import round_cents, unit_digits
from planning.periods import Period
from planning.plan import Plan, with_overrides
from planning.scenarios import (
    DRIVERS,
    GoalSeekResult,
    Scenario,
    ScenarioModel,
    build_model,
    project_arrays,
)
from planning.scenarios.spec import _MAX_RELATIVE, _is_number

__all__ = [
    "BLOCK",
    "MAX_DRAWS",
    "MonteCarloResult",
    "simulate",
    "simulate_model",
    "rate_for_expected_cost",
    "gate_for_probability",
]

#: Draws per seeded block (the unit of reproducibility; chunks are whole blocks).
BLOCK = 65_536
DEFAULT_CHUNK = 4 * BLOCK
#: Every draw's pool is kept (8 bytes each, for exact percentiles): 50 million is 0.4 GiB.
MAX_DRAWS = 50_000_000
_DRIVER_INDEX = {name: j for j, name in enumerate(DRIVERS)}


# --- what a worker needs ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Spec:
    """The picklable part of a model a worker needs to simulate blocks."""

    model: ScenarioModel
    weights: np.ndarray
    caps: np.ndarray            # in cents, floored as the engine does
    salary_uncertain: bool

    @property
    def rule(self) -> SharingRule:
        return SharingRule.build(self.weights, self.caps)


def _spec(model: ScenarioModel) -> _Spec:
    people = staff_in_period(model.staff, model.period, model.plan.distribution, model.salary_factor)
    caps = cap_cents(people, model.currency)
    # Workers need weights and caps, not the staff table: keep what is pickled small.
    return _Spec(replace(model, staff=model.staff.iloc[:0]), people["weight"].to_numpy(), caps,
                 "salary_change" in model.scenario.uncertainty)


def _changes(model: ScenarioModel, seed: int, block: int, size: int) -> dict[str, np.ndarray]:
    """The drivers' changes for one block: fixed value + a draw from each distribution."""
    changes: dict[str, np.ndarray | float] = dict(model.drivers)
    names = model.uncertain
    if not names:
        return {k: np.full(size, v) for k, v in changes.items()}
    z = np.empty((len(names), size))
    for i, name in enumerate(names):
        stream = np.random.SeedSequence(seed, spawn_key=(block, _DRIVER_INDEX[name]))
        z[i] = np.random.default_rng(stream).standard_normal(size)
    if model.cholesky is not None:
        z = model.cholesky @ z
    for i, name in enumerate(names):
        drawn = changes[name] + model.scenario.uncertainty[name].from_normal(z[i])
        if DRIVERS[name].kind == "relative":
            # The range a fixed change is held to: a heavy tail (pareto, levy, cauchy) cannot
            # take an amount to infinity and overflow the sums.
            drawn = np.clip(drawn, -1.0, _MAX_RELATIVE)
        changes[name] = drawn
    return {k: np.broadcast_to(v, (size,)) for k, v in changes.items()}


@dataclass(frozen=True)
class _Outcomes:
    """Per draw: revenue, GOP (whole cents) and the salary scale relative to the scenario's."""

    revenue: np.ndarray
    gop: np.ndarray
    scale: np.ndarray | None


def _outcomes(spec: _Spec, seed: int, block: int, size: int) -> _Outcomes:
    model = spec.model
    changes = _changes(model, seed, block, size)
    figures = project_arrays(model.baseline, changes)
    scale = None
    if spec.salary_uncertain:   # relative to the fixed salary change the caps were built with
        scale = np.maximum(0.0, 1.0 + changes["salary_change"]) / model.salary_factor
    return _Outcomes(figures["revenue"], figures["gop"], scale)


def _to_share(spec: _Spec, pool_cents: np.ndarray, scale) -> tuple[np.ndarray, np.ndarray | None]:
    """(pools to share, salary scales), with a salary scale of 0 handled as the engine does.

    A draw whose pay cut reaches -100% has every salary at 0: with ``salary`` sharing nobody
    has weight and with an individual cap every cap is 0, so nothing is paid; otherwise
    (``equal`` or ``points`` without caps) salaries do not matter and the pool is shared as
    it is. Scaling by 0 would divide the pool by 0 in :meth:`SharingRule.share_sums`.
    """
    if scale is None or not (scale <= 0).any():
        return pool_cents, scale
    zero = scale <= 0
    distribution = spec.model.plan.distribution
    if distribution.method == "salary" or distribution.individual_cap is not None:
        pool_cents = np.where(zero, 0.0, pool_cents)
    return pool_cents, np.where(zero, 1.0, scale)


def _allocated_cents(spec: _Spec, rule: SharingRule, pool_cents: np.ndarray, scale) -> np.ndarray:
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
        steps = pool_arrays(model.plan, o.revenue, o.gop, model.revenue_target, model.gop_target,
                            model.currency)
        pool_cents = np.round(steps.pool * k)
        share_cents, scale = _to_share(spec, pool_cents, o.scale)
        allocated = _allocated_cents(spec, rule, share_cents, scale)
        excess_cents = np.round(steps.excess_gop * k)
        counts = np.array([steps.revenue_passed.sum(), steps.gop_passed.sum(), steps.gates_passed.sum(),
                           (pool_cents > 0).sum(), (allocated <= excess_cents).sum()], dtype=np.int64)
        # Whole cents as int64 before summing: a float sum of a block loses cents above 2**53.
        cents = np.array([_int_cents(pool_cents).sum(), _int_cents(allocated).sum(),
                          _int_cents(o.revenue * k).sum(), _int_cents(o.gop * k).sum()], dtype=np.int64)
        out.append(_BlockStats(size, counts, cents, rule.share_sums(share_cents, scale), steps.pool))
    return out


# --- the result -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """What the simulation found. Probabilities are shares of draws; money in currency units.

    Attributes
    ----------
    p_revenue_gate, p_gop_gate, p_gates_passed : float
        Probability that each gate, and both, pass.
    p_pays : float
        Probability that the pool is above 0.
    p_self_funding : float
        Probability that what is paid out is no more than GOP above target (the company
        still makes its GOP target after the bonus).
    expected_pool, expected_cost : float
        Mean pool; mean amount paid out (the pool less what nobody can take).
    expected_revenue, expected_gop, expected_gop_after_bonus : float
        Means (GOP after the bonus: GOP less what is paid out), each from exact cent sums.
    pool_p10, pool_p50, pool_p90 : float
        Percentiles of the pool (linear interpolation, rounded to cents).
    expected_payout : Series
        Mean payout per person, indexed by employee_id.
    expected_payout_by_department : Series
    pools : ndarray
        Every draw's pool (for a histogram).
    """

    scenario: str
    period: str
    base_period: str
    currency: str
    draws: int
    seed: int
    p_revenue_gate: float
    p_gop_gate: float
    p_gates_passed: float
    p_pays: float
    p_self_funding: float
    expected_pool: float
    expected_cost: float
    expected_revenue: float
    expected_gop: float
    expected_gop_after_bonus: float
    pool_p10: float
    pool_p50: float
    pool_p90: float
    people: pd.DataFrame = field(repr=False)
    pools: np.ndarray = field(repr=False)

    @property
    def expected_payout(self) -> pd.Series:
        return self.people.set_index("employee_id")["expected_payout"]

    @property
    def expected_payout_by_department(self) -> pd.Series:
        return self.people.groupby("department")["expected_payout"].sum().round(unit_digits(self.currency))

    def to_dict(self) -> dict:
        """The ``simulate --json`` object."""
        return {
            "scenario": self.scenario, "period": self.period, "base_period": self.base_period,
            "currency": self.currency, "draws": self.draws, "seed": self.seed,
            "p_revenue_gate": self.p_revenue_gate, "p_gop_gate": self.p_gop_gate,
            "p_gates_passed": self.p_gates_passed, "p_pays": self.p_pays,
            "p_self_funding": self.p_self_funding,
            "expected_pool": self.expected_pool, "expected_cost": self.expected_cost,
            "expected_revenue": self.expected_revenue, "expected_gop": self.expected_gop,
            "expected_gop_after_bonus": self.expected_gop_after_bonus,
            "pool_p10": self.pool_p10, "pool_p50": self.pool_p50, "pool_p90": self.pool_p90,
            "expected_payout_by_department": {str(k): float(v) for k, v in
                                              self.expected_payout_by_department.items()},
            "expected_payouts": [
                {"employee_id": r.employee_id, "name": r.name, "department": r.department,
                 "expected_payout": round(float(r.expected_payout), unit_digits(self.currency))}
                for r in self.people.itertuples(index=False)
            ],
        }


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
    )


# --- running ----------------------------------------------------------------------------------


def _blocks(draws: int) -> list[tuple[int, int]]:
    n = math.ceil(draws / BLOCK)
    return [(b, min(BLOCK, draws - b * BLOCK)) for b in range(n)]


def _check_run(draws, seed, chunk_size) -> None:
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise InputError.single("--draws", f"{draws!r} is not a number of draws; expected a whole number of 1 or more")
    if draws > MAX_DRAWS:
        raise InputError.single("--draws", f"{draws:,} draws are too many to keep every draw's pool in "
                                f"memory; expected at most {MAX_DRAWS:,}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError.single("--seed", f"{seed!r} is not a seed; expected a whole number of 0 or more")
    if chunk_size is not None and (not isinstance(chunk_size, int | np.integer) or chunk_size < 1):
        raise InputError.single("chunk_size", f"{chunk_size!r} is not a chunk size; expected a whole number of draws above 0")


def simulate_model(model: ScenarioModel, draws: int = 10_000, seed: int = 0,
                   executor: Executor | None = None, chunk_size: int | None = None,
                   progress: bool = False) -> MonteCarloResult:
    """:func:`simulate` for an already built :class:`~planning.scenarios.ScenarioModel`."""
    _check_run(draws, seed, chunk_size)
    spec = _spec(model)
    blocks = _blocks(int(draws))
    per_chunk = max(1, math.ceil((chunk_size or DEFAULT_CHUNK) / BLOCK))
    chunks = [blocks[i:i + per_chunk] for i in range(0, len(blocks), per_chunk)]
    bar = tqdm(total=int(draws), unit="draw", unit_scale=True, disable=not progress,
               desc=f"simulating {model.scenario.name}")
    results: list[list[_BlockStats] | None] = [None] * len(chunks)
    try:
        if executor is None:
            for i, chunk in enumerate(chunks):
                results[i] = _simulate_blocks(spec, int(seed), chunk)
                bar.update(sum(size for _, size in chunk))
        else:
            futures = {executor.submit(_simulate_blocks, spec, int(seed), chunk): i
                       for i, chunk in enumerate(chunks)}
            for future in as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                bar.update(sum(size for _, size in chunks[i]))
    finally:
        bar.close()
    return _combine(model, [s for chunk in results for s in chunk], int(seed))


def simulate(dataset: Dataset, period: str | Period, scenario: str | Scenario = "base",
             draws: int = 10_000, seed: int = 0, plan: Plan | None = None,
             executor: Executor | None = None, chunk_size: int | None = None,
             progress: bool = False) -> MonteCarloResult:
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
    progress : bool
        Show a tqdm progress bar.

    Notes
    -----
    For each draw: change_x = scenario's change_x + X_x with X_x = F_x^-1(Phi(z_x)), z the
    independent standard normals of the block multiplied by the Cholesky factor of the
    drivers' correlation matrix (a Gaussian copula; without correlations the X_x are
    independent). Then revenue and GOP as :func:`~planning.scenarios.project_arrays`, the
    pool as :func:`~planning.bonus.pool_arrays`, the amount paid out as min(pool, sum of
    caps) and each person's expected payout by water-filling
    (:meth:`~planning.bonus.SharingRule.share_sums`), all exact to the engine's cents.
    A distribution with no spread (``{dist: randint, low: 0, high: 1}``) gives exactly the
    deterministic scenario.
    """
    return simulate_model(build_model(dataset, period, scenario, plan), draws, seed, executor,
                          chunk_size, progress)


# --- goal seek over simulated draws -------------------------------------------------------------


def _draw_outcomes(model: ScenarioModel, draws: int, seed: int) -> tuple[_Spec, _Outcomes]:
    _check_run(draws, seed, None)
    spec = _spec(model)
    parts = [_outcomes(spec, int(seed), b, size) for b, size in _blocks(int(draws))]
    scale = None if parts[0].scale is None else np.concatenate([p.scale for p in parts])
    return spec, _Outcomes(np.concatenate([p.revenue for p in parts]),
                           np.concatenate([p.gop for p in parts]), scale)


def rate_for_expected_cost(dataset: Dataset, period: str | Period, cost: float,
                           scenario: str | Scenario = "base", draws: int = 20_000, seed: int = 0,
                           plan: Plan | None = None) -> GoalSeekResult:
    """The pool rate (or, for ``payout_curve``, the target pool) whose expected cost is ``cost``.

    Notes
    -----
    Expected cost E[min(pool(rate), caps)] over one fixed set of simulated draws (common
    random numbers, so it is a non-decreasing function of the rate) is solved for the
    rate with ``scipy.optimize.brentq`` on [0, 1] (target pool: [0, 100 x cost]). Floors,
    caps and self-funding can make a cost unreachable; then ``found`` is False.
    """
    model = build_model(dataset, period, scenario, plan)
    if not _is_number(cost) or not cost > 0:
        raise InputError.single("--cost", f"{cost!r} is not an amount above 0; expected the expected bonus cost to aim for")
    spec, o = _draw_outcomes(model, draws, seed)
    rule = spec.rule
    key = "pool.target_pool" if model.plan.pool.method == "payout_curve" else "pool.rate"
    high = 100.0 * cost if key == "pool.target_pool" else 1.0

    scale = 10 ** unit_digits(model.currency)

    def expected(x: float) -> float:
        p = with_overrides(model.plan, {key: x})
        pools = np.round(pool_arrays(p, o.revenue, o.gop, model.revenue_target, model.gop_target,
                                     model.currency).pool * scale)
        return float(_allocated_cents(spec, rule, *_to_share(spec, pools, o.scale)).mean() / scale)

    lo_cost, hi_cost = expected(0.0), expected(high)
    if not lo_cost <= cost <= hi_cost:
        return GoalSeekResult("expected_cost", key, False, None, None, None, None,
                              f"expected cost ranges from {lo_cost:,.2f} to {hi_cost:,.2f} over "
                              f"{key} from 0 to {high:g}; {cost:,.2f} cannot be reached")
    from scipy import optimize  # scipy loads on first use, not with `import planning`

    x = optimize.brentq(lambda v: expected(v) - cost, 0.0, high, xtol=1e-10)
    achieved = expected(x)
    return GoalSeekResult("expected_cost", key, True, float(x), float(x),
                          getattr(model.plan.pool, key.split(".")[1]), achieved,
                          f"{key} {x:.6g} gives an expected cost of {achieved:,.2f} over {draws:,} draws")


def gate_for_probability(dataset: Dataset, period: str | Period, probability: float,
                         gate: str = "gop", scenario: str | Scenario = "base", draws: int = 20_000,
                         seed: int = 0, plan: Plan | None = None) -> GoalSeekResult:
    """The highest gate level at which the bonus pays with at least ``probability``.

    Notes
    -----
    Over one fixed set of draws, the bonus pays at gate level g when the other gates pass,
    the pool without this gate is above 0 and the gated attainment a >= g. P(pays | g) is
    a non-increasing step function of g, so the answer is exact: with m = ceil(p x draws),
    g* is the m-th largest attainment among the draws that pay without the gate.
    """
    if gate not in ("revenue", "gop"):
        raise InputError.single("--gate", f"unknown gate {gate!r}; expected revenue or gop")
    if not _is_number(probability) or not 0 < probability <= 1:
        raise InputError.single("--probability", f"{probability!r} is out of range; expected a probability above 0 and at most 1")
    model = build_model(dataset, period, scenario, plan)
    _, o = _draw_outcomes(model, draws, seed)
    open_plan = with_overrides(model.plan, {f"gates.{gate}": None})
    open_pool = pool_arrays(open_plan, o.revenue, o.gop, model.revenue_target, model.gop_target,
                            model.currency).pool
    attainment = (o.revenue / model.revenue_target) if gate == "revenue" else (o.gop / model.gop_target)
    candidates = np.sort(attainment[open_pool > 0])[::-1]
    needed = math.ceil(probability * len(attainment) - 1e-9)
    current = getattr(model.plan.gates, gate)
    if needed > len(candidates):
        return GoalSeekResult("probability", f"gates.{gate}", False, None, None, current,
                              len(candidates) / len(attainment),
                              f"even without a {gate} gate the bonus pays in only "
                              f"{len(candidates) / len(attainment):.1%} of draws")
    level = float(candidates[needed - 1])
    achieved = float(((attainment >= level) & (open_pool > 0)).mean())
    return GoalSeekResult("probability", f"gates.{gate}", True, level, level, current, achieved,
                          f"a {gate} gate of {level:.4%} pays in {achieved:.1%} of {draws:,} draws")
