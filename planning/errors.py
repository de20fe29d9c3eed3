"""Problems found in input files, and the one exception that carries them.

Bad input never produces a number. Every loader collects all the problems of a file
(not just the first) as :class:`Problem` records and raises one :class:`InputError`;
the command line prints one line per problem and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["InputError", "Problem", "quoted", "cap_problems", "summary_problem", "MAX_LISTED", "QUOTE_CHARS"]

#: At most this many problems are listed per file and column; the rest are one summary line.
MAX_LISTED = 10
#: A value quoted in a message is clipped to about this many characters.
QUOTE_CHARS = 40


def quoted(value: object) -> str:
    """``repr(value)`` for a message, clipped to :data:`QUOTE_CHARS` characters with ``...``.

    >>> quoted("12k"), quoted("x" * 1000)[-6:], len(quoted("x" * 1000)) < 50
    ("'12k'", "xx...'", True)
    """
    if isinstance(value, str) and len(value) > QUOTE_CHARS:
        return repr(value[:QUOTE_CHARS])[:-1] + "..." + repr(value[:1])[-1]
    text = repr(value)
    return text if len(text) <= 3 * QUOTE_CHARS else text[:3 * QUOTE_CHARS] + "..."


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file.

    Parameters
    ----------
    file : str
        The file's name as the user knows it (``staff.csv``, ``plan.yaml``,
        ``sample.xlsx[staff]``).
    row : int or None
        The row as a spreadsheet shows it: the header is row 1, the first data row is row 2.
        For YAML files, the line of a syntax error. None for YAML keys and whole-file problems.
    column : str or None
        The column, or for YAML the dotted key path (``pool.rate``).
    message : str
        What is wrong and what was expected.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    #: For a summary line ("... and 2,490 more bad values in column ..."): how many it stands for.
    more: int = field(default=0, compare=False, repr=False)
    #: ... and the column they are in.
    of_column: str | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            is_yaml = self.file.lower().endswith((".yaml", ".yml", ".beancount", ".bean"))
            where.append(f"{'line' if is_yaml else 'row'} {self.row}")
        if self.column is not None:
            where.append(f"{'key' if self.row is None else 'column'} {self.column}")
        return f"{', '.join(where)}: {self.message}"


class InputError(Exception):
    """Raised with every problem found in the inputs; the CLI exits 2 on it."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = cap_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, row: int | None = None, column: str | None = None):
        return cls([Problem(file, row, column, message)])


def summary_problem(file: str, column: str | None, count: int) -> Problem:
    """The one line that stands for ``count`` problems of ``file``'s ``column`` not listed."""
    where = f"in column {column}" if column is not None else f"in {file}"
    what = "bad values" if column is not None else "problems"
    return Problem(file, None, None, f"... and {count:,} more {what} {where}", more=count, of_column=column)


def cap_problems(problems: Iterable[Problem]) -> list[Problem]:
    """At most :data:`MAX_LISTED` problems per file and column, then one summary line.

    The order is kept; a group's summary line follows its last listed problem. Summary lines
    already in ``problems`` (from a loader that stopped listing early) are merged, so capping
    twice changes nothing.
    """
    listed: list[Problem] = []
    shown: dict[tuple, int] = {}
    hidden: dict[tuple, int] = {}
    last: dict[tuple, int] = {}
    for problem in problems:
        key = (problem.file, problem.column) if not problem.more else (problem.file, problem.of_column)
        if problem.more:
            hidden[key] = hidden.get(key, 0) + problem.more
        elif shown.get(key, 0) < MAX_LISTED:
            shown[key] = shown.get(key, 0) + 1
            last[key] = len(listed)
            listed.append(problem)
        else:
            hidden[key] = hidden.get(key, 0) + 1
    if not hidden:
        return listed
    after: dict[int, list[Problem]] = {}
    tail = []
    for key, count in hidden.items():
        summary = summary_problem(key[0], key[1], count)
        (after.setdefault(last[key], []) if key in last else tail).append(summary)
    out = []
    for i, problem in enumerate(listed):
        out.append(problem)
        out.extend(after.get(i, ()))
    return out + tail

