"""Which function draws which type: each view module registers its renderers with :func:`renders`.

A new viewable type needs one decorated function in a view module. A new view module must also be
added to the import line in ``display/__init__.py``'s ``repr_html`` (importing it is what registers
its renderers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ._options import DisplayOptions

__all__ = ["Renderer", "render", "renders"]

Renderer = Callable[[Any, DisplayOptions], str]
_R = TypeVar("_R", bound=Renderer)

_RENDERERS: dict[type, Renderer] = {}


def renders(cls: type) -> Callable[[_R], _R]:
    """Register the decorated function as the HTML view of ``cls`` and of its subclasses (the most
    specific registered class wins)."""

    def register(fn: _R) -> _R:
        _RENDERERS[cls] = fn
        return fn

    return register


def render(obj: object, opts: DisplayOptions) -> str:
    """The HTML body of ``obj``, drawn by the renderer of the nearest class in its MRO."""
    for cls in type(obj).__mro__:
        fn = _RENDERERS.get(cls)
        if fn is not None:
            return fn(obj, opts)
    raise TypeError(f"no HTML view for {type(obj).__name__}")
