"""Which function draws which type: each view module registers its renderers with :func:`renders`.

A new viewable type needs one decorated function in a view module of this package; the first
:func:`render` imports every module of the package, and importing a module registers its renderers,
so no list of view modules is kept anywhere.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any, TypeVar

from ._options import DisplayOptions

__all__ = ["Renderer", "load_views", "render", "renders"]

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


_views_loaded = False


def load_views() -> None:
    """Import every module of the display package once (each registers the renderers it defines)."""
    global _views_loaded
    if not _views_loaded:
        package = importlib.import_module(__package__ or "wingspan_nb.display")
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
        _views_loaded = True


def render(obj: object, opts: DisplayOptions) -> str:
    """The HTML body of ``obj``, drawn by the renderer of the nearest class in its MRO."""
    load_views()
    for cls in type(obj).__mro__:
        fn = _RENDERERS.get(cls)
        if fn is not None:
            return fn(obj, opts)
    raise TypeError(f"no HTML view for {type(obj).__name__}")
