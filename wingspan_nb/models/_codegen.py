"""Code generation: the source of each model's structuring and unstructuring function, specialised
to its field plan, compiled at run time on the model's first use.

Type checks, ``Optional``, enums, lists and nested models are resolved when the source is written,
not per value. Structuring is strict (no coercion: ``"false"`` is not a bool, ``null`` is not a
string) and drift-tolerant (unknown properties are kept; unknown enum values of replies are kept as
:class:`~wingspan_nb.models.UnknownEnumValue` with one warning per new value). Unstructuring refuses
NaN, infinity and any value of the wrong type, naming the field.

The source is compiled with ``compile()`` and registered in ``linecache`` under a readable name
(``<wingspan_nb generated structure_ClientInvoice>``), so tracebacks and debuggers show it; nothing is
written to disk, so nothing can go stale.
"""

from __future__ import annotations

import enum
import linecache
import typing
from collections.abc import Callable
from typing import Any, Final

import attrs

from ._base import UNSET, WireModel
from ._leaves import ENUM_HELPERS, FIXED_GLOBALS, HELPERS
from .fields import Field, Kind, field_plan

Resolve = Callable[[str, type[WireModel]], Callable[..., Any]]
"""Gives another model's function (``"structure"`` or ``"unstructure"``)."""


class Namespace:
    """The globals a generated function refers to, each under a name unique to what it stands for
    (``_members_InvoiceStatus``, ``structure_Fee``)."""

    def __init__(self, resolve: Resolve, home: tuple[str, type[WireModel]]) -> None:
        self.resolve = resolve
        # The function being written: a model that holds itself calls it by name (compiling
        # defines it in these globals), as resolving it would start writing it again.
        self.home = home
        self.globals: dict[str, Any] = {**HELPERS, **FIXED_GLOBALS}

    def ref(self, name: str, build: Callable[[], Any]) -> str:
        if name not in self.globals:
            self.globals[name] = build()
        return name

    def function(self, direction: str, cls: type[WireModel]) -> str:
        """The name of another model's function (``structure_Fee``), resolved now."""
        name = f"{direction}_{cls.__name__}"
        if name not in self.globals and (direction, cls) != self.home:
            self.globals[name] = self.resolve(direction, cls)
        return name


def _enum_ref(ns: Namespace, kind: str, e: type[enum.Enum]) -> str:
    build = ENUM_HELPERS[kind]
    return ns.ref(f"_{kind}_{e.__name__}", lambda: build(e))


def _structure_expr(kind: Kind, v: str, ns: Namespace, depth: int = 0) -> str:
    """An expression that checks and converts the value held in the local ``v``."""
    t = kind.tag
    if t == "str":
        e = f"({v} if {v}.__class__ is str else _check_str({v}))"
    elif t == "number":
        e = f"({v} if {v}.__class__ is float or {v}.__class__ is int else _check_number({v}))"
    elif t == "bool":
        e = f"({v} if {v} is True or {v} is False else _check_bool({v}))"
    elif t == "any":
        e = v
    elif t == "object":
        e = f"(({v} if own else {v}.copy()) if {v}.__class__ is dict else _check_object({v}))"
    elif t == "enum":
        members = _enum_ref(ns, "members", kind.arg)
        if kind.open_enum:
            fallback = _enum_ref(ns, "raw", kind.arg)
            e = f"({members}[{v}] if {v} in {members} else {fallback}({v}))"
        else:
            e = f"{_enum_ref(ns, 'closed', kind.arg)}({v})"
    elif t == "model":
        e = f"{ns.function('structure', kind.arg)}({v}, own)"
    elif t == "list":
        x = f"x{depth}"
        item = _structure_expr(kind.arg, x, ns, depth + 1)
        e = f"[{item} for {x} in ({v} if {v}.__class__ is list else _check_list({v}))]"
    elif t == "map":
        k, x = f"k{depth}", f"x{depth}"
        item = _structure_expr(kind.arg, x, ns, depth + 1)
        key = f"({k} if {k}.__class__ is str else _check_str({k}))"
        container = f"({v} if {v}.__class__ is dict else _check_object({v}))"
        e = f"{{{key}: {item} for {k}, {x} in {container}.items()}}"
    else:  # pragma: no cover - _kind_of produces no other tags
        raise AssertionError(t)
    if kind.nullable:
        e = f"(None if {v} is None else {e})"
    return e


