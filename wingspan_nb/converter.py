"""The package's one cattrs converter: ``converter.structure(d, ClientInvoice)`` and
``converter.unstructure(model)`` go through each model's generated functions (the models' own
``from_dict``/``to_dict``); primitives are as strict as model fields.

The rest of the machinery lives in the models package: the field plan (:mod:`wingspan_nb.models.fields`),
the functions compiled at run time and the explanation of failures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import cattrs

from .errors import InvalidDocumentError
from .models import Kind, WireModel, wire_problems

__all__ = ["converter"]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, WireModel)


def _strict(kind: Kind) -> Callable[[Any, Any], Any]:
    def hook(v: Any, _: Any) -> Any:
        for path, reason in wire_problems(kind, v):
            raise InvalidDocumentError(path, reason, document=v)
        return v

    return hook


converter: Final = cattrs.Converter()
"""The package's one converter. ``converter.structure(d, ClientInvoice)`` and
``converter.unstructure(model)`` use the generated functions; primitives are strict."""

converter.register_structure_hook_factory(_is_model, lambda cls: lambda data, _t: cls.from_dict(data))
converter.register_unstructure_hook_factory(_is_model, lambda cls: lambda obj: obj.to_dict())
converter.register_structure_hook(str, _strict(Kind("str")))
converter.register_structure_hook(float, _strict(Kind("number")))
converter.register_structure_hook(int, _strict(Kind("number")))
converter.register_structure_hook(bool, _strict(Kind("bool")))
