"""The one cattrs converter: wire dicts to models and back.

For every model class a structuring and an unstructuring function is generated once, specialised to
that class's fields: type checks, ``Optional``, enums, lists and nested models are resolved when the
function is built, not per value. They are strict (no coercion: ``"false"`` is not a bool, ``null`` is
not a string) and drift-tolerant (unknown properties are kept, unknown enum values of replies are kept
as the raw string with one warning per new value).

For the package's own models the generated functions are written out once, by ``make generate``,
into ``wingspan_nb/_generated.py`` (a test fails when it is stale), and loaded from its bytecode on
the first parse; models defined elsewhere get theirs generated here on first use. Nothing is
generated or compiled at import.

The generated code has no error bookkeeping on its hot path: when it fails, :func:`_explain` walks
the same field plan slowly to name the wire path (``$.lineItems[3].totalCost``) and the reason.
"""

from __future__ import annotations

import enum
import linecache
import threading
import types
import typing
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, Union

import attrs
import cattrs

from .errors import InvalidDocumentError, UnknownEnumValueWarning
from .models import _base, invoice
from .models._base import _NO_EXTRA, UNSET, WIRE, Unset, WireModel

__all__ = ["Field", "Kind", "converter", "emit_module", "field_plan"]


# --------------------------------------------------------------------------------------------------
# A field plan: what each field's annotation means on the wire, computed once per class.


@attrs.frozen
class Kind:
    """What a value must be on the wire. ``tag`` is one of str, number, bool, any, object, enum,
    model, list, map; ``arg`` the enum class, model class or item kind; ``open_enum`` is true for
    reply enums (unknown values kept as strings)."""

    tag: str
    arg: Any = None
    nullable: bool = False
    open_enum: bool = False


@attrs.frozen
class Field:
    """One wire field of a model."""

    name: str
    wire: str
    kind: Kind
    required: bool
    default: Any


_NONE_TYPE = type(None)


def _kind_of(tp: Any) -> Kind:
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not Unset]
        nullable = _NONE_TYPE in args
        args = [a for a in args if a is not _NONE_TYPE]
        enum_args = [a for a in args if isinstance(a, type) and issubclass(a, enum.Enum)]
        if enum_args and set(args) <= {enum_args[0], str}:
            return Kind("enum", enum_args[0], nullable, open_enum=str in args)
        if len(args) != 1:
            raise TypeError(f"unsupported union {tp!r}")
        return attrs.evolve(_kind_of(args[0]), nullable=nullable)
    if origin is list:
        return Kind("list", _kind_of(typing.get_args(tp)[0]))
    if origin is dict:
        key, value = typing.get_args(tp)
        if key is not str:
            raise TypeError(f"unsupported map key in {tp!r}")
        return Kind("object") if value is Any else Kind("map", _kind_of(value))
    if tp is str:
        return Kind("str")
    if tp is float or tp is int:
        return Kind("number")
    if tp is bool:
        return Kind("bool")
    if tp is Any:
        return Kind("any")
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return Kind("enum", tp)
    if isinstance(tp, type) and issubclass(tp, WireModel):
        return Kind("model", tp)
    raise TypeError(f"unsupported field type {tp!r}")


_PLANS: dict[type[WireModel], tuple[Field, ...]] = {}


def field_plan(cls: type[WireModel]) -> tuple[Field, ...]:
    """What each wire field of ``cls`` is: its attribute and wire names, :class:`Kind`, whether it
    is required, and its default; worked out once per class. The converter, the views, the edit form
    and bulk edits all read a model's fields through it."""
    plan = _PLANS.get(cls)
    if plan is None:
        if any(isinstance(a.type, str) for a in attrs.fields(cls)):
            attrs.resolve_types(cls)  # a module with ``from __future__ import annotations``
        plan = _PLANS[cls] = tuple(
            Field(a.name, a.metadata[WIRE], _kind_of(a.type), a.default is attrs.NOTHING, a.default)
            for a in attrs.fields(cls)
            if WIRE in a.metadata
        )
    return plan