_LEAF_TESTS: Final = {
    "str": "v.__class__ is not str",
    "number": "v.__class__ is not float and v.__class__ is not int",
    "bool": "v is not True and v is not False",
}


def absent_bits(plan: tuple[Field, ...]) -> list[int]:
    """The bit of each optional field in a model's ``_absent`` mask (0 for required fields)."""
    bits, n = [], 0
    for f in plan:
        bits.append(0 if f.required else 1 << n)
        n += 0 if f.required else 1
    return bits


def _check_value(kind: Kind, keyword: str, ns: Namespace) -> list[str]:
    """Statements that check the local ``v`` and convert it in place. Strings, numbers and booleans
    are used as they are, so for them only a failing value runs any code (the slow check, which
    raises)."""
    not_null = "v is not None and " if kind.nullable else ""
    test = _LEAF_TESTS.get(kind.tag)
    if test is not None:
        return [f"{keyword} {not_null}{test}:", f"    _check_{kind.tag}(v)"]
    item = kind.arg if kind.tag in ("list", "map") else None
    if item is not None and item.tag in _LEAF_TESTS:
        # Containers of plain values: an inline loop checks them (no comprehension frame), then a
        # C-level copy, so that the model never shares a container with the caller's document
        # (none when the document is the function's to keep: ``own``).
        x_test = _LEAF_TESTS[item.tag].replace("v", "x")
        x_test = f"x is not None and {x_test}" if item.nullable else x_test
        if kind.tag == "map":
            body = [
                "    if v.__class__ is not dict:",
                "        v = _check_object(v)",
                "    for k, x in v.items():",
                f"        if k.__class__ is not str or {x_test}:",
                f"            _check_str(k), _check_{item.tag}(x)",
            ]
        else:
            body = [
                "    if v.__class__ is not list:",
                "        v = _check_list(v)",
                "    for x in v:",
                f"        if {x_test}:",
                f"            _check_{item.tag}(x)",
            ]
        head = f"{keyword} v is not None:" if kind.nullable else f"{keyword} True:"
        return [head, *body, "    if not own:", "        v = v.copy()"]
    conv = _structure_expr(attrs.evolve(kind, nullable=False), "v", ns)
    if kind.nullable:
        return [f"{keyword} v is not None:", f"    v = {conv}"]
    return [f"v = {conv}"]


_INLINE_DEPTH: Final = 3
"""How deep a nested model's statements are written into its parent's function instead of calling
that model's own function: a call per nested object costs about as much as checking a field, and
an invoice holds dozens of them. Bounded so that the source (compiled on first use) stays small."""


def structure_lines(cls: type[WireModel], ns: Namespace) -> list[str]:
    """The source of ``structure_<Class>``: checks and builds one object from a wire dict.

    ``own`` is true when the caller made the dict and drops it afterwards (``from_json``): its
    lists and dicts are then kept as they are, rather than copied so that the model never shares a
    container with a document the caller still holds."""
    lines = [f"def structure_{cls.__name__}(d0, own=False):"]
    lines += [f"    {line}" for line in _model_lines(cls, ns, 0, (cls,))]
    lines.append("    return o0")
    return lines


