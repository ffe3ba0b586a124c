"""The package's surface: what importing it loads, its import graph, the typing marker, the version."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import wingspan_nb

from .helpers import ROOT

PACKAGE = ROOT / "wingspan_nb"


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()


def test_import_loads_no_notebook_machinery() -> None:
    code = (
        "import sys, wingspan_nb; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'IPython', 'pandas', 'matplotlib') "
        "or m.startswith('wingspan_nb.display') or m.startswith('wingspan_nb.sandbox')))"
    )
    assert _run(code) == "[]"


def test_display_options_load_on_first_use() -> None:
    code = (
        "import sys, wingspan_nb; "
        "before = 'wingspan_nb.display' in sys.modules; "
        "limit = wingspan_nb.get_options().max_line_items; "
        "print(before, 'wingspan_nb.display' in sys.modules, limit >= 10)"
    )
    assert _run(code) == "False True True"


def test_dir_lists_the_lazily_loaded_names() -> None:
    names = dir(wingspan_nb)
    for name in ("InvoiceEditor", "to_dataframe", "get_options", "set_options", "Wingspan", "UNSET"):
        assert name in names
    assert set(wingspan_nb.__all__) <= set(names)


def test_typed_package() -> None:
    assert (PACKAGE / "py.typed").exists()
    assert wingspan_nb.__version__.count(".") == 2


def test_license_file_matches_the_metadata() -> None:
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text()
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


# -- the module-level import graph -----------------------------------------------------------------


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """What ``name`` imports while it is being imported: top-level statements, the blocks of
    module-level if/try/with and class bodies; not function bodies, not ``if TYPE_CHECKING:``.

    Importing ``a.b.c`` first runs ``a.b`` (its package): that counts too, except for the packages
    ``name`` itself lives in (they are already being imported)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    own = {name.rsplit(".", i)[0] for i in range(name.count(".") + 1)}
    found: set[str] = set()

    def add(module: str) -> None:
        parts = module.split(".")
        found.update(p for p in (".".join(parts[:i]) for i in range(1, len(parts) + 1)) if p not in own)

    def target(base: str, names: list[str]) -> None:
        for n in names:
            sub = f"{base}.{n}"
            add(sub if sub in modules else base)

    def visit(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Import):
                for a in stmt.names:
                    add(a.name)
            elif isinstance(stmt, ast.ImportFrom):
                if stmt.level:
                    base = package.rsplit(".", stmt.level - 1)[0] if stmt.level > 1 else package
                    base = f"{base}.{stmt.module}" if stmt.module else base
                else:
                    base = stmt.module or ""
                target(base, [a.name for a in stmt.names])
            elif isinstance(stmt, ast.If):
                if not _is_type_checking(stmt.test):
                    visit(stmt.body)
                visit(stmt.orelse)
            elif isinstance(stmt, ast.Try):
                visit(stmt.body)
                for handler in stmt.handlers:
                    visit(handler.body)
                visit(stmt.orelse)
                visit(stmt.finalbody)
            elif isinstance(stmt, (ast.With, ast.ClassDef)):
                visit(stmt.body)

    visit(ast.parse(path.read_text()).body)
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _module_level_imports(name, path, set(modules)) for name, path in modules.items()}


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := dfs(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := dfs(node)):
            return cycle
    return None