# --------------------------------------------------------------------------------------------------
# Leaf checks shared by the generated code and the slow explanation.

_TYPE_NAMES: Final = {
    "str": "a string",
    "number": "a number",
    "bool": "true or false",
    "object": "an object",
    "model": "an object",
    "map": "an object",
    "list": "an array",
}


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, str):
        return "a string"
    if _is_number(v):
        return "a number"
    if isinstance(v, list):
        return "an array"
    if isinstance(v, Mapping):
        return "an object"
    return type(v).__name__


class _Bad(Exception):
    """Raised by leaf checks; carries the reason without a path (the path is added by _explain)."""


def _check_str(v: Any) -> str:
    if isinstance(v, str):
        return v
    raise _Bad(f"expected a string, got {_json_type(v)}")


def _check_number(v: Any) -> float:
    if _is_number(v):
        return typing.cast(float, v)
    raise _Bad(f"expected a number, got {_json_type(v)}")


def _check_bool(v: Any) -> bool:
    if v is True or v is False:
        return v
    raise _Bad(f"expected true or false, got {_json_type(v)}")


_warned: set[tuple[type[enum.Enum], str]] = set()


def _enum_values(e: type[enum.Enum]) -> dict[Any, enum.Enum]:
    return {m.value: m for m in e}


def _open_enum(e: type[enum.Enum]) -> Callable[[Any], Any]:
    """Fallback for a reply's enum value that is not a member: keep the raw string, warn once."""
    allowed = ", ".join(repr(m.value) for m in e)

    def keep_raw(v: Any) -> Any:
        if not isinstance(v, str):
            raise _Bad(f"expected one of {allowed}, got {_json_type(v)}")
        if (e, v) not in _warned:
            _warned.add((e, v))
            warnings.warn(
                f"the server sent {v!r}, which is not a known {e.__name__} ({allowed}); it is kept "
                "as a plain string. Upgrading wingspan_nb may add it.",
                UnknownEnumValueWarning,
                stacklevel=2,
            )
        return v

    return keep_raw


def _closed_enum(e: type[enum.Enum]) -> Callable[[Any], Any]:
    members = _enum_values(e)
    allowed = ", ".join(repr(m.value) for m in e)

    def check(v: Any) -> Any:
        try:
            return members[v]
        except (KeyError, TypeError):
            raise _Bad(f"expected one of {allowed}, got {v!r}") from None

    return check


# --------------------------------------------------------------------------------------------------
# Code generation.


_FIXED_GLOBALS: Final = {
    "_UNSET": UNSET,
    "_new": object.__new__,
    "_set": object.__setattr__,
    "_NO_EXTRA": _NO_EXTRA,
}


class _Namespace:
    """The globals a generated function refers to. Each name is unique to what it stands for
    (``_members_InvoiceStatus``, ``structure_Fee``) and comes with the source that rebuilds it, so
    the same generated text can be compiled here or written into ``_generated.py``.

    With ``emit`` set, nested generated functions are only named (they are defined in the same module).
    """

    def __init__(self, *, emit: bool = False) -> None:
        self.emit = emit
        self.globals: dict[str, Any] = dict(_FIXED_GLOBALS)
        self.sources: dict[str, str] = {}

    def ref(self, name: str, build: Callable[[], Any], source: str) -> str:
        if name not in self.sources:
            self.sources[name] = source
            if not self.emit:
                self.globals[name] = build()
        return name

    def function(self, direction: str, cls: type[WireModel]) -> str:
        """The name of another model's generated function (built first, when compiling here)."""
        name = f"{direction}_{cls.__name__}"
        if not self.emit:
            self.globals[name] = (_structure_fn if direction == "structure" else _unstructure_fn)(cls)
        self.sources.setdefault(name, "")
        return name


_ENUM_HELPERS: Final = {"members": _enum_values, "raw": _open_enum, "closed": _closed_enum}


