"""pydantic v2 models of the invoice schemas, generated at benchmark time from the 2024 spec.

The competitor the targets name: same schemas, aliases for wire names, unknown properties allowed
(as wingspan_nb keeps them), enums as ``Literal``s. Built with ``pydantic.create_model``.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

import yaml
from harness import SHARED
from pydantic import BaseModel, ConfigDict, Field, create_model

SPEC = SHARED / "spec" / "wingspan-payments-openapi-2024.yaml"


class _Base(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


def build(root: str = "ClientInvoice") -> type[BaseModel]:
    schemas = yaml.load(SPEC.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["components"][
        "schemas"
    ]
    made: dict[str, type[BaseModel]] = {}

    def strip(s: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        alts = s.get("oneOf") or s.get("anyOf")
        if alts:
            rest = [a for a in alts if a.get("type") != "null"]
            return rest[0], len(rest) < len(alts)
        t = s.get("type")
        if isinstance(t, list):
            return {
                **s,
                "type": next(x for x in t if x != "null"),
                "enum": [e for e in s.get("enum", []) if e is not None] or None,
            }, "null" in t
        return s, False

    def typ(s: dict[str, Any]) -> Any:
        s, nullable = strip(s)
        if "$ref" in s:
            t: Any = model(s["$ref"].split("/")[-1])
        elif s.get("enum"):
            t = Literal[tuple(s["enum"])]  # type: ignore[misc]
        elif s.get("type") == "string":
            t = str
        elif s.get("type") == "number":
            t = float
        elif s.get("type") == "boolean":
            t = bool
        elif s.get("type") == "array":
            t = list[typ(s["items"])]  # type: ignore[misc]
        elif s.get("type") == "object":
            extra = s.get("additionalProperties")
            t = dict[str, typ(extra)] if isinstance(extra, dict) else dict[str, Any]  # type: ignore[misc]
        else:
            t = Any
        return Optional[t] if nullable else t  # noqa: UP045

    def model(name: str) -> Any:
        s = schemas[name]
        if "properties" not in s:
            return typ(s)
        if name not in made:
            required = set(s.get("required", []))
            fields: dict[str, Any] = {}
            for wire, prop in s["properties"].items():
                t = typ(prop)
                if wire in required:
                    fields[f"f_{wire}"] = (t, Field(alias=wire))
                else:
                    fields[f"f_{wire}"] = (Optional[t], Field(default=None, alias=wire))  # noqa: UP045
            made[name] = create_model(f"P{len(made)}", __base__=_Base, **fields)
        return made[name]

    return model(root)
