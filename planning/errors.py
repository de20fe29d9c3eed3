"""Problems found in input files, and the one exception that carries them.

Bad input never produces a number. Every loader collects all the problems of a file
(not just the first) as :class:`Problem` records and raises one :class:`InputError`;
the command line prints one line per problem and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["InputError", "Problem"]


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
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, row: int | None = None, column: str | None = None):
        return cls([Problem(file, row, column, message)])