def _enum_ref(ns: _Namespace, kind: str, e: type[enum.Enum]) -> str:
    build = _ENUM_HELPERS[kind]
    return ns.ref(f"_{kind}_{e.__name__}", lambda: build(e), f"{build.__name__}(enums.{e.__name__})")


def _structure_expr(kind: Kind, v: str, ns: _Namespace, depth: int = 0) -> str:
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
        e = f"({v}.copy() if {v}.__class__ is dict else _check_object({v}))"
    elif t == "enum":
        members = _enum_ref(ns, "members", kind.arg)
        if kind.open_enum:
            fallback = _enum_ref(ns, "raw", kind.arg)
            e = f"({members}[{v}] if {v} in {members} else {fallback}({v}))"
        else:
            e = f"{_enum_ref(ns, 'closed', kind.arg)}({v})"
    elif t == "model":
        e = f"{ns.function('structure', kind.arg)}({v})"
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


def _absent_bits(plan: tuple[Field, ...]) -> list[int]:
    """The bit of each optional field in a model's ``_absent`` mask (0 for required fields)."""
    bits, n = [], 0
    for f in plan:
        bits.append(0 if f.required else 1 << n)
        n += 0 if f.required else 1
    return bits


def _check_value(kind: Kind, keyword: str, ns: _Namespace) -> list[str]:
    """Statements that check the local ``v`` and convert it in place. Strings, numbers and booleans are used as they are, so for them only a
    failing value runs any code (the slow check, which raises)."""
    not_null = "v is not None and " if kind.nullable else ""
    test = _LEAF_TESTS.get(kind.tag)
    if test is not None:
        return [f"{keyword} {not_null}{test}:", f"    _check_{kind.tag}(v)"]
    item = kind.arg if kind.tag in ("list", "map") else None
    if item is not None and item.tag in _LEAF_TESTS:
        # Containers of plain values: an inline loop checks them (no comprehension frame), then a
        # C-level copy, so that the model never shares a container with the caller's document.
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
        return [head, *body, "    v = v.copy()"]
    conv = _structure_expr(attrs.evolve(kind, nullable=False), "v", ns)
    if kind.nullable:
        return [f"{keyword} v is not None:", f"    v = {conv}"]
    return [f"v = {conv}"]


def _check_object(v: Any) -> dict[str, Any]:
    if isinstance(v, Mapping):
        return dict(v)
    raise _Bad(f"expected an object, got {_json_type(v)}")


def _check_list(v: Any) -> list[Any]:
    if isinstance(v, list):
        return v
    raise _Bad(f"expected an array, got {_json_type(v)}")


_HELPERS: Final = {
    "_check_str": _check_str,
    "_check_number": _check_number,
    "_check_bool": _check_bool,
    "_check_object": _check_object,
    "_check_list": _check_list,
}


def _compile(name: str, lines: list[str], ns: _Namespace) -> Callable[..., Any]:
    src = "\n".join(lines) + "\n"
    filename = f"<wingspan_nb generated {name}>"
    # Registered with linecache so that tracebacks and debuggers can show the generated source.
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    glb = {**_HELPERS, **ns.globals}
    exec(compile(src, filename, "exec"), glb)  # noqa: S102 - our own generated source
    return typing.cast(Callable[..., Any], glb[name])


