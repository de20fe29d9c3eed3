"""A failure to write is one line naming the path, exit 2, nothing half-written (issue 11,
classes 2 and 3; this part of issue 11 covers bonus and report): a real full disk and a read-only folder (small tmpfs mounts, as root),
ENOSPC monkeypatched into the writers, and names too long."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from planning.cli import main


def _mount(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    return done.returncode == 0


@contextlib.contextmanager
def tmpfs(path: Path, options: str):
    if not _mount(path, options):
        pytest.skip("mounting a tmpfs needs root (the monkeypatched tests below cover the same code)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(folder: Path) -> None:
    """Fill the file system of ``folder`` up to the last byte."""
    for name, block in (("filler", 4096), ("filler.small", 64)):
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\0" * block):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)


@pytest.fixture
def full_disk(tmp_path):
    with tmpfs(tmp_path / f"full-{uuid.uuid4().hex[:6]}", "size=64k") as folder:
        yield folder


@pytest.fixture
def read_only(tmp_path):
    with tmpfs(tmp_path / f"ro-{uuid.uuid4().hex[:6]}", "size=64k,ro") as folder:
        yield folder


def one_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("filler"))


def bonus(tiny_dir, *extra) -> list[str]:
    return ["bonus", "--data", str(tiny_dir), "--period", "2026Q1", *extra]


# --- bonus --output / --xlsx ---------------------------------------------------------------


@pytest.mark.parametrize("flag, name", [("--output", "bonus.txt"), ("--xlsx", "bonus.xlsx")])
def test_bonus_on_a_full_disk_is_one_line_and_nothing_written(tiny_dir, full_disk, capsys, flag, name):
    fill(full_disk)
    target = full_disk / name
    extra = [flag, str(target)] + (["--output", str(full_disk / "b.txt")] if flag == "--xlsx" else [])
    assert main(bonus(tiny_dir, *extra)) == 2
    line = one_error(capsys)
    assert line.startswith("error: ") and "No space left on device" in line and str(full_disk) in line
    assert listing(full_disk) == []   # neither file, no temporary file


def test_bonus_into_a_read_only_folder_is_one_line(tiny_dir, read_only, capsys):
    assert main(bonus(tiny_dir, "--output", str(read_only / "b.txt"))) == 2
    line = one_error(capsys)
    assert "Read-only file system" in line and str(read_only / "b.txt") in line
    assert listing(read_only) == []


def test_bonus_with_enospc_while_writing_is_one_line(tiny_dir, tmp_path, capsys, monkeypatch):
    def no_space(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", no_space)
    assert main(bonus(tiny_dir, "--output", str(tmp_path / "out" / "b.txt"))) == 2
    line = one_error(capsys)
    assert line == f"error: --output: {tmp_path / 'out' / 'b.txt'} cannot be written (No space left on device); " \
                   "expected a file in a folder you can write to"
    assert list((tmp_path / "out").iterdir()) == []


def test_a_file_name_too_long_is_one_line(tiny_dir, tmp_path, capsys):
    assert main(bonus(tiny_dir, "--output", str(tmp_path / ("x" * 300 + ".txt")))) == 2
    assert "File name too long" in one_error(capsys)


def test_a_path_under_a_file_is_one_line(tiny_dir, tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(bonus(tiny_dir, "--output", str(tmp_path / "file" / "b.txt"))) == 2
    assert "Not a directory" in one_error(capsys)


# --- reports ---------------------------------------------------------------------------------


def test_report_into_a_read_only_folder_is_one_line(tiny_dir, read_only, capsys):
    assert main(["report", "--data", str(tiny_dir), "--period", "2026Q1", "--out", str(read_only)]) == 2
    line = one_error(capsys)
    assert line.startswith("error: --out: ") and str(read_only) in line


def test_report_on_a_full_disk_is_exit_2_and_the_index_lists_only_what_is_there(tiny_dir, full_disk, capsys):
    fill(full_disk)
    assert main(["report", "--data", str(tiny_dir), "--period", "2026Q1", "--out", str(full_disk)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"error: report 2026Q1-owner: {full_disk / '2026Q1-owner.html'} cannot be written (No space left" in err
    assert "published 0 of 1 report; failed: 2026Q1-owner" in err
    assert not (full_disk / "2026Q1-owner.html").exists()
    assert [p for p in listing(full_disk) if p.endswith(".tmp")] == []
    index = full_disk / "index.html"
    assert not index.exists() or "2026Q1-owner.html" not in index.read_text()


def test_report_all_tells_the_truth_when_staff_pages_cannot_be_written(tiny_dir, tmp_path, capsys, monkeypatch):
    """The staff page's failure used to mark the owner page of the same quarter failed."""
    import planning.reporting.runner.batch as batch
    from planning.files import CannotWrite

    real = batch.publish_html

    def staff_pages_fail(path, page, mode=0o644):
        if path.name.endswith("-staff.html"):
            raise CannotWrite(path, OSError(errno.ENOSPC, "No space left on device"))
        return real(path, page, mode)

    monkeypatch.setattr(batch, "publish_html", staff_pages_fail)
    out = tmp_path / "reports"
    assert main(["report", "--data", str(tiny_dir), "--all", "--out", str(out), "--jobs", "2", "--quiet",
                 "--draws", "200"]) == 2
    captured = capsys.readouterr()
    published = captured.out.split()
    assert sorted(Path(p).name for p in published) == ["2026Q1-owner.html", "2026Q2-owner.html"]
    assert "published 2 of 4 reports; failed: 2026Q1-staff, 2026Q2-staff" in captured.err \
        or "published 2 of 4 reports; failed: 2026Q2-staff, 2026Q1-staff" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["2026Q1-owner.html", "2026Q2-owner.html", "index.html"]
    index = (out / "index.html").read_text()
    assert "2026Q1-owner.html" in index and "2026Q2-owner.html" in index and "-staff.html" not in index
