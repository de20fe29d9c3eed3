"""An executed notebook as one static, self-contained HTML page: no code, no scripts.

nbconvert's ``HTMLExporter`` with the ``planning_report`` template; the page is checked by
:func:`planning.reporting.publishing.html_problems` before anyone can publish it.
"""

from __future__ import annotations

import copy
from functools import lru_cache

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from planning.reporting.publishing import TEMPLATES_DIR, html_problems
from planning.reporting.runner.jobs import ReportError

__all__ = ["render_html"]

_REMOVE_TAGS = {"remove_cell", "parameters", "injected-parameters", "planning-reset"}


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(template_name="planning_report", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            embed_images=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=_REMOVE_TAGS, enabled=True),
                                   enabled=True)
    return exporter


@lru_cache(maxsize=1)
def _shared_exporter() -> HTMLExporter:
    return _exporter()


def _prepare_for_html(notebook: nbformat.NotebookNode, title: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(notebook)
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    nb.metadata["title"] = title
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.output_type != "error"
                            and not (o.output_type == "stream" and o.get("name") == "stderr")
                            and "application/vnd.jupyter.widget-view+json" not in o.get("data", {})]
    return nb


def render_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """The executed notebook as one self-contained HTML page (no code, no scripts).

    Raises
    ------
    ReportError
        If the page would contain anything :func:`html_problems` refuses.
    """
    body, _ = _shared_exporter().from_notebook_node(_prepare_for_html(notebook, title))
    problems = html_problems(body)
    if problems:
        raise ReportError({"html": "refusing to publish a page that " + "; ".join(problems[:5])})
    return body