def _structure_lines(cls: type[WireModel], ns: _Namespace) -> list[str]:
    """The source of ``structure_<Class>``: checks and builds one object from a wire dict."""
    plan = field_plan(cls)
    extra_fields = {a.name for a in attrs.fields(cls)} - {f.name for f in plan}
    # The object is made with object.__new__ and its slots filled directly: about 2.5x faster than
    # attrs' keyword __init__. Every field is set below, and checked as strictly as __init__ would.
    if extra_fields != {"additional_properties", "_absent"}:  # pragma: no cover - a guard for new models
        raise TypeError(f"{cls.__name__} has fields the converter does not set: {sorted(extra_fields)}")
    cls_ref = ns.ref(f"_cls_{cls.__name__}", lambda: cls, f"invoice.{cls.__name__}")
    wires = sorted(f.wire for f in plan)
    known = ns.ref(f"_known_{cls.__name__}", lambda: frozenset(wires), f"frozenset({wires!r})")
    # A class with validators gets attrs' validating __setattr__; the values were checked here already.
    if cls.__setattr__ is object.__setattr__:

        def store(name: str, value: str) -> str:
            return f"o.{name} = {value}"
    else:

        def store(name: str, value: str) -> str:
            return f"_set(o, {name!r}, {value})"

    lines = [
        f"def structure_{cls.__name__}(d):",
        "    if d.__class__ is not dict:",
        "        d = _check_object(d)",
        f"    o = _new({cls_ref})",
        "    absent = 0",
    ]
    for f, bit in zip(plan, _absent_bits(plan), strict=True):
        w = repr(f.wire)
        if f.required:
            lines.append(f"    v = d[{w}]")
            lines += [f"    {line}" for line in _check_value(f.kind, "if", ns)]
        else:
            # ``in`` then ``[]`` is faster than a .get() call, and an absent key costs one lookup.
            lines.append(f"    if {w} in d:")
            lines.append(f"        v = d[{w}]")
            lines += [f"        {line}" for line in _check_value(f.kind, "if", ns)]
            lines.append("    else:")
            lines.append(f"        absent |= {bit}")
            lines.append(f"        v = {'_UNSET' if f.default is UNSET else 'None'}")
        lines.append(f"    {store(f.name, 'v')}")
    # len(d) exceeds the known keys that were present exactly when unknown properties were sent.
    lines.append(f"    if len(d) != ({len(plan)} - absent.bit_count() if absent else {len(plan)}):")
    extra = f"{{k: x for k, x in d.items() if k not in {known}}}"
    lines.append(f"        {store('additional_properties', extra)}")
    lines.append("    else:")
    lines.append(f"        {store('additional_properties', '_NO_EXTRA')}")
    lines.append(f"    {store('_absent', 'absent')}")
    lines.append("    return o")
    return lines


def _make_structure(cls: type[WireModel]) -> Callable[[Any], Any]:
    ns = _Namespace()
    return _compile(f"structure_{cls.__name__}", _structure_lines(cls, ns), ns)


def _unstructure_expr(kind: Kind, v: str, ns: _Namespace, depth: int = 0) -> str:
    """An expression giving the wire form of the value held in the local ``v``."""
    t = kind.tag
    if t in ("str", "number", "bool", "any"):
        e = v
    elif t == "object":
        e = f"dict({v})"
    elif t == "enum":
        e = f"({v} if {v}.__class__ is str else {v}._value_)"
    elif t == "model":
        e = f"{ns.function('unstructure', kind.arg)}({v})"
    elif t == "list":
        x = f"x{depth}"
        e = f"[{_unstructure_expr(kind.arg, x, ns, depth + 1)} for {x} in {v}]"
    elif t == "map":
        k, x = f"k{depth}", f"x{depth}"
        e = f"{{{k}: {_unstructure_expr(kind.arg, x, ns, depth + 1)} for {k}, {x} in {v}.items()}}"
    else:  # pragma: no cover
        raise AssertionError(t)
    if kind.nullable and e != v:
        e = f"(None if {v} is None else {e})"
    return e


def _unstructure_lines(cls: type[WireModel], ns: _Namespace) -> list[str]:
    """The source of ``unstructure_<Class>``: one object to its wire dict."""
    plan = field_plan(cls)
    lines = [f"def unstructure_{cls.__name__}(o):", "    absent = o._absent", "    d = {}"]
    for f, bit in zip(plan, _absent_bits(plan), strict=True):
        w = repr(f.wire)
        lines.append(f"    v = o.{f.name}")
        conv = _unstructure_expr(f.kind, "v", ns)
        if f.required:
            lines.append(f"    d[{w}] = {conv}")
        else:
            cond = f"not absent & {bit}" + (" and v is not _UNSET" if f.default is UNSET else "")
            lines.append(f"    if {cond}:")
            lines.append(f"        d[{w}] = {conv}")
    lines.append("    extra = o.additional_properties")
    lines.append("    if extra:")
    lines.append("        d.update(extra)")
    lines.append("    return d")
    return lines


