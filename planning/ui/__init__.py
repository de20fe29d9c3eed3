"""The interactive workbook: ipywidgets over the pure model (the only ipywidgets importer).

* :class:`BonusCockpit` -- the owner's cockpit (notebook 01 and the Voila app);
* :class:`MarketingWhatIf` -- the funnel on the shared targets with a leads/conversion what-if
  (notebook 02);
* :class:`TargetSetting` -- the team's proposed targets against the owner's (notebook 03).

:mod:`planning.ui.model` holds the pure part (settings -> result) so that benchmarks and
tests can time and check it without widgets.
"""

from planning.ui.cockpit import BonusCockpit, pool_line
from planning.ui.model import ACTUALS, CockpitSettings, evaluate, settings_from_plan

__all__ = ["ACTUALS", "BonusCockpit", "CockpitSettings", "evaluate", "pool_line", "settings_from_plan"]
