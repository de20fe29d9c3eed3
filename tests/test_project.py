"""Machine-checked project rules: import boundaries, one source of dependencies."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EDGE_MODULES = {"ui", "reporting", "notebooks", "files", "provenance", "cli", "__main__", "export",
                "lifeline", "kernel_launcher", "commandline", "terminal", "launch", "importing"}
FORBIDDEN = ("ipywidgets", "papermill", "nbconvert", "nbclient", "IPython", "voila")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def planning_imports() -> dict[str, set[str]]:
    """Each ``planning`` module -> the ``planning`` modules it imports (lazy imports too).

    ``from planning.ui import scenario_bridge`` imports the module ``planning.ui.scenario_bridge``;
    ``from planning.ui import BonusCockpit`` imports ``planning.ui`` itself.
    """
    paths = {module_name(p): p for p in (ROOT / "planning").rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                candidates = [f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names]
            else:
                continue
            for target in candidates:
                while target and target not in paths:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def test_no_import_cycle_among_planning_modules():
    graph = planning_imports()
    cycles, done = [], set()

    def visit(node, trail):
        if node in trail:
            cycles.append(" -> ".join([*trail[trail.index(node):], node]))
            return
        if node in done:
            return
        for target in sorted(graph[node]):
            visit(target, [*trail, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    assert cycles == []


def model_modules():
    for path in sorted((ROOT / "planning").rglob("*.py")):
        parts = path.relative_to(ROOT / "planning").with_suffix("").parts
        if parts[0] in EDGE_MODULES:
            continue
        yield path


def test_model_modules_do_no_file_io():
    """Model code is pure: loading and writing happen at the edges (dataset, plan, exports)."""
    loaders = {"dataset.py", "plan.py", "table_reading.py", "yaml_files.py", "proposals.py", "parse.py",
               "books/files.py",   # the books import's one file edge (issue 15)
               "input_limits.py"}   # bounded reading of every input (issue 11)
    io_calls = ("open(", ".write_text(", ".read_text(", ".write_bytes(", "print(", "to_csv(", "to_excel(")
    offenders = [
        f"{path.relative_to(ROOT)}: {call}"
        for path in model_modules()
        if path.name not in loaders and path.relative_to(ROOT / "planning").as_posix() not in loaders
        for call in io_calls if call in path.read_text()
    ]
    assert offenders == []


def test_model_modules_import_no_ui_or_runner():
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN)
        for path in model_modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_ui_imports_ipywidgets_and_only_reports_import_papermill():
    for path in (ROOT / "planning").rglob("*.py"):
        mods = {m.split(".")[0] for m in imported_modules(path)}
        rel = path.relative_to(ROOT / "planning").parts[0].removesuffix(".py")
        if "ipywidgets" in mods:
            assert rel == "ui", path
        if mods & {"papermill", "nbconvert"}:
            assert path.relative_to(ROOT / "planning").parts[:2] == ("reporting", "runner"), path


def test_environment_yml_installs_the_project_and_nothing_else():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert [d for d in deps if isinstance(d, str)] == ["python>=3.11", "pip"]
    assert [d for d in deps if isinstance(d, dict)] == [{"pip": ["-e .[dev]"]}]


def test_readme_gives_the_two_commands():
    text = (ROOT / "README.md").read_text()
    assert "make demo" in text and "make test" in text


def test_import_planning_does_not_load_scipy():
    """scipy takes most of a second to import; only scenarios, Monte Carlo and goal seek need it.

    Every CLI command imports ``planning``; ``pnl`` or ``validate`` on a dataset without
    scenarios.yaml must not pay for scipy.
    """
    code = ("import sys, planning; from planning import simulate, lift_needed, parse_scenarios; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


# What each quick command may not import: the heavy libraries only other commands use.
HEAVY = ("scipy", "matplotlib", "nbformat", "jsonschema", "papermill", "nbconvert", "jinja2",
         "openpyxl", "dask", "ipywidgets")


@pytest.mark.parametrize("argv", [["validate", "--data", "data"],
                                  ["pnl", "--data", "data", "--period", "2026Q4"],
                                  ["bonus", "--data", "data", "--period", "2026Q4"]])
def test_quick_commands_import_none_of_the_heavy_libraries(argv):
    """The sample has a scenarios.yaml: checking its plain distributions needs no scipy, and
    validate, pnl and bonus never need the charts, the notebooks or the report runner."""
    code = ("import runpy, sys; sys.argv = ['planning', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('planning', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_wheel_holds_the_notebooks_and_templates_the_package_runs(tmp_path):
    """`pip install .` (not editable) must give a `planning report` that finds its template."""
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(tmp_path), str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    from planning.version import DISTRIBUTION

    (wheel,) = tmp_path.glob(f"{DISTRIBUTION.replace('-', '_')}-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packaged = {"planning/notebooks/quarterly_report.ipynb", "planning/notebooks/01_explore_bonus.ipynb",
                "planning/notebooks/__init__.py", "planning/templates/statement.html.j2",
                "planning/templates/planning_report/index.html.j2"}
    assert packaged <= names, sorted(packaged - names)
    assert not [n for n in names if n.startswith("notebooks/")]  # the users' notebooks stay in the repo


def test_every_money_call_names_the_currency_minor_unit():
    """Cents mean the currency's minor unit (domain.md 4.2): no rounding or summing helper is
    called without it in the package, and amounts to the cent are written by format_cents."""
    needs = {"round_cents": 2, "round_cents_array": 2, "cents_array": 2, "sum_cents": 2, "to_cents": 2,
             "from_cents": 2, "cap_cents": 2, "pool_arrays": 6}
    offenders = []
    for path in sorted((ROOT / "planning").rglob("*.py")):
        if path.name in ("money.py", "currencies.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            given = len(node.args) + len(node.keywords)
            where = f"{path.relative_to(ROOT)}:{node.lineno} {name}"
            if name in needs and given < needs[name] and not any(isinstance(a, ast.Starred) for a in node.args):
                offenders.append(where)
            if (name == "format_money" and len(node.args) >= 3 and isinstance(node.args[2], ast.Constant)
                    and node.args[2].value):
                offenders.append(where + " (decimals given: use format_cents)")
    assert offenders == []


UI_REPORTING_CLI_CHARTS = ("planning.ui", "planning.reporting", "planning.cli", "planning.__main__", "planning.charts",
                           "planning.notebooks")


def test_model_modules_import_no_ui_reporting_cli_or_charts():
    """The model (everything not marked edge, and not charts) never reaches up to its users."""
    graph = planning_imports()
    offenders = {}
    for path in model_modules():
        name = module_name(path)
        if name in ("planning", "planning.charts", "planning.scenario_charts") or name.startswith("planning.charts."):
            continue  # the API, the charts (a package since issue 14)
        bad = sorted(t for t in graph[name] if t.startswith(UI_REPORTING_CLI_CHARTS))
        if bad:
            offenders[name] = bad
    assert offenders == {}


def test_report_content_never_imports_the_runner():
    """The content runs inside the kernel; the runner drives the kernel, never the reverse."""
    graph = planning_imports()
    offenders = {name: sorted(t for t in targets if t.startswith("planning.reporting.runner"))
                 for name, targets in graph.items() if name.startswith("planning.reporting.content")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_module_imports_another_modules_underscore_name():
    """What another module needs is public in the module where it belongs."""
    offenders = []
    for path in sorted((ROOT / "planning").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planning"):
                offenders += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}"
                              for a in node.names if a.name.startswith("_")]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                value = node.value
                if isinstance(value, ast.Name) and value.id in _planning_module_aliases(path):
                    offenders.append(f"{path.relative_to(ROOT)}: {value.id}.{node.attr}")
    assert offenders == []


def _planning_module_aliases(path: Path) -> set[str]:
    """Names a module binds to planning modules (``import planning.x as y``, ``from planning import charts``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name.startswith("planning"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("planning"):
            modules = {module_name(p) for p in (ROOT / "planning").rglob("*.py")}
            names.update(a.asname or a.name for a in node.names if f"{node.module}.{a.name}" in modules)
    return names


MAX_LINES = 400


def test_no_source_module_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "planning").rglob("*.py"))
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_packaging_metadata():
    """The SPDX license with its file, one version, the extras, and no Jupyter in the core."""
    import tomllib

    from planning.version import DISTRIBUTION, VERSION

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == DISTRIBUTION == "success-bonus-workbook"
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert project["dynamic"] == ["version"] and "version" not in project
    core = {d.split(">")[0].split("[")[0] for d in project["dependencies"]}
    assert not core & {"jupyterlab", "ipywidgets", "ipykernel", "papermill", "nbconvert", "nbformat", "voila",
                       "dask", "distributed", "beancount"}
    extras = project["optional-dependencies"]
    assert {"workbook", "app", "scale", "books", "dev"} <= set(extras)
    assert f"{DISTRIBUTION}[workbook,app,scale,books]" in extras["dev"]
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text()
    import planning

    assert planning.__version__ == VERSION


def test_environment_yml_is_named_after_the_distribution():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["name"] == "success-bonus-workbook"
