"""Reading input files in bounded time and memory, whatever is at the path.

Every loader reads its bytes through :func:`read_bounded`, so a named pipe, a device or a
folder where a file belongs is refused before anything is opened for reading (a pipe is
never opened blocking), and a file larger than any real company's is refused before it is
read. YAML goes through :func:`load_yaml_bounded` (nesting depth and the size the aliases
expand to are limited), and an ``.xlsx`` through :func:`open_workbook_archive`, which looks
at the zip's own table of contents before openpyxl reads a byte of it.

The limits, and why (see ``docs/data.md``, "Limits"):

* :data:`MAX_YAML_BYTES` (1 MiB): a ``plan.yaml`` or ``scenarios.yaml`` is a few kilobytes.
* :data:`MAX_TABLE_BYTES` (20 MiB) per CSV file and :data:`MAX_ROWS` (100,000) data rows per
  table: a small business has tens to hundreds of staff, a few departments and quarters, a
  few hundred campaigns; 100,000 rows is a hundred times more than the largest plausible
  table and still checks in a few seconds.
* :data:`MAX_WORKBOOK_BYTES` (20 MiB) on disk and :data:`MAX_WORKBOOK_UNZIPPED` (100 MiB)
  once unpacked, and no part more than :data:`MAX_RATIO` times smaller packed than unpacked
  (a workbook of real data packs 5 to 20 times; a "zip bomb" packs thousands of times).
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path
from typing import Any

from planning.errors import InputError

__all__ = ["MAX_YAML_BYTES", "MAX_TABLE_BYTES", "MAX_WORKBOOK_BYTES", "MAX_WORKBOOK_UNZIPPED", "MAX_RATIO",
           "MAX_ROWS", "MAX_COLUMNS", "MAX_YAML_DEPTH", "MAX_YAML_NODES", "YamlTooComplex", "read_bounded", "file_kind_problem",
           "load_yaml_bounded", "open_workbook_archive", "megabytes"]

MAX_YAML_BYTES = 1 << 20
MAX_TABLE_BYTES = 20 << 20
MAX_WORKBOOK_BYTES = 20 << 20
MAX_WORKBOOK_UNZIPPED = 100 << 20
MAX_RATIO = 200
#: A part smaller than this unpacked is never refused for its ratio (a blank sheet packs well).
_RATIO_FLOOR = 1 << 20
MAX_ROWS = 100_000
#: A table has about ten columns; data further right than this is refused, not read.
MAX_COLUMNS = 500
MAX_YAML_DEPTH = 50
MAX_YAML_NODES = 200_000
_MAX_ZIP_MEMBERS = 5_000


def megabytes(n: int) -> str:
    """``n`` bytes in words: ``20 MB``, ``1.5 MB``, ``312 KB``."""
    if n >= 1 << 20:
        return f"{n / (1 << 20):,.1f}".rstrip("0").rstrip(".") + " MB"
    return f"{max(1, round(n / 1024)):,} KB"


def file_kind_problem(mode: int) -> str | None:
    """What is wrong with an input path of this ``st_mode``, in words, or None for a file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISFIFO(mode):
        return "is a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    return "is not a regular file"


