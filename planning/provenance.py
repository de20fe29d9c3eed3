"""Where a report's numbers came from: input hashes, package versions, git commit, time.

Every report ends with a provenance appendix built from :func:`provenance`. Its inputs are
identified by SHA-256, so a reader can check that a report was made from exactly the files
they hold; the seed and the parameters make the numbers reproducible.

This module reads files (to hash them) and asks git for the code's commit (the data's is
read from its repository's files, never by running git there); it is an edge module used by
the reports and statements, never by the model.
"""

from __future__ import annotations

import hashlib
import platform
import re
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from planning.errors import InputError, Problem
from planning.version import DISTRIBUTION, VERSION

__all__ = ["file_sha256", "input_hashes", "check_input_hashes", "package_versions",
           "git_commit", "data_commit", "provenance", "KEY_PACKAGES"]

KEY_PACKAGES = ("numpy", "pandas", "scipy", "matplotlib", "papermill", "nbconvert",
                "nbclient", "ipykernel", "jinja2")

_CHUNK = 1 << 20


def file_sha256(path: Path | str) -> str:
    """The SHA-256 of a file's bytes, as 64 lowercase hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(sources: dict[str, Path], plan_path: Path | str | None = None) -> dict[str, str]:
    """SHA-256 of every input file of a dataset (``Dataset.sources``) and of ``plan_path``.

    Keys are the file names as the dataset knows them; an alternative plan is keyed
    ``plan (override): <name>``. Sorted by key so the mapping prints the same way every time.
    """
    hashes = {name: file_sha256(path) for name, path in sources.items()}
    if plan_path is not None:
        hashes[f"plan (override): {Path(plan_path).name}"] = file_sha256(plan_path)
    return dict(sorted(hashes.items()))


def check_input_hashes(expected: dict[str, str], actual: dict[str, str]) -> None:
    """Refuse to go on if the inputs changed since they were validated.

    Raises
    ------
    InputError
        Naming every file that was added, removed or changed.
    """
    problems = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            problems.append(Problem(name, None, None, "was validated but is gone; run the report again"))
        elif name not in expected:
            problems.append(Problem(name, None, None, "appeared after validation; run the report again"))
        elif expected[name] != actual[name]:
            problems.append(Problem(name, None, None, "changed after it was validated (SHA-256 differs); "
                                    "run the report again"))
    if problems:
        raise InputError(problems)


def package_versions(names=KEY_PACKAGES) -> dict[str, str]:
    """This package's version, then the installed versions of those that shape the numbers and the page.

    This package's own comes from :mod:`planning.version`, so a checkout that was never
    installed still names the version of its code.
    """
    versions = {DISTRIBUTION: VERSION, "python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(path: Path | str | None = None) -> str | None:
    """The git commit of the checkout holding ``path`` (default: this package), if any.

    Runs git, so only for this package's own checkout; a dataset's folder, which may come
    from anyone, goes through :func:`data_commit`, which never runs git.

    A ``+dirty`` suffix says the working tree had uncommitted changes. None when git is
    missing or the path is not in a repository.
    """
    where = Path(path) if path is not None else Path(__file__).resolve().parent
    if where.is_file():
        where = where.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=where,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{commit}+dirty" if dirty else commit or None


_HEX_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def _git_dir(start: Path) -> Path | None:
    """The ``.git`` folder of the repository holding ``start``, found by walking up."""
    for folder in (start, *start.parents):
        dotgit = folder / ".git"
        if dotgit.is_dir():
            return dotgit
        if dotgit.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = dotgit.read_text(encoding="utf-8", errors="replace").strip()
            if not text.startswith("gitdir:"):
                return None
            target = Path(text[len("gitdir:"):].strip())
            return target if target.is_absolute() else (folder / target).resolve()
    return None


def data_commit(path: Path | str) -> str | None:
    """The commit checked out in the git repository holding ``path``, if any.

    Read from the repository's files (``HEAD``, the ref it names, ``packed-refs``) without
    running git: a dataset folder may come from someone else, and git commands read the
    repository's own configuration, which can make them run programs (``core.fsmonitor``,
    clean filters). No ``+dirty`` here; the SHA-256 of every input identifies the files.
    """
    start = Path(path).resolve()
    if start.is_file():
        start = start.parent
    try:
        gitdir = _git_dir(start)
        if gitdir is None:
            return None
        head = (gitdir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
        if _HEX_COMMIT.fullmatch(head):
            return head
        ref = head[len("ref:"):].strip() if head.startswith("ref:") else ""
        if not ref.startswith("refs/") or ".." in ref.split("/"):
            return None
        common = gitdir
        if (gitdir / "commondir").is_file():
            common = (gitdir / (gitdir / "commondir").read_text(encoding="utf-8").strip()).resolve()
        for base in dict.fromkeys((gitdir, common)):
            loose = base / ref
            if loose.is_file():
                value = loose.read_text(encoding="utf-8", errors="replace").strip()
                return value if _HEX_COMMIT.fullmatch(value) else None
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8", errors="replace").splitlines():
                parts = line.split()
                if len(parts) == 2 and parts[1] == ref and _HEX_COMMIT.fullmatch(parts[0]):
                    return parts[0]
    except OSError:
        return None
    return None


def provenance(parameters: dict, sources: dict[str, Path], plan_path: Path | str | None = None,
               now: datetime | None = None) -> dict:
    """Everything the provenance appendix shows.

    Returns
    -------
    dict
        ``parameters`` (as passed to the report), ``seed``, ``inputs`` (file -> SHA-256),
        ``packages`` (name -> version), ``code_commit`` (this package's git commit or None),
        ``data_commit`` (the dataset folder's git commit or None) and ``generated_utc``
        (ISO 8601, seconds).
    """
    now = now or datetime.now(UTC)
    first = next(iter(sources.values()), None)
    return {
        "parameters": dict(parameters),
        "seed": parameters.get("seed"),
        "inputs": input_hashes(sources, plan_path),
        "packages": package_versions(),
        "code_commit": git_commit(),
        "data_commit": data_commit(first) if first is not None else None,
        "generated_utc": now.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }
