"""How long does a small command take to start? Against the floor: starting Python with pandas.

Run: ``.venv/bin/python benchmarks/bench_startup.py``. Aim (issue 12): ``planning validate
--data data`` at most 1.3x ``python -c "import pandas"``, medians of interleaved runs of
both commands as fresh processes (so both pay the interpreter's own start-up). ``pnl`` and
``bonus`` on the sample are measured the same way, against the same floor.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import interleaved, python, summary, verdict  # noqa: E402

AIMS = {"validate": 1.3, "pnl": 1.5, "bonus": 1.5}
RUNS = 9


def main() -> int:
    data = str(ROOT / "data")
    period = "2026Q4"
    candidates = {
        "import pandas": python("-c", "import pandas"),
        "validate": python("-m", "planning", "validate", "--data", data),
        "pnl": python("-m", "planning", "pnl", "--data", data, "--period", period),
        "bonus": python("-m", "planning", "bonus", "--data", data, "--period", period),
    }
    times = interleaved(candidates, runs=RUNS)
    floor = times["import pandas"]
    print(f"python -c 'import pandas': {floor * 1000:.0f} ms (median of {RUNS})")
    met = []
    for name, aim in AIMS.items():
        print(f"planning {name} --data data: {times[name] * 1000:.0f} ms")
        met.append(verdict(f"planning {name}", times[name] / floor, aim, baseline="import pandas"))
    return summary(met)


if __name__ == "__main__":
    sys.exit(main())
