"""Quarterly reports: run the template notebook with papermill, render HTML, publish safely.

This is the only module that imports papermill, nbclient and nbconvert.

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
   checked (:func:`html_problems`): no script, no event handler attribute, nothing loaded
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

from __future__ import annotations

import contextlib
import copy
import html
import keyword
import logging
import math
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import papermill
import zmq
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError

from planning.errors import InputError, Problem
from planning.export import write_atomic
from planning.provenance import input_hashes
from planning.report_sections import AUDIENCES, DEFAULT_DRAWS, DEFAULT_SEED, output_folder

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

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[1] / "notebooks" / "quarterly_report.ipynb"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
KERNEL_NAME = "python3"
ENGINE_NAME = "planning-warm-kernel"
START_TIMEOUT = 120
EXECUTION_TIMEOUT = 600
RETRIES = 2
FILE_MODES = {"owner": 0o640, "staff": 0o644, "index": 0o644}
REPORT_FILE = re.compile(r"^(?P<period>\d{4}Q[1-4])-(?P<audience>owner|staff)\.html$")
_REMOVE_TAGS = {"remove_cell", "parameters", "injected-parameters", "planning-reset"}
_MAX_DEPTH = 8


class ReportError(RuntimeError):
    """A report could not be rendered (the template failed, the kernel would not start...).

    ``failures`` maps ``"<period>-<audience>"`` to a one-line reason.
    """

    def __init__(self, failures: Mapping[str, str]):
        self.failures = dict(failures)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.failures.items()))


# --- parameters ----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _declared(path: str, mtime_ns: int) -> frozenset[str]:
    return frozenset(papermill.inspect_notebook(path))


def declared_parameters(template: Path | str) -> frozenset[str]:
    """The parameter names the template's ``parameters`` cell declares."""
    path = Path(template)
    if not path.is_file():
        raise InputError.single(str(path), "report template not found")
    return _declared(str(path.resolve()), path.stat().st_mtime_ns)


def _problem(name: str, message: str) -> Problem:
    return Problem("report parameters", None, name, message)


def _check_value(value: object, where: str, depth: int, problems: list[Problem]) -> None:
    kind = type(value)
    if value is None or kind in (str, bool, int):
        return
    if kind is float:
        if not math.isfinite(value):
            problems.append(_problem(where, f"{value!r} is not a finite number"))
        return
    if depth >= _MAX_DEPTH:
        problems.append(_problem(where, "is nested too deeply"))
    elif kind is list:
        for i, item in enumerate(value):
            _check_value(item, f"{where}[{i}]", depth + 1, problems)
    elif kind is dict:
        for key, item in value.items():
            if type(key) is not str:
                problems.append(_problem(where, f"has a key {key!r} that is not text"))
            else:
                _check_value(item, f"{where}[{key!r}]", depth + 1, problems)
    else:
        problems.append(_problem(where, f"is a {kind.__name__}; expected text, a number, true/false, "
                                 "nothing, or a list or mapping of those"))


def check_parameters(parameters: Mapping[str, object], declared: Iterable[str]) -> dict[str, object]:
    """Accept only declared identifier names and plain JSON values.

    Parameters
    ----------
    parameters : mapping
        Name -> value, as they would be passed to papermill.
    declared : iterable of str
        The names the template's ``parameters`` cell declares.

    Returns
    -------
    dict
        A deep copy of ``parameters`` (so later changes to the caller's objects cannot
        slip past the check).

    Raises
    ------
    InputError
        Listing every rejected name and value. papermill itself only *warns* about an
        unknown name and writes it into the notebook as code (``x=1;import os = ...``), so
        names are checked here, before papermill sees them.
    """
    declared = frozenset(declared)
    problems: list[Problem] = []
    for name, value in parameters.items():
        if type(name) is not str or not name.isidentifier() or keyword.iskeyword(name):
            problems.append(_problem(repr(name), "is not a plain identifier; refused"))
            continue
        if name not in declared:
            problems.append(_problem(name, f"is not declared by the template (it declares: "
                                     f"{', '.join(sorted(declared)) or 'nothing'}); refused"))
            continue
        _check_value(value, name, 0, problems)
    if problems:
        raise InputError(problems)
    return copy.deepcopy(dict(parameters))


