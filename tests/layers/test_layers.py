"""The architecture holds: import contracts, SQL only in store/, and no Qt below the UI."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "voc_desktop"
CORE_PACKAGES = ["domain", "store", "sync", "services", "reports", "cli"]
MOST_MODULES_IN_A_FOLDER = 20

DB_CALLS = {"execute", "executemany", "executescript", "cursor"}
# Upper-case statement shapes: prose such as "select a visit from the list" is not SQL.
SQL_SHAPES = re.compile(
    r"\bSELECT\b[\s\S]*?\bFROM\b|\bUPDATE\s+\S+\s+SET\b|\bCOLLATE\s+NOCASE\b"
    r"|\bBEGIN\s+(?:IMMEDIATE\s+|EXCLUSIVE\s+)?TRANSACTION\b"
)
# Shapes that are SQL whatever their case.
SQL_ANY_CASE = re.compile(
    r"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bDELETE\s+FROM\b|\bCREATE\s+(?:UNIQUE\s+)?"
    r"(?:TABLE|INDEX|VIEW|TRIGGER)\b|\bDROP\s+(?:TABLE|INDEX|VIEW)\b|\bALTER\s+TABLE\b"
    r"|\bPRAGMA\s+\w+",
    re.IGNORECASE,
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("QT_QPA_PLATFORM", None)
    return env


def _lint_imports_command() -> list[str]:
    script = Path(sys.executable).with_name("lint-imports")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c",
            "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"]


def test_import_linter_contracts_are_kept() -> None:
    """Every import-linter contract in pyproject.toml is kept (Qt stays up, layers point down)."""
    pytest.importorskip("importlinter")
    result = subprocess.run(
        [*_lint_imports_command(), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "0 broken" in output, output
    assert "KEPT" in output, output


def db_access_problems(source: str) -> list[str]:
    """Database calls and SQL text found in one module's source."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in DB_CALLS):
            problems.append(f"line {node.lineno}: .{node.func.attr}(…) call")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = SQL_SHAPES.search(node.value) or SQL_ANY_CASE.search(node.value)
            if match:
                problems.append(f"line {node.lineno}: SQL text {match.group(0)[:40]!r}")
    return problems


@pytest.mark.parametrize(("source", "found"), [
    ("db.execute('x')", True),
    ("conn.cursor()", True),
    ("run(f'SELECT id FROM {table} WHERE x = ?')", True),
    ("q = 'insert into accounts values (1)'", True),
    ("s = 'UPDATE visits SET status = ?'", True),
    ("hint = 'Select a visit from the list'", False),
    ("hint = 'Please update the notes and set a date'", False),
    ("dialog.exec()", False),
])
def test_scanner_recognises_sql_and_database_calls(source: str, found: bool) -> None:
    """The scan below spots SQL and cursor calls, and leaves ordinary prose alone."""
    assert bool(db_access_problems(source)) is found


def modules_outside_store() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if p.relative_to(PACKAGE).parts[0] != "store")


def test_no_sql_outside_store() -> None:
    """No module outside store/ runs SQL, opens a cursor or carries SQL text."""
    paths = modules_outside_store()
    assert any(p.relative_to(PACKAGE).parts[0] == "services" for p in paths)
    problems = {str(p.relative_to(ROOT)): found for p in paths
                if (found := db_access_problems(p.read_text(encoding="utf-8")))}
    assert problems == {}


def core_modules() -> list[str]:
    """Dotted names of every module in the core packages and the command line."""
    names = []
    for package in CORE_PACKAGES:
        folder = PACKAGE / package
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.append(".".join(parts))
    return names


def test_core_modules_do_not_import_qt() -> None:
    """Importing every core and command-line module in a fresh interpreter loads no PySide6."""
    modules = core_modules()
    assert "voc_desktop.domain.flow" in modules and "voc_desktop.services.interview" in modules
    assert "voc_desktop.cli.archive" in modules
    code = textwrap.dedent(f"""
        import importlib, json, sys
        for name in {modules!r}:
            importlib.import_module(name)
        qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")
                    or m.startswith("voc_desktop.ui"))
        print(json.dumps(qt))
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_qt_check_would_notice_qt() -> None:
    """The subprocess check does see PySide6 when a module really loads it."""
    pytest.importorskip("PySide6")
    code = "import sys, PySide6.QtCore; print('PySide6' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "True", result.stderr


def import_cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan's
    strongly connected components of more than one module, or a module importing itself)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        work = [(start, iter(sorted(imports.get(start, ()))))]
        order[start] = low[start] = len(order)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(imports.get(target, ())))))
                elif target in on_stack:
                    low[module] = min(low[module], order[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == order[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1 or module in imports.get(module, ()):
                    groups.append(sorted(group))

    for module in sorted(imports):
        if module not in order:
            visit(module)
    return groups


def test_cycle_check_finds_a_cycle_through_several_modules() -> None:
    """The cycle check sees a ring of three modules and a module importing itself, and
    passes a graph whose imports only point one way."""
    ring = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert import_cycles(ring) == [["a", "b", "c"], ["e"]]
    assert import_cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_no_module_imports_one_that_imports_it_back() -> None:
    """No import cycle between modules, counting imports inside functions and those made
    only for type checking."""
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("voc_desktop", include_external_packages=False)
    imports = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert len(imports) > 100
    assert import_cycles(imports) == []


def test_no_folder_is_crowded() -> None:
    """No folder of the package holds more than about twenty modules: a prefix doing a
    folder's job becomes a feature folder."""
    crowded = {}
    for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        if len(modules) > MOST_MODULES_IN_A_FOLDER:
            crowded[str(folder.relative_to(ROOT))] = len(modules)
    assert crowded == {}


def test_every_folder_says_what_lives_there() -> None:
    """Every package folder opens with a docstring of what lives there."""
    silent = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("__init__.py")
              if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert silent == []
