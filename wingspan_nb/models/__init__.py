"""Typed models of the client-invoice API, and the seed document's module names.

``from wingspan_nb.models import shared, operations, errors`` gives the names the generated SDK used
(``shared.ClientInvoiceUpdateRequest``, ``operations.GetClientInvoiceResponse``, ``errors.SDKError``).
"""

# isort: off
from . import enums, invoice
from ._base import UNSET, Unset, WireModel
from ._validators import fee_share_problem
from .enums import *  # noqa: F403
from .invoice import *  # noqa: F403

# Importing the converter generates and installs every model's (un)structuring functions.
from .. import converter as _converter  # noqa: F401
from . import errors, operations, shared

# isort: on

__all__ = [
    "UNSET",
    "Unset",
    "WireModel",
    "fee_share_problem",
    "errors",
    "operations",
    "shared",
    *enums.__all__,
    *invoice.__all__,
]
