"""Writing results to files (JSON, ``.xlsx``) atomically: nothing half-written on failure."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from planning.bonus import BonusResult, explain_pool, sharing_rule_text
from planning.money import format_cents

__all__ = ["CannotWrite", "write_atomic", "write_all_atomic", "fsync_folder", "write_json",
           "write_bonus_xlsx", "bonus_summary_frame"]


class CannotWrite(OSError):
    """A file of :func:`write_all_atomic` could not be written; ``path`` says which."""

    def __init__(self, path: Path, cause: OSError):
        super().__init__(cause.errno, cause.strerror or str(cause), str(path))
        self.path = path


def write_atomic(path: Path | str, write: Callable[[Path], None], mode: int = 0o644) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place.

    A failure leaves any previous file untouched and no partial file behind.
    """
    return write_all_atomic([(path, write)], mode)[0]


def write_all_atomic(files: list[tuple[Path | str, Callable[[Path], None]]], mode: int = 0o644) -> list[Path]:
    """Write several files all or none: each ``write(tmp)`` on a temporary file beside its
    path, and only when every one succeeded are they renamed into place.

    Raises :class:`CannotWrite` naming the path when one cannot be written (a folder, a
    folder that cannot be made, no permission); nothing is written then.
    """
    paths = [Path(path) for path, _ in files]
    for path in paths:
        if path.is_dir():
            raise CannotWrite(path, IsADirectoryError(21, "Is a directory"))
    temps: list[Path] = []
    try:
        for path, (_, write) in zip(paths, files, strict=True):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                raise CannotWrite(path, exc) from exc
            os.close(fd)
            temps.append(Path(tmp_name))
            write(temps[-1])
            with open(temps[-1], "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(temps[-1], mode)
        for tmp, path in zip(temps, paths, strict=True):
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise CannotWrite(path, exc) from exc
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise
    for folder in {path.parent for path in paths}:
        fsync_folder(folder)  # make the renames themselves durable
    return paths


def fsync_folder(path: Path) -> None:
    """Flush a folder's entries (renames into it) to disk; a no-op where that is unsupported."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_json(path: Path | str, data: object) -> Path:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def bonus_summary_frame(result: BonusResult) -> pd.DataFrame:
    """The summary sheet: one labelled value per row."""
    rows = [
        ("Period", result.period),
        ("Currency", result.currency),
        ("Revenue", result.revenue),
        ("Revenue target", result.revenue_target),
        ("Revenue attainment", result.revenue_attainment),
        ("GOP", result.gop),
        ("GOP target", result.gop_target),
        ("GOP attainment", result.gop_attainment),
        *((f"{'Revenue' if g.metric == 'revenue' else 'GOP'} gate {g.threshold:.0%}",
           "passed" if g.passed else f"missed by {g.shortfall * 100:.1f} points") for g in result.gates),
        ("Raw pool", result.raw_pool),
        *((f"Limit: {x.name}", f"{format_cents(x.before, result.currency, code=False)} -> "
                               f"{format_cents(x.after, result.currency, code=False)}") for x in result.limits),
        ("Bonus pool", result.pool),
        ("Allocated", result.allocated),
        ("Unallocated", result.unallocated),
        ("Pool as share of GOP", result.pool_share_of_gop),
        ("GOP after bonus", result.gop_after_bonus),
        ("How the pool was set", " ".join(explain_pool(result))),
        ("How it is shared", sharing_rule_text(result.plan)),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


def write_bonus_xlsx(path: Path | str, result: BonusResult) -> Path:
    """A workbook for the bookkeeper: a summary sheet and a per-person sheet (atomically)."""
    return write_atomic(path, lambda tmp: bonus_workbook(tmp, result))


def bonus_workbook(path: Path, result: BonusResult) -> None:
    """Write the bookkeeper's workbook to ``path`` (not atomic: see :func:`write_bonus_xlsx`).

    Built in memory by :mod:`planning.bookkeeper` (formats, frozen header, widths, totals,
    explanations, the confidential note), then written in one plain write.
    """
    from planning.bookkeeper import bonus_workbook_bytes

    Path(path).write_bytes(bonus_workbook_bytes(result, bonus_summary_frame(result)))
