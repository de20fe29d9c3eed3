"""Workers die with their parent (issue 11, class 7): after ``kill -9`` of ``report --all``
no worker or kernel process lives on, no page is published afterwards, and no temporary
kernel folder is left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def processes_with(marker: str) -> list[int]:
    """Pids of live processes whose environment holds ``marker`` (TMPDIR of this test)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@pytest.mark.timeout(240)
@pytest.mark.parametrize("jobs", ["2", "1"])
def test_kill_9_of_report_all_stops_workers_and_kernels(tmp_path, jobs):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.xlsx"))
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    out = tmp_path / "reports"
    env = dict(os.environ, TMPDIR=str(private_tmp), PYTHONUNBUFFERED="1")
    marker = f"TMPDIR={private_tmp}"
    proc = subprocess.Popen([sys.executable, "-m", "planning", "report", "--data", str(data), "--all", "--out",
                             str(out), "--jobs", jobs, "--quiet", "--draws", "200"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        # wait until kernels run (their private folders exist) and the first page is out
        assert wait_for(lambda: any(private_tmp.glob("planning-kernel-*")) and any(out.glob("*Q*.html")), 180), \
            "the batch never started"
        assert len(processes_with(marker)) >= (3 if jobs == "2" else 2)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed_at = time.time()
        assert wait_for(lambda: not processes_with(marker), 15), \
            f"still running after the parent died: {processes_with(marker)}"
        stopped_at = time.time()
        assert wait_for(lambda: not list(private_tmp.iterdir()), 5), list(private_tmp.iterdir())
        late = [p.name for p in out.glob("*.html") if p.stat().st_mtime > killed_at + 0.5]
        assert late == [], f"pages published after the kill: {late}"
        assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
        assert stopped_at - killed_at < 15
    finally:
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)
