"""The app loads nothing from the network (issue 11, class 8)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

VOILA = Path(sys.executable).with_name("voila")
SHARE = ROOT / "planning" / "share"
# what makes a browser fetch something: src/href attributes, module imports, CSS url()/@import
_LOADS = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']\s*|\bfrom\s+["']|\bimport\(\s*["']|url\(\s*["']?|@import\s+["']?)"""
                    r"""((?:https?:)?//[^"')\s]+)""", re.I)


def external_loads(page: str) -> list[str]:
    return sorted(set(_LOADS.findall(page)))


def test_the_check_sees_what_voilas_own_template_loads():
    stock = (Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "lab" / "index.html.j2")
    if not stock.is_file():
        pytest.skip("Voila's lab template is not installed here")
    assert any("cdn.jsdelivr.net" in url for url in external_loads(stock.read_text()))
    assert external_loads('<img src="data:image/png;base64,xx"><a href="#top">') == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.timeout(180)
def test_the_served_app_references_no_external_url(tmp_path):
    port = _free_port()
    env = dict(os.environ, JUPYTER_PATH=str(SHARE))
    log = tmp_path / "voila.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([str(VOILA), str(ROOT / "planning" / "notebooks" / "01_explore_bonus.ipynb"), "--no-browser",
                                 f"--port={port}", "--Voila.ip=127.0.0.1", "--template=planning"],
                                cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        page = None
        deadline = time.monotonic() + 120
        while page is None:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:  # noqa: S310
                    page = response.read().decode("utf-8", "replace")
            except OSError:
                time.sleep(0.5)
        assert "BonusCockpit" not in page or "jp-OutputArea" in page
        assert external_loads(page) == []
        assert "fontawesome" not in page and "cdnjs" not in page
        for local in re.findall(r"""\b(?:src|href)\s*=\s*["'](/voila/[^"'?]+)""", page):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{local}", timeout=30) as response:  # noqa: S310
                assert response.status == 200, local
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_make_app_serves_the_offline_template():
    """`make app` runs `planning app`, which serves with the template and JUPYTER_PATH."""
    from planning.launch import app_command, app_environment

    assert "planning app --data" in (ROOT / "Makefile").read_text()
    assert "--template=planning" in app_command(ROOT / "x.ipynb", 8866)
    assert app_environment()["JUPYTER_PATH"].split(os.pathsep)[0] == str(ROOT / "planning" / "share")
