"""Where the CLI's parallel work runs: this process, a local Dask cluster, or a Dask scheduler.

``simulate --workers N`` starts a Dask ``LocalCluster`` of N single-threaded worker processes
for the run and stops it after; ``simulate --scheduler ADDRESS`` sends the work to a running
Dask distributed scheduler (``tcp://host:8786``). Either way the command gets a
``concurrent.futures.Executor`` (``Client.get_executor``) and the results are identical to a
run in this process (the Monte Carlo's blocks are seeded by their index, not by where they
run: :mod:`planning.montecarlo`).                                                       (edge)
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Iterator
from concurrent.futures import Executor

from planning.errors import InputError
from planning.terminal import require_extra

__all__ = ["CONNECT_TIMEOUT", "executor_options", "executor_problem", "open_executor"]

CONNECT_TIMEOUT = 10
"""Seconds ``--scheduler`` waits for the scheduler to answer before giving up (one line, exit 2)."""


def executor_options(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--workers N`` and ``--scheduler ADDRESS`` (one or the other) to ``parser``."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N",
                       help=f"run {what} on a local Dask cluster of N worker processes, started for this run "
                            "(needs the 'scale' extra; default: in this process)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help=f"run {what} on a running Dask distributed scheduler, like tcp://10.0.0.5:8786 "
                            "(needs the 'scale' extra; default: in this process)")


def executor_problem(workers: int | None) -> str | None:
    """What is wrong with ``--workers`` (None when nothing is)."""
    if workers is not None and workers < 1:
        return f"{workers} is not a number of workers; expected a whole number from 1"
    return None


@contextlib.contextmanager
def open_executor(command: str, workers: int | None = None, scheduler: str | None = None) -> Iterator[Executor | None]:
    """The executor for ``--workers``/``--scheduler``, or None (this process) without either.

    A local cluster is stopped when the block ends; a scheduler that cannot be reached is an
    InputError naming ``--scheduler`` (exit 2, one line). ``pure=False``: Dask would otherwise
    hand back an earlier identical call's result instead of running it (harmless for seeded
    work, but a benchmark repeating a run would time nothing).
    """
    problem = executor_problem(workers)
    if problem:
        raise InputError.single("--workers", problem)
    if workers is None and scheduler is None:
        yield None
        return
    require_extra(f"{command} --workers" if workers is not None else f"{command} --scheduler")
    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        if workers is not None:
            cluster = stack.enter_context(LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                silence_logs=logging.ERROR))
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError, ValueError, TypeError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise InputError.single("--scheduler", f"cannot reach the Dask scheduler at {scheduler!r} "
                                        f"({reason}); expected the address of a running scheduler, "
                                        "like tcp://10.0.0.5:8786") from None
        yield client.get_executor(pure=False)
