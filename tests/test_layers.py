"""Layers import one way: wire → models → the account's operations → views and widgets.

Every import counts, those inside functions (deferred) included, so a reach upward cannot hide in a
method. Imports under ``if TYPE_CHECKING:`` do not: they never run, and annotations may name a type of
any layer. The package's face (``wingspan_nb/__init__.py``) sits above every layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import wingspan_nb

from .test_package import _is_type_checking, import_base
from .test_package import _modules as modules

WIRE, MODELS, OPERATIONS, VIEWS, FACE = range(5)
LAYER_NAMES = ("wire", "models", "operations", "views and widgets", "the package's face")

# Modules by layer; a package listed covers its submodules. A module not named here fails the test.
LAYERS: dict[str, int] = {
    "wingspan_nb._version": WIRE,
    "wingspan_nb._clock": WIRE,
    "wingspan_nb._numbers": WIRE,
    "wingspan_nb._displayable": WIRE,
    "wingspan_nb._deprecated": WIRE,
    "wingspan_nb._transport": WIRE,
    "wingspan_nb._deadline": WIRE,
    "wingspan_nb._wire_json": WIRE,
    "wingspan_nb.errors": WIRE,
    "wingspan_nb._sensitive": WIRE,
    "wingspan_nb.models": MODELS,
    "wingspan_nb.converter": MODELS,
    "wingspan_nb._facts": OPERATIONS,
    "wingspan_nb._changes": OPERATIONS,
    "wingspan_nb._progress": OPERATIONS,
    "wingspan_nb._invoices": OPERATIONS,
    "wingspan_nb._batch": OPERATIONS,
    "wingspan_nb._bulk": OPERATIONS,
    "wingspan_nb._resources": OPERATIONS,
    "wingspan_nb._snapshots": OPERATIONS,
    "wingspan_nb._analysis": OPERATIONS,
    "wingspan_nb._filters": OPERATIONS,
    "wingspan_nb._reports": OPERATIONS,
    "wingspan_nb._comparison": OPERATIONS,
    "wingspan_nb._exports": OPERATIONS,
    "wingspan_nb._client": OPERATIONS,
    "wingspan_nb.sandbox": OPERATIONS,
    "wingspan_nb.display": VIEWS,
    "wingspan_nb.widgets": VIEWS,
    "wingspan_nb": FACE,
    # The old paths of the modules made private in 0.2.0: faces too, each name forwarded with a warning.
    **{f"wingspan_nb.{old}": FACE for old in wingspan_nb._MOVED},
}

# The upward imports there are, each deferred (inside a function) and each for a reason. Keep it short.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {
    ("wingspan_nb._displayable", "wingspan_nb.display"): (
        "the one display hook: every displayable type's _repr_html_ asks the views, on display only"
    ),
    ("wingspan_nb._reports", "wingspan_nb.display"): (
        "a report's plot() and its text form are drawn by the views: the analyst asks the report for them"
    ),
    ("wingspan_nb._resources", "wingspan_nb.widgets"): (
        "client_invoice.edit(id) opens the edit form: a convenience the notebook user calls by name"
    ),
    ("wingspan_nb._invoices", "wingspan_nb.widgets"): (
        "account.explore() opens the explorer on the list: a convenience the notebook user calls by name"
    ),
}


def layer_of(module: str) -> int:
    name = module
    while name not in LAYERS or (name == "wingspan_nb" != module):
        if "." not in name or name == "wingspan_nb":
            raise KeyError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")
        name = name.rpartition(".")[0]
    return LAYERS[name]


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules ``name`` imports anywhere (function bodies too), except under
    ``if TYPE_CHECKING:``. ``from a import b`` counts as ``a.b`` when that is a module, else ``a``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for stmt in node.orelse:
                visit(stmt)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = import_base(node, package)
            for a in node.names:
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text()))
    return {m for m in found if m in known and m != name}


def upward_imports() -> dict[tuple[str, str], str]:
    """Every (importer, imported) where the imported module is in a higher layer, with the layers."""
    mods = modules()
    known = set(mods)
    out = {}
    for name, path in mods.items():
        for target in imports_of(name, path, known):
            if layer_of(target) > layer_of(name):
                out[(name, target)] = f"{LAYER_NAMES[layer_of(name)]} → {LAYER_NAMES[layer_of(target)]}"
    return out


def test_every_module_is_in_a_layer() -> None:
    for name in modules():
        layer_of(name)


def test_no_upward_import_outside_the_allow_list() -> None:
    found = upward_imports()
    unexpected = {k: v for k, v in found.items() if k not in ALLOWED_UPWARD}
    assert unexpected == {}, "upward imports (move the code down, or pass the object in)"
    stale = set(ALLOWED_UPWARD) - set(found)
    assert stale == set(), "allow-list entries no longer needed: remove them"


def test_the_reader_sees_deferred_imports_and_skips_type_checking_ones(tmp_path: Path) -> None:
    """Guards the test above: an import inside a method is found; one under TYPE_CHECKING is not."""
    source = tmp_path / "mod.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import _wire_json\n"
        "if TYPE_CHECKING:\n"
        "    from .widgets import InvoiceEditor\n"
        "class C:\n"
        "    def view(self):\n"
        "        from .display import repr_html\n"
        "        from .models import invoice\n"
    )
    known = {
        "wingspan_nb._wire_json",
        "wingspan_nb.display",
        "wingspan_nb.widgets",
        "wingspan_nb.models.invoice",
    }
    found = imports_of("wingspan_nb.mod", source, known)
    assert found == {"wingspan_nb._wire_json", "wingspan_nb.display", "wingspan_nb.models.invoice"}


def test_the_display_hook_is_the_only_way_up_to_the_views() -> None:
    """No type defines its own ``_repr_html_`` that reaches into the views: they inherit the hook."""
    offenders = []
    for name, path in modules().items():
        if layer_of(name) >= VIEWS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name in ("_repr_html_", "_repr_mimebundle_"):
                offenders.append(name)
    assert offenders == ["wingspan_nb._displayable"]


def test_every_displayable_type_has_a_view() -> None:
    """The registry finds every view module by itself: each type that inherits the hook is drawn."""
    import importlib

    from wingspan_nb._displayable import Displayable
    from wingspan_nb.display import _registry

    for name in modules():
        if not name.endswith("__main__"):
            importlib.import_module(name)
    _registry.load_views()

    def subclasses(cls: type) -> set[type]:
        return {cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))}

    displayable = {c for c in subclasses(Displayable) if c.__module__.startswith("wingspan_nb")}
    # By name: a test that re-imports a module (a fresh-import check) leaves an older copy of its
    # classes behind, registered under the older class object.
    drawn = {(k.__module__, k.__qualname__) for k in _registry._RENDERERS}
    undrawn = [
        c.__qualname__
        for c in displayable
        if not any((k.__module__, k.__qualname__) in drawn for k in c.__mro__)
    ]
    # The hook itself and the reply bases, which no call returns as they are, have no view of their own.
    assert len(displayable) > 60 and sorted(undrawn) == ["Displayable", "InvoiceResponse", "Reply"]
