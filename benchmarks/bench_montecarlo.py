"""How fast is the Monte Carlo? Medians of interleaved runs (benchmarks/timing.py), one verdict a line.

Run: ``.venv/bin/python benchmarks/bench_montecarlo.py`` (about a minute and a half on 2 cores).

Aims (like with like: both sides one process, one core, the same draws and formulas):
1. The sample company, 1,000,000 draws of its ``base`` scenario for 2027Q1 (six uncertain
   drivers, one correlation), with every person's expected payout, at most 1.5x a
   hand-written numpy computation of the same formulas (the practical floor), giving the
   same expected pool and payouts.
2. The same with 10,000 synthetic staff, at most 2x, and the process's peak resident memory
   under 2 GiB (no draws x staff matrix is ever held).
3. The 1,000,000 draws on a 2-worker Dask LocalCluster give results identical to the single
   process. Its time is printed twice, with the cluster's start-up and shut-down counted and
   on a warm cluster; on 2 shared cores neither is an aim (no speed-up is possible).
For scale only (no aim, a strawman): a per-draw Python loop over the bonus engine, timed on
a few hundred draws and extrapolated to 1,000,000.
"""

from __future__ import annotations

import math
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy import special

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import write_company  # noqa: E402
from benchmarks.timing import check, info, interleaved, summary, verdict  # noqa: E402
from planning import load_dataset  # noqa: E402
from planning.bonus import staff_in_period  # noqa: E402
from planning.montecarlo import BLOCK, _changes, simulate_model  # noqa: E402
from planning.scenarios import (  # noqa: E402
    DRIVERS,
    DriverDistribution,
    build_model,
    default_scenarios,
)
from planning.scenarios.model import run_model  # noqa: E402

DRAWS = 1_000_000
SEED = 2026


def hand_numpy(model, draws: int, seed: int) -> tuple[float, np.ndarray]:
    """The same formulas written straight in numpy over all draws at once.

    Returns (expected pool, expected payout per person). Supports what the benchmark's
    scenarios use: excess_gop_share with cap and self-funding, salary sharing with caps.
    """
    b, plan, scenario = model.baseline, model.plan, model.scenario
    names = [d for d in DRIVERS if d in scenario.uncertainty]
    z = np.empty((len(names), draws))
    for block in range(math.ceil(draws / BLOCK)):
        sl = slice(block * BLOCK, min(draws, (block + 1) * BLOCK))
        for i, name in enumerate(names):
            ss = np.random.SeedSequence(seed, spawn_key=(block, list(DRIVERS).index(name)))
            z[i, sl] = np.random.default_rng(ss).standard_normal(sl.stop - sl.start)
    if model.cholesky is not None:
        z = model.cholesky @ z
    c = {d: scenario.drivers.get(d, 0.0) for d in DRIVERS}
    for i, name in enumerate(names):
        dist = scenario.uncertainty[name]
        if dist.dist == "norm":
            x = dist.params.get("loc", 0.0) + dist.params.get("scale", 1.0) * z[i]
        else:
            f = dist.frozen()
            x = np.where(z[i] < 0, f.ppf(special.ndtr(np.minimum(z[i], 0))), f.isf(special.ndtr(-np.maximum(z[i], 0))))
        c[name] = c[name] + x
        if DRIVERS[name].kind == "relative":     # drawn changes stay within -100%..+1000%
            c[name] = np.clip(c[name], -1.0, 10.0)
    # the driver model, in cents
    r0, g0, x0 = round(b.revenue * 100), round(b.cogs * 100), round(b.opex * 100)
    c0, s0, p0, d0 = round(b.campaign_revenue * 100), round(b.marketing_spend * 100), b.payroll * 100, b.average_deal * 100
    leads = b.leads * np.maximum(0, 1 + c["leads"])
    rate = np.clip(b.lead_to_win + c["lead_to_win"], 0, 1)
    deal = d0 * np.maximum(0, 1 + c["average_deal"])
    revenue = c0 + (leads * rate * deal - b.leads * b.lead_to_win * d0) + (r0 - c0) * np.maximum(0, 1 + c["other_revenue"])
    margin = np.clip(b.gross_margin + c["gross_margin"], min(0, b.gross_margin), 1)
    gross_profit = (r0 - g0) + (revenue * margin - r0 * b.gross_margin)
    other = (x0 - s0 - p0) * np.maximum(0, 1 + c["opex_growth"])
    spend = s0 * np.maximum(0, 1 + c["marketing_spend"])
    payroll = p0 * np.maximum(0, 1 + c["headcount_change"]) * np.maximum(0, 1 + c["salary_change"])
    opex = x0 + (other - (x0 - s0 - p0)) + (spend - s0) + (payroll - p0)
    rev_c = np.floor(revenue + 0.5)
    gop_c = rev_c - np.floor(revenue - gross_profit + 0.5) - np.floor(opex + 0.5)
    # the pool
    rt, gt = model.revenue_target * 100, model.gop_target * 100
    passed = (rev_c / rt >= plan.gates.revenue) & (gop_c / gt >= plan.gates.gop)
    excess = np.maximum(0, gop_c - gt)
    pool = np.where(passed, plan.pool.rate * excess, 0)
    pool = np.minimum(np.minimum(pool, plan.pool.cap * 100), excess)
    pool = np.floor(pool * (1 + 16 * np.finfo(float).eps) + 0.5)
    # water-filling: payout_i = min(w_i lam, cap_i), levels lam from the sorted cap/weight ratios
    people = staff_in_period(model.staff, model.period, plan.distribution, model.salary_factor)
    w, cap = people["weight"].to_numpy(), np.floor(people["cap"].to_numpy() * 100 + 1e-6)
    act = np.flatnonzero(w > 0)
    ratio = cap[act] / w[act]
    order = np.argsort(ratio, kind="stable")
    ratio, wa, ca = ratio[order], w[act][order], cap[act][order]
    capped_sum = np.concatenate([[0], np.cumsum(ca)])
    w_left = np.concatenate([np.cumsum(wa[::-1])[::-1], [0]])
    breaks = capped_sum[:-1] + ratio * w_left[:-1]
    k = np.searchsorted(breaks, pool, side="right")
    lam = np.sort(np.where(w_left[k] > 0, (pool - capped_sum[k]) / np.where(w_left[k] > 0, w_left[k], 1), np.inf))
    prefix = np.concatenate([[0], np.cumsum(np.where(np.isinf(lam), 0, lam))])
    below = np.searchsorted(lam, ratio, side="left")
    payout = np.zeros_like(w)
    payout[act[order]] = (wa * prefix[below] + np.where(draws > below, ca * (draws - below), 0)) / draws / 100
    return round(pool.mean() / 100, 2), payout


