"""The template's parameters: only names it declares, only plain JSON values.

papermill writes parameters into the notebook as code and only *warns* about an unknown
name, so :func:`check_parameters` runs before papermill sees anything.
"""

from __future__ import annotations

import copy
import keyword
import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import papermill

from planning.errors import InputError, Problem

__all__ = ["declared_parameters", "check_parameters", "prepare_notebook"]

_MAX_DEPTH = 8


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


def prepare_notebook(notebook: Path | str, dest: Path | str, parameters: Mapping[str, object]) -> Path:
    """Write a copy of ``notebook`` to ``dest`` with ``parameters`` injected, running nothing.

    For a notebook served by a tool that cannot pass parameters (Voila): papermill's
    prepare-only mode writes the injected-parameters cell. The parameters pass
    :func:`check_parameters` against the names the notebook declares first.
    """
    params = check_parameters(parameters, declared_parameters(notebook))
    papermill.execute_notebook(str(notebook), str(dest), parameters=params, prepare_only=True,
                               progress_bar=False, log_output=False)
    return Path(dest)
