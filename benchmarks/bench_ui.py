"""How long from moving a cockpit control to updated outputs?

Run: ``.venv/bin/python benchmarks/bench_ui.py``. Times a control change (``gop_gate`` and
``pool_rate`` alternately, observers firing exactly as in the browser's kernel) in three
depths: the model alone (:func:`planning.ui.evaluate`), the cockpit without charts (model +
tiles + per-person table + explanation) and the cockpit with its charts redrawn (waterfall
and payouts by department as PNG; the heat map only redraws when its tab is open, timed
separately). For the sample company and for 10,000 synthetic staff.
Aim: under 100 ms for the model and under 300 ms with charts at the sample's size.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import write_company  # noqa: E402
from planning import load_dataset  # noqa: E402
from planning.ui import BonusCockpit, evaluate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHANGES = [("gop_gate", 0.95), ("pool_rate", 0.25), ("gop_gate", 1.0), ("pool_rate", 0.30)]


def median_ms(fn, repeat: int) -> float:
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def measure(dataset, repeat: int) -> dict[str, float]:
    settings = BonusCockpit(dataset, charts=False).current_settings()
    variants = [replace(settings, gop_gate=0.95), replace(settings, pool_rate=0.25)]
    model = median_ms(lambda i: evaluate(dataset, variants[i % 2]), repeat)

    def change(cockpit):
        def run(i):
            name, value = CHANGES[i % len(CHANGES)]
            getattr(cockpit, name).value = value
            assert cockpit.result is not None, cockpit.error
        return run

    bare = median_ms(change(BonusCockpit(dataset, charts=False)), repeat)
    charted = BonusCockpit(dataset, charts=True)
    with_charts = median_ms(change(charted), repeat)
    charted.tabs.selected_index = 1
    with_heatmap = median_ms(change(charted), max(3, repeat // 3))
    return {"model": model, "cockpit": bare, "charts": with_charts, "heatmap": with_heatmap}


def report(title: str, people: int, ms: dict[str, float], aims: bool) -> None:
    model_aim, chart_aim = ("   (aim < 100 ms)", "   (aim < 300 ms)") if aims else ("", "")
    print(f"{title}, {people:,} staff: median time from a control change to updated outputs")
    print(f"  model only (evaluate)                     {ms['model']:8.1f} ms{model_aim}")
    print(f"  cockpit, tiles + table, no charts         {ms['cockpit']:8.1f} ms")
    print(f"  cockpit with charts redrawn               {ms['charts']:8.1f} ms{chart_aim}")
    print(f"  ... with the gate heat map tab open       {ms['heatmap']:8.1f} ms")


def main() -> None:
    sample = load_dataset(ROOT / "data")
    report("sample company", len(sample.staff), measure(sample, repeat=21), aims=True)
    with tempfile.TemporaryDirectory() as tmp:
        big = load_dataset(write_company(Path(tmp) / "big", staff=10_000, quarters=8))
        report("synthetic company", len(big.staff), measure(big, repeat=7), aims=False)


if __name__ == "__main__":
    main()
