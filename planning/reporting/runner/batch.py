"""Running jobs: one report on a session, and the batch on warm worker processes."""

from __future__ import annotations

import contextlib
import copy
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache
from pathlib import Path

import nbformat
from papermill.exceptions import PapermillExecutionError

from planning.files import CannotWrite
from planning.lifeline import die_with_parent, stopping
from planning.notebooks import REPORT_TEMPLATE, notebook_path
from planning.reporting.defaults import AUDIENCES, DEFAULT_DRAWS, DEFAULT_SEED
from planning.reporting.publishing import (
    FILE_MODES,
    output_folder,
    publish_html,
    report_filename,
    write_index,
)
from planning.reporting.runner.jobs import ReportError, ReportJob, plan_reports
from planning.reporting.runner.kernel import (
    EXECUTION_TIMEOUT,
    RETRIES,
    START_TIMEOUT,
    KernelSession,
)
from planning.reporting.runner.parameters import check_parameters, declared_parameters
from planning.reporting.runner.render import render_html

__all__ = ["DEFAULT_TEMPLATE", "execute_job", "render_reports", "render_report"]

# installed with the package (planning/notebooks/), so `pip install .` gives a working report
DEFAULT_TEMPLATE = notebook_path(REPORT_TEMPLATE)


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
    # inside the session's private folder, so whoever removes that folder removes this too
    with tempfile.TemporaryDirectory(prefix="planning-report-", dir=session.folder) as work:
        try:
            return session.execute(notebook, params, Path(work))
        except PapermillExecutionError as exc:
            # the first line that says something (mathtext and others start with a newline)
            first_line = next((line.strip() for line in str(exc.evalue or "").splitlines() if line.strip()), "")
            raise ReportError({job.key: f"the template failed at cell {exc.exec_count}: "
                                        f"{exc.ename}: {first_line}"}) from None


def _render_job(session: KernelSession, job: ReportJob, out: Path, template: Path) -> Path:
    page = render_html(execute_job(session, job, job.template(template)), job.title or job.key)
    if stopping():  # the command that asked for this page has died: publish nothing more
        raise SystemExit(1)
    try:
        return publish_html(out / job.folder / report_filename(job.period, job.audience), page,
                            FILE_MODES[job.audience])
    except CannotWrite as exc:  # this page's own failure; the previous page, if any, is untouched
        raise ReportError({job.key: f"{exc.path} cannot be written ({exc.strerror})"}, unwritten=[job.key]) from None


# --- worker processes ----------------------------------------------------------------------

_WORKER: dict = {}


def _worker_start(template: str, start_timeout: float, execution_timeout: float, retries: int) -> None:
    # Ctrl-C is the parent's to handle: it cancels what has not started and waits for the
    # workers, which then shut their kernels down and remove their private directories.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    session = KernelSession(start_timeout, execution_timeout, retries)
    _WORKER.update(session=session, template=Path(template))
    # killed outright (kill -9), the command cannot stop its workers: each stops itself
    die_with_parent(session.kill_now)
    multiprocessing.util.Finalize(session, session.close, exitpriority=10)
    with contextlib.suppress(ReportError):  # reported by the first job, which tries again
        session.start()


def _worker_render(jobs: list[ReportJob], out: str) -> list[tuple[str, str | None, str | None, bool]]:
    """Render a quarter's jobs one after the other on this worker's kernel (so the owner and
    staff reports of a quarter share their charts); (key, path, None) or (key, None, reason)."""
    results = []
    for job in jobs:
        if stopping():
            _WORKER["session"].kill_now()
            os._exit(1)
        try:
            results.append((job.key, str(_render_job(_WORKER["session"], job, Path(out), _WORKER["template"])), None,
                            False))
        except ReportError as exc:
            results.append((job.key, None, "; ".join(exc.failures.values()), bool(exc.unwritten)))
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
        Destination folder (created if missing); a job with a ``folder`` (a batch over many
        companies) goes to ``out/<folder>/``, and each folder gets its own ``index.html``.
    template : path, optional
        The template notebook (default ``planning/notebooks/quarterly_report.ipynb``).
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
    for job in jobs:  # refuse bad parameters before any kernel starts
        check_parameters(job.parameters, declared_parameters(job.template(template)))
    out = output_folder(out)  # a file or an unwritable folder is bad input, before any kernel
    folders = list(dict.fromkeys(job.folder for job in jobs)) or [""]   # one per company in a batch of many
    for folder in folders:
        if folder:
            output_folder(out / folder)
    cpus = os.cpu_count() or 1
    workers = max(1, min(workers or cpus, cpus, len(jobs) or 1))
    done: dict[str, Path] = {}
    failures: dict[str, str] = {}
    unwritten: set[str] = set()
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
                        unwritten |= {job.key} if exc.unwritten else set()
                    bar.update()
        else:
            context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start,
                                     initargs=(str(template), start_timeout, execution_timeout, retries)) as pool:
                by_period: dict[tuple[str, str], list[ReportJob]] = {}
                for job in jobs:   # a company's quarter on one worker: its audiences share the charts
                    by_period.setdefault((job.folder, job.period), []).append(job)
                futures = {pool.submit(_worker_render, group, str(out)): group for group in by_period.values()}
                try:
                    for future in as_completed(futures):
                        try:
                            for key, path, reason, not_written in future.result():
                                if path is not None:
                                    done[key] = Path(path)
                                else:
                                    failures[key] = reason
                                    unwritten |= {key} if not_written else set()
                        except Exception as exc:  # a worker process died
                            for job in futures[future]:
                                failures[job.key] = f"{type(exc).__name__}: {exc}"
                        bar.update(len(futures[future]))
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
    finally:
        bar.close()
        for folder in folders:
            try:
                write_index(out / folder)  # lists the pages that are there, whatever happened above
            except CannotWrite as exc:
                key = f"{folder}/index" if folder else "index"
                failures[key] = f"{exc.path} cannot be written ({exc.strerror})"
                unwritten.add(key)
    if failures:
        raise ReportError(failures, unwritten, [done[job.key] for job in jobs if job.key in done])
    return [done[job.key] for job in jobs]


def render_report(data: Path | str, period: str, audience: str = "owner", out: Path | str = "reports", *,
                  plan: Path | str | None = None, seed: int = DEFAULT_SEED, draws: int = DEFAULT_DRAWS,
                  template: Path | str | None = None, execution_timeout: float = EXECUTION_TIMEOUT) -> Path:
    """Validate, render and publish one report; return its path (``OUT/<period>-<audience>.html``)."""
    jobs = plan_reports(data, [period], [audience], plan, seed, draws)
    return render_reports(jobs, out, template=template, workers=1, execution_timeout=execution_timeout)[0]
