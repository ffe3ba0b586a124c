"""The notebook widgets (ipywidgets): the inline edit form ``InvoiceEditor`` and the type-to-control
mapping behind it, the ``BulkEditor``, and the ``Explorer`` of the whole account."""

from .._changes import Change
from ._bulk import BulkEditor
from ._edit_state import SaveRecord
from ._editor import InvoiceEditor
from ._explorer import Explorer
from ._specs import FIELDS, MODEL_RULES, FieldExtra, FieldSpec, Rule, form_specs

__all__ = [
    "FIELDS",
    "MODEL_RULES",
    "BulkEditor",
    "Change",
    "Explorer",
    "FieldExtra",
    "FieldSpec",
    "InvoiceEditor",
    "Rule",
    "SaveRecord",
    "form_specs",
]
