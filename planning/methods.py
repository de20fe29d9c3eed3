"""The plan's methods as registries: one entry per pool method, sharing method and pool limit.

Each entry holds everything about its method in one place: the ``plan.yaml`` keys it needs
(read by the plan parser), its array formula (the engine and the Monte Carlo), its words
(the explanations, reports and statements) and its cockpit label. To add a pool method, add
one :class:`PoolMethod` to :data:`POOL_METHODS` (and its tests); a sharing method is one
:class:`SharingMethod` in :data:`SHARING_METHODS`; a limit on the pool is one
:class:`PoolLimit` in :data:`POOL_LIMITS`, which the engine applies in order.

This module is pure (numpy only) and below :mod:`planning.plan`: entries take the plan's
``Pool`` or ``Distribution`` as they come, so the parser can import the registries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from planning.money import format_percent

__all__ = [
    "ATTAINMENT_NOISE",
    "snap_attainment",
    "curve_multiple",
    "blended_attainment",
    "REQUIRED_KEY_EXPECT",
    "PoolFigures",
    "PoolMethod",
    "POOL_METHODS",
    "SharingMethod",
    "SHARING_METHODS",
    "PoolLimit",
    "POOL_LIMITS",
    "pool_limit",
    "pool_method",
    "sharing_method",
]

#: Relative float noise of an attainment computed from cent amounts. 27,331,513.96 /
#: 34,164,392.45 is exactly 80%, but 0.7999999999999999 in binary; an attainment this close
#: to a gate or a curve point counts as being at it (the same tolerance as
#: :func:`~planning.money.round_cents_array` uses for half cents).
ATTAINMENT_NOISE = 16 * np.finfo(float).eps


def snap_attainment(attainment, marks) -> np.ndarray:
    """``attainment`` with values within float noise of one of ``marks`` set to that mark.

    >>> float(snap_attainment(27331513.96 / 34164392.45, [0.8]))
    0.8
    """
    a = np.asarray(attainment, dtype=float)
    for mark in marks:
        if mark is not None:
            a = np.where(np.abs(a - mark) <= ATTAINMENT_NOISE * abs(mark), float(mark), a)
    return a


def curve_multiple(attainment, curve) -> np.ndarray:
    """The payout curve's multiple at ``attainment`` (vectorised).

    0 below the first point's attainment, the last point's multiple above the last point,
    linear in between. An attainment within float noise of a point counts as at the point.

    >>> curve_multiple([0.8, 0.9, 0.95, 1.3], [[0.9, 0.5], [1.0, 1.0], [1.2, 1.5]]).round(4).tolist()
    [0.0, 0.5, 0.75, 1.5]
    """
    xs = np.array([p[0] for p in curve], dtype=float)
    ys = np.array([p[1] for p in curve], dtype=float)
    a = snap_attainment(attainment, xs)
    return np.where(a < xs[0], 0.0, np.interp(a, xs, ys))


def blended_attainment(metric: dict[str, float], revenue_attainment, gop_attainment) -> np.ndarray:
    """The weighted mean of the named attainments."""
    parts = {"revenue": np.asarray(revenue_attainment, float), "gop": np.asarray(gop_attainment, float)}
    total = sum(metric.values())
    return sum(parts[name] * weight for name, weight in metric.items()) / total


#: What a required ``pool.*`` or ``distribution.*`` key expects, for "is required" problems.
REQUIRED_KEY_EXPECT = {
    "rate": "a share from 0 to 1, like 0.30",
    "target_pool": "an amount above 0",
    "curve": "a list of [attainment, multiple] points",
    "points": "a mapping of role to points, like {default: 1, Manager: 2}",
}


# --- pool methods ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolFigures:
    """The arrays a pool formula reads (one value per result or Monte Carlo draw)."""

    revenue_attainment: np.ndarray
    gop_attainment: np.ndarray
    gop: np.ndarray
    excess_gop: np.ndarray   # max(0, GOP - gop_target), rounded to cents


@dataclass(frozen=True)
class PoolMethod:
    """One way to size the pool (domain section 4.1, step 2).

    Attributes
    ----------
    name : str
        The ``pool.method`` value.
    label : str
        The cockpit's name for it.
    required : tuple of str
        ``pool.*`` keys the method needs (the parser refuses a plan without them).
    size_key : str
        The dotted key that scales the pool proportionally (goal seek on the expected cost).
    raw : callable
        ``raw(pool, figures) -> array``: the pool before any limit.
    explain : callable
        ``explain(pool, money, excess_gop, raw_pool) -> str``: the sentence saying how the
        raw pool was set (``money`` formats an amount).
    basis : str
        What becomes the pool, for the report's "how to read" paragraph.
    """

    name: str
    label: str
    required: tuple[str, ...]
    size_key: str
    raw: Callable[[Any, PoolFigures], np.ndarray]
    explain: Callable[[Any, Callable[[float], str], float, float], str]
    basis: str


POOL_METHODS: Mapping[str, PoolMethod] = {m.name: m for m in (
    PoolMethod(
        "excess_gop_share", "Share of GOP above target", ("rate",), "pool.rate",
        raw=lambda pool, f: pool.rate * f.excess_gop,
        explain=lambda pool, m, excess, raw: (f"GOP above target was {m(excess)}; the plan shares "
                                              f"{format_percent(pool.rate)} of it: {m(raw)}."),
        basis="part of the profit it made above its GOP target"),
    PoolMethod(
        "gop_share", "Share of all GOP", ("rate",), "pool.rate",
        raw=lambda pool, f: pool.rate * np.maximum(0.0, f.gop),
        explain=lambda pool, m, excess, raw: f"The plan shares {format_percent(pool.rate)} of GOP: {m(raw)}.",
        basis="a share of its GOP"),
    PoolMethod(
        "payout_curve", "Payout curve", ("target_pool", "curve"), "pool.target_pool",
        raw=lambda pool, f: pool.target_pool * curve_multiple(
            blended_attainment(pool.metric, f.revenue_attainment, f.gop_attainment), pool.curve),
        explain=lambda pool, m, excess, raw: (f"On the payout curve the target pool of {m(pool.target_pool)} "
                                              f"becomes {m(raw)}."),
        basis="an amount set by the plan's payout curve"),
)}


def pool_method(pool) -> PoolMethod:
    """The registry entry of a plan's ``Pool``."""
    return POOL_METHODS[pool.method]


