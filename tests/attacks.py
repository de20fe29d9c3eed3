"""Hostile inputs of every class of issue 11 that the command line can be driven with.

Each attack builds its files in a fresh folder, runs ``python -m planning ...`` in a
subprocess with a time limit and an address-space limit, and checks that it was refused
cleanly: exit status 2, every line on stderr one ``error:`` problem (one block, no
``Traceback``), the listing short and its lines clipped, and nothing half-written in the
output folder. ``python tests/attacks.py`` prints ``N attacks tried, M refused cleanly`` and
each failure; ``tests/test_attacks.py`` runs it.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data"
SECONDS = 60
MEMORY = 3 << 30
MAX_LINES = 60
MAX_LINE_CHARS = 600
STAFF_HEADER = "employee_id,name,department,role,annual_salary,fte,start_date,end_date,bonus_eligible"


@dataclass
class Attack:
    """One hostile input: ``build(folder)`` writes the files and returns the CLI arguments."""

    name: str
    build: Callable[[Path], list[str]]
    must_say: str | None = None           # words the one problem must contain
    file_limit: int | None = None         # RLIMIT_FSIZE for the run (a full disk without root)
    skip: Callable[[], str | None] = field(default=lambda: None)


def dataset(folder: Path, **files: str | bytes | None) -> Path:
    """The sample company's CSV and YAML files in ``folder/data``, some replaced (None: removed)."""
    data = folder / "data"
    shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns("*.xlsx", "books", "proposals.csv"))
    for name, content in files.items():
        path = data / name.replace("__", ".")
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return data


def validate(data: Path) -> list[str]:
    return ["validate", "--data", str(data)]


def staff_rows(*rows: str) -> str:
    return (SAMPLE / "staff.csv").read_text(encoding="utf-8") + "".join(r + "\n" for r in rows)


def workbook(folder: Path, change: Callable | None = None) -> Path:
    """The sample company as a workbook beside its YAML files, changed by ``change(book)``."""
    import openpyxl

    data = dataset(folder, staff__csv=None, actuals__csv=None, targets__csv=None, funnel__csv=None)
    book = openpyxl.load_workbook(SAMPLE / "sample-company.xlsx")
    if change is not None:
        change(book)
    path = data / "book.xlsx"
    book.save(path)
    return path


def rezip(path: Path, replace: dict[str, bytes]) -> None:
    """Rewrite some parts of the zip at ``path``."""
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    parts.update(replace)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


# --- the attacks ------------------------------------------------------------------------------


def pipe(folder):
    data = dataset(folder, staff__csv=None)
    os.mkfifo(data / "staff.csv")
    return validate(data)


def device_plan(folder):
    return ["bonus", "--data", str(dataset(folder)), "--period", "2026Q1", "--plan", "/dev/zero"]


def folder_plan(folder):
    data = dataset(folder, plan__yaml=None)
    (data / "plan.yaml").mkdir()
    return validate(data)


def huge_csv(folder):
    data = dataset(folder)
    with open(data / "actuals.csv", "ab") as fh:
        fh.truncate(64 << 20)
    return validate(data)


def huge_yaml(folder):
    data = dataset(folder)
    (data / "company.yaml").write_text("name: x\n# " + "x" * (3 << 20) + "\n")
    return validate(data)


def nested_yaml(folder):
    return validate(dataset(folder, plan__yaml="pool: " + "[" * 20000 + "]" * 20000 + "\n"))


def alias_yaml(folder):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return validate(dataset(folder, scenarios__yaml="\n".join(lines) + "\n"))


def zip_bomb(folder):
    path = workbook(folder)
    rezip(path, {"xl/worksheets/sheet1.xml": b"<?xml version='1.0'?>" + b" " * (60 << 20)})
    return validate(path)


def lying_zip(folder):
    """A part whose declared size is far smaller than what it inflates to."""
    path = workbook(folder)
    rezip(path, {"xl/worksheets/sheet1.xml": (SAMPLE_SHEET(path) + b" " * (30 << 20))})
    raw = bytearray(path.read_bytes())
    at = 0
    while (at := raw.find(b"PK\x01\x02", at)) >= 0:
        length = int.from_bytes(raw[at + 28:at + 30], "little")
        if raw[at + 46:at + 46 + length] == b"xl/worksheets/sheet1.xml":
            raw[at + 24:at + 28] = (4096).to_bytes(4, "little")   # the central directory's size
        at += 4
    path.write_bytes(bytes(raw))
    return validate(path)