def per_draw_loop(model, n: int) -> float:
    """Seconds per draw for a Python loop calling the engine (compute_bonus) once per draw."""
    changes = _changes(model, SEED, 0, n)
    t = time.perf_counter()
    for j in range(n):
        run_model(model, {k: float(v[j]) for k, v in changes.items()})
    return (time.perf_counter() - t) / n


def run(label: str, model, aim: float, loop_draws: int, runs: int) -> list[bool]:
    out = {}

    def mc():
        out["result"] = simulate_model(model, DRAWS, SEED)

    def hand():
        out["hand"] = hand_numpy(model, DRAWS, SEED)

    times = interleaved({"mc": mc, "hand": hand}, runs=runs)
    result, (hand_pool, hand_payout) = out["result"], out["hand"]
    same = hand_pool == result.expected_pool and np.allclose(hand_payout, result.expected_payout.to_numpy(), atol=1e-6)
    print(f"{label}: {len(model.staff):,} staff, {DRAWS:,} draws with per-person expected payouts, "
          f"median of {runs} interleaved runs")
    print(f"  Monte Carlo (planning.simulate_model) {times['mc']:.2f} s ({DRAWS / times['mc']:,.0f} draws/s), "
          f"hand-written numpy {times['hand']:.2f} s")
    print(f"  P(gates pass) {result.p_gates_passed:.3f}, expected pool {result.expected_pool:,.2f}, "
          f"P10/P50/P90 {result.pool_p10:,.0f}/{result.pool_p50:,.0f}/{result.pool_p90:,.0f}")
    met = [verdict(f"  {label}: Monte Carlo, 1M draws", times["mc"] / times["hand"], aim,
                   baseline="the hand-written numpy of the same formulas"),
           check(f"  {label}: same expected pool and payouts as the hand-written numpy", same)]
    info(f"  {label}: per-draw Python loop over compute_bonus, extrapolated to {DRAWS:,} draws "
         f"(a strawman, for scale)", per_draw_loop(model, loop_draws) * DRAWS, f"{loop_draws} draws timed")
    out["met"] = met
    return out


def on_dask(model, single) -> list[bool]:
    from distributed import Client, LocalCluster

    def cluster():
        return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                            silence_logs=50)

    started = time.perf_counter()
    with cluster() as c, Client(c) as client:
        # pure=False: dask would otherwise hand back the first run's results for the repeat
        result = simulate_model(model, DRAWS, SEED, executor=client.get_executor(pure=False))
    cold = time.perf_counter() - started
    with cluster() as c, Client(c) as client:
        executor = client.get_executor(pure=False)
        simulate_model(model, BLOCK, SEED, executor=executor)          # warm the workers
        warm = interleaved({"dask": lambda: simulate_model(model, DRAWS, SEED, executor=executor)},
                           runs=3, warmup=False)["dask"]
    single_time = interleaved({"one": lambda: simulate_model(model, DRAWS, SEED)}, runs=3, warmup=False)["one"]
    print("Dask LocalCluster, 2 worker processes, sample company, 1,000,000 draws")
    info("  with the cluster's start-up and shut-down counted", cold)
    info("  on a warm cluster (median of 3)", warm, f"one process: {single_time:.2f} s")
    identical = result.to_dict() == single.to_dict() and np.array_equal(result.pools, single.pools)
    return [check("  Dask: results identical to the single process", identical)]


def main() -> int:
    started = time.perf_counter()
    sample = load_dataset(Path(__file__).resolve().parents[1] / "data")
    model = build_model(sample, "2027Q1", "base")
    first = run("sample company", model, 1.5, loop_draws=300, runs=5)

    with tempfile.TemporaryDirectory() as tmp:
        big = load_dataset(write_company(Path(tmp) / "big", staff=10_000, quarters=8))
        scenario = replace(default_scenarios().get("base"), uncertainty={
            "other_revenue": DriverDistribution("other_revenue", "norm", {"loc": 0, "scale": 0.06}),
            "gross_margin": DriverDistribution("gross_margin", "triang", {"c": 0.5, "loc": -0.03, "scale": 0.06}),
            "opex_growth": DriverDistribution("opex_growth", "norm", {"loc": 0, "scale": 0.03}),
        })
        big_model = build_model(big, big.reportable_periods[-1], scenario)
        second = run("10,000 synthetic staff", big_model, 2.0, loop_draws=30, runs=3)
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30
    met = first["met"] + second["met"]
    met.append(verdict("  peak resident memory of this process", peak_gib, 2, unit=" GiB"))
    met += on_dask(model, first["result"])
    print(f"(benchmark took {time.perf_counter() - started:.0f} s)")
    return summary(met)


if __name__ == "__main__":
    sys.exit(main())