# --- jobs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportJob:
    """One report to render: a period, an audience and the template's parameters."""

    period: str
    audience: str
    parameters: dict = field(hash=False, compare=False)
    title: str = ""

    @property
    def key(self) -> str:
        return f"{self.period}-{self.audience}"


def report_filename(period: str, audience: str) -> str:
    """``<period>-<audience>.html``."""
    return f"{period}-{audience}.html"


def plan_reports(data: Path | str, periods: Sequence[str] | None = None,
                 audiences: Sequence[str] = AUDIENCES, plan: Path | str | None = None,
                 seed: int = DEFAULT_SEED, draws: int = DEFAULT_DRAWS) -> list[ReportJob]:
    """Load and validate everything, then list the reports to render.

    ``periods=None`` means every period with actuals and targets. Raises InputError (and
    starts nothing) on bad data, a bad plan, an unknown period or audience, or a bad seed or
    number of draws.
    """
    from planning.bonus import bonus_for_period
    from planning.dataset import load_dataset
    from planning.plan import load_plan

    problems = []
    for audience in audiences:
        if audience not in AUDIENCES:
            problems.append(Problem("--audience", None, None, f"{audience!r} is not an audience; expected owner or staff"))
    if type(seed) is not int or not 0 <= seed < 2**63:
        problems.append(Problem("--seed", None, None, f"{seed!r} is not a whole number from 0 to 2**63-1"))
    if type(draws) is not int or not 1 <= draws <= 10_000_000:
        problems.append(Problem("--draws", None, None, f"{draws!r} is not a whole number from 1 to 10,000,000"))
    if problems:
        raise InputError(problems)
    data_path = Path(data).resolve()
    dataset = load_dataset(data_path)
    plan_path = Path(plan).resolve() if plan is not None else None
    the_plan = load_plan(plan_path) if plan_path is not None else dataset.plan
    if periods is None:
        chosen = [str(p) for p in dataset.reportable_periods]
        if not chosen:
            raise InputError([Problem("targets.csv", None, "period",
                                      "no period has both actuals and targets; nothing to report")])
    else:
        chosen = [str(dataset.require_period(p)) for p in periods]
    for p in chosen:
        bonus_for_period(dataset, p, the_plan)  # any plan error surfaces now, not in a kernel
    hashes = input_hashes(dataset.sources, plan_path)
    company = dataset.company.name
    jobs = []
    for p in chosen:
        for audience in audiences:
            params = {"data_path": str(data_path), "period": p, "audience": audience,
                      "plan_path": None if plan_path is None else str(plan_path), "seed": seed,
                      "draws": draws, "inputs_sha256": hashes}
            jobs.append(ReportJob(p, audience, params, f"{company}: {p} quarterly report ({audience})"))
    return jobs


# --- the kernel ----------------------------------------------------------------------------


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine on a kernel the caller owns (``km=``, and optionally its
    ready client ``kc=``), kept alive after the run."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, km=None,
                                 kc=None, **kwargs):
        client = PapermillNotebookClient(
            nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=logging.getLogger("papermill"), log_output=log_output,
            stdout_file=stdout_file, stderr_file=stderr_file)
        client.kc = kc  # a connected, ready client: no new channels and handshake per run
        try:
            return client.execute()
        finally:
            if kc is None and client.kc is not None:
                client.kc.stop_channels()


papermill_engines.register(ENGINE_NAME, WarmKernelEngine)

_RETRYABLE = (zmq.ZMQError, DeadKernelError, RuntimeError, TimeoutError)

# Between two runs on one kernel: forget every name the last run defined (imported modules
# stay loaded, which is the point). Cheaper than %reset, which also collects garbage.
_RESET_SOURCE = """\
for _name in [n for n in get_ipython().user_ns if not n.startswith("_") and n not in get_ipython().user_ns_hidden]:
    del get_ipython().user_ns[_name]"""