# --- pool limits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolLimit:
    """One limit on the pool once the gates pass (domain section 4.1, step 3).

    ``apply(pool, amount, figures, passed) -> array`` limits ``amount`` (the pool after the
    limits before it); ``words`` finishes "Then ... from X to Y." when it changed the pool;
    ``table_label`` names that change in the report's pool table and ``chart_label`` its bar
    in the pool waterfall.
    """

    name: str
    apply: Callable[[Any, np.ndarray, PoolFigures, np.ndarray], np.ndarray]
    words: str
    table_label: str
    chart_label: str


#: Applied in this order; the engine records each one that changed the pool.
POOL_LIMITS: tuple[PoolLimit, ...] = (
    PoolLimit("floor", lambda pool, x, f, passed: np.where(passed, np.maximum(x, pool.floor), 0.0),
              "the plan's minimum pool raised it", "Minimum pool (floor) raised it", "Floor"),
    PoolLimit("cap", lambda pool, x, f, passed: np.minimum(x, pool.cap) if pool.cap is not None else x,
              "the plan's pool cap limited it", "Pool cap limited it", "Pool cap"),
    PoolLimit("self_funding", lambda pool, x, f, passed: np.minimum(x, f.excess_gop) if pool.self_funding else x,
              "self-funding (never more than GOP above target) limited it",
              "Self-funding (never more than GOP above target) limited it", "Self-funding"),
)


# --- sharing methods ------------------------------------------------------------------------


