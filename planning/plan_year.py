"""The gates and the bonus year of ``plan.yaml`` (domain section 6), and the blended sharing method.

Parsed with :class:`planning.yaml_files.PlanReader`, so every problem names its key path
(``year.holdback``, ``year.year_end.gates.gop``, ``distribution.method.salary``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planning.errors import quoted
from planning.yaml_files import PlanReader

__all__ = ["Gates", "YearPlan", "SETTLE_METHODS", "MAX_GATE", "parse_gates", "parse_year", "parse_blend",
           "year_to_dict"]

SETTLE_METHODS = ("quarter", "year_to_date")
MAX_GATE = 2.0


@dataclass(frozen=True)
class Gates:
    """Minimum attainments; ``None`` means no gate on that metric. Passing is ``>=``."""

    revenue: float | None = None
    gop: float | None = None


@dataclass(frozen=True)
class YearPlan:
    """The bonus year (``year:`` in ``plan.yaml``, domain section 6).

    ``settle`` is ``quarter`` (each quarter's pool on its own) or ``year_to_date`` (the pool
    earned on the year-to-date figures, less what earlier quarters paid); ``holdback`` is the
    share of each quarter's pool kept to the year end; ``weights`` (payout_curve with
    year_to_date only) split the year's target pool by quarter, ``None`` meaning equal;
    ``year_end_gates`` must hold on the full year's totals for the reserve to be paid.
    """

    settle: str = "quarter"
    holdback: float = 0.0
    weights: tuple[float, float, float, float] | None = None
    year_end_gates: Gates = Gates()

    def weight_to_date(self, quarter: int) -> float:
        """W_k: the sum of the first ``quarter`` weights (``quarter / 4`` with equal weights)."""
        if self.weights is None:
            return quarter / 4
        return math.fsum(self.weights[:quarter])


def parse_gates(r: PlanReader, data: Mapping, path: str) -> Gates:
    g = r.section(data, path, ("revenue", "gop"))
    expect = f"an attainment from 0 to {MAX_GATE:g}, like 0.95 for 95%"
    return Gates(*(r.number(g, name, f"{path}.{name}", low=0, high=MAX_GATE, expect=expect,
                            percent_hint=True) for name in ("revenue", "gop")))


def parse_blend(r: PlanReader, value: Mapping, methods) -> dict[str, float]:
    """``{salary: 0.6, equal: 0.4}``: known methods, fractions from 0 to 1 adding up to 1."""
    blend = {}
    for name in value:
        if name not in methods:
            r.problem(f"distribution.method.{name}", f"unknown method {quoted(name)} in the blend; expected "
                      f"one of: {', '.join(methods)}")
            continue
        number = r.number(value, name, f"distribution.method.{name}", low=0, high=1, percent_hint=True,
                          expect=f"the fraction of the pool shared by {name}, from 0 to 1")
        if number is not None:
            blend[str(name)] = number
    if not value:
        r.problem("distribution.method", "is an empty blend; expected a blend like {salary: 0.6, equal: 0.4}")
    elif len(blend) == len(value) and not math.isclose(math.fsum(blend.values()), 1.0, abs_tol=1e-9):
        r.problem("distribution.method", f"the blend's fractions add up to {math.fsum(blend.values()):g}; "
                  "expected fractions adding up to 1, like {salary: 0.6, equal: 0.4}")
    return blend


def parse_year(r: PlanReader, top: Mapping, pool_method: str) -> YearPlan:
    y = r.section(top, "year", ("settle", "holdback", "weights", "year_end"))
    settle = y.get("settle", "quarter")
    if settle is None:
        settle = "quarter"
    if settle not in SETTLE_METHODS:
        r.problem("year.settle", f"unknown settlement {quoted(settle)}; expected quarter (each quarter on its "
                  "own) or year_to_date (the year so far, less what earlier quarters paid)")
    holdback = r.number(y, "holdback", "year.holdback", low=0, high=1, default=0.0, percent_hint=True,
                        expect="a share from 0 to 1 of each quarter's pool kept to the year end, like 0.2")
    weights = _parse_weights(r, y.get("weights"))
    if weights is not None:
        if pool_method != "payout_curve":
            r.problem("year.weights", f"apply only to pool method payout_curve (they split the year's "
                      f"target pool by quarter), not {pool_method}; expected no year.weights")
        elif settle != "year_to_date":
            r.problem("year.weights", "apply only with year.settle: year_to_date; expected "
                      "settle: year_to_date or no year.weights")
    end = r.section(y, "year.year_end", ("gates",))
    return YearPlan(settle=settle if settle in SETTLE_METHODS else "quarter", holdback=holdback or 0.0,
                    weights=weights, year_end_gates=parse_gates(r, end, "year.year_end.gates"))


def _parse_weights(r: PlanReader, value: Any) -> tuple[float, float, float, float] | None:
    """Four weights of 0 or more, one per quarter, adding up to 1."""
    if value is None:
        return None
    expect = "four weights adding up to 1, one per quarter, like [0.1, 0.2, 0.3, 0.4]"
    if not isinstance(value, list):
        r.problem("year.weights", f"{quoted(value)} is not a list; expected {expect}")
        return None
    if len(value) != 4:
        r.problem("year.weights", f"has {len(value)} weight{'s' if len(value) != 1 else ''}; expected {expect}")
        return None
    indexed = dict(enumerate(value))
    numbers = [r.number(indexed, i, f"year.weights[{i}]", low=0, expect="a weight of 0 or more")
               for i in range(4)]
    if any(n is None for n in numbers):
        return None
    total = math.fsum(numbers)
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        hint = ""
        if math.isclose(total, 100.0, abs_tol=1e-6):
            hint = f"; they look like percentages: write [{', '.join(f'{n / 100:g}' for n in numbers)}]"
        r.problem("year.weights", f"add up to {total:g}; expected {expect}{hint}")
        return None
    return tuple(numbers)


def year_to_dict(year: YearPlan) -> dict:
    """The ``year:`` section as plain YAML-ready data."""
    end = {k: v for k, v in (("revenue", year.year_end_gates.revenue), ("gop", year.year_end_gates.gop))
           if v is not None}
    return {"settle": year.settle, "holdback": year.holdback,
            "weights": list(year.weights) if year.weights is not None else None, "year_end": {"gates": end}}