def _make_unstructure(cls: type[WireModel]) -> Callable[[Any], dict[str, Any]]:
    ns = _Namespace()
    return _compile(f"unstructure_{cls.__name__}", _unstructure_lines(cls, ns), ns)


_STRUCTURE: dict[type[WireModel], Callable[[Any], Any]] = {}
_UNSTRUCTURE: dict[type[WireModel], Callable[[Any], dict[str, Any]]] = {}
_BUILDING = threading.RLock()


def _emitted(direction: str) -> dict[type[WireModel], Callable[..., Any]]:
    """The package's own models' functions, as ``make generate`` wrote them into ``_generated.py``
    (loading bytecode is much faster than compiling them on the first parse)."""
    try:
        from . import _generated
    except ImportError:  # pragma: no cover - only while the module is being regenerated
        return {}
    return typing.cast(dict[type[WireModel], Callable[..., Any]], getattr(_generated, direction.upper()))


def _structure_fn(cls: type[WireModel]) -> Callable[[Any], Any]:
    """The structuring function of ``cls``: taken from ``_generated.py`` or generated here on first
    use, then installed on the class (so later calls go straight to it)."""
    fn = _STRUCTURE.get(cls)
    if fn is None:
        with _BUILDING:
            fn = _STRUCTURE.get(cls)
            if fn is None:
                fn = _STRUCTURE[cls] = _emitted("structure").get(cls) or _make_structure(cls)
                cls._wire_structure = staticmethod(fn)
    return fn


def _unstructure_fn(cls: type[WireModel]) -> Callable[[Any], dict[str, Any]]:
    fn = _UNSTRUCTURE.get(cls)
    if fn is None:
        with _BUILDING:
            fn = _UNSTRUCTURE.get(cls)
            if fn is None:
                fn = _UNSTRUCTURE[cls] = _emitted("unstructure").get(cls) or _make_unstructure(cls)
                cls._wire_unstructure = fn
    return fn


def emit_module() -> str:
    """The source of ``wingspan_nb/_generated.py``: this module's generated functions for every model
    of the package, written out (``make generate``; a test fails when the file is stale)."""
    ns = _Namespace(emit=True)
    classes = _model_classes()
    functions = [
        "\n".join(lines)
        for cls in classes
        for lines in (_structure_lines(cls, ns), _unstructure_lines(cls, ns))
    ]
    definitions = [f"{name} = {source}" for name, source in sorted(ns.sources.items()) if source]

    def table(direction: str) -> str:
        return (
            "{\n" + "".join(f"    invoice.{c.__name__}: {direction}_{c.__name__},\n" for c in classes) + "}"
        )

    header = (
        '"""Generated by ``make generate`` from wingspan_nb.converter: the structuring and unstructuring\n'
        "functions of every model. Do not edit; tests/test_models.py fails when it is out of date.\n"
        '"""\n\n'
        "# fmt: off\n"
        f"from .converter import _FIXED_GLOBALS, {', '.join(sorted(_HELPERS))}\n"
        f"from .converter import {', '.join(sorted(f.__name__ for f in _ENUM_HELPERS.values()))}\n"
        "from .models import enums, invoice\n\n"
        + "".join(f"{name} = _FIXED_GLOBALS[{name!r}]\n" for name in _FIXED_GLOBALS)
    )
    return (
        header
        + "\n".join(definitions)
        + "\n\n\n"
        + "\n\n\n".join(functions)
        + f"\n\n\nSTRUCTURE = {table('structure')}\nUNSTRUCTURE = {table('unstructure')}\n"
    )


