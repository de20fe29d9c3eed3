"""Quarterly reports: run the template notebook with papermill, render HTML, publish safely.

This is the only package that imports papermill, nbclient and nbconvert. Its modules:
:mod:`.jobs` (validate, list the jobs), :mod:`.parameters` (the parameter whitelist),
:mod:`.kernel` (the warm kernel), :mod:`.render` (notebook to static HTML) and :mod:`.batch`
(one job, and the batch on worker processes). The safety check, atomic publishing and the
index are :mod:`planning.publishing`'s (the statements use them too); the names below are
all importable from ``planning.reports``.

The pipeline for one report
---------------------------
1. **Validate first.** :func:`plan_reports` loads the dataset (and an alternative plan),
   checks every period and computes its bonus, and hashes every input file. Bad input
   raises :class:`~planning.errors.InputError` before any kernel starts; nothing is written.
2. **Safe parameters.** :func:`check_parameters` accepts only names the template declares
   (``papermill.inspect_notebook``) that are identifiers, and only plain JSON values
   (``str``, ``int``, finite ``float``, ``bool``, ``None`` and lists / string-keyed dicts of
   them, exact types only). Parameters are paths, the period, the audience, seed, draws
   and the inputs' SHA-256, never salaries: papermill stores parameters in the notebook.
3. **Private execution.** The template runs in a private temporary directory on a kernel
   whose spec is written there too (``sys.executable -m ipykernel_launcher``), so the
   report always runs on this environment's Python, whatever kernels the user has
   installed. The kernel talks over IPC sockets in that directory, not TCP ports, which
   also removes the port race of parallel start-ups.
4. **Static HTML.** nbconvert's ``HTMLExporter`` with the ``planning_report`` template
   (JupyterLab's look minus its require.js / MathJax / Mermaid / widget CDN scripts), input
   cells excluded, error and stderr outputs dropped, widget state dropped. The page is then
   checked (:func:`~planning.publishing.html_problems`): no script, no event handler attribute, nothing loaded
   from outside the file.
5. **Atomic publishing.** The HTML goes to a temporary file in the destination folder, is
   fsynced and renamed over ``OUT/<period>-<audience>.html``; ``OUT/index.html`` is rebuilt
   from the reports present. A failed or interrupted render leaves the previous report as it
   was and no partial file.

The batch
---------
:func:`render_reports` runs jobs on up to ``os.cpu_count()`` worker processes. Each worker
keeps **one warm kernel** and runs the template for job after job on it through papermill
(``km=``/``kc=`` reuse the kernel and its client; the names of the last run are cleared first), so the
kernel start and the imports of pandas, matplotlib and planning are paid once per worker, not
once per report. Kernel start-up failures (``ZMQError``, ``DeadKernelError``,
``RuntimeError``/``TimeoutError`` while starting) are retried a bounded number of times on a
fresh kernel.
"""

from planning.publishing import FILE_MODES as FILE_MODES
from planning.publishing import REPORT_FILE as REPORT_FILE
from planning.publishing import TEMPLATES_DIR as TEMPLATES_DIR
from planning.publishing import html_problems, publish_html, report_filename, write_index
from planning.publishing import output_folder as output_folder
from planning.report_sections.base import AUDIENCES as AUDIENCES
from planning.report_sections.base import DEFAULT_DRAWS, DEFAULT_SEED
from planning.reports.batch import DEFAULT_TEMPLATE, execute_job, render_report, render_reports
from planning.reports.jobs import ReportError, ReportJob, plan_reports
from planning.reports.kernel import ENGINE_NAME as ENGINE_NAME
from planning.reports.kernel import EXECUTION_TIMEOUT as EXECUTION_TIMEOUT
from planning.reports.kernel import KERNEL_NAME as KERNEL_NAME
from planning.reports.kernel import RETRIES as RETRIES
from planning.reports.kernel import START_TIMEOUT as START_TIMEOUT
from planning.reports.kernel import KernelSession
from planning.reports.kernel import WarmKernelEngine as WarmKernelEngine
from planning.reports.parameters import check_parameters, declared_parameters
from planning.reports.render import render_html

# The names below are the public API; the constants imported "as" themselves above stay
# importable from here as they were before the package was split.
__all__ = [
    "DEFAULT_TEMPLATE",
    "DEFAULT_SEED",
    "DEFAULT_DRAWS",
    "ReportJob",
    "ReportError",
    "KernelSession",
    "check_parameters",
    "execute_job",
    "declared_parameters",
    "plan_reports",
    "render_report",
    "render_reports",
    "render_html",
    "html_problems",
    "publish_html",
    "write_index",
    "report_filename",
]
