"""wingspan_nb: a typed, Jupyter-friendly client for the Wingspan payments API.

>>> s = wingspan_nb.Wingspan()                       # token from $WINGSPAN_API_TOKEN
>>> res = s.client_invoice.get(id="...")
>>> res.client_invoice.status

What a user imports is here, and in ``wingspan_nb.errors``, ``wingspan_nb.models`` (with the seed's
``shared`` and ``operations``), ``wingspan_nb.sandbox``, ``wingspan_nb.widgets`` and
``wingspan_nb.converter``. Modules whose names start with ``_`` are the implementation: they may
change in any release.
"""

import importlib
from typing import TYPE_CHECKING, Any

from . import errors
from ._client import Wingspan, connect
from ._deadline import DeadlineAdapter
from ._invoices import Failure, InvoiceList, ListFailure, ListSource
from ._resources import ClientInvoiceResource, EmptyUpdateWarning
from ._transport import Timeout, new_session
from ._version import __version__
from .models import UNSET, Unset

if TYPE_CHECKING:
    from ._analysis import to_dataframe
    from ._batch import BatchInterruptedWarning, BatchItem, BatchResult
    from ._bulk import AuditEntry, BulkPlan, BulkResult, PlanRow, ResultRow
    from ._comparison import Changes, compare
    from ._facts import AWAITING_PAYMENT, words
    from ._reports import Report
    from ._snapshots import SnapshotInfo, load_invoices, load_snapshot_info
    from .display import DisplayOptions, get_options, set_options
    from .widgets import BulkEditor, InvoiceEditor

__all__ = [
    "AWAITING_PAYMENT",
    "UNSET",
    "AuditEntry",
    "BatchInterruptedWarning",
    "BatchItem",
    "BatchResult",
    "BulkEditor",
    "BulkPlan",
    "BulkResult",
    "Changes",
    "ClientInvoiceResource",
    "DeadlineAdapter",
    "DisplayOptions",
    "EmptyUpdateWarning",
    "Failure",
    "InvoiceEditor",
    "InvoiceList",
    "ListFailure",
    "ListSource",
    "PlanRow",
    "Report",
    "ResultRow",
    "SnapshotInfo",
    "Timeout",
    "Unset",
    "Wingspan",
    "__version__",
    "compare",
    "connect",
    "errors",
    "get_options",
    "load_invoices",
    "load_snapshot_info",
    "new_session",
    "set_options",
    "to_dataframe",
    "words",
]

# Loaded on first use, not at import: the display layer, the widgets, pandas and the modules behind
# them. Each name maps to the module that defines it.
_LAZY = {
    "AWAITING_PAYMENT": "_facts",
    "AuditEntry": "_bulk",
    "BatchInterruptedWarning": "_batch",
    "BatchItem": "_batch",
    "BatchResult": "_batch",
    "BulkEditor": "widgets",
    "BulkPlan": "_bulk",
    "BulkResult": "_bulk",
    "Changes": "_comparison",
    "DisplayOptions": "display",
    "InvoiceEditor": "widgets",
    "PlanRow": "_bulk",
    "Report": "_reports",
    "ResultRow": "_bulk",
    "SnapshotInfo": "_snapshots",
    "compare": "_comparison",
    "get_options": "display",
    "load_invoices": "_snapshots",
    "load_snapshot_info": "_snapshots",
    "set_options": "display",
    "to_dataframe": "_analysis",
    "words": "_facts",
}

_SUBPACKAGES = ("converter", "display", "errors", "models", "sandbox", "widgets")
"""The public modules besides this one (``dir`` lists them; each loads on first use)."""

_MOVED = (
    "analysis", "batch", "bulk", "changes", "client", "comparison", "deadline", "exports", "facts",
    "filters", "invoices", "progress", "reports", "resources", "sensitive", "snapshots", "transport",
    "wire_json",
)  # fmt: skip
"""Modules made private in 0.2.0: until 0.3.0 ``wingspan_nb.transport`` and the others still answer,
each name with a :class:`DeprecationWarning` that says where to import it from."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    if name in _SUBPACKAGES or name in _MOVED:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'wingspan_nb' has no attribute {name!r}")


def __dir__() -> list[str]:
    """What a user needs: the exported names and the public modules (for tab completion)."""
    return sorted({*__all__, *_SUBPACKAGES})
