"""Typed models of the client-invoice API, and the seed document's module names.

``from wingspan_nb.models import shared, operations, errors`` gives the names the generated SDK used
(``shared.ClientInvoiceUpdateRequest``, ``operations.GetClientInvoiceResponse``, ``errors.SDKError``).
"""

from . import enums, invoice
from ._base import UNSET, Unset, WireModel
from .enums import *  # noqa: F403
from .invoice import *  # noqa: F403

from .. import converter as _converter  # noqa: E402, I001 - installs the generated functions

from . import errors, operations, shared  # noqa: E402

__all__ = ["UNSET", "Unset", "WireModel", "errors", "operations", "shared", *enums.__all__, *invoice.__all__]