def _model_lines(
    cls: type[WireModel], ns: Namespace, n: int, within: tuple[type[WireModel], ...]
) -> list[str]:
    """Statements that check the wire dict in the local ``d<n>`` and build ``cls``'s object in
    ``o<n>``; a nested model's statements are written in place (down to :data:`_INLINE_DEPTH`)."""
    plan = field_plan(cls)
    extra_fields = {a.name for a in attrs.fields(cls)} - {f.name for f in plan}
    # The object is made with object.__new__ and its slots filled directly: about 2.5x faster than
    # attrs' keyword __init__. Every field is set below, and checked as strictly as __init__ would.
    if extra_fields != {"additional_properties", "_absent"}:  # pragma: no cover - a guard for new models
        raise TypeError(f"{cls.__name__} has fields the converter does not set: {sorted(extra_fields)}")
    cls_ref = ns.ref(f"_cls_{cls.__name__}", lambda: cls)
    wires = sorted(f.wire for f in plan)
    known = ns.ref(f"_known_{cls.__name__}", lambda: frozenset(wires))
    d, o, absent = f"d{n}", f"o{n}", f"absent{n}"
    # A class with validators gets attrs' validating __setattr__; the values were checked here already.
    if cls.__setattr__ is object.__setattr__:

        def store(name: str, value: str) -> str:
            return f"{o}.{name} = {value}"
    else:

        def store(name: str, value: str) -> str:
            return f"_set({o}, {name!r}, {value})"

    lines = [
        f"if {d}.__class__ is not dict:",
        f"    {d} = _check_object({d})",
        f"{o} = _new({cls_ref})",
        f"{absent} = 0",
    ]
    for f, bit in zip(plan, absent_bits(plan), strict=True):
        w = repr(f.wire)
        nested = f.kind.arg if f.kind.tag == "model" else None
        if nested is not None and n + 1 < _INLINE_DEPTH and nested not in within:
            # The nested object's statements, reading the value from d<n+1>; the value is null
            # only where the field allows it (anything else fails the nested dict check).
            inner = [f"d{n + 1} = v"]
            inner += _model_lines(nested, ns, n + 1, (*within, nested))
            inner.append(f"v = o{n + 1}")
            check = ["if v is not None:", *(f"    {line}" for line in inner)] if f.kind.nullable else inner
        else:
            check = _check_value(f.kind, "if", ns)
        if f.required:
            lines.append(f"v = {d}[{w}]")
            lines += check
        else:
            # ``in`` then ``[]`` is faster than a .get() call, and an absent key costs one lookup.
            lines.append(f"if {w} in {d}:")
            lines.append(f"    v = {d}[{w}]")
            lines += [f"    {line}" for line in check]
            lines.append("else:")
            lines.append(f"    {absent} |= {bit}")
            lines.append(f"    v = {'_UNSET' if f.default is UNSET else 'None'}")
        lines.append(store(f.name, "v"))
    # len(d) exceeds the known keys that were present exactly when unknown properties were sent.
    lines.append(f"if len({d}) != ({len(plan)} - {absent}.bit_count() if {absent} else {len(plan)}):")
    extra = f"{{k: x for k, x in {d}.items() if k not in {known}}}"
    lines.append(f"    {store('additional_properties', extra)}")
    lines.append("else:")
    lines.append(f"    {store('additional_properties', '_NO_EXTRA')}")
    lines.append(store("_absent", absent))
    return lines


def _finite_number(x: str, where: str) -> str:
    """An expression: the number in ``x`` if it is a finite ``int``/``float`` (``x - x`` is 0 exactly
    for those), else the slow path, which converts numpy numbers and refuses NaN and infinity."""
    return f"({x} if {x}.__class__ is int or ({x}.__class__ is float and not {x} - {x}) else _wire_number({x}, {where!r}))"


def _unstructure_expr(kind: Kind, v: str, where: str, ns: Namespace, depth: int = 0) -> str:
    """An expression giving the wire form of the value held in the local ``v``. Each value is tested
    by class identity; any other value takes its kind's slow path (``_leaves.wire_*``), which
    converts what JSON can carry (numpy numbers, ``str`` subclasses, tuples) and refuses the rest
    with an error naming the field, so that nothing is written as ``null`` or fails inside orjson."""
    t = kind.tag
    w = repr(where)
    if t == "str":
        e = f"({v} if {v}.__class__ is str else _wire_str({v}, {w}))"
    elif t == "bool":
        e = f"({v} if {v} is True or {v} is False else _wire_bool({v}, {w}))"
    elif t == "number":
        e = _finite_number(v, where)
    elif t == "any":
        e = f"({v} if _plain({v}) else _free_form({v}, {w}))"
    elif t == "object":
        e = f"(dict({v}) if {v}.__class__ is dict and _plain({v}) else _free_object({v}, {w}))"
    elif t == "enum":
        e_ref = ns.ref(f"_enum_{kind.arg.__name__}", lambda: kind.arg)
        slow = f"_wire_enum({v}, {e_ref}, {kind.open_enum}, {w})"
        if kind.open_enum:
            slow = f"{v} if {v}.__class__ is str else {slow}"
        e = f"({v}._value_ if {v}.__class__ is {e_ref} else {slow})"
    elif t == "model":
        cls_ref = ns.ref(f"_cls_{kind.arg.__name__}", lambda: kind.arg)
        e = f"({ns.function('unstructure', kind.arg)}({v}) if {v}.__class__ is {cls_ref} else _wire_model({v}, {cls_ref}, {w}))"
    elif t == "list":
        x = f"x{depth}"
        item = _unstructure_expr(kind.arg, x, where + "[]", ns, depth + 1)
        e = f"[{item} for {x} in ({v} if {v}.__class__ is list else _wire_list({v}, {w}))]"
    elif t == "map":
        k, x = f"k{depth}", f"x{depth}"
        item = _unstructure_expr(kind.arg, x, where + "{}", ns, depth + 1)
        key = f"({k} if {k}.__class__ is str else _wire_key({k}, {w}))"
        container = f"({v} if {v}.__class__ is dict else _wire_map({v}, {w}))"
        e = f"{{{key}: {item} for {k}, {x} in {container}.items()}}"
    else:  # pragma: no cover
        raise AssertionError(t)
    if kind.nullable:
        e = f"(None if {v} is None else {e})"
    return e


