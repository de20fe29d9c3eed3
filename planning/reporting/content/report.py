"""The whole report: every section together, the provenance appendix, and
:func:`build_report`, which loads, checks and computes what the sections read."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from pathlib import Path

from planning.errors import InputError
from planning.financials import period_result, pnl_table
from planning.inputs import load_inputs
from planning.provenance import check_input_hashes, input_hashes, provenance
from planning.reporting.content.marketing import MarketingSection
from planning.reporting.content.markup import Markup, esc, html_table, paragraphs, section
from planning.reporting.content.outlook import OutlookSections
from planning.reporting.content.payouts import PayoutSections
from planning.reporting.content.scoreboard import ScoreboardSections
from planning.reporting.content.year import YearSections
from planning.reporting.defaults import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    audience_problems,
    report_parameters,
)
from planning.version import DISTRIBUTION, VERSION
from planning.words import GLOSSARY, OWNER_ONLY_TERMS
from planning.year import bonus_in_year

__all__ = ["QuarterlyReport", "build_report"]


class QuarterlyReport(ScoreboardSections, YearSections, PayoutSections, MarketingSection, OutlookSections):
    """One period's report for one audience; its methods are the template's sections.

    The fields are :class:`~planning.reporting.content.base.ReportBase`'s; each section
    module adds its sections: :mod:`.scoreboard` (``title``, ``how_to_read``, ``results``,
    ``gates``, ``pool``, ``sharing_rule``), :mod:`.payouts` (``payouts_by_department``,
    ``staff_payouts_by_department``, ``payouts_by_person``), :mod:`.marketing`
    (``marketing``), :mod:`.outlook` (``outlook``, ``sensitivity``), and this class the
    list of words (``glossary``) and the appendix (``provenance``).
    """

    def glossary(self) -> list:
        """Every term the report uses, in plain words (the staff report leaves out the owner's)."""
        terms = [t for t in GLOSSARY if self.is_owner or t not in OWNER_ONLY_TERMS]
        items = "".join(f"<div><dt>{esc(t)}</dt><dd>{esc(GLOSSARY[t])}</dd></div>" for t in terms)
        return [section("Words used in this report", Markup(f'<dl class="pl-glossary">{items}</dl>'),
                        anchor="glossary")]

    def provenance(self) -> list:
        """The appendix: parameters, seed, input hashes, package versions, commit, time."""
        info = provenance(self.parameters, self.dataset.sources, self.plan_path)
        # the dataset and plan by name: the analyst's folders (/home/...) are nobody's business
        names = {"data_path": ("dataset", self.dataset_name), "plan_path": ("plan", self.plan_name)}
        params = [[names[k][0], names[k][1]] if k in names else
                  [k, "(none)" if v is None else (", ".join(f"{a}: {b[:12]}…" for a, b in v.items())
                                                 if isinstance(v, dict) else v)]
                  for k, v in info["parameters"].items() if k != "inputs_sha256"]
        inputs = [[name, digest] for name, digest in info["inputs"].items()]
        versions = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
        facts = [["made by", f"{DISTRIBUTION} {VERSION}"], ["seed", info["seed"]], ["code commit", info["code_commit"] or "not a git checkout"],
                 ["data commit", info["data_commit"] or "not in a git repository"],
                 ["packages", versions], ["generated (UTC)", info["generated_utc"]]]
        return [section(
            "Appendix: where these numbers come from",
            paragraphs([f"To reproduce this page: planning report --data {self.dataset_name} --period {self.label} "
                        f"--audience {self.audience}"
                        + (f" --plan {self.plan_name}" if self.plan_path else "")
                        + (f" --seed {self.seed} --draws {self.draws}" if self.is_owner else "")
                        + f", run in the folder that holds {self.dataset_name}."], "pl-command"),
            paragraphs(["The same input files, parameters and seed always give the same numbers. "
                         "Check a file against its SHA-256 with sha256sum (or Get-FileHash on Windows)."]),
            html_table(["parameter", "value"], params, cls="pl-table pl-kv"),
            html_table(["input file", "SHA-256"], inputs, cls="pl-table pl-hash"),
            self.explain("SHA-256"),
            html_table(None, facts, cls="pl-table pl-kv"),
            anchor="provenance")]


_LOADED: OrderedDict[tuple, tuple] = OrderedDict()
_LOADED_SIZE = 4


def _inputs(data_path, plan_path, expected: dict[str, str] | None):
    """(dataset, plan, hashes): loaded, or kept from an earlier report of this kernel.

    A warm kernel renders report after report of one batch (a quarter's owner and staff
    pages, then other quarters) from the same validated inputs: it loads them once. A kept
    load is used only when the runner passed the SHA-256 it validated and every file still
    hashes to exactly that; otherwise the files are loaded (and checked) again.
    """
    key = (str(data_path), None if plan_path is None else str(plan_path),
           tuple(sorted((expected or {}).items())))
    kept = _LOADED.get(key) if expected else None
    if kept is not None and input_hashes(kept[0].sources, plan_path) == kept[2] == expected:
        _LOADED.move_to_end(key)
        return kept
    inputs = load_inputs(data_path, plan_path)
    hashes = input_hashes(inputs.dataset.sources, plan_path)
    if expected:
        check_input_hashes(expected, hashes)
        _LOADED[key] = (inputs.dataset, inputs.plan, hashes)
        while len(_LOADED) > _LOADED_SIZE:
            _LOADED.popitem(last=False)
    return inputs.dataset, inputs.plan, hashes


def build_report(data_path: str | Path, period: str, audience: str = "owner", plan_path: str | None = None,
                 seed: int = DEFAULT_SEED, draws: int = DEFAULT_DRAWS, inputs_sha256: dict[str, str] | None = None) -> QuarterlyReport:
    """Load, check and compute everything one report needs.

    Parameters
    ----------
    data_path : path
        The dataset folder or workbook.
    period : str
        The quarter, like ``2026Q4``; it needs actuals and targets.
    audience : {"owner", "staff"}
    plan_path : path or None
        A plan to use instead of the dataset's ``plan.yaml``.
    seed, draws : int
        For the Monte Carlo outlook (owner only).
    inputs_sha256 : dict or None
        The SHA-256 of every input as validated before the run; if given, the files must
        still match (otherwise an InputError names the files that changed).
    """
    problems = audience_problems([audience])
    if problems:
        raise InputError(problems)
    dataset, plan, hashes = _inputs(data_path, plan_path or None, inputs_sha256)
    p = dataset.require_period(period)
    bonus, year = bonus_in_year(dataset, p, plan)   # with a year: plan, the quarter as its year settles it
    parameters = report_parameters(data_path, period, audience, plan_path, seed, draws, inputs_sha256)
    return QuarterlyReport(dataset=dataset, period=p, audience=audience, plan=plan, bonus=bonus,
                           result=period_result(dataset, p), pnl=pnl_table(dataset), parameters=parameters,
                           plan_path=None if plan_path is None else str(plan_path),
                           fingerprint=hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest(),
                           seed=int(seed), draws=int(draws), year=year)