def test_the_import_graph_reader_sees_cycles() -> None:
    """Guards the test below: the reader finds a cycle made of deferred imports."""
    graph = {"p.models": {"p.converter"}, "p.converter": {"p.models"}, "p": {"p.models"}}
    assert _find_cycle(graph) == ["p.models", "p.converter", "p.models"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None
    graph = import_graph()
    assert "wingspan_nb.models" in graph["wingspan_nb.converter"]
    assert "wingspan_nb.models.fields" in graph["wingspan_nb.models"]
    assert "wingspan_nb.models._build" not in graph["wingspan_nb.models._base"]  # a function-body import


def test_the_module_level_import_graph_has_no_cycle() -> None:
    assert _find_cycle(import_graph()) is None


# Each module imported first in a fresh interpreter: no import order is pinned anywhere.
_FIRST_IMPORTS = [m for m in _modules() if not m.endswith("__main__")]

_FORK_SERVER = """
import importlib, os, sys, traceback
import wingspan_nb
print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(line.strip())
        except BaseException:
            print("".join("| " + t for t in traceback.format_exc().splitlines(True)), end="", flush=True)
            os._exit(1)
        os._exit(0)
    print("exit", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""
"""Imports each module named on stdin in a child forked from an interpreter that has imported only
``wingspan_nb``, and says how the child ended. Importing any ``wingspan_nb.x`` first runs the
package's ``__init__`` to its end before anything of ``x``, so every fresh interpreter starts with
that import: the fork copies the common start instead of repeating it (0.2 to 0.3 s of CPU a module)."""


@pytest.fixture(scope="module")
def import_first() -> Iterator[Callable[[str], str]]:
    """``import_first(module)``: ``"exit 0"``, or the traceback and ``"exit 1"``."""
    server = subprocess.Popen(
        [sys.executable, "-c", _FORK_SERVER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    stdin, stdout = server.stdin, server.stdout
    assert stdin is not None and stdout is not None
    assert stdout.readline() == "ready\n", "import wingspan_nb failed in a fresh interpreter"

    def run(module: str) -> str:
        stdin.write(module + "\n")
        stdin.flush()
        said = []
        while (line := stdout.readline()) and not line.startswith("exit "):
            said.append(line)
        return "".join([*said, line]).strip()

    failed = run("wingspan_nb._no_such_module")  # the server tells a failure, with its traceback
    assert failed.endswith("exit 1") and "| ModuleNotFoundError: No module named" in failed, failed
    yield run
    stdin.close()
    server.wait(timeout=30)


@pytest.mark.parametrize("module", _FIRST_IMPORTS)
def test_any_module_can_be_imported_first(module: str, import_first: Callable[[str], str]) -> None:
    assert import_first(module) == "exit 0"


def import_base(node: ast.ImportFrom, package: str) -> str:
    """The absolute name of the module a ``from ... import`` statement in ``package`` reads from."""
    base = node.module or ""
    if node.level:
        root = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        base = f"{root}.{base}" if base else root
    return base


def _all_imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports anywhere (function bodies too), as absolute names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = import_base(node, package)
            found.update(f"{base}.{a.name}" for a in node.names)
            found.add(base)
    return found


def _private_crossings() -> set[tuple[str, str]]:
    """(importer, module) where a module reaches into another package's private ``_module``."""
    out = set()
    for name, path in _modules().items():
        importer_package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for target in _all_imports(name, path):
            if not target.startswith("wingspan_nb."):
                continue
            parts = target.split(".")
            for i in range(1, len(parts)):
                if parts[i].startswith("_") and not parts[i].startswith("__"):
                    owner = ".".join(parts[:i])
                    if owner != importer_package and not importer_package.startswith(owner + "."):
                        out.add((name, ".".join(parts[: i + 1])))
                    break
    return out


def test_no_module_reaches_into_another_packages_private_modules() -> None:
    assert (
        "wingspan_nb",
        "wingspan_nb.display._options",
    ) not in _private_crossings()  # the package root's own
    assert _private_crossings() == set()


def _layout_rows() -> set[str]:
    """Every module path the docs' layout table names (docs/explanation/design.md; ``a/b.py`, `c.py``
    rows expand ``c.py`` in the first path's folder)."""
    text = (ROOT / "docs" / "explanation" / "design.md").read_text(encoding="utf-8")
    named: set[str] = set()
    for line in text.splitlines():
        if not line.startswith("| `wingspan_nb/"):
            continue
        cells = re.findall(r"`([^`]+\.py)`", line.split("|")[1])
        folder = cells[0].rsplit("/", 1)[0]
        named |= {c if "/" in c else f"{folder}/{c}" for c in cells}
    return named


def test_the_docs_layout_names_every_module() -> None:
    modules = {
        str(p.relative_to(ROOT)) for p in (ROOT / "wingspan_nb").rglob("*.py") if p.name != "_version.py"
    }
    named = _layout_rows()
    assert modules - named == set(), "modules missing from the layout table in docs/explanation/design.md"
    assert named - modules == set(), (
        "the layout table in docs/explanation/design.md names modules that do not exist"
    )
