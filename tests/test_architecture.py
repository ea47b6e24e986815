"""The founders' architecture rules, read from the source: no import pairs, storage free of Qt.

Imports are read with ast as a reader of the code sees them: inside functions and under
`if TYPE_CHECKING:` they count too. Also: every module has a docstring whose summary is one
line, and no module is over MAX_LINES lines.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "storage")
MAX_LINES = 450  # the founders' hook warns past this: split the module by job


@dataclass(frozen=True)
class Module:
    name: str  # dotted, a package by its own name (app.gui, not app.gui.__init__)
    path: Path
    tree: ast.Module

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]


def modules() -> dict[str, Module]:
    found = {}
    for top in PACKAGES:
        for path in sorted((REPO / top).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join(parts)
            found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8")))
    return found


def imported(module: Module) -> set[str]:
    """Every dotted name the module imports, anywhere in it; `from a import b` gives a and a.b
    (b may be a submodule)."""
    names: set[str] = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(found: dict[str, Module]) -> dict[str, set[str]]:
    return {
        name: {other for other in imported(module) if other in found and other != name}
        for name, module in found.items()
    }


def mutual_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Pairs of modules that import each other; a package and its own submodule (an
    __init__ re-exporting it) are not a pair."""
    pairs = set()
    for a, targets in graph.items():
        for b in targets:
            if a in graph.get(b, ()) and not (b.startswith(a + ".") or a.startswith(b + ".")):
                pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def test_no_two_modules_import_each_other() -> None:
    assert mutual_imports(import_graph(modules())) == []


def test_the_pair_finder_sees_type_only_and_function_level_imports() -> None:
    """The check itself: a pair hidden under TYPE_CHECKING or in a function is still a pair."""
    source = {
        "app.a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.b import B\n",
        "app.b": "def f():\n    from . import a\n",
        "app.pkg": "from app.pkg.sub import X\n",
        "app.pkg.sub": "from app.pkg import Y\n",
    }
    found = {
        name: Module(name, Path(name.replace(".", "/") + ".py"), ast.parse(text))
        for name, text in source.items()
    }
    assert mutual_imports(import_graph(found)) == [("app.a", "app.b")]


def protocols(found: dict[str, Module]) -> set[str]:
    """Names of the typing.Protocol classes under app/ (what a controller uses of its host)."""
    return {
        node.name
        for module in found.values()
        for node in ast.walk(module.tree)
        if isinstance(node, ast.ClassDef)
        and any(getattr(base, "id", getattr(base, "attr", "")) == "Protocol" for base in node.bases)
    }


def test_the_hosts_have_what_their_controllers_protocols_ask() -> None:
    """The protocols that stand in for app.gui.window (and the detail pane) stay true: mypy
    finds the window has every member its controllers' protocols name, of the right type, and
    no controller uses a member its protocol lacks. (mypy over app/ has older errors of other
    kinds; only those naming a protocol count here.)"""
    names = protocols(modules())
    assert {"LiveHost", "RoutineHost", "EditedPane"} <= names
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "app", "--no-error-summary"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "error:" in result.stdout or result.returncode == 0, result.stderr
    pattern = re.compile('"(' + "|".join(sorted(names)) + ')"')
    assert [line for line in result.stdout.splitlines() if pattern.search(line)] == []


def test_storage_never_imports_qt_or_app() -> None:
    """storage/ is the library the GUI and the command line share: no Qt, nothing of app."""
    offenders = sorted(
        f"{name} imports {target}"
        for name, module in modules().items()
        if name.startswith("storage")
        for target in imported(module)
        if target.split(".")[0] in {"PySide6", "shiboken6", "app"}
    )
    assert offenders == []


def test_every_module_has_a_one_line_summary_docstring() -> None:
    """A docstring on top whose first line says what the module is for (then a blank line
    before any more)."""
    offenders = []
    for name, module in modules().items():
        doc = ast.get_docstring(module.tree, clean=False)
        if not doc or not doc.strip():
            offenders.append(f"{name}: no docstring")
            continue
        lines = doc.strip("\n").splitlines()
        if len(lines) > 1 and lines[1].strip():
            offenders.append(f"{name}: summary runs on: {lines[0].strip()[:60]}…")
    assert offenders == []


def test_no_module_is_over_the_line_limit() -> None:
    sizes = {
        name: len(module.path.read_text(encoding="utf-8").splitlines())
        for name, module in modules().items()
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
