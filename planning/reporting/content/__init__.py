"""The quarterly report's content: what the template notebook displays, section by section.

The template (``planning/notebooks/quarterly_report.ipynb``) stays thin: it builds one
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
(the audiences, default seed and draws are :mod:`planning.reporting.defaults`')
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

# No names are re-exported: import each from its module (planning.reporting.content.report, ...).
