"""How fast is the bonus engine? Prints figures as ratios to reading the same CSVs with pandas.

Run: ``.venv/bin/python benchmarks/bench_bonus.py``. Aim: one period for 10,000 staff well
under 50 ms.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import write_company  # noqa: E402
from planning import bonus_for_period, load_dataset  # noqa: E402


def best_of(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_company(Path(tmp) / "big", staff=10_000, quarters=40)
        read = best_of(lambda: [pd.read_csv(folder / f) for f in ("staff.csv", "actuals.csv", "targets.csv")])
        load = best_of(lambda: load_dataset(folder), repeat=3)
        ds = load_dataset(folder)
        periods = ds.reportable_periods
        one = best_of(lambda: bonus_for_period(ds, periods[-1]))
        every = best_of(lambda: [bonus_for_period(ds, p) for p in periods], repeat=3)
    print("bonus engine, 10,000 staff")
    print(f"  pandas read_csv of the 3 CSVs (baseline) {read * 1e3:8.1f} ms")
    print(f"  load_dataset incl. full validation       {load * 1e3:8.1f} ms   {load / read:5.1f}x baseline")
    print(f"  one period's bonus                       {one * 1e3:8.1f} ms   {one / read:5.2f}x baseline   (aim < 50 ms)")
    print(f"  all {len(periods)} quarters                          {every * 1e3:8.1f} ms   {every / read:5.2f}x baseline"
          f"   ({every / len(periods) * 1e3:.1f} ms a quarter)")


if __name__ == "__main__":
    main()
