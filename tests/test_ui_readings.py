"""The cockpit in words (issue 14): typed percentages understood as an owner writes them, the
pool against the plan as written, and the limit that makes a change make no difference."""

from __future__ import annotations

import html
import re

import pytest

from planning import bonus_for_period, with_overrides
from planning.ui import BonusCockpit
from planning.ui.cockpit_controls import HINTS
from planning.ui.readings import binding_limit, parse_percent, pool_against_plan


@pytest.mark.parametrize("text, value", [("95%", 0.95), ("95", 0.95), ("0.95", 0.95), (" 95 % ", 0.95),
                                         ("97.5", 0.975), ("1.4", 1.4), ("140%", 1.4), ("1.5%", 0.015),
                                         (".5", 0.5), ("0", 0.0), ("2", 2.0), ("2.5", 0.025)])
def test_a_percentage_is_understood_as_typed(text, value):
    got, said = parse_percent(text)
    assert got == pytest.approx(value)
    assert said.startswith(f'understood "{text.strip()}" as ')


@pytest.mark.parametrize("text", ["abc", "", "95%%", "1,000", "-5", "5e3", "nan", "inf"])
def test_anything_else_is_refused_with_what_to_type(text):
    with pytest.raises(ValueError, match="type"):
        parse_percent(text)


def text(markup: str) -> str:
    markup = re.sub(r"<style>.*?</style>", " ", markup, flags=re.S)
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()
    return words.replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def cockpit(sample):
    return BonusCockpit(sample, charts=False)


def test_the_pool_is_said_against_the_plan_as_written(cockpit, sample):
    assert text(cockpit.against_plan.value).startswith("AUD 45,000: unchanged from the plan")
    cockpit.pool_rate.value = 0.25
    planned = bonus_for_period(sample, "2026Q4")
    now = bonus_for_period(sample, "2026Q4", with_overrides(sample.plan, {"pool.rate": 0.25}))
    assert round(planned.pool - now.pool) == 1582
    assert text(cockpit.against_plan.value) == "AUD 43,418: AUD 1,582 less than the plan (AUD 45,000)"
    assert pool_against_plan(now, planned) == "AUD 43,418: AUD 1,582 less than the plan (AUD 45,000)"
    assert pool_against_plan(planned, now) == "AUD 45,000: AUD 1,582 more than the plan (AUD 43,418)"


def test_a_change_that_changes_nothing_names_the_binding_limit(cockpit):
    cockpit.gop_gate.value = 0.95  # the pool cap binds: the gate does not matter
    said = text(cockpit.against_plan.value)
    assert said.startswith("AUD 45,000: unchanged from the plan")
    assert "Your change makes no difference here. The pool cap binds" in said
    assert "the plan's rate gives AUD 52,102, the pool is AUD 45,000" in said
    cockpit.gop_gate.value = 1.4  # above the 136% attainment
    said = text(cockpit.against_plan.value)
    assert "AUD 0: AUD 45,000 less than the plan" in said and "The GOP gate is missed" in said


def test_binding_limit_is_none_when_nothing_holds_the_pool(sample):
    free = bonus_for_period(sample, "2026Q4", with_overrides(sample.plan, {"pool.cap": None}))
    assert free.limits == () and binding_limit(free) is None


@pytest.mark.parametrize("typed", ["95%", "95", "0.95"])
def test_typing_beside_a_slider_sets_it_and_says_what_was_understood(cockpit, typed):
    box = cockpit.typed[cockpit.gop_gate]
    box.value = typed
    assert cockpit.gop_gate.value == pytest.approx(0.95)
    assert cockpit.settings.gop_gate == pytest.approx(0.95)
    assert text(cockpit.typed_note.value).endswith(f'GOP gate: understood "{typed}" as 95%.'
                                                   if "%" in typed or typed == "95" else
                                                   'GOP gate: understood "0.95" as 95% (a number up to 2 '
                                                   'without % is a fraction; type 1.5% for 1.5%).')
    assert box.value == ""  # ready for the next value


def test_bad_typing_changes_nothing_and_says_why(cockpit):
    before = cockpit.result.pool
    cockpit.typed[cockpit.pool_rate].value = "thirty"
    assert "Pool rate: \"thirty\" is not a percentage" in text(cockpit.typed_note.value).replace("&quot;", '"')
    cockpit.typed[cockpit.pool_rate].value = "150%"
    assert "at most 100%" in text(cockpit.typed_note.value)
    assert cockpit.pool_rate.value == pytest.approx(0.30) and cockpit.result.pool == before
    cockpit.typed[cockpit.revenue_gate].value = "180%"  # a gate slider widens rather than clips
    assert cockpit.revenue_gate.value == pytest.approx(1.8) and cockpit.revenue_gate.max >= 1.8


def test_pool_method_and_distribution_have_plain_labels_and_a_hint(cockpit):
    assert cockpit.pool_method.description == "Pool set by" and cockpit.distribution.description == "Shared by"
    labels = dict(cockpit.pool_method.options)
    assert "A share of the profit above target" in labels
    page = "".join(w.value for w in _all(cockpit.widget) if hasattr(w, "value") and isinstance(w.value, str))
    for hint in HINTS.values():
        assert html.escape(hint) in page


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)