class KernelSession:
    """One private, warm Jupyter kernel that runs the template again and again.

    Use as a context manager. The kernel runs this Python (``sys.executable``) from a
    kernel spec written into a private temporary directory, with IPC transport in that
    directory and its working directory there too.
    """

    def __init__(self, start_timeout: float = START_TIMEOUT, execution_timeout: float = EXECUTION_TIMEOUT,
                 retries: int = RETRIES, retry_delay: float = 0.25):
        self.start_timeout = start_timeout
        self.execution_timeout = execution_timeout
        self.retries = retries
        self.retry_delay = retry_delay
        self.runs = 0
        self._dir: Path | None = None
        self._km: AsyncKernelManager | None = None
        self._kc = None

    # -- lifecycle --
    def __enter__(self) -> KernelSession:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spec_manager(self) -> KernelSpecManager:
        from ipykernel.kernelspec import write_kernel_spec

        spec_root = self._dir / "kernels"
        write_kernel_spec(spec_root / KERNEL_NAME)
        return KernelSpecManager(kernel_dirs=[str(spec_root)], ensure_native_kernel=False)

    def start(self) -> None:
        """Start the kernel, retrying start-up races a bounded number of times."""
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="planning-kernel-"))
        last: BaseException | None = None
        for attempt in range(self.retries + 1):
            try:
                self._start_once(attempt)
                return
            except _RETRYABLE as exc:
                last = exc
                log.warning("kernel start failed (%s: %s); attempt %d of %d", type(exc).__name__, exc,
                            attempt + 1, self.retries + 1)
                self._stop_kernel()
                time.sleep(self.retry_delay * (attempt + 1))
        log_file = self._dir / "kernel.log"
        tail = log_file.read_text(errors="replace").strip().splitlines()[-1:] if log_file.exists() else []
        raise ReportError({"kernel": f"could not start a Python kernel after {self.retries + 1} attempts "
                                     f"({type(last).__name__}: {last})" + (f"; kernel said: {tail[0]}" if tail else "")})

    def _start_once(self, attempt: int) -> None:
        env = dict(os.environ, MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
        km = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=self._spec_manager(),
                                transport="ipc", ip=str(self._dir / f"kernel-{attempt}"))
        self._km = km
        with open(self._dir / "kernel.log", "ab") as err:
            run_sync(km.start_kernel)(cwd=str(self._dir), env=env, stdout=err, stderr=err)
        kc = km.client()
        kc.start_channels()
        self._kc = kc
        run_sync(kc.wait_for_ready)(timeout=self.start_timeout)
        kc.allow_stdin = False

    def _stop_kernel(self) -> None:
        kc, self._kc = self._kc, None
        if kc is not None:
            kc.stop_channels()
        km, self._km = self._km, None
        if km is None:
            return
        try:
            if run_sync(km.is_alive)():
                run_sync(km.shutdown_kernel)(now=True)
        except Exception as exc:  # a dying kernel may refuse politely; it is killed either way
            log.debug("kernel shutdown: %s", exc)
        finally:
            try:
                run_sync(km.cleanup_resources)()
            except Exception as exc:
                log.debug("kernel cleanup: %s", exc)

    def restart(self) -> None:
        self._stop_kernel()
        self.start()

    def close(self) -> None:
        """Shut the kernel down and remove the private directory."""
        self._stop_kernel()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    # -- running --
    def execute(self, notebook: nbformat.NotebookNode, parameters: dict, workdir: Path) -> nbformat.NotebookNode:
        """Run ``notebook`` with ``parameters`` (already checked) and return the executed copy.

        The executed notebook is written to ``workdir/report.ipynb``. A dead kernel is
        replaced and the run retried (bounded); an error in a cell raises
        PapermillExecutionError at once.
        """
        last: BaseException | None = None
        for _attempt in range(self.retries + 1):
            if self._km is None:
                self.start()
            nb = copy.deepcopy(notebook)
            if self.runs:
                reset = nbformat.v4.new_code_cell(_RESET_SOURCE)
                reset.metadata["tags"] = ["planning-reset"]
                nb.cells.insert(0, reset)
            try:
                executed = papermill.execute_notebook(
                    nb, str(workdir / "report.ipynb"), parameters=parameters, engine_name=ENGINE_NAME,
                    kernel_name=KERNEL_NAME, progress_bar=False, log_output=False,
                    request_save_on_cell_execute=False, start_timeout=self.start_timeout,
                    execution_timeout=self.execution_timeout, km=self._km, kc=self._kc)
                self.runs += 1
                return executed
            except PapermillExecutionError:
                self.runs += 1
                raise
            except (zmq.ZMQError, DeadKernelError) as exc:
                last = exc
                log.warning("kernel died during a run (%s); restarting", type(exc).__name__)
                self.restart()
                self.runs = 0
        raise ReportError({"kernel": f"the kernel kept dying ({type(last).__name__}: {last})"})