def SAMPLE_SHEET(path: Path) -> bytes:  # noqa: N802 - reads like the constant it stands for
    with zipfile.ZipFile(path) as book:
        return book.read("xl/worksheets/sheet1.xml")


def entity_bomb(folder):
    path = workbook(folder)
    bomb = (b"<?xml version='1.0'?><!--" + b"x" * 8000 + b"--><!DOCTYPE l [<!ENTITY a 'aaaaaaaaaa'>"
            + b"".join(b"<!ENTITY a%d '&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;'>" % ((i,) + (b"" if i == 1 else b"%d" % (i - 1),) * 10)
                       for i in range(1, 9))
            + b"]><worksheet>&a8;</worksheet>")
    rezip(path, {"xl/worksheets/sheet1.xml": bomb})
    return validate(path)


def not_a_zip(folder):
    path = dataset(folder, staff__csv=None) / "book.xlsx"
    path.write_text(STAFF_HEADER + "\n")
    return validate(path)


def cut_short(folder):
    path = workbook(folder)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return validate(path)


def damaged_part(folder):
    path = workbook(folder)
    raw = bytearray(path.read_bytes())
    at = raw.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 40
    raw[at:at + 20] = bytes(20)
    path.write_bytes(bytes(raw))
    return validate(path)


def bad_cells(folder):
    rows = [f"X{i},N{i},Sales,Associate,{'9' * 1000}z,1,2020-01-01,,true" for i in range(5000)]
    return validate(dataset(folder, staff__csv=staff_rows(*rows)))


def hidden_row(folder):
    def hide(book):
        sheet = book["staff"]
        sheet.append(["E999", "Hidden", "Sales", "Associate", 9000000, 1, "2020-01-01", None, True])
        sheet.row_dimensions[sheet.max_row].hidden = True
    return validate(workbook(folder, hide))


def hidden_sheet(state):
    def build(folder):
        def hide(book):
            book["funnel"].sheet_state = state
        return validate(workbook(folder, hide))
    return build


def formula_without_result(folder):
    def formula(book):
        book["staff"]["E2"] = "=100000*2"
    return validate(workbook(folder, formula))


def look_alike(twin):
    def build(folder):
        return validate(dataset(folder, staff__csv=staff_rows(f"{twin},Twin,Sales,Associate,1000,1,2020-01-01,,true")))
    return build


def header_twins(folder):
    targets = (SAMPLE / "targets.csv").read_text().splitlines()
    text = "\n".join([targets[0] + ",GOP Target", *(line + ",1" for line in targets[1:])]) + "\n"
    return validate(dataset(folder, targets__csv=text))


def extra_cells(folder):
    return validate(dataset(folder, staff__csv=staff_rows("E990,Ann,Sales,Associate,1000,1,2020-01-01,,true,oops")))


def timed_date(folder):
    return validate(dataset(folder, staff__csv=staff_rows("E990,Ann,Sales,Associate,1000,1,2020-01-01 09:30,,true")))


def header_only(folder):
    return validate(dataset(folder, staff__csv=STAFF_HEADER + "\n"))


def output_path(folder, name):
    out = folder / "out"
    out.mkdir()
    return ["bonus", "--data", str(dataset(folder)), "--period", "2026Q1", "--output", str(out / name)]


def name_too_long(folder):
    return output_path(folder, "x" * 300 + ".txt")


def under_a_file(folder):
    out = folder / "out"
    out.mkdir()
    (out / "file").write_text("")
    return ["bonus", "--data", str(dataset(folder)), "--period", "2026Q1", "--output", str(out / "file" / "b.txt")]


def file_too_large(folder):
    out = folder / "out"
    out.mkdir()
    return ["bonus", "--data", str(dataset(folder)), "--period", "2026Q1", "--xlsx", str(out / "bonus.xlsx")]


def read_only_folder(folder):
    out = folder / "out"
    out.mkdir()
    out.chmod(0o555)
    return ["bonus", "--data", str(dataset(folder)), "--period", "2026Q1", "--output", str(out / "b.txt")]


def _root_reason() -> str | None:
    return "running as root, which writes into a read-only folder anyway" if os.geteuid() == 0 else None