@dataclass(frozen=True)
class SharingMethod:
    """One way to weigh people for sharing the pool (domain section 4.2).

    Attributes
    ----------
    name : str
        The ``distribution.method`` value.
    label : str
        The cockpit's name for it; ``menu_order`` places it in the cockpit's list.
    required : tuple of str
        ``distribution.*`` keys the method needs.
    base : callable
        ``base(distribution, staff, salary) -> array``: each person's weight before FTE,
        tenure and department weights (``salary``: annual salaries, pay rises applied).
        Returns None for a role the plan gives no weight (a plan error).
    follows_salary : bool
        The weights scale with salaries (a simulated pay rise changes the shares).
    rule : str
        "The pool is shared ..." (the sharing rule's words).
    weight_part : str
        The base's name in "Your weight is ... x FTE x share of the quarter".
    person_base : callable
        ``person_base(person, money) -> str``: one person's base, for the explanation.
    statement_base : callable
        ``statement_base(person, whole) -> (label, value)``: the statement's first input row
        (``whole`` writes an amount in whole currency units).
    """

    name: str
    label: str
    menu_order: int
    required: tuple[str, ...]
    base: Callable[[Any, Any, np.ndarray], np.ndarray | None]
    follows_salary: bool
    rule: str
    weight_part: str
    person_base: Callable[[Any, Callable[..., str]], str]
    statement_base: Callable[[Any, Callable[..., str]], tuple[str, str]]


def _points_base(distribution, staff, salary):
    points = staff["role"].map(distribution.points_for)
    return None if points.isna().any() else points.to_numpy(dtype=float)


SHARING_METHODS: Mapping[str, SharingMethod] = {m.name: m for m in (
    SharingMethod(
        "equal", "Equal per person", 1, (),
        base=lambda d, staff, salary: np.ones(len(staff)), follows_salary=False,
        rule="equally per person", weight_part="one share",
        person_base=lambda person, m: "1 share",
        statement_base=lambda person, m: ("Shares per person", "1")),
    SharingMethod(
        "salary", "By salary", 0, (),
        base=lambda d, staff, salary: salary, follows_salary=True,
        rule="in proportion to salary", weight_part="salary",
        person_base=lambda person, m: f"salary {m(person['base'])}",
        statement_base=lambda person, whole: ("Salary (full-time, per year)", whole(person["base"]))),
    SharingMethod(
        "points", "By role points", 2, ("points",),
        base=_points_base, follows_salary=False,
        rule="by points per role", weight_part="role points",
        person_base=lambda person, m: f"{person['base']:g} points for role {person['role']}",
        statement_base=lambda person, m: (f"Points for the role {person['role']}", f"{person['base']:g}")),
)}


def pool_limit(name: str) -> PoolLimit:
    """The registry entry of a limit that changed a pool (``Limit.name``)."""
    return next(limit for limit in POOL_LIMITS if limit.name == name)


def sharing_method(distribution) -> SharingMethod:
    """The registry entry of a plan's ``Distribution`` (a blend's entry is made from its parts)."""
    if distribution.method == "blended":
        return blended_method(distribution.blend)
    return SHARING_METHODS[distribution.method]


def blended_method(blend: Mapping[str, float]) -> SharingMethod:
    """A blend of registry entries (``{salary: 0.6, equal: 0.4}``, domain section 4.2).

    Its ``base`` is None: a blended weight is sum over methods of fraction x weight_m /
    (everyone's weight_m), which needs the eligible weights (:func:`planning.bonus.staff_in_period`).
    """
    parts = ", ".join(f"{fraction * 100:.0f}% {SHARING_METHODS[m].rule}" for m, fraction in blend.items())
    return SharingMethod(
        "blended", "Blended", 3, tuple(k for m in blend for k in SHARING_METHODS[m].required),
        base=lambda d, staff, salary: None, follows_salary=any(SHARING_METHODS[m].follows_salary for m in blend),
        rule=f"by a blend: {parts}", weight_part="your blended share of everyone's weights",
        person_base=lambda person, m: "the blend",
        statement_base=lambda person, m: ("How the pool is shared", parts))
