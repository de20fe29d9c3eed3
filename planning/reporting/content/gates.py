"""How far the company was from each gate, and what would have closed a missed one.

Shared by the report's gates section and the personal statements.
"""

from __future__ import annotations

from dataclasses import dataclass

from planning.bonus_result import BonusResult, GateCheck
from planning.money import format_money, format_percent

__all__ = ["GateDistance", "gate_distances"]


@dataclass(frozen=True)
class GateDistance:
    """How far the company was from one gate, and what would have closed the gap."""

    gate: GateCheck
    name: str            # "revenue" or "GOP"
    needed: float        # amount the gate asks for: threshold x target
    margin: float        # actual - needed (negative when missed), currency
    closing: tuple[str, ...]  # plain sentences


def gate_distances(result: BonusResult, gross_margin: float) -> list[GateDistance]:
    """Each gate's distance in currency and, for a missed gate, what would close it.

    Notes
    -----
    needed = threshold x target; margin = actual - needed. For a missed GOP gate with
    gap G: G less operating cost, or G / gross margin more revenue at the quarter's gross
    margin (costs of goods growing with revenue). For a missed revenue gate with gap R:
    R more revenue, which at the quarter's gross margin would also add R x margin to GOP.
    """
    cur = result.currency
    m = lambda x: format_money(x, cur)  # noqa: E731
    out = []
    for gate in result.gates:
        needed = gate.threshold * gate.target
        margin = gate.actual - needed
        closing: list[str] = []
        if not gate.passed:
            gap = gate.gap_amount
            if gate.metric == "gop":
                closing.append(f"GOP needed {m(gap)} more to reach the gate.")
                if gross_margin > 0:
                    closing.append(f"That is {m(gap)} less operating cost, or about {m(gap / gross_margin)} more "
                                   f"revenue at this quarter's gross margin of {format_percent(gross_margin)}, "
                                   "or a mix of the two.")
                else:
                    closing.append(f"That is {m(gap)} less operating or direct cost; at this quarter's gross "
                                   "margin more revenue alone would not close it.")
            else:
                closing.append(f"Revenue needed {m(gap)} more to reach the gate.")
                if gross_margin > 0:
                    closing.append(f"At this quarter's gross margin of {format_percent(gross_margin)} that revenue would "
                                   f"also have added about {m(gap * gross_margin)} to GOP.")
        out.append(GateDistance(gate, gate.name, needed, margin, tuple(closing)))
    return out
