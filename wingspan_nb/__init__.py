"""wingspan_nb: a typed, Jupyter-friendly client for the Wingspan payments API.

>>> s = wingspan_nb.Wingspan()                       # token from $WINGSPAN_API_TOKEN
>>> res = s.client_invoice.get(id="...")
>>> res.client_invoice.status
"""

from typing import TYPE_CHECKING, Any

from . import errors
from ._version import __version__
from .client import Wingspan, connect
from .models import UNSET, Unset
from .resources import EmptyUpdateWarning

if TYPE_CHECKING:
    from .analysis import to_dataframe
    from .comparison import compare
    from .display import get_options, set_options
    from .snapshots import load_invoices
    from .widgets import InvoiceEditor

__all__ = [
    "UNSET",
    "EmptyUpdateWarning",
    "InvoiceEditor",
    "Unset",
    "Wingspan",
    "__version__",
    "compare",
    "connect",
    "errors",
    "get_options",
    "load_invoices",
    "set_options",
    "to_dataframe",
]


_LAZY = ("InvoiceEditor", "compare", "get_options", "load_invoices", "set_options", "to_dataframe")


def __getattr__(name: str) -> Any:
    # The display layer, the widgets and pandas load on first use, not at import.
    if name in ("get_options", "set_options"):
        from . import display

        return getattr(display, name)
    if name == "InvoiceEditor":
        from .widgets import InvoiceEditor

        return InvoiceEditor
    if name == "load_invoices":
        from .snapshots import load_invoices

        return load_invoices
    if name == "compare":
        from .comparison import compare

        return compare
    if name == "to_dataframe":
        from .analysis import to_dataframe

        return to_dataframe
    raise AttributeError(f"module 'wingspan_nb' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names, the lazily loaded ones included (for tab completion)."""
    return sorted({*globals(), *_LAZY})
