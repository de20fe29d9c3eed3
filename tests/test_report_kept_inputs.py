"""A warm kernel loads a batch's validated inputs once, and never reuses them once a file changed."""

from __future__ import annotations

import shutil

import pytest

from planning.errors import InputError
from planning.inputs import load_dataset
from planning.provenance import input_hashes
from planning.reporting.content.report import build_report
from tests.conftest import ROOT


def test_reports_of_one_batch_share_the_loaded_inputs_until_a_file_changes(tmp_path):
    data = shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("*.xlsx", "books"))
    hashes = input_hashes(load_dataset(data).sources)
    owner = build_report(data, "2026Q4", "owner", inputs_sha256=hashes)
    staff = build_report(data, "2026Q4", "staff", inputs_sha256=hashes)
    assert staff.dataset is owner.dataset and staff.plan is owner.plan
    assert build_report(data, "2026Q4", "staff").dataset is not owner.dataset   # no hashes: loaded afresh
    (data / "targets.csv").write_text((data / "targets.csv").read_text() + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="targets.csv"):
        build_report(data, "2026Q4", "staff", inputs_sha256=hashes)
