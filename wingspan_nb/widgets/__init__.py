"""The inline edit form (ipywidgets): ``InvoiceEditor``, and the type-to-control mapping behind it."""

from ..changes import Change
from ._bulk import BulkEditor
from ._editor import InvoiceEditor, SaveRecord
from ._specs import FIELDS, MODEL_RULES, FieldExtra, FieldSpec, Rule, form_specs

__all__ = [
    "FIELDS",
    "MODEL_RULES",
    "BulkEditor",
    "Change",
    "FieldExtra",
    "FieldSpec",
    "InvoiceEditor",
    "Rule",
    "SaveRecord",
    "form_specs",
]
