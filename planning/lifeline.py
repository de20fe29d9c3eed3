"""Processes that die with the process that started them.

``report --all`` runs worker processes, and each worker (or the command itself, with one
worker) runs a Jupyter kernel. When the command is killed outright (``kill -9``, the
terminal closed, the machine's out-of-memory killer), nothing in it can run, so each child
watches its own parent instead:

* a worker asks Linux to send it SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``
  through ctypes) and also polls its parent's pid (the only way on other systems, and a
  second line of defence). SIGTERM stops the job it is running at once (an atomic write in
  progress removes its temporary file), no new page is published, and within
  :data:`GRACE` seconds the worker removes its private folder, kills its kernel and exits;
* a kernel, started through :mod:`planning.kernel_launcher`, polls its parent's pid
  and, once the parent is gone, removes the private folder it ran in and exits.

So no worker keeps publishing pages into a folder that a new run may be writing to, and no
temporary kernel folder outlives the run.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

__all__ = ["GRACE", "POLL", "die_with_parent", "stopping", "set_parent_death_signal", "remove_folder"]

GRACE = 2.0
"""Seconds a process may take to stop after its parent died, before it is ended outright."""
POLL = 0.2
"""Seconds between two looks at the parent's pid."""

_PR_SET_PDEATHSIG = 1
_stopping = threading.Event()


def remove_folder(path, seconds: float = 1.0) -> None:
    """Remove a folder even while a dying process still writes into it (bounded retries)."""
    import shutil

    deadline = time.monotonic() + seconds
    while os.path.lexists(path):
        shutil.rmtree(path, ignore_errors=True)
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)


def stopping() -> bool:
    """Whether this process's parent has died (publish nothing more)."""
    return _stopping.is_set()


def set_parent_death_signal(signum: int = signal.SIGTERM) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(cleanup: Callable[[], None], *, signal_on_death: bool = True, grace: float = GRACE,
                    poll: float = POLL) -> None:
    """Make this process stop when the process that started it dies.

    Parameters
    ----------
    cleanup : callable
        Run once before the process ends because of its parent's death (remove private
        folders, kill a kernel); must not block for long.
    signal_on_death : bool
        Also arrange SIGTERM on the parent's death (Linux) and stop softly on it: the running
        code gets SystemExit, then :func:`stopping` is true; after ``grace`` seconds the
        process ends regardless. Without it (a kernel, whose parent may have started it from
        a short-lived thread, which is what PR_SET_PDEATHSIG watches), only the pid is polled
        and the process ends at once.
    """
    parent = os.getppid()
    done = threading.Lock()

    def end_now() -> None:
        if done.acquire(blocking=False):
            with contextlib.suppress(BaseException):
                cleanup()
            os._exit(1)

    def later() -> None:
        time.sleep(grace)
        end_now()

    if signal_on_death:
        def on_term(signum, frame):
            # several SIGTERMs may come (the parent's threads end one by one): only the first
            # interrupts; a second would cut short the clean-up the first one started
            if _stopping.is_set():
                return
            _stopping.set()
            threading.Thread(target=later, name="planning-grace", daemon=True).start()
            raise SystemExit(1)

        signal.signal(signal.SIGTERM, on_term)
        set_parent_death_signal(signal.SIGTERM)

    def watch() -> None:
        while True:
            time.sleep(poll)
            if os.getppid() != parent:
                if signal_on_death:
                    with contextlib.suppress(OSError):
                        os.kill(os.getpid(), signal.SIGTERM)
                    later()
                end_now()

    threading.Thread(target=watch, name="planning-lifeline", daemon=True).start()
    if os.getppid() != parent:  # pragma: no cover - the parent died while this was set up
        end_now()
