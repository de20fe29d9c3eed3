"""One private, warm Jupyter kernel that runs the template again and again through papermill.

The kernel runs this Python (``sys.executable``) from a kernel spec written into a private
temporary directory, over IPC sockets in that directory (no TCP ports, so no port race
between parallel start-ups). Start-up failures are retried a bounded number of times.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
import zmq
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError

from planning.lifeline import remove_folder, stopping
from planning.reporting.runner.jobs import ReportError

__all__ = ["KernelSession", "WarmKernelEngine", "START_TIMEOUT", "EXECUTION_TIMEOUT", "RETRIES"]

log = logging.getLogger(__name__)

KERNEL_NAME = "python3"
ENGINE_NAME = "planning-warm-kernel"
START_TIMEOUT = 120
EXECUTION_TIMEOUT = 600
RETRIES = 2


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
        spec_dir = Path(write_kernel_spec(spec_root / KERNEL_NAME))
        # the kernel runs through planning.kernel_launcher, which ends it (and removes this
        # private folder) when the process that started it dies
        spec_file = spec_dir / "kernel.json"
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
        spec["argv"] = [sys.executable, "-m", "planning.kernel_launcher", "-f", "{connection_file}"]
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        return KernelSpecManager(kernel_dirs=[str(spec_root)], ensure_native_kernel=False)

    def start(self) -> None:
        """Start the kernel, retrying start-up races a bounded number of times."""
        if stopping():  # the process that wanted this kernel has died: start nothing
            raise SystemExit(1)
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
        env = dict(os.environ, MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1",
                   PLANNING_KERNEL_DIR=str(self._dir))
        km = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=self._spec_manager(),
                                transport="ipc", ip=str(self._dir / f"kernel-{attempt}"),
                                connection_file=str(self._dir / f"kernel-{attempt}.json"))
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

    @property
    def folder(self) -> Path | None:
        """The private directory (kernel spec, sockets, each run's work folder), once started."""
        return self._dir

    def kill_now(self) -> None:
        """End the kernel at once (SIGKILL) and remove the private directory: for a process
        whose parent died, with no time for a polite shutdown."""
        km = self._km
        pid = getattr(getattr(km, "provisioner", None), "pid", None) if km is not None else None
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        if self._dir is not None:
            remove_folder(self._dir)

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
