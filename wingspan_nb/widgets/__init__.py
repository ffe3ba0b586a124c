"""The inline edit form (ipywidgets): ``InvoiceEditor``, and the type-to-control mapping behind it."""

from ..changes import Change
from ._bulk import BulkEditor
from ._editor import InvoiceEditor, SaveRecord
from ._specs import RULES, FieldSpec, Rule, form_specs

__all__ = ["RULES", "BulkEditor", "Change", "FieldSpec", "InvoiceEditor", "Rule", "SaveRecord", "form_specs"]
