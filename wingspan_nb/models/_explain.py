"""The slow path: when a generated function fails, walk the same field plan to say where
(``$.lineItems[3].totalCost``) and why the document does not fit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from ..errors import InvalidDocumentError
from ._base import WireModel
from ._leaves import (
    Bad,
    check_bool,
    check_list,
    check_number,
    check_object,
    check_str,
    closed_enum,
    json_type,
    open_enum,
)
from .fields import Kind, field_plan

_TYPE_NAMES: Final = {
    "str": "a string",
    "number": "a number",
    "bool": "true or false",
    "object": "an object",
    "model": "an object",
    "map": "an object",
    "list": "an array",
}


def _path_key(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{key!r}]"


def wire_problems(kind: Kind, v: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """Each ``(wire path, reason)`` where the JSON value ``v`` does not fit ``kind``; none when it fits."""
    if v is None:
        if not kind.nullable:
            yield path, f"expected {_TYPE_NAMES.get(kind.tag, 'a value')}, got null"
        return
    t = kind.tag
    try:
        if t == "str":
            check_str(v)
        elif t == "number":
            check_number(v)
        elif t == "bool":
            check_bool(v)
        elif t == "object":
            check_object(v)
        elif t == "enum":
            if kind.open_enum:
                if not isinstance(v, str):
                    open_enum(kind.arg)(v)
            else:
                closed_enum(kind.arg)(v)
        elif t == "model":
            yield from _model_problems(kind.arg, v, path)
        elif t == "list":
            for i, x in enumerate(check_list(v)):
                yield from wire_problems(kind.arg, x, f"{path}[{i}]")
        elif t == "map":
            for k, x in check_object(v).items():
                if not isinstance(k, str):
                    yield path, f"expected string keys, got {json_type(k)}"
                else:
                    yield from wire_problems(kind.arg, x, _path_key(path, k))
    except Bad as e:
        yield path, str(e)


def _model_problems(cls: type[WireModel], v: Any, path: str) -> Iterator[tuple[str, str]]:
    try:
        d = check_object(v)
    except Bad as e:
        yield path, str(e)
        return
    for f in field_plan(cls):
        sub = _path_key(path, f.wire)
        if f.wire not in d:
            if f.required:
                yield sub, "is required but missing"
            continue
        yield from wire_problems(f.kind, d[f.wire], sub)


def explain(cls: type[WireModel], data: Any, cause: BaseException) -> InvalidDocumentError:
    """The error for a document ``cls``'s generated function could not read."""
    for path, reason in _model_problems(cls, data, "$"):
        return InvalidDocumentError(path, reason, document=data, model=cls)
    # The fast path failed where the explanation finds nothing: report it rather than hide it.
    return InvalidDocumentError("$", f"could not be read ({cause!r})", document=data, model=cls)