_WIRE_TESTS: Final = {
    "str": "v.__class__ is not str",
    "bool": "v is not True and v is not False",
    "number": "v.__class__ is not int and (v.__class__ is not float or v - v)",
}
"""When a plain field's value needs its slow path (for a number: also NaN and the infinities)."""


def _unstructure_value(kind: Kind, where: str, ns: Namespace) -> tuple[list[str], str]:
    """Statements that guard the local ``v``, and the expression of its wire form."""
    test = _WIRE_TESTS.get(kind.tag)
    if test is not None:
        # A statement, not an expression: the common value costs one or two class tests.
        not_null = "v is not None and " if kind.nullable else ""
        return [f"if {not_null}{test}:", f"    v = _wire_{kind.tag}(v, {where!r})"], "v"
    return [], _unstructure_expr(kind, "v", where, ns)


def unstructure_lines(cls: type[WireModel], ns: Namespace) -> list[str]:
    """The source of ``unstructure_<Class>``: one object to its wire dict."""
    plan = field_plan(cls)
    lines = [f"def unstructure_{cls.__name__}(o):", "    d = {}"]
    if any(not f.required and f.default is not UNSET for f in plan):
        lines.insert(1, "    absent = o._absent")
    for f, bit in zip(plan, absent_bits(plan), strict=True):
        w = repr(f.wire)
        lines.append(f"    v = o.{f.name}")
        guard, conv = _unstructure_value(f.kind, f"{cls.__name__}.{f.name}", ns)
        if f.required:
            lines += [f"    {line}" for line in guard]
            lines.append(f"    d[{w}] = {conv}")
        else:
            # Left out: UNSET, or a None that stands for a property the parsed document did not
            # have. Any other value was assigned (or parsed) and is written: assignment always wins.
            cond = "v is not _UNSET" if f.default is UNSET else f"v is not None or not absent & {bit}"
            lines.append(f"    if {cond}:")
            lines += [f"        {line}" for line in guard]
            lines.append(f"        d[{w}] = {conv}")
    cls_ref = ns.ref(f"_cls_{cls.__name__}", lambda: cls)
    lines.append("    extra = o.additional_properties")
    lines.append("    if extra is not _NO_EXTRA:")
    lines.append(
        f"        d.update(_wire_extra(extra, {cls_ref}, {cls.__name__ + '.additional_properties'!r}))"
    )
    lines.append("    return d")
    return lines


def compile_function(name: str, lines: list[str], ns: Namespace) -> Callable[..., Any]:
    src = "\n".join(lines) + "\n"
    filename = f"<wingspan_nb generated {name}>"
    # Registered with linecache so that tracebacks and debuggers can show the generated source.
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    glb = ns.globals
    exec(compile(src, filename, "exec"), glb)  # noqa: S102 - our own generated source
    return typing.cast(Callable[..., Any], glb[name])


def compile_structure(cls: type[WireModel], resolve: Resolve) -> Callable[[Any, bool], Any]:
    ns = Namespace(resolve, ("structure", cls))
    return compile_function(f"structure_{cls.__name__}", structure_lines(cls, ns), ns)


def compile_unstructure(cls: type[WireModel], resolve: Resolve) -> Callable[[Any], dict[str, Any]]:
    ns = Namespace(resolve, ("unstructure", cls))
    return compile_function(f"unstructure_{cls.__name__}", unstructure_lines(cls, ns), ns)
