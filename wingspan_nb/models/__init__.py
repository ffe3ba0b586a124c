"""Typed models of the client-invoice API: the public face of the models package.

``from wingspan_nb.models import shared, operations, errors`` gives the names the generated SDK used
(``shared.ClientInvoiceUpdateRequest``, ``operations.GetClientInvoiceResponse``, ``errors.SDKError``).
Other packages import from here: the model classes and enums, :class:`WireModel`, ``UNSET``, the field
plan (:func:`field_plan`, :class:`Field`, :class:`Kind`, each field's description with the library's
notes marked by :data:`LIBRARY_MARK`), the one fee-share rule and
:func:`check_request`, which a request passes before it is sent, and :func:`structure_owned`,
which builds a model from a document its caller decoded and drops (lists and snapshots).
"""

from . import enums, errors, invoice, operations, shared
from ._base import UNSET, Unset, WireModel, structure_owned, wire, wire_value
from ._descriptions import LIBRARY_MARK, NOT_DESCRIBED, library_note
from ._explain import wire_problems
from ._leaves import reset_unknown_enum_warnings
from ._validators import check_request, fee_share_problem, fee_split_problem
from .enums import *  # noqa: F403
from .fields import Field, Kind, field_plan
from .invoice import *  # noqa: F403
from .operations import InvoiceResponse

__all__ = [
    "UNSET",
    "Field",
    "InvoiceResponse",
    "Kind",
    "LIBRARY_MARK",
    "NOT_DESCRIBED",
    "Unset",
    "WireModel",
    "check_request",
    "errors",
    "fee_share_problem",
    "fee_split_problem",
    "field_plan",
    "library_note",
    "operations",
    "reset_unknown_enum_warnings",
    "shared",
    "structure_owned",
    "wire",
    "wire_problems",
    "wire_value",
    *enums.__all__,
    *invoice.__all__,
]
