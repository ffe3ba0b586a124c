"""Everything the package raises derives from WingspanError: a scan of every ``raise``
statement in its source, each resolved to the class (or the function returning it) it raises."""

from __future__ import annotations

import ast
import importlib
import inspect
import typing
from pathlib import Path

import pytest

import wingspan_nb
from wingspan_nb.errors import WingspanError

PACKAGE = Path(wingspan_nb.__file__).parent

PROTOCOL = {"AttributeError", "KeyError", "NotImplementedError", "KeyboardInterrupt"}
"""What Python itself asks for: ``__getattr__`` and ``__getitem__`` misses, abstract methods, and a
Ctrl-C the transport raises anew (without urllib3's frames)."""

INTERNAL = {
    # (file, what is raised): where it is caught, so it never reaches a caller.
    ("_transport.py", "_Cut"): "Transport._attempt turns it into an APIConnectionError",
    ("_transport.py", "_TooLarge"): "Transport._attempt turns it into a ResponseTooLargeError",
    ("_transport.py", "cut"): "a _Cut, re-raised within Transport._read_body",
    ("_transport.py", "error"): "the WingspanError of the last failed attempt",
    ("_deadline.py", "ReadTimeoutError"): "requests makes it ReadTimeout, the transport APITimeoutError",
    ("_wire_json.py", "json.JSONDecodeError"): "its callers make it UnexpectedResponseError/SnapshotError",
    ("models/_leaves.py", "Bad"): "the models make it an InvalidDocumentError",
    ("widgets/_controls.py", "Invalid"): "the form shows it next to its field",
    ("sandbox/_server.py", "ValueError"): "the sandbox's JSON hooks; its handler answers 400",
    (
        "_snapshots.py",
        "ValueError",
    ): "a provenance file's checks; load_snapshot_info makes it a SnapshotError",
    ("_snapshots.py", "_NotAsSaved"): "load_invoices makes it a SnapshotError naming the line",
    ("_snapshots.py", "_LineTooLong"): "load_invoices makes it a SnapshotError naming the line",
}

SELF_CHECKS = {
    # Checks of the package's own definitions, run as its models, forms and views are built: only a
    # bug in wingspan_nb itself reaches them, never anything a user passes.
    ("models/_codegen.py", "TypeError"),
    ("models/_codegen.py", "AssertionError"),
    ("models/fields.py", "TypeError"),
    ("widgets/_specs.py", "TypeError"),
    ("display/_registry.py", "TypeError"),
}


def _raises() -> list[tuple[str, int, str, object]]:
    """(file, line, what is raised, what it resolves to in the module, or None) for every raise."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        module = importlib.import_module(
            "wingspan_nb." + rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            if rel != "__init__.py"
            else "wingspan_nb"
        )
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local = _imported_in_functions(tree, module.__name__, is_package=rel.endswith("__init__.py"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            callee = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = ast.unparse(callee)
            target: object = module if name.split(".")[0] in vars(module) else local
            for part in name.split("."):
                target = getattr(target, part, None) if not isinstance(target, dict) else target.get(part)
            found.append((rel, node.lineno, name, target))
    return found


def _imported_in_functions(tree: ast.Module, module: str, *, is_package: bool) -> dict[str, object]:
    """What ``from … import …`` statements anywhere in the file (inside functions too) bind."""
    bound: dict[str, object] = {}
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = importlib.import_module("." * node.level + (node.module or ""), package)
            for alias in node.names:
                bound[alias.asname or alias.name] = getattr(source, alias.name, None)
    return bound


def _raised_class(target: object) -> type | None:
    """The exception class ``target`` is (or, for a function, returns), else None."""
    if inspect.isclass(target):
        return target
    if inspect.isfunction(target):
        returned = typing.get_type_hints(target).get("return")
        return returned if inspect.isclass(returned) else None
    return None


def test_every_raise_is_a_wingspan_error_or_explained() -> None:
    strays = []
    for rel, line, name, target in _raises():
        cls = _raised_class(target)
        if cls is not None and issubclass(cls, WingspanError):
            continue
        short = name.rsplit(".", 1)[-1]
        if short in PROTOCOL or (rel, name) in INTERNAL or (rel, short) in SELF_CHECKS:
            continue
        strays.append(f"{rel}:{line}: raise {name}")
    assert strays == []


def test_the_scan_sees_raises_and_the_lists_hold_no_stale_entry() -> None:
    raises = _raises()
    assert len(raises) > 100  # the scan reads the package, not nothing
    seen = {(rel, name) for rel, _, name, _ in raises} | {
        (rel, name.rsplit(".", 1)[-1]) for rel, _, name, _ in raises
    }
    assert set(INTERNAL) - seen == set() and SELF_CHECKS - seen == set()


@pytest.mark.parametrize(
    ("call", "also"),
    [
        (lambda: wingspan_nb.set_options(expand={"nope"}), ValueError),
        (lambda: wingspan_nb.set_options(max_line_items=1), ValueError),
        (lambda: wingspan_nb.to_dataframe([{"invoiceId": "x"}]), TypeError),
        (lambda: wingspan_nb.to_dataframe([], level="rows"), ValueError),  # type: ignore[arg-type]
    ],
    ids=["set_options expand", "set_options max_line_items", "to_dataframe dicts", "to_dataframe level"],
)
def test_bad_arguments_to_the_options_and_dataframes_are_wingspan_errors(
    call: typing.Any, also: type
) -> None:
    with pytest.raises(WingspanError) as info:
        call()
    assert isinstance(info.value, also)  # what code written for the old error still catches
    assert wingspan_nb.get_options().max_line_items == 30
