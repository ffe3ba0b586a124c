"""The one display hook: every type the notebook views draw inherits :class:`Displayable`.

A leaf (it imports nothing of the package at import time), so that the errors and models below the
views can use it; its methods (the HTML card, the one-line and the multi-line text) are the one
way a lower layer's object reaches up into :mod:`wingspan_nb.display`, and only when it is shown.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Displayable", "in_notebook"]


def in_notebook() -> bool:
    """Whether this code runs in a notebook's kernel (JupyterLab, Notebook 7, VS Code, Colab), where
    cards, forms and progress outputs can be shown; ``False`` in a script, a terminal or a plain
    IPython shell."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


class Displayable:
    """IPython's display methods, defined once: ``_repr_html_`` draws the object with the renderer
    registered for its type (:mod:`wingspan_nb.display`); ``_repr_pretty_`` prints its ``repr``.

    IPython takes a class's own ``__repr__`` before a ``_repr_pretty_`` it inherits, so a class that
    defines ``__repr__`` and wants the one-line summary as its plain-text view defines
    ``_repr_pretty_ = Displayable._pretty_summary`` next to it."""

    __slots__ = ()

    def _repr_html_(self) -> str | None:
        from .display import repr_html  # the allowed reach upward (tests/test_layers.py)

        return repr_html(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def _text_card(self) -> str:
        """``print(obj)`` as a few readable lines where the views have them (an invoice, a
        comparison), else the ``repr``. A class opts in with a ``__str__`` that returns it."""
        from .display import text_card

        return text_card(self)

    def _pretty_summary(self, p: Any, cycle: bool) -> None:
        """IPython's plain-text view as the one-line summary (``<ClientInvoice INV-1 Open ...>``)."""
        from .display import repr_pretty

        repr_pretty(self, p, cycle)
