"""What the cockpit says in words (pure: no widgets): the pool against the plan as written,
the limit that makes a change make no difference, and typed percentages understood the way
an owner writes them."""

from __future__ import annotations

import math
import re

from planning.bonus import BonusResult
from planning.money import format_money

__all__ = ["FRACTION_UP_TO", "parse_percent", "pool_against_plan", "binding_limit"]

FRACTION_UP_TO = 2.0
"""A typed number without ``%`` up to this is a fraction (0.95 is 95%, 1.4 is 140%); above it,
a number of per cent (95 is 95%)."""

_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(%?)\s*$")


def parse_percent(text: str) -> tuple[float, str]:
    """A percentage typed as ``95%``, ``95`` or ``0.95``, and what was understood.

    Returns
    -------
    (float, str)
        The fraction (0.95) and a sentence such as ``understood "95" as 95%``.

    Raises
    ------
    ValueError
        With a message saying what to type, for text that is not a number or per cent.
    """
    match = _NUMBER.match(str(text))
    if not match:
        raise ValueError(f'"{str(text).strip()}" is not a percentage; type it like 95%, 95 or 0.95')
    number = float(match.group(1))
    per_cent = bool(match.group(2)) or number > FRACTION_UP_TO
    fraction = number / 100 if per_cent else number
    if not math.isfinite(fraction) or fraction < 0:
        raise ValueError(f'"{str(text).strip()}" is below 0%; type a percentage of 0 or more')
    shown = f"{fraction * 100:.4f}".rstrip("0").rstrip(".") + "%"
    how = "" if per_cent or number == 0 else " (a number up to 2 without % is a fraction; type 1.5% for 1.5%)"
    return round(fraction, 6), f'understood "{str(text).strip()}" as {shown}{how}'


def pool_against_plan(result: BonusResult, planned: BonusResult | None) -> str:
    """``AUD 45,000: unchanged from the plan`` or ``AUD 43,418: AUD 1,582 less than the plan``.

    Amounts are whole currency units; a difference under one unit is "unchanged".
    """
    cur = result.currency
    now = format_money(result.pool, cur)
    if planned is None:
        return now
    difference = round(result.pool - planned.pool, 2)
    if abs(difference) < 0.5:
        return f"{now}: unchanged from the plan"
    word = "more" if difference > 0 else "less"
    return f"{now}: {format_money(abs(difference), cur)} {word} than the plan ({format_money(planned.pool, cur)})"


def binding_limit(result: BonusResult) -> str | None:
    """Why a change to a gate, rate or target may leave the pool where it is, in words.

    ``None`` when nothing holds the pool: no limit bit and every gate passed.
    """
    cur = result.currency
    if not result.gates_passed:
        missed = " and ".join(f"the {g.name} gate" for g in result.failed_gates)
        return f"{missed[0].upper()}{missed[1:]} is missed, so the pool is 0 whatever the rate or the cap."
    names = {"cap": "the pool cap", "floor": "the floor (the smallest pool the plan pays)",
             "self_funding": "self-funding (never more than the GOP above target)"}
    if not result.limits:
        return None
    last = result.limits[-1]
    return (f"{names[last.name][0].upper()}{names[last.name][1:]} binds: the plan's rate gives "
            f"{format_money(result.raw_pool, cur)}, the pool is {format_money(result.pool, cur)}; "
            f"a change that only moves the raw pool changes nothing while it binds.")