def read_bounded(path: Path, label: str, limit: int, expected: str) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, or InputError.

    The path is looked at with ``os.stat`` first, so a folder, a named pipe, a device or a
    socket is refused without being opened; the file is then opened non-blocking and
    checked again on the open descriptor (so it cannot be swapped for a pipe in between),
    and never more than ``limit + 1`` bytes are read (a file that grows while read, or a
    ``/proc`` file that claims size 0, is refused too).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError.single(label, f"file not found; expected {expected}") from None
    except OSError as exc:
        raise InputError.single(label, f"cannot be read ({exc.strerror or exc.__class__.__name__}); "
                                f"expected {expected}") from None
    kind = file_kind_problem(info.st_mode)
    if kind == "is a folder":  # the words the loaders have always used for a folder
        raise InputError.single(label, f"cannot be read (Is a directory); expected {expected}")
    if kind:
        raise InputError.single(label, f"cannot be read: it {kind}, not a file; expected {expected}")
    if info.st_size > limit:
        raise _too_large(label, info.st_size, limit)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError.single(label, f"cannot be read ({exc.strerror or exc.__class__.__name__}); "
                                f"expected {expected}") from None
    try:
        kind = file_kind_problem(os.fstat(fd).st_mode)
        if kind:
            raise InputError.single(label, f"cannot be read: it {kind}, not a file; expected {expected}")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError.single(label, f"cannot be read ({exc.strerror or exc.__class__.__name__}); "
                                f"expected {expected}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise _too_large(label, size, limit)
    return b"".join(chunks)


def _too_large(label: str, size: int, limit: int) -> InputError:
    shown = f"{megabytes(size)}" if size <= 2 * limit else f"more than {megabytes(limit)}"
    return InputError.single(label, f"is {shown}; the limit is {megabytes(limit)}, far more than any small "
                             "company's file of this kind (see docs/data.md, Limits)")


# --- YAML --------------------------------------------------------------------------------


class YamlTooComplex(Exception):
    """The document nests too deeply or its aliases expand to too many values."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def _bounded_loader(base: type) -> type:
    """A subclass of the loader ``base`` whose composer refuses deep nesting and alias bombs."""

    class Bounded(base):
        _depth = 0

        def compose_node(self, parent, index):
            self._depth += 1
            try:
                if self._depth > MAX_YAML_DEPTH:
                    mark = self.peek_event().start_mark
                    raise YamlTooComplex(f"nests more than {MAX_YAML_DEPTH} levels deep; expected a plain "
                                         "mapping of settings", mark.line + 1)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def get_single_node(self):
            node = super().get_single_node()
            if node is not None:
                _check_expansion(node)
            return node

    return Bounded


def _check_expansion(root) -> None:
    """Refuse a node graph whose aliases would expand to more than MAX_YAML_NODES values.

    Aliases share one node, so the graph is small even when writing it out in full would not
    be ("billion laughs"); the expanded size is counted once per distinct node.
    """
    sizes: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes and not done:
            continue
        children = []
        if isinstance(node.value, list):
            for item in node.value:
                children.extend(item if isinstance(item, tuple) else (item,))
        if not done:
            sizes[key] = -1  # in progress (a recursive alias is refused by the constructor)
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        total = 1 + sum(max(sizes.get(id(c), 0), 0) for c in children)
        if total > MAX_YAML_NODES:
            raise YamlTooComplex(f"expands to more than {MAX_YAML_NODES:,} values through its aliases (*name); "
                                 "expected a plain mapping of settings", node.start_mark.line + 1)
        sizes[key] = total


_LOADERS: dict[type, type] = {}


def load_yaml_bounded(text: str, loader: type) -> Any:
    """``yaml.load(text, Loader=loader)`` with the depth and expansion limits above.

    Raises :class:`YamlTooComplex` (with the line) when a limit is passed; YAML errors pass
    through.
    """
    import yaml

    bounded = _LOADERS.get(loader)
    if bounded is None:
        bounded = _LOADERS[loader] = _bounded_loader(loader)
    try:
        return yaml.load(text, Loader=bounded)  # noqa: S506 - a subclass of the caller's (safe) loader
    except RecursionError:
        raise YamlTooComplex(f"nests too deeply to read; expected at most {MAX_YAML_DEPTH} levels", None) from None


# --- workbooks -----------------------------------------------------------------------------


def open_workbook_archive(path: Path, label: str) -> io.BytesIO:
    """The bytes of the ``.xlsx`` at ``path`` as a file object, after checking the archive.

    Refused in words: not a file, larger than :data:`MAX_WORKBOOK_BYTES`, not a zip archive
    (an old ``.xls``, a CSV renamed, a damaged download), not a workbook (no
    ``xl/workbook.xml``), encrypted, or parts that unpack to more than
    :data:`MAX_WORKBOOK_UNZIPPED` in all or pack more than :data:`MAX_RATIO` to 1.
    """
    expected = "an .xlsx workbook"
    data = read_bounded(path, label, MAX_WORKBOOK_BYTES, expected)
    buffer = io.BytesIO(data)
    if data[:2] == b"\xd0\xcf":
        raise InputError.single(label, "is an old-style Excel (.xls) or password-protected file, not an .xlsx "
                                "workbook; in Excel, save it as \"Excel Workbook (.xlsx)\" without a password")
    try:
        archive = zipfile.ZipFile(buffer)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError.single(label, "is not an .xlsx workbook (it is not a zip archive, or it is damaged or "
                                "cut short); expected a workbook saved by Excel or LibreOffice") from None
    if len(members) > _MAX_ZIP_MEMBERS:
        raise InputError.single(label, f"has {len(members):,} parts; a workbook has a few dozen (limit "
                                f"{_MAX_ZIP_MEMBERS:,})")
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        raise InputError.single(label, "is a zip archive but not an .xlsx workbook (it has no xl/workbook.xml); "
                                "expected a workbook saved by Excel or LibreOffice")
    total = 0
    for m in members:
        if m.flag_bits & 0x1:
            raise InputError.single(label, f"has an encrypted part ({m.filename}); expected a workbook without "
                                    "a password")
        total += m.file_size
        if m.file_size > _RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise InputError.single(label, f"has a part ({m.filename}) that unpacks from "
                                    f"{megabytes(m.compress_size)} to {megabytes(m.file_size)}, more than "
                                    f"{MAX_RATIO} times; real data packs far less (a 'zip bomb'?)")
    for m in members:
        if m.filename.lower().endswith((".xml", ".rels", ".vml")) and m.file_size:
            try:
                with archive.open(m) as part:
                    head = part.read(4096).lower()
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
                raise InputError.single(label, f"cannot be read as an .xlsx workbook: its part {m.filename} is "
                                        "damaged; open it in Excel or LibreOffice and save it again as .xlsx") from None
            if b"<!doctype" in head or b"<!entity" in head:
                raise InputError.single(label, f"has a part ({m.filename}) that declares XML entities, which no "
                                        "spreadsheet program writes (an 'entity bomb'?); expected a workbook saved "
                                        "by Excel or LibreOffice")
    if total > MAX_WORKBOOK_UNZIPPED:
        raise InputError.single(label, f"unpacks to {megabytes(total)}; the limit is "
                                f"{megabytes(MAX_WORKBOOK_UNZIPPED)}, far more than any small company's "
                                "workbook (see docs/data.md, Limits)")
    buffer.seek(0)
    return buffer
