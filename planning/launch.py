"""Starting the interactive tools: JupyterLab on the workbook, and the owner's cockpit in Voila.

``planning lab`` and ``planning app`` build the command line of the tool and run it in this
Python environment (``python -m jupyterlab``, ``python -m voila``), so they work wherever
the package and its extras are installed, with or without the repository's Makefile.

JupyterLab refuses to start as root ("Running as root is not recommended. Use --allow-root
to bypass."). Containers and CI often run as root, so when the effective user id is 0
``planning lab`` passes ``--allow-root``, the bypass Jupyter names, and says so. Running as a
normal user remains the better choice (Jupyter's own container images do).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from planning.commandline import add_command
from planning.errors import InputError
from planning.terminal import require_extra

__all__ = ["APP_FOLDER", "DEFAULT_APP_PORT", "DEFAULT_LAB_PORT", "add_server_commands", "app_command",
           "check_port", "lab_command", "prepare_app", "run", "running_as_root"]

DEFAULT_APP_PORT = 8866
DEFAULT_LAB_PORT = 8888
APP_FOLDER = ".app"  # under --out: the parameterised copy of the cockpit that Voila serves


def running_as_root() -> bool:
    """Whether this process runs with effective user id 0 (False where there are no user ids)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def check_port(port: int) -> int:
    """A TCP port number, or bad input naming ``--port``."""
    if not 1 <= port <= 65535:
        raise InputError.single("--port", f"{port} is not a port; expected a whole number from 1 to 65535")
    return port


def lab_command(folder: Path | str, port: int = DEFAULT_LAB_PORT, as_root: bool | None = None,
                browser: bool = True) -> list[str]:
    """The JupyterLab command for ``folder``; with ``--allow-root`` when running as root."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError.single("--dir", f"{folder} is not a folder; expected the folder of notebooks to open")
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder.resolve()}",
               f"--port={check_port(port)}", "--ServerApp.ip=127.0.0.1"]
    if running_as_root() if as_root is None else as_root:
        command.append("--allow-root")
    if not browser:
        command.append("--no-browser")
    return command


def prepare_app(data: Path | str, out: Path | str) -> Path:
    """Write the cockpit notebook with ``data_path`` and ``design_path`` set; return its path.

    Voila cannot pass parameters to a notebook, so the served copy carries them
    (:func:`planning.reporting.runner.parameters.prepare_notebook`: parameters injected, nothing run). ``design_path`` is
    ``OUT/plan-design.yaml``, where the cockpit saves a plan design.
    """
    from planning.notebooks import COCKPIT, notebook_path
    from planning.reporting.runner.parameters import prepare_notebook

    data = Path(data).resolve()
    if not data.exists():
        raise InputError.single("--data", f"{data} not found; expected a dataset folder or an .xlsx workbook")
    out = Path(out).resolve()
    served = out / APP_FOLDER / COCKPIT
    parameters = {"data_path": str(data), "design_path": str(out / "plan-design.yaml")}
    try:
        served.parent.mkdir(parents=True, exist_ok=True)
        prepare_notebook(notebook_path(COCKPIT), served, parameters)
    except OSError as exc:
        raise InputError.single("--out", f"{served.parent} cannot be written ({exc.strerror or exc}); "
                                "expected a folder you can write to") from None
    return served


def app_command(notebook: Path | str, port: int = DEFAULT_APP_PORT) -> list[str]:
    """The Voila command that serves ``notebook`` on localhost only, without opening a browser."""
    return [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={check_port(port)}",
            "--Voila.ip=127.0.0.1", "--template=planning"]


# The "planning" Voila template (Voila's lab template without its CDN stylesheets: the app
# loads nothing from the network) is found through JUPYTER_PATH.
VOILA_SHARE = Path(__file__).resolve().parent / "share"


def app_environment() -> dict[str, str]:
    """The environment Voila runs in: this package's ``share`` folder first on JUPYTER_PATH."""
    paths = [str(VOILA_SHARE), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {**os.environ, "JUPYTER_PATH": os.pathsep.join(paths)}


def run(command: list[str], env: dict[str, str] | None = None) -> int:
    """Run a tool in the foreground and return its exit status (Ctrl-C stops it)."""
    print("running: " + shlex.join(command), file=sys.stderr)
    return subprocess.call(command, env=env)


# --- the commands ----------------------------------------------------------------------------


def cmd_app(args) -> int:
    require_extra("app")
    port = check_port(args.port)  # before anything is written
    command = app_command(prepare_app(args.data, args.out), port)
    if args.dry_run:
        print(shlex.join(command))
        print(f"(with JUPYTER_PATH starting {VOILA_SHARE})", file=sys.stderr)
        return 0
    return run(command, app_environment())


def cmd_lab(args) -> int:
    require_extra("lab")
    command = lab_command(args.dir, args.port, browser=not args.no_browser)
    if args.dry_run:
        print(shlex.join(command))
        return 0
    if "--allow-root" in command:
        print("note: running as root, so JupyterLab starts with --allow-root (it refuses root otherwise); "
              "run as a normal user where you can", file=sys.stderr)
    return run(command)


def add_server_commands(sub) -> None:
    """Register ``planning app`` and ``planning lab``."""
    p = add_command(sub, "app", cmd_app, "serve the owner's cockpit (Voila) on localhost")
    p.add_argument("--port", type=int, default=DEFAULT_APP_PORT, metavar="N",
                   help=f"the port on 127.0.0.1 (default {DEFAULT_APP_PORT})")
    p.add_argument("--out", default="reports", type=Path, metavar="DIR",
                   help=f"where the served copy of the cockpit (OUT/{APP_FOLDER}/) and a saved plan design "
                        "(OUT/plan-design.yaml) go (default: reports)")
    p.add_argument("--dry-run", action="store_true",
                   help="prepare the notebook and print the Voila command instead of running it")

    p = add_command(sub, "lab", cmd_lab, "open JupyterLab on a folder of notebooks", data=False)
    p.add_argument("--dir", default=".", type=Path, metavar="DIR",
                   help="the folder JupyterLab opens (default: the current folder)")
    p.add_argument("--port", type=int, default=DEFAULT_LAB_PORT, metavar="N",
                   help=f"the port on 127.0.0.1 (default {DEFAULT_LAB_PORT})")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser tab (JupyterLab opens one otherwise)")
    p.add_argument("--dry-run", action="store_true", help="print the JupyterLab command instead of running it")
