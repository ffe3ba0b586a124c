"""The inline edit form (ipywidgets): ``InvoiceEditor``, and the type-to-control mapping behind it."""

from ._editor import Change, InvoiceEditor, SaveRecord
from ._specs import RULES, FieldSpec, Rule, form_specs

__all__ = ["RULES", "Change", "FieldSpec", "InvoiceEditor", "Rule", "SaveRecord", "form_specs"]