# --- rendering -----------------------------------------------------------------------------


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


_RELATIVE_LINK = re.compile(r"^[a-z0-9][a-z0-9._-]*\.html(#[\w.-]*)?$")


class _SafetyScan(HTMLParser):
    _URL_ATTRS = {"src", "href", "srcset", "action", "formaction", "poster", "background", "data",
                  "xlink:href", "cite", "manifest", "ping"}
    _FORBIDDEN = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
                  "link", "portal", "svg", "math"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in self._FORBIDDEN:
            self.problems.append(f"contains a <{tag}> element")
        if tag == "meta" and any(k == "http-equiv" for k, _ in attrs):
            self.problems.append("contains a <meta http-equiv> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"has an event handler attribute {name} on <{tag}>")
            elif name in self._URL_ATTRS and value is not None:
                url = value.strip().lower()
                ok = (url.startswith("#")
                      or (tag == "img" and name == "src" and url.startswith("data:image/"))
                      or (tag == "a" and name == "href" and _RELATIVE_LINK.match(url) is not None))
                if not ok:
                    self.problems.append(f"loads or links {value[:60]!r} from <{tag} {name}>")
            elif name == "style" and value and ("url(" in value.lower() or "expression(" in value.lower()):
                self.problems.append(f"has a style attribute with url() on <{tag}>")
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            lowered = data.lower()
            if "@import" in lowered:
                self.problems.append("has a stylesheet with @import")
            for match in re.finditer(r"url\(\s*['\"]?([^'\")]*)", lowered):
                if not match.group(1).startswith("data:"):
                    self.problems.append(f"has a stylesheet loading {match.group(1)[:60]!r}")


def html_problems(page: str) -> list[str]:
    """What makes a page unsafe to publish as a static, offline report.

    Refused: script, iframe, object, embed, form, link and similar elements; ``on*`` event
    handler attributes; any ``src``/``href``-like URL other than an in-page ``#anchor``, an
    image's ``data:image/...`` or a link to a sibling page (``2026Q1-staff.html``); stylesheets that ``@import`` or load a non-``data:`` URL.
    """
    scan = _SafetyScan()
    scan.feed(page)
    scan.close()
    return list(dict.fromkeys(scan.problems))


# --- publishing ----------------------------------------------------------------------------


def publish_html(path: Path, page: str, mode: int = 0o644) -> Path:
    """Write ``page`` to ``path`` atomically: temp file beside it, fsync, rename, fsync folder."""
    return write_atomic(path, lambda tmp: tmp.write_text(page, encoding="utf-8"), mode)


_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
# "<company>: <period> quarterly report (<audience>)"; the company's name may hold colons too
_TITLE_COMPANY = re.compile(r"^(.*): \d{4}Q[1-4] quarterly report \((?:owner|staff)\)$", re.S)


def write_index(out: Path | str) -> Path:
    """Rebuild ``OUT/index.html`` listing every ``<period>-<audience>.html`` in ``out``."""
    out = Path(out)
    found: dict[str, dict[str, tuple[str, float]]] = {}
    titles: dict[str, str] = {}
    for entry in sorted(out.iterdir()) if out.is_dir() else []:
        match = REPORT_FILE.match(entry.name)
        if not match or not entry.is_file():
            continue
        with open(entry, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
        title = _TITLE.search(head)
        heading = _TITLE_COMPANY.match(html.unescape(title.group(1)).strip()) if title else None
        company = heading.group(1).strip() if heading else ""
        found.setdefault(match["period"], {})[match["audience"]] = (entry.name, entry.stat().st_mtime)
        if company:
            titles[match["period"]] = company
    companies = sorted(set(titles.values()))
    heading = " / ".join(companies) if companies else "Quarterly reports"

    def link(period: str, audience: str) -> str:
        item = found[period].get(audience)
        if item is None:
            return "<td>-</td>"
        name, mtime = item
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(mtime))
        return (f'<td><a href="{html.escape(name)}">{html.escape(audience)} report</a>'
                f'<br><small>{html.escape(when)}</small></td>')

    rows = "".join(f"<tr><th>{html.escape(p)}</th>{link(p, 'owner')}{link(p, 'staff')}</tr>"
                   for p in sorted(found, reverse=True))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{html.escape(heading)}: quarterly reports</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 760px; margin: 32px auto;
       padding: 0 16px; color: #1d2630; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 8px 12px; border-bottom: 1px solid #e1e5ea; vertical-align: top; }}
thead th {{ background: #eef1f4; }}
small {{ color: #5c6770; }}
.note {{ background: #fbf3e4; padding: 10px 14px; border-radius: 6px; }}
</style></head>
<body>
<h1>{html.escape(heading)}</h1>
<p>Quarterly reports, newest first. {len(found)} quarter{'s' if len(found) != 1 else ''}.</p>
<p class="note"><strong>Owner reports are confidential</strong>: they show every person's payout.
Staff reports show company figures only and can be shared with everyone.</p>
<table><thead><tr><th>quarter</th><th>for the owner</th><th>for all staff</th></tr></thead>
<tbody>{rows or '<tr><td colspan="3">No reports yet.</td></tr>'}</tbody></table>
</body></html>
"""
    return publish_html(out / "index.html", page, FILE_MODES["index"])


# --- one job on one session ----------------------------------------------------------------


@lru_cache(maxsize=4)
def _load_template(path: str, mtime_ns: int) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _audience_notebook(template: Path, audience: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(_load_template(str(template), template.stat().st_mtime_ns))
    drop = {f"audience-{a}" for a in AUDIENCES if a != audience}
    nb.cells = [c for c in nb.cells if not drop & set(c.metadata.get("tags", []))]
    return nb


def execute_job(session: KernelSession, job: ReportJob, template: Path | str | None = None) -> nbformat.NotebookNode:
    """Run the template for one job in a private temporary directory; return the executed notebook.

    Cells tagged for the other audience are dropped before the run. A failing cell raises
    ReportError with the exception's name and first line (no traceback).
    """
    template = Path(template) if template is not None else DEFAULT_TEMPLATE
    params = check_parameters(job.parameters, declared_parameters(template))
    notebook = _audience_notebook(template, job.audience)
    with tempfile.TemporaryDirectory(prefix="planning-report-") as work:
        try:
            return session.execute(notebook, params, Path(work))
        except PapermillExecutionError as exc:
            # the first line that says something (mathtext and others start with a newline)
            first_line = next((line.strip() for line in str(exc.evalue or "").splitlines() if line.strip()), "")
            raise ReportError({job.key: f"the template failed at cell {exc.exec_count}: "
                                        f"{exc.ename}: {first_line}"}) from None


def _render_job(session: KernelSession, job: ReportJob, out: Path, template: Path) -> Path:
    page = render_html(execute_job(session, job, template), job.title or job.key)
    return publish_html(out / report_filename(job.period, job.audience), page, FILE_MODES[job.audience])


# --- worker processes ----------------------------------------------------------------------

_WORKER: dict = {}


def _worker_start(template: str, start_timeout: float, execution_timeout: float, retries: int) -> None:
    # Ctrl-C is the parent's to handle: it cancels what has not started and waits for the
    # workers, which then shut their kernels down and remove their private directories.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    session = KernelSession(start_timeout, execution_timeout, retries)
    _WORKER.update(session=session, template=Path(template))
    multiprocessing.util.Finalize(session, session.close, exitpriority=10)
    with contextlib.suppress(ReportError):  # reported by the first job, which tries again
        session.start()


def _worker_render(jobs: list[ReportJob], out: str) -> list[tuple[str, str | None, str | None]]:
    """Render a quarter's jobs one after the other on this worker's kernel (so the owner and
    staff reports of a quarter share their charts); (key, path, None) or (key, None, reason)."""
    results = []
    for job in jobs:
        try:
            results.append((job.key, str(_render_job(_WORKER["session"], job, Path(out), _WORKER["template"])), None))
        except ReportError as exc:
            results.append((job.key, None, "; ".join(exc.failures.values())))
    return results


# --- public API ----------------------------------------------------------------------------


def render_reports(jobs: Sequence[ReportJob], out: Path | str = "reports", *, template: Path | str | None = None,
                   workers: int | None = None, progress: bool = False, start_timeout: float = START_TIMEOUT,
                   execution_timeout: float = EXECUTION_TIMEOUT, retries: int = RETRIES) -> list[Path]:
    """Render ``jobs`` (from :func:`plan_reports`) into ``out`` and rebuild ``out/index.html``.

    Parameters
    ----------
    jobs : sequence of ReportJob
    out : path
        Destination folder (created if missing).
    template : path, optional
        The template notebook (default ``notebooks/quarterly_report.ipynb``).
    workers : int, optional
        Worker processes, each with one warm kernel; default and maximum
        ``os.cpu_count()``, never more than there are jobs. 1 runs in this process.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    list of Path
        The published reports, in the order of ``jobs``.

    Raises
    ------
    InputError
        A parameter the template does not declare or a value that is not plain data
        (before anything runs).
    ReportError
        One or more reports failed; the others are published, every previous file of a
        failed report is untouched, and the index lists what exists.
    """
    from tqdm import tqdm

    template = Path(template) if template is not None else DEFAULT_TEMPLATE
    declared = declared_parameters(template)
    for job in jobs:  # refuse bad parameters before any kernel starts
        check_parameters(job.parameters, declared)
    out = output_folder(out)  # a file or an unwritable folder is bad input, before any kernel
    cpus = os.cpu_count() or 1
    workers = max(1, min(workers or cpus, cpus, len(jobs) or 1))
    done: dict[str, Path] = {}
    failures: dict[str, str] = {}
    bar = tqdm(total=len(jobs), desc="reports", unit="report", file=sys.stderr, disable=not progress,
               dynamic_ncols=True)
    try:
        if workers == 1:
            with KernelSession(start_timeout, execution_timeout, retries) as session:
                for job in jobs:
                    try:
                        done[job.key] = _render_job(session, job, out, template)
                    except ReportError as exc:
                        failures[job.key] = "; ".join(exc.failures.values())
                    bar.update()
        else:
            context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start,
                                     initargs=(str(template), start_timeout, execution_timeout, retries)) as pool:
                by_period: dict[str, list[ReportJob]] = {}
                for job in jobs:
                    by_period.setdefault(job.period, []).append(job)
                futures = {pool.submit(_worker_render, group, str(out)): group for group in by_period.values()}
                try:
                    for future in as_completed(futures):
                        try:
                            for key, path, reason in future.result():
                                if path is not None:
                                    done[key] = Path(path)
                                else:
                                    failures[key] = reason
                        except Exception as exc:  # a worker process died
                            for job in futures[future]:
                                failures[job.key] = f"{type(exc).__name__}: {exc}"
                        bar.update(len(futures[future]))
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
    finally:
        bar.close()
        write_index(out)
    if failures:
        raise ReportError(failures)
    return [done[job.key] for job in jobs]


def render_report(data: Path | str, period: str, audience: str = "owner", out: Path | str = "reports", *,
                  plan: Path | str | None = None, seed: int = DEFAULT_SEED, draws: int = DEFAULT_DRAWS,
                  template: Path | str | None = None, execution_timeout: float = EXECUTION_TIMEOUT) -> Path:
    """Validate, render and publish one report; return its path (``OUT/<period>-<audience>.html``)."""
    jobs = plan_reports(data, [period], [audience], plan, seed, draws)
    return render_reports(jobs, out, template=template, workers=1, execution_timeout=execution_timeout)[0]