ATTACKS = [
    Attack("a named pipe as staff.csv", pipe),
    Attack("/dev/zero as --plan", device_plan),
    Attack("a folder as plan.yaml", folder_plan),
    Attack("a 64 MB actuals.csv", huge_csv),
    Attack("a 3 MB company.yaml", huge_yaml),
    Attack("YAML nested 20,000 deep", nested_yaml),
    Attack("YAML aliases expanding to 10^10 values", alias_yaml),
    Attack("a workbook part that packs 60 MB into kilobytes", zip_bomb),
    Attack("a workbook part that inflates past its declared size", lying_zip, "damaged"),
    Attack("a workbook part declaring XML entities", entity_bomb),
    Attack("a CSV named .xlsx", not_a_zip),
    Attack("a workbook cut short", cut_short),
    Attack("a workbook with a damaged part", damaged_part, "damaged"),
    Attack("5,000 bad salaries of 1,000 characters", bad_cells),
    Attack("a hidden row in the staff sheet", hidden_row, "hidden"),
    Attack("a hidden sheet", hidden_sheet("hidden"), "hidden"),
    Attack("a very hidden sheet", hidden_sheet("veryHidden"), "hidden"),
    Attack("a formula with no saved result", formula_without_result, "formula"),
    Attack("an id with a zero-width space", look_alike("E003\u200b"), "look-alike"),
    Attack("a full-width id", look_alike("\uff25003"), "look-alike"),
    Attack("gop_target beside GOP Target", header_twins, "appears 2 times"),
    Attack("a row with more cells than the header", extra_cells, "cells"),
    Attack("a date with a time of day", timed_date, "time of day"),
    Attack("a header-only staff.csv", header_only, "no rows"),
    Attack("an output name of 300 characters", name_too_long),
    Attack("an output path under a file", under_a_file),
    Attack("a workbook larger than the file-size limit (a full disk without root)", file_too_large,
           file_limit=4096),
    Attack("a read-only output folder", read_only_folder, skip=_root_reason),
]


# --- running them --------------------------------------------------------------------------------


@dataclass
class Outcome:
    attack: Attack
    problem: str | None        # None: refused cleanly
    skipped: str | None = None


def _limits(file_limit: int | None):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
    return apply


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.lstat().st_size for p in folder.rglob("*")
            if "data" not in p.relative_to(folder).parts}


def run(attack: Attack) -> Outcome:
    reason = attack.skip()
    if reason:
        return Outcome(attack, None, reason)
    with tempfile.TemporaryDirectory(prefix="attack-") as tmp:
        folder = Path(tmp)
        args = attack.build(folder)
        before = snapshot(folder)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        try:
            done = subprocess.run([sys.executable, "-m", "planning", *args], capture_output=True, text=True,
                                  timeout=SECONDS, preexec_fn=_limits(attack.file_limit), env=env,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return Outcome(attack, f"still running after {SECONDS} s")
        after = snapshot(folder)
        return Outcome(attack, judge(attack, done, before, after))


def judge(attack: Attack, done, before: dict, after: dict) -> str | None:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    if "Traceback" in done.stderr:
        return "a traceback: " + (lines[-1] if lines else "")
    if done.returncode != 2:
        return f"exit {done.returncode}, not 2" + (f": {lines[0]}" if lines else "")
    if not lines or not all(line.startswith("error: ") for line in lines):
        return "stderr is not one block of 'error:' lines: " + " | ".join(lines[:3])
    if len(lines) > MAX_LINES or max(len(line) for line in lines) > MAX_LINE_CHARS:
        return f"{len(lines)} lines, the longest {max(len(line) for line in lines)} characters"
    if attack.must_say and not any(attack.must_say.lower() in line.lower() for line in lines):
        return f"does not say {attack.must_say!r}: {lines[0][:200]}"
    if after != before:
        new = sorted(set(after) - set(before)) or sorted(k for k in after if after[k] != before.get(k))
        return "left files behind: " + ", ".join(new[:5])
    return None


def run_all(workers: int = 2) -> list[Outcome]:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(run, ATTACKS))


def main() -> int:
    outcomes = run_all()
    tried = [o for o in outcomes if o.skipped is None]
    clean = [o for o in tried if o.problem is None]
    print(f"{len(tried)} attacks tried, {len(clean)} refused cleanly")
    for o in outcomes:
        if o.skipped:
            print(f"skipped: {o.attack.name}: {o.skipped}")
    for o in tried:
        if o.problem:
            print(f"FAILED: {o.attack.name}: {o.problem}")
    return 0 if len(clean) == len(tried) else 1


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["ATTACKS", "Attack", "Outcome", "run", "run_all", "main"]
