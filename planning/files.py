"""Writing files so that a failure leaves nothing half-written: the package's one writer.

Every file the package writes goes through here:

* :func:`write_atomic` / :func:`write_all_atomic`: one file, or several all or none (a
  temporary file beside each, fsync, rename, fsync of the folder); the CLI's ``--output``
  and ``--xlsx``, the reports' pages and index;
* :func:`write_new`: a file only if none is there, without a race (the cockpit's "Save
  this design" without "Replace");
* :func:`replace_folder`: a folder of pages published as a whole (the statements): the
  folder always holds exactly one run's files.

What is written is the callers' business: the bookkeeper's workbook and the JSON export
live in :mod:`planning.export`, pages in :mod:`planning.reporting.publishing`.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = ["CannotWrite", "write_atomic", "write_all_atomic", "write_new", "replace_folder",
           "fsync_folder"]


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
    folder that cannot be made, no permission, a read-only file system, no space left, a
    name too long); nothing is written then and no temporary file is left behind.
    """
    paths = [Path(path) for path, _ in files]
    for path in paths:
        try:
            is_dir = path.is_dir()
        except OSError as exc:  # a name too long, a loop of links
            raise CannotWrite(path, exc) from exc
        if is_dir:
            raise CannotWrite(path, IsADirectoryError(21, "Is a directory"))
    temps: list[Path] = []
    try:
        for path, (_, write) in zip(paths, files, strict=True):
            try:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except FileExistsError:  # a file where a folder of the path belongs
                    raise NotADirectoryError(errno.ENOTDIR, "Not a directory: a file is in the way") from None
                fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                raise CannotWrite(path, exc) from exc
            os.close(fd)
            temps.append(Path(tmp_name))
            try:
                write(temps[-1])
                with open(temps[-1], "rb+") as fh:
                    os.fsync(fh.fileno())
                os.chmod(temps[-1], mode)
            except OSError as exc:  # no space left, quota, I/O error: the path, not the temporary name
                raise CannotWrite(path, exc) from exc
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


def write_new(path: Path | str, text: str, mode: int = 0o644) -> Path:
    """Write ``text`` to ``path`` only if no file is there, atomically and without a race.

    The text goes to a temporary file beside ``path`` that is then hard-linked to ``path``:
    the link fails if a file appeared since the check (another browser tab saving to the
    same name), so nothing is ever replaced. Where the file system has no hard links, an
    existence check and a rename do the same, less strictly.

    Raises
    ------
    FileExistsError
        When ``path`` exists (``exc.filename`` is the path); nothing is written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    exists = FileExistsError(errno.EEXIST, "File exists", str(path))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise exists from None
        except OSError:  # no hard links here
            if path.exists():
                raise exists from None
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def replace_folder(folder: Path, pages: Mapping[str, str], mode: int = 0o600) -> list[Path]:
    """Publish ``pages`` (file name -> text) as the whole of ``folder``, replacing it.

    The pages are written into a private temporary folder beside it (mode 0700, files
    ``mode``), which then replaces the previous ``folder``. So the folder always holds
    exactly one run's pages (nothing left over from an earlier run), and a failure half-way
    leaves the previous folder as it was and no temporary folder behind. ``index.html`` is
    written last; the paths come back in that order.
    """
    root = folder.parent
    names = sorted(pages, key=lambda n: n == "index.html")
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=root))
    previous: Path | None = None
    try:
        for name in names:
            with open(os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "w",
                      encoding="utf-8") as fh:
                fh.write(pages[name])
                fh.flush()
                os.fsync(fh.fileno())
        if folder.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=root))
            os.replace(folder, previous / "statements")
        os.replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if previous is not None and (previous / "statements").exists() and not folder.exists():
            os.replace(previous / "statements", folder)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    fsync_folder(root)
    return [folder / name for name in names]
