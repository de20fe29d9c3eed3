"""The quarterly report's content: what the template notebook displays, section by section.

The template (``notebooks/quarterly_report.ipynb``) stays thin: it builds one
:class:`QuarterlyReport` from its parameters and displays the sections, each a list of
:class:`Html` fragments and :class:`Chart` PNGs. Both use IPython's rich display protocol
(``_repr_html_``, ``_repr_png_``), so this package never imports IPython and stays testable
without a kernel.

Modules
-------
markup
    :class:`Html`, :class:`Chart`, :class:`Markup`, :func:`esc`, :func:`html_table` and
    the small helpers the sections are built from.
privacy
    What a staff page may show: :func:`suppressed_department_payouts` and friends.
gates
    :func:`gate_distances`, shared with the personal statements.
base, scoreboard, payouts, marketing, outlook, report
    The report's data and its sections; :class:`QuarterlyReport` and :func:`build_report`.

Two audiences
-------------
``owner``
    Everything, including every person's payout and why.
``staff``
    The company's figures, gates, pool and sharing rule, and payouts by department only
    where at least :data:`MIN_GROUP` people share a department's total (see
    :func:`suppressed_department_payouts` and :attr:`QuarterlyReport.hides_paid_out`). No
    salary, no name, no individual payout, nothing that gives one away by subtraction.
    Owner-only sections return nothing for the staff audience, so a staff page cannot show
    them even if a template cell asks.

Escaping
--------
Every piece of text that comes from the data (company, people, departments, roles,
campaigns) passes through :func:`html.escape` in :func:`esc` (directly or through
:func:`html_table`) before it reaches a page; HTML is only ever assembled from escaped text
and fixed markup.
"""

from planning.publishing import output_folder
from planning.report_sections.base import AUDIENCES, DEFAULT_DRAWS, DEFAULT_SEED
from planning.report_sections.gates import GateDistance, gate_distances
from planning.report_sections.markup import Chart, Html, Markup, esc, html_table
from planning.report_sections.privacy import MIN_GROUP, suppressed_department_payouts
from planning.report_sections.report import QuarterlyReport, build_report

__all__ = [
    "AUDIENCES",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "MIN_GROUP",
    "Html",
    "Chart",
    "Markup",
    "QuarterlyReport",
    "build_report",
    "esc",
    "html_table",
    "GateDistance",
    "gate_distances",
    "suppressed_department_payouts",
    "output_folder",  # kept for callers of the old module; it lives in planning.publishing
]
