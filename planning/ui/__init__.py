"""The interactive workbook: ipywidgets over the pure model (the only ipywidgets importer).

* :class:`BonusCockpit` -- the owner's cockpit (notebook 01 and the Voila app);
* :class:`MarketingWhatIf` -- the funnel on the shared targets with a leads/conversion what-if
  (notebook 02);
* :class:`TargetSetting` -- the team's proposed targets against the owner's (notebook 03).

:mod:`planning.ui.model` holds the pure part (settings -> result) so that benchmarks and
tests can time and check it without widgets.
"""

import ipywidgets as _widgets

from planning.errors import InputError
from planning.ui.cockpit import BonusCockpit
from planning.ui.cockpit_views import pool_line
from planning.ui.components import problems_html
from planning.ui.model import ACTUALS, CockpitSettings, evaluate, settings_from_plan

__all__ = ["ACTUALS", "BonusCockpit", "CockpitSettings", "evaluate", "open_cockpit", "pool_line",
           "settings_from_plan"]


def open_cockpit(data_path, **kwargs) -> BonusCockpit | _widgets.HTML:
    """:meth:`BonusCockpit.from_path`, or, when the dataset has problems, a page that lists them.

    For the app: Voila hides an exception behind "There was an error when executing cell",
    so an owner would never see which file, row and column to fix.
    """
    try:
        return BonusCockpit.from_path(data_path, **kwargs)
    except InputError as exc:
        return _widgets.HTML(problems_html(exc))
