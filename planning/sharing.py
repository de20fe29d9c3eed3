"""Sharing a pool to the cent: water-filling with individual caps, and the cent tie-break.

Sharing with individual caps is *water-filling*: every eligible person gets
``min(weight_i * lam, cap_i)`` where the level ``lam`` makes the payouts add up to the pool.
This is exactly the result of the contract's iteration (cap the over-cap people, share the
rest again by weight, repeat) but is computed in one sort, without a loop per person.
:class:`SharingRule` is vectorised over arrays of pools, for the Monte Carlo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planning.money import Unit, largest_remainder, unit_digits

__all__ = ["SharingRule", "SharedPool", "share_cents", "cap_cents", "employee_id_order"]


def cap_cents(people: pd.DataFrame, unit: Unit = 2) -> np.ndarray:
    """Each person's cap in whole minor units, floored so no one is paid above a cap (inf: no cap).

    ``people`` is a :func:`staff_in_period` frame; ``unit`` the currency's minor unit. The
    1e-6 cent absorbs float noise (a cap of 0.29 is 28.999999999999996 cents before
    flooring, and stays 29).
    """
    return np.floor(people["cap"].to_numpy() * 10 ** unit_digits(unit) + 1e-6)



@dataclass(frozen=True, eq=False)
class SharingRule:
    """Water-filling of a pool over fixed weights and caps, precomputed for many pools.

    ``payouts(P) = min(weight * lam(P), cap)`` with ``sum(payouts) = min(P, sum(cap))``.
    Built once per staff set; every method is vectorised over an array of pools.
    """

    weights: np.ndarray
    caps: np.ndarray
    _order: np.ndarray = field(repr=False)
    _ratio: np.ndarray = field(repr=False)        # cap/weight, sorted ascending
    _breaks: np.ndarray = field(repr=False)       # pool at which the k-th sorted person is capped
    _capped_sum: np.ndarray = field(repr=False)   # caps of the first k sorted people
    _weight_left: np.ndarray = field(repr=False)  # weight of the people after the first k

    @classmethod
    def build(cls, weights, caps) -> SharingRule:
        w = np.asarray(weights, dtype=float)
        # Weights only matter relative to each other. A weight near the smallest float (or
        # 1e-300 of the largest) would overflow cap/weight and the level to inf and so
        # ignore the caps: rescale to the largest and lift such weights to 1e-290 of it.
        positive = w > 0
        if positive.any():
            w_max = w.max()
            if w_max < 1e-150 or w[positive].min() < w_max * 1e-290:
                w = np.where(positive, np.maximum(w / w_max, 1e-290), 0.0)
        c = np.where(w > 0, np.asarray(caps, dtype=float), 0.0)
        active = np.flatnonzero(w > 0)
        with np.errstate(over="ignore"):
            ratio = c[active] / w[active]
        order = active[np.argsort(ratio, kind="stable")]
        ratio = np.sort(ratio, kind="stable")
        capped_sum = np.concatenate([[0.0], np.cumsum(c[order])])
        # Suffix sums (not total - prefix) so tiny weights are not lost to cancellation.
        weight_left = np.concatenate([np.cumsum(w[order][::-1])[::-1], [0.0]])
        with np.errstate(invalid="ignore", over="ignore"):
            breaks = capped_sum[:-1] + ratio * weight_left[:-1]   # F(ratio_k)
        breaks = np.where(np.isinf(ratio), np.inf, breaks)
        return cls(w, c, order, ratio, breaks, capped_sum, weight_left)

    @property
    def total_weight(self) -> float:
        return float(self.weights.sum())

    @property
    def total_cap(self) -> float:
        return float(self.caps.sum())

    def level(self, pools) -> np.ndarray:
        """The water level ``lam`` for each pool (inf once everyone is capped)."""
        pools = np.asarray(pools, dtype=float)
        k = np.searchsorted(self._breaks, pools, side="right")  # people capped
        left = self._weight_left[k]
        # A weight left near the smallest float can overflow the division to inf (no warning).
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            lam = np.where(left > 0, (pools - self._capped_sum[k]) / np.where(left > 0, left, 1), np.inf)
        if self._ratio.size:
            # The level is at least the ratio of the last person capped; pool - capped_sum
            # can cancel below it when the weight left is tiny.
            last_capped = self._ratio[np.maximum(k - 1, 0)]
            lam = np.where(k > 0, np.maximum(lam, last_capped), lam)
        return lam

    def allocated(self, pools) -> np.ndarray:
        """What the people can take of each pool: ``min(P, total cap)``, 0 without weight."""
        pools = np.asarray(pools, dtype=float)
        if self.total_weight <= 0:
            return np.zeros_like(pools)
        return np.minimum(pools, self.total_cap)

    def shares(self, pool: float) -> np.ndarray:
        """Exact (unrounded) payouts of one pool."""
        if self.total_weight <= 0:
            return np.zeros_like(self.weights)
        lam = float(self.level(np.array([pool]))[0])
        with np.errstate(invalid="ignore"):
            out = np.minimum(self.weights * lam, self.caps)
        return np.where(self.weights > 0, out, 0.0)

    def expected_shares(self, pools) -> np.ndarray:
        """Mean payout per person over many pools, without a pools x people matrix.

        For person i with ratio r_i = cap_i / weight_i: payout is weight_i x lam when
        lam < r_i, else cap_i. With the levels sorted once, each person needs one
        binary search: O((draws + people) log).
        """
        pools = np.asarray(pools, dtype=float).ravel()
        if pools.size == 0:
            return np.zeros_like(self.weights)
        return self.share_sums(pools) / pools.size

    def share_sums(self, pools, scales=None) -> np.ndarray:
        """Total payout per person over many pools (a sum over pools), in one sort.

        Parameters
        ----------
        pools : array_like
            One pool per draw.
        scales : array_like, optional
            One factor k_j per pool that scales every weight and cap (a simulated pay
            rise scales salaries, hence caps, and with ``salary`` sharing the weights).

        Notes
        -----
        min(k w lam, k c) = k min(w lam, c), and min(w lam, k c) = k min(w lam / k, c), so
        sharing P_j with everything scaled by k_j pays k_j x the unscaled sharing of
        P_j / k_j. With levels lam_j = level(P_j / k_j) sorted once, person i with ratio
        r_i = c_i / w_i receives ``w_i x sum(k_j lam_j for lam_j < r_i) + c_i x
        sum(k_j for lam_j >= r_i)``: one binary search per person, O((draws + people) log).
        """
        pools = np.asarray(pools, dtype=float).ravel()
        out = np.zeros_like(self.weights)
        if pools.size == 0 or self.total_weight <= 0:
            return out
        if scales is None:
            lam = np.sort(self.level(pools))
            scale = np.ones_like(lam)
        else:
            scale = np.broadcast_to(np.asarray(scales, dtype=float), pools.shape)
            lam = self.level(pools / scale)
            order = np.argsort(lam, kind="stable")
            lam, scale = lam[order], scale[order]
        finite = np.where(np.isinf(lam), 0.0, lam * scale)
        prefix = np.concatenate([[0.0], np.cumsum(finite)])
        scale_prefix = np.concatenate([[0.0], np.cumsum(scale)])
        idx = self._order
        below = np.searchsorted(lam, self._ratio, side="left")   # draws with lam < ratio
        capped_scale = scale_prefix[-1] - scale_prefix[below]
        # Guard inf * 0: a person without a cap is never capped.
        with np.errstate(invalid="ignore"):
            capped = np.where(capped_scale > 0, self.caps[idx] * capped_scale, 0.0)
        out[idx] = self.weights[idx] * prefix[below] + capped
        return out


def employee_id_order(ids) -> np.ndarray:
    """Rank of each employee_id for the leftover-cent tie-break ("ties to the lower employee_id").

    Ids that are all whole numbers compare as numbers (9 before 10); any other ids compare as
    text (``E009`` before ``E010``).

    >>> employee_id_order(["10", "9", "011"]).tolist(), employee_id_order(["E10", "E9"]).tolist()
    ([1, 0, 2], [0, 1])
    """
    ids = pd.Series(np.asarray(ids, dtype=object)).astype(str)
    if len(ids) and ids.str.fullmatch(r"\d+").all():
        digits = ids.str.lstrip("0")
        order = np.lexsort((ids.to_numpy(), digits.to_numpy(), digits.str.len().to_numpy()))
    else:
        order = np.argsort(ids.to_numpy(), kind="stable")
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[order] = np.arange(len(ids))
    return ranks


@dataclass(frozen=True, eq=False)
class SharedPool:
    """One pool shared to the cent (:func:`share_cents`); amounts in integer minor units."""

    payout_cents: np.ndarray     # int64, one per person
    exact_cents: np.ndarray      # the exact (unrounded) shares
    allocated_cents: int         # sum of payout_cents
    capped: np.ndarray           # bool: paid their cap


def share_cents(weights, caps, pool_cents: int, employee_ids=None, tie_order=None) -> SharedPool:
    """Share ``pool_cents`` by weight under caps (whole minor units, inf: none), to the cent (4.2).

    Water-filling gives the exact shares ``min(weight x level, cap)``; what nobody can take is
    unallocated. Payouts are the exact shares floored with the leftover cents to the largest
    remainders, ties to the lower employee_id (``tie_order``: :func:`employee_id_order`
    computed once for several pools of the same people).
    """
    weights = np.asarray(weights, dtype=float)
    caps = np.asarray(caps, dtype=float)
    pool_cents = int(pool_cents)
    rule = SharingRule.build(weights, caps)
    allocated = int(round(float(rule.allocated(pool_cents)))) if pool_cents else 0
    exact = rule.shares(pool_cents) if allocated else np.zeros(len(weights))
    if tie_order is None:
        tie_order = employee_id_order(employee_ids)
    payouts = largest_remainder(exact, allocated, tie_order)
    capped = (weights > 0) & np.isfinite(caps) & (payouts >= caps) & (allocated > 0)
    return SharedPool(payouts, exact, allocated, capped)
