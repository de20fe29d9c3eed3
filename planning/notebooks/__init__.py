"""The notebooks the package runs itself, installed with it.

``quarterly_report.ipynb`` is the report template papermill executes
(:mod:`planning.reporting.runner`); ``01_explore_bonus.ipynb`` is the cockpit that ``make app``
serves with Voila. The notebooks users open in Jupyter stay in the repository's
``notebooks/`` folder. Their ``data_path`` defaults are relative to this folder, so they
also run in place from a checkout (nbval, Jupyter).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["REPORT_TEMPLATE", "YEAR_REPORT_TEMPLATE", "COCKPIT", "notebook_path"]

REPORT_TEMPLATE = "quarterly_report.ipynb"
YEAR_REPORT_TEMPLATE = "year_report.ipynb"
COCKPIT = "01_explore_bonus.ipynb"


def notebook_path(name: str) -> Path:
    """The file of one packaged notebook (``REPORT_TEMPLATE`` or ``COCKPIT``) on disk."""
    return Path(str(resources.files(__name__).joinpath(name)))
