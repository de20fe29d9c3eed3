"""How fast is the bonus year? One fiscal year of 10,000 staff against four single quarters.

Run: ``.venv/bin/python benchmarks/bench_year.py``. Aim: the year (four quarters settled on
the year to date with a holdback, and the year end shared over the year) in under 0.5 s. The
baseline is four single-quarter settlements (:func:`planning.compute_bonus`) of the same
quarters in the same run; medians of interleaved runs, so both see the same machine load.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import write_company  # noqa: E402
from planning import compute_bonus, load_dataset, period_result  # noqa: E402
from planning.plan import with_overrides  # noqa: E402
from planning.year import settle_year  # noqa: E402

AIM_SECONDS = 0.5
RUNS = 7


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_company(Path(tmp) / "big", staff=10_000, quarters=8)
        ds = load_dataset(folder)
    fiscal_year = ds.reportable_periods[-1].year
    quarters = list(fiscal_year.quarters)
    results = [period_result(ds, q) for q in quarters]
    plan = with_overrides(ds.plan, {"year": {"settle": "year_to_date", "holdback": 0.2,
                                             "year_end": {"gates": {"revenue": 0.9, "gop": 0.9}}},
                                    "distribution.individual_cap": 0.1})
    currency = ds.company.currency

    def year():
        return settle_year(results, ds.staff, fiscal_year, plan, currency=currency)

    def four_quarters():
        return [compute_bonus(r, ds.staff, q, plan, currency=currency) for r, q in zip(results, quarters, strict=True)]

    year(), four_quarters()   # warm up (imports, caches)
    year_times, quarter_times = [], []
    for _ in range(RUNS):     # interleaved, so both see the same load
        t = time.perf_counter()
        four_quarters()
        quarter_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        result = year()
        year_times.append(time.perf_counter() - t)
    y, q = statistics.median(year_times), statistics.median(quarter_times)
    end = result.year_end
    print(f"bonus year {fiscal_year}, {len(ds.staff):,} staff (median of {RUNS} interleaved runs)")
    print(f"  four single-quarter settlements (baseline) {q * 1e3:8.1f} ms")
    print(f"  the year: 4 quarters + the year end        {y * 1e3:8.1f} ms   {y / q:5.2f}x baseline")
    print(f"  aim: the year under {AIM_SECONDS:.1f} s: {'met' if y < AIM_SECONDS else 'NOT met'}")
    print(f"  (pools {', '.join(f'{x.pool:,.2f}' for x in result.quarters)}; reserve {end.reserve:,.2f} "
          f"{'released' if end.gates_passed else 'forfeited'})")


if __name__ == "__main__":
    main()
