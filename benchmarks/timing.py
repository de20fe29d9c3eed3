"""The one timing harness every benchmark uses: medians of interleaved runs, and a verdict line.

Interleaving (a, b, a, b, ...) lets the thing measured and its baseline see the same machine
load, so their ratio is honest on a busy machine even when the absolute times are not.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence


def interleaved(candidates: dict[str, Callable[[], object]], runs: int = 5,
                warmup: bool = True) -> dict[str, float]:
    """Median wall seconds of each candidate, run in turn ``runs`` times (after one warm-up)."""
    if warmup:
        for fn in candidates.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(runs):
        for name, fn in candidates.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def command(*args: str, env: dict[str, str] | None = None) -> Callable[[], None]:
    """A callable running one command line to completion (output discarded; failure raises)."""
    def run() -> None:
        subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env)
    return run


def python(*args: str) -> Callable[[], None]:
    """A callable running this interpreter with ``args`` (``python("-m", "planning", ...)``)."""
    return command(sys.executable, *args)


def verdict(what: str, value: float, aim: float, unit: str = "x", baseline: str = "") -> bool:
    """Print one line: the figure, its aim (at most), and whether it is met. Returns met."""
    met = value <= aim
    against = f" against {baseline}" if baseline else ""
    print(f"{what}{against}: {value:.2f}{unit} (aim at most {aim:g}{unit}) "
          f"{'MET' if met else 'NOT MET'}")
    return met


def check(what: str, ok: bool, detail: str = "") -> bool:
    """Print one line for a yes/no aim (results identical, same expected pool...). Returns ok."""
    print(f"{what}: {detail + ' ' if detail else ''}{'MET' if ok else 'NOT MET'}")
    return ok


def info(what: str, seconds: float, note: str = "") -> None:
    """Print one figure that has no aim (for scale only), saying so."""
    print(f"{what}: {seconds:.2f} s (no aim{'; ' + note if note else ''})")


def summary(results: Sequence[bool]) -> int:
    """The closing line of a benchmark and its exit status (0 when every aim is met)."""
    met = sum(results)
    print(f"{met} of {len(results)} aims met")
    return 0 if met == len(results) else 1
