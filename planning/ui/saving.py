"""Where the cockpit's "Save this design" may write (issue 11, class 8), and how it says no.

The rule, also in ``docs/workbook.md``:

* The cockpit writes only inside its **save folder**: the folder of the ``design_path`` it
  was started with, taken once at start (``planning app`` starts it with
  ``OUT/plan-design.yaml``, so the folder is ``OUT``). A relative name typed in the box is
  read inside that folder; an absolute one must lie in it. ``..`` cannot climb out.
* It never goes through a link: a symbolic link anywhere from the save folder down to the
  file (a linked sub-folder, or the file itself) is refused, so a link cannot send the
  design to a file outside the folder.
* It writes a **new** file, or, with "Replace the file if it exists" ticked, replaces a file
  that is already a **plan** (one that loads as a ``plan.yaml``: a design saved before, a
  plan copied there). Any other file, YAML or not (``scenarios.yaml``, a configuration file,
  a file that does not load as a plan), is never replaced, ticked or not.
* Writing is all or nothing (:mod:`planning.files`); a failure (no space, read-only, no
  permission, a name too long) is one line naming the path, and nothing is left behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from planning.errors import InputError

__all__ = ["HEADER", "CannotSave", "save_folder", "design_target", "exists_message"]

HEADER = "# Success-bonus plan saved from the cockpit"
"""How a design's first line starts."""


class CannotSave(OSError):
    """Writing the design failed; ``str()`` is the one line the page shows."""

    def __init__(self, path: Path, cause: OSError):
        super().__init__(cause.errno, cause.strerror or str(cause), str(path))
        self.path = path

    def __str__(self) -> str:
        return f"Not saved: {self.path} cannot be written ({self.strerror}); nothing was written."


def save_folder(design_path: str | Path) -> Path:
    """The folder the cockpit may save in: ``design_path``'s folder, absolute, links resolved."""
    return Path(os.path.abspath(Path(design_path).expanduser())).parent.resolve()


def exists_message(path: Path) -> str:
    return f"{path} already exists; tick 'Replace the file if it exists' to replace it"


def _refuse(path: Path | str, why: str) -> InputError:
    return InputError.single(str(path), why)


def design_target(folder: Path, typed: str | Path, overwrite: bool) -> Path:
    """The file a design typed as ``typed`` goes to, checked against the rule above.

    Raises
    ------
    InputError
        A name that is not ``.yaml``, lies outside ``folder``, goes through a link, is a
        folder, or is an existing file that is not a plan (and ``overwrite`` is asked).
    FileExistsError
        An existing file and ``overwrite`` false.
    """
    typed_path = Path(str(typed).strip()).expanduser()
    if typed_path.suffix.lower() not in (".yaml", ".yml"):
        raise _refuse(typed_path, "expected a file name ending in .yaml, like plan-design.yaml")
    target = Path(os.path.normpath(typed_path if typed_path.is_absolute() else folder / typed_path))
    if not target.is_relative_to(folder) or target == folder:
        raise _refuse(target, f"is outside {folder}, the folder this cockpit saves in; "
                      "expected a file name in that folder, like plan-design.yaml")
    try:
        step = folder
        for part in target.relative_to(folder).parts:
            step = step / part
            if step.is_symlink():
                raise _refuse(target, f"{step} is a link; the cockpit never saves through a link "
                              "(it could lead out of its folder): expected a plain file name")
        if not target.resolve().is_relative_to(folder):  # belt and braces: the resolved path too
            raise _refuse(target, f"leads outside {folder}, the folder this cockpit saves in")
        exists = target.exists()
        if exists and not target.is_file():
            raise _refuse(target, "is not a file; expected a file name ending in .yaml")
    except OSError as exc:  # a name too long, a loop
        raise CannotSave(target, exc) from None
    if exists:
        if not overwrite:
            raise FileExistsError(exists_message(target))
        if not _is_plan(target):
            raise _refuse(target, "exists and is not a plan; the cockpit only replaces plan files "
                          "(a design saved before): expected a new file name")
    return target


def _is_plan(path: Path) -> bool:
    """Whether ``path`` loads as a ``plan.yaml`` (so replacing it replaces one plan by another)."""
    from planning.plan import load_plan

    try:
        load_plan(path)
    except (InputError, OSError, ValueError):
        return False
    return True
