"""The cockpit's "Save this design" and ``planning statements`` when writing fails or is not
allowed (issue 11, classes 2 and 8): one line naming the path (exit 2 for the CLI), nothing
half-written, and the cockpit writes only inside its own folder, never through a link and
never over a file that is not a plan."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from planning.cli import main
from planning.plan import load_plan, plan_to_dict
from planning.ui import BonusCockpit
from tests.test_write_failures import fill, one_error, tmpfs

NOT_A_PLAN = "services:\n  web: {image: nginx}\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "designs"


@pytest.fixture
def cockpit(tiny, folder):
    folder.mkdir()
    return BonusCockpit(tiny, period="2026Q1", charts=False, design_path=folder / "plan-design.yaml")


def save(cockpit, name, overwrite=False) -> str:
    cockpit.save_path.value = str(name)
    cockpit.save_overwrite.value = overwrite
    cockpit.save_button.click()
    return cockpit.save_status.value


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- where the cockpit may write -------------------------------------------------------------


def test_a_relative_name_is_saved_in_the_cockpits_folder(cockpit, folder):
    assert "Saved" in save(cockpit, "q1-design.yaml")
    assert plan_to_dict(load_plan(folder / "q1-design.yaml")) == plan_to_dict(cockpit.result.plan)


@pytest.mark.parametrize("name", ["ABSOLUTE", "../outside.yaml", "sub/../../outside.yaml"])
def test_a_path_outside_the_folder_is_refused(cockpit, folder, name):
    name = str(folder.parent / "outside.yaml") if name == "ABSOLUTE" else name
    status = save(cockpit, name, overwrite=True)
    assert "is outside" in status and str(folder) in status
    assert not (folder.parent / "outside.yaml").exists()


def test_a_link_to_a_file_outside_is_never_followed(cockpit, folder, tmp_path):
    victim = tmp_path / "victim.yaml"
    victim.write_text(NOT_A_PLAN)
    (folder / "link.yaml").symlink_to(victim)
    for overwrite in (False, True):
        status = save(cockpit, "link.yaml", overwrite=overwrite)
        assert "is a link" in status, status
    assert victim.read_text() == NOT_A_PLAN and (folder / "link.yaml").is_symlink()


def test_a_linked_folder_is_never_followed(cockpit, folder, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (folder / "shared").symlink_to(outside, target_is_directory=True)
    status = save(cockpit, "shared/design.yaml")
    assert "is a link" in status
    assert list(outside.iterdir()) == []


def test_a_dangling_link_is_not_a_way_out(cockpit, folder, tmp_path):
    (folder / "new.yaml").symlink_to(tmp_path / "created-outside.yaml")
    assert "is a link" in save(cockpit, "new.yaml", overwrite=True)
    assert not (tmp_path / "created-outside.yaml").exists()


def test_a_file_that_is_not_a_plan_is_never_replaced(cockpit, folder):
    other = folder / "docker-compose.yaml"
    other.write_text(NOT_A_PLAN)
    assert "already exists" in save(cockpit, other.name)
    status = save(cockpit, other.name, overwrite=True)
    assert "is not a plan" in status and "only replaces plan files" in status
    assert other.read_text() == NOT_A_PLAN


def test_its_own_design_is_replaced_when_ticked(cockpit, folder):
    assert "Saved" in save(cockpit, "plan-design.yaml")
    cockpit.pool_rate.value = 0.1
    assert "Saved" in save(cockpit, "plan-design.yaml", overwrite=True)
    assert load_plan(folder / "plan-design.yaml").pool.rate == 0.1
    assert leftovers(folder) == []


def test_the_folder_is_fixed_when_the_cockpit_starts(tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cockpit = BonusCockpit(tiny, period="2026Q1", charts=False)   # design_path "plan-design.yaml"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # the kernel's folder changes later
    assert "Saved" in save(cockpit, "design.yaml")
    assert (tmp_path / "design.yaml").is_file() and not (tmp_path / "elsewhere" / "design.yaml").exists()


# --- when writing fails ----------------------------------------------------------------------


def test_no_space_while_saving_is_one_line_naming_the_path(cockpit, folder, monkeypatch):
    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    status = save(cockpit, "design.yaml")
    assert f"Not saved: {folder / 'design.yaml'} cannot be written (No space left on device); " \
           "nothing was written." in status
    assert list(folder.iterdir()) == []


def test_saving_on_a_full_disk_leaves_nothing(tiny, tmp_path):
    with tmpfs(tmp_path / "full", "size=64k") as full:
        cockpit = BonusCockpit(tiny, period="2026Q1", charts=False, design_path=full / "plan-design.yaml")
        fill(full)
        status = save(cockpit, "plan-design.yaml")
        assert "No space left on device" in status and str(full / "plan-design.yaml") in status
        assert sorted(p.name for p in full.iterdir()) == ["filler", "filler.small"]


def test_saving_into_a_read_only_folder_is_one_line(tiny, tmp_path):
    with tmpfs(tmp_path / "ro", "size=64k,ro") as read_only:
        cockpit = BonusCockpit(tiny, period="2026Q1", charts=False, design_path=read_only / "plan-design.yaml")
        status = save(cockpit, "plan-design.yaml")
        assert "Read-only file system" in status and str(read_only / "plan-design.yaml") in status


def test_no_permission_is_one_line(cockpit, folder, monkeypatch):
    import planning.files as files

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)
    status = save(cockpit, "design.yaml")
    assert f"{folder / 'design.yaml'} cannot be written (Permission denied)" in status


def test_a_name_too_long_is_one_line(cockpit, folder):
    status = save(cockpit, "x" * 300 + ".yaml")
    assert "File name too long" in status and "Traceback" not in status
    assert list(folder.iterdir()) == []


# --- planning statements ---------------------------------------------------------------------


def statements(tiny_dir, out) -> list[str]:
    return ["statements", "--data", str(tiny_dir), "--period", "2026Q1", "--out", str(out)]


def test_statements_with_no_space_are_one_line_naming_the_folder(tiny_dir, tmp_path, capsys, monkeypatch):
    out = tmp_path / "statements"
    assert main(statements(tiny_dir, out)) == 0
    before = {p.name: p.read_bytes() for p in (out / "2026Q1").iterdir()}
    capsys.readouterr()

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    assert main(statements(tiny_dir, out)) == 2
    line = one_error(capsys)
    assert line.startswith(f"error: --out: {out / '2026Q1'} cannot be written (No space left on device); ")
    assert {p.name: p.read_bytes() for p in (out / "2026Q1").iterdir()} == before  # the previous run, whole
    assert sorted(p.name for p in out.iterdir()) == ["2026Q1"]                    # no temporary folder


def test_statements_on_a_full_disk_are_one_line(tiny_dir, tmp_path, capsys):
    with tmpfs(tmp_path / "full", "size=64k") as full:
        fill(full)
        assert main(statements(tiny_dir, full)) == 2
        line = one_error(capsys)
        assert "No space left on device" in line and str(full) in line
        assert sorted(p.name for p in full.iterdir() if not p.name.startswith("filler")) in ([], ["2026Q1"])
        assert not (full / "2026Q1").exists() or list((full / "2026Q1").iterdir()) == []


def test_statements_into_a_read_only_folder_are_one_line(tiny_dir, tmp_path, capsys):
    with tmpfs(tmp_path / "ro", "size=64k,ro") as read_only:
        assert main(statements(tiny_dir, read_only)) == 2
        line = one_error(capsys)
        assert line.startswith("error: --out: ") and str(read_only) in line


def test_statements_with_no_permission_are_one_line(tiny_dir, tmp_path, capsys, monkeypatch):
    import planning.files as files

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkdtemp", denied)
    assert main(statements(tiny_dir, tmp_path / "s")) == 2
    assert f"{tmp_path / 's' / '2026Q1'} cannot be written (Permission denied)" in one_error(capsys)


def test_statements_with_a_name_too_long_are_one_line(tiny_dir, tmp_path, capsys):
    assert main(statements(tiny_dir, tmp_path / ("s" * 300))) == 2
    assert "File name too long" in one_error(capsys)
