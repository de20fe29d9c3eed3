"""``python -m planning.kernel_launcher -f CONNECTION_FILE``: an IPython kernel that
ends, and removes the private folder it runs in (``PLANNING_KERNEL_DIR``), when the process
that started it dies (see :mod:`planning.lifeline`)."""

from __future__ import annotations

import os

from planning.lifeline import die_with_parent, remove_folder


def main() -> None:
    folder = os.environ.get("PLANNING_KERNEL_DIR")

    def cleanup() -> None:
        if folder and os.path.basename(folder).startswith("planning-kernel-"):
            remove_folder(folder)

    # ipykernel's own parent poller would end the kernel without removing the folder, and
    # might do so half-way through our clean-up: this launcher watches the parent instead
    os.environ.pop("JPY_PARENT_PID", None)
    die_with_parent(cleanup, signal_on_death=False)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
