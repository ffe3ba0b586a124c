"""The seed document's ``shared`` module: the wire models under the generated SDK's names.

``StatusClientInvoiceUpdateRequest`` is :class:`InvoiceStatus`, the enum of the ``PATCH`` body's
``status`` (and of the invoice's).
"""

from .enums import *  # noqa: F403
from .enums import InvoiceStatus
from .enums import __all__ as _enums
from .invoice import *  # noqa: F403
from .invoice import __all__ as _models

StatusClientInvoiceUpdateRequest = InvoiceStatus

__all__ = ["StatusClientInvoiceUpdateRequest", *_enums, *_models]
