"""Reading the YAML inputs (``company.yaml``, ``plan.yaml``, ``scenarios.yaml``, ...): a
syntax error or a key written twice is one problem naming the file and line, and a number
YAML reads as text gets a hint on how to write it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from planning.errors import InputError, Problem, quoted
from planning.input_limits import MAX_YAML_BYTES, YamlTooComplex, load_yaml_bounded, read_bounded

__all__ = ["read_yaml", "text_number_hint", "PlanReader"]


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: object, line: int, first_line: int):
        super().__init__(f"duplicate key {quoted(key)}")
        self.key, self.line, self.first_line = key, line, first_line


class _UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a key written twice in one mapping.

    PyYAML keeps the last value silently, so ``{rate: 0.3, rate: 0.4}`` would pay 40%
    without a word. Keys brought in by a merge (``<<: *base``) may still be overridden.
    """

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key, line = self.construct_object(key_node), key_node.start_mark.line + 1
                if key in seen:
                    raise _DuplicateKey(key, line, seen[key])
                seen[key] = line
        return super().construct_mapping(node, deep)


def read_yaml(path: Path, label: str | None = None) -> Any:
    """Load a YAML file; a syntax error or a repeated key becomes an InputError naming the line."""
    label = label or Path(path).name
    # a pipe, a device or a folder is refused unopened; a file over the limit unread (issue 11)
    data = read_bounded(Path(path), label, MAX_YAML_BYTES, "a YAML file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError.single(label, "is not UTF-8 text") from None
    try:
        return load_yaml_bounded(text, _UniqueKeyLoader)
    except YamlTooComplex as exc:
        raise InputError([Problem(label, exc.line, None, str(exc))]) from None
    except _DuplicateKey as exc:
        where = "earlier on the same line" if exc.first_line == exc.line else f"also on line {exc.first_line}"
        raise InputError([Problem(label, exc.line, None, f"key {quoted(exc.key)} is written twice ({where}); "
                                  "expected each key once, since only one value can count")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        row = mark.line + 1 if mark is not None else None
        where = f" (column {mark.column + 1})" if mark is not None else ""
        raise InputError([Problem(label, row, None, f"YAML syntax error{where}: {problem}")]) from None


def text_number_hint(value: Any) -> str:
    """For a number YAML read as text, how to write it (YAML 1.1 wants ``1.0e-3``, not ``1e-3``).

    >>> text_number_hint("3e-1")
    ' (YAML reads 3e-1 as text, not a number: write 0.3)'
    """
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return ""
        if math.isfinite(number):
            return (f" (YAML reads {value} as text, not a number: write "
                    f"{np.format_float_positional(number, trim='-')})")
    return ""


class PlanReader:
    """Collects problems while pulling typed values out of a nested mapping."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.source, None, key, message))

    def section(self, data: Mapping, key: str, allowed: tuple[str, ...]) -> dict:
        value = data.get(key.rsplit(".", 1)[-1]) if key else data
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.problem(key, f"must be a mapping of keys ({', '.join(allowed)}), not {quoted(value)}")
            return {}
        for unknown in sorted(set(map(str, value)) - set(allowed)):
            prefix = f"{key}.{unknown}" if key else unknown
            self.problem(prefix, f"unknown key; expected one of: {', '.join(allowed)}")
        return dict(value)

    def number(self, data: Mapping, key: str, path: str, *, low=None, high=None, low_open=False,
               default=None, expect: str = "a number", percent_hint: bool = False):
        if key not in data or data[key] is None:
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(path, f"{quoted(value)} is not a number{text_number_hint(value)}; expected {expect}")
            return default
        try:
            value = float(value)
        except OverflowError:  # an integer with hundreds of digits
            self.problem(path, f"a {len(str(abs(value)))}-digit number is too large; expected {expect}")
            return default
        if value != value or value in (float("inf"), float("-inf")):
            self.problem(path, f"{quoted(value)} is not a finite number; expected {expect}")
            return default
        too_low = low is not None and (value <= low if low_open else value < low)
        too_high = high is not None and value > high
        if too_low or too_high:
            hint = ""
            if percent_hint and value > 1:
                hint = f"; {value:g} looks like a percentage: write {value / 100:g} for {value:g}%"
            self.problem(path, f"{value:g} is out of range; expected {expect}{hint}")
            return default
        return value

    def boolean(self, data: Mapping, key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(path, f"{quoted(value)} is not true or false")
            return default
        return value

    def weights(self, data: Mapping, key: str, path: str, what: str) -> dict[str, float]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.problem(path, f"must be a mapping of {what} to a number, like {{Manager: 2}}")
            return {}
        out = {}
        for name in value:
            number = self.number(value, name, f"{path}.{name}", low=0,
                                 expect="a number of 0 or more")
            if number is not None:
                out[str(name)] = number
        return out
