"""What the command line needs from the terminal and the environment around it.

Progress bars only on a terminal (a log gets no carriage-return frames), problems as JSON
objects for ``--json``, and the check that a command's optional extra is installed. An edge
module: the model never imports it.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterable, Sequence

from planning.errors import Problem
from planning.version import install_hint

__all__ = ["NEEDS", "PROGRESS_DELAY", "MissingExtra", "is_terminal", "problem_dicts", "progress_bar", "require_extra"]

PROGRESS_DELAY = 1.0  # seconds before an automatic progress bar appears (a shorter run shows none)

# What the commands beyond the core need: the extra that brings it and the modules they import
# (the first one missing is named).
NEEDS = {
    "report": ("workbook", ("papermill", "nbconvert", "nbformat", "nbclient", "jupyter_client", "ipykernel")),
    "lab": ("workbook", ("jupyterlab", "ipykernel", "ipywidgets")),
    "app": ("app", ("voila", "papermill", "ipykernel", "ipywidgets")),
    "import --from beancount": ("books", ("beancount",)),
    "simulate --workers": ("scale", ("dask", "distributed")),
    "simulate --scheduler": ("scale", ("dask", "distributed")),
}


class MissingExtra(Exception):
    """A command needs an optional part of the package that is not installed (exit 2).

    Parameters
    ----------
    command : str
        The command as typed, like ``report``.
    extra : str
        The extra that brings what is missing.
    module : str
        The first module of it that is missing.
    """

    def __init__(self, command: str, extra: str, module: str):
        self.command, self.extra, self.module = command, extra, module
        super().__init__(f"planning {command} needs the '{extra}' extra ({module} is not installed); "
                         f"install it with: {install_hint(extra)}")


def _missing(modules: Iterable[str]) -> str | None:
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                return name
        except (ImportError, ValueError):
            return name
    return None


def require_extra(command: str) -> None:
    """Raise :class:`MissingExtra` unless every module ``command`` needs (:data:`NEEDS`) is installed."""
    extra, modules = NEEDS[command]
    module = _missing(modules)
    if module is not None:
        raise MissingExtra(command, extra, module)


def problem_dicts(problems: Sequence[Problem]) -> list[dict]:
    """Problems as ``{file, row, column, message}`` objects, the shape ``--json`` prints."""
    return [{"file": p.file, "row": p.row, "column": p.column, "message": p.message} for p in problems]


def is_terminal(stream=None) -> bool:
    """Whether ``stream`` (default stderr, where bars go) is an interactive terminal."""
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or replaced by something without isatty
        return False


class _Bar:
    """A tqdm bar fed by a callback: ``bar(done, total)`` with the work done so far (the Monte
    Carlo's ``progress`` signature), then ``bar.close()``."""

    def __init__(self, total: int, desc: str, unit: str, delay: float, stream):
        from tqdm import tqdm

        self._tqdm = tqdm(total=total, desc=desc, unit=unit, unit_scale=True, delay=delay,
                          file=stream, dynamic_ncols=True, leave=False)
        self._done = 0

    def __call__(self, done: int, total: int | None = None) -> None:
        if done > self._done:
            self._tqdm.update(done - self._done)
            self._done = done

    def close(self) -> None:
        self._tqdm.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _NoBar:
    """No progress shown; the context-manager and ``close`` protocol every bar has."""

    def __call__(self, done: int, total: int | None = None) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Lines(_NoBar):
    """Asked-for progress where there is no terminal: a plain line at each tenth, no ``\\r``."""

    def __init__(self, total: int, desc: str, unit: str, stream):
        self._total, self._desc, self._unit, self._stream = max(int(total), 1), desc, unit, stream
        self._tenth = 0

    def __call__(self, done: int, total: int | None = None) -> None:
        tenth = min(10, done * 10 // self._total)
        if tenth > self._tenth:
            self._tenth = tenth
            print(f"{self._desc}: {done:,} of {self._total:,} {self._unit}s ({tenth * 10}%)", file=self._stream,
                  flush=True)


def progress_bar(total: int, desc: str, unit: str, show: bool | None = None, delay: float = PROGRESS_DELAY,
                 stream=None) -> Callable[[int], None]:
    """A progress callback that draws a bar on a terminal and nothing anywhere else.

    Parameters
    ----------
    total : int
        The amount of work (draws, reports).
    desc, unit : str
        The bar's label and unit.
    show : bool or None
        None (the default): a bar for long runs, one that appears after ``delay`` seconds,
        and nothing when ``stream`` is not a terminal; True: a bar from the start, or where
        ``stream`` is not a terminal one plain line at each tenth of the work; False: never.
        A log or a pipe never gets carriage-return frames.
    delay : float
        Seconds before an automatic bar appears; a shorter run shows none.
    stream : file, optional
        Where the bar goes; default stderr.

    Returns
    -------
    callable
        Call it as ``bar(done, total)`` with the work done so far; it is also a context
        manager that closes the bar.
    """
    stream = sys.stderr if stream is None else stream
    if show is False or (show is None and not is_terminal(stream)):
        return _NoBar()
    if not is_terminal(stream):   # asked for, into a log or a pipe: plain lines
        return _Lines(int(total), desc, unit, stream)
    return _Bar(int(total), desc, unit, 0.0 if show else delay, stream)
