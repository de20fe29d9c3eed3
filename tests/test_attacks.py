"""Every hostile input of tests/attacks.py is refused cleanly (issue 11's closing figures)."""

from __future__ import annotations

from tests.attacks import run_all


def test_every_attack_is_refused_cleanly():
    outcomes = run_all()
    failures = [f"{o.attack.name}: {o.problem}" for o in outcomes if o.skipped is None and o.problem]
    assert failures == []
    assert sum(o.skipped is None for o in outcomes) >= 25