def _install_builders(cls: type[WireModel]) -> None:
    """Put stubs on ``cls`` that generate its real functions on first call (so that importing the
    package compiles nothing)."""

    def structure_first(data: Any) -> Any:
        return _structure_fn(cls)(data)

    def unstructure_first(obj: Any) -> dict[str, Any]:
        return _unstructure_fn(cls)(obj)

    cls._wire_structure = staticmethod(structure_first)
    cls._wire_unstructure = unstructure_first
    setattr(cls, "_wire_explain", classmethod(_explain))  # noqa: B010 - mypy cannot type a classmethod slot


# --------------------------------------------------------------------------------------------------
# The slow path: say where and why a document does not fit.


def _path_key(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"


def _problems(kind: Kind, v: Any, path: str) -> Iterator[tuple[str, str]]:
    if v is None:
        if not kind.nullable:
            yield path, f"expected {_TYPE_NAMES.get(kind.tag, 'a value')}, got null"
        return
    t = kind.tag
    try:
        if t == "str":
            _check_str(v)
        elif t == "number":
            _check_number(v)
        elif t == "bool":
            _check_bool(v)
        elif t == "object":
            _check_object(v)
        elif t == "enum":
            if kind.open_enum:
                if not isinstance(v, str):
                    _open_enum(kind.arg)(v)
            else:
                _closed_enum(kind.arg)(v)
        elif t == "model":
            yield from _model_problems(kind.arg, v, path)
        elif t == "list":
            for i, x in enumerate(_check_list(v)):
                yield from _problems(kind.arg, x, f"{path}[{i}]")
        elif t == "map":
            for k, x in _check_object(v).items():
                if not isinstance(k, str):
                    yield path, f"expected string keys, got {_json_type(k)}"
                else:
                    yield from _problems(kind.arg, x, _path_key(path, k))
    except _Bad as e:
        yield path, str(e)


def _model_problems(cls: type[WireModel], v: Any, path: str) -> Iterator[tuple[str, str]]:
    try:
        d = _check_object(v)
    except _Bad as e:
        yield path, str(e)
        return
    for f in field_plan(cls):
        sub = _path_key(path, f.wire)
        if f.wire not in d:
            if f.required:
                yield sub, "is required but missing"
            continue
        yield from _problems(f.kind, d[f.wire], sub)


def _explain(cls: type[WireModel], data: Any, cause: BaseException) -> InvalidDocumentError:
    for path, reason in _model_problems(cls, data, "$"):
        return InvalidDocumentError(path, reason, document=data, model=cls)
    # The fast path failed where the explanation finds nothing: report it rather than hide it.
    return InvalidDocumentError("$", f"could not be read ({cause!r})", document=data, model=cls)


# --------------------------------------------------------------------------------------------------
# Public entry points and the cattrs converter.


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, WireModel)


def _strict(check: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    def hook(v: Any, _: Any) -> Any:
        try:
            return check(v)
        except _Bad as e:
            raise InvalidDocumentError("$", str(e), document=v) from None

    return hook


converter: Final = cattrs.Converter()
"""The package's one converter. ``converter.structure(d, ClientInvoice)`` and
``converter.unstructure(model)`` use the generated functions; primitives are strict."""

converter.register_structure_hook_factory(_is_model, lambda cls: lambda data, _t: cls.from_dict(data))
converter.register_unstructure_hook_factory(_is_model, lambda cls: lambda obj: obj.to_dict())
converter.register_structure_hook(str, _strict(_check_str))
converter.register_structure_hook(float, _strict(_check_number))
converter.register_structure_hook(int, _strict(_check_number))
converter.register_structure_hook(bool, _strict(_check_bool))


def _model_classes() -> list[type[WireModel]]:
    return [
        c
        for c in vars(invoice).values()
        if isinstance(c, type) and issubclass(c, WireModel) and c is not WireModel
    ]


for _cls in _model_classes():
    _install_builders(_cls)
del _cls
_base._NEW_MODEL_HOOK = _install_builders
