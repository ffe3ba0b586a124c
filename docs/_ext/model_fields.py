"""The ``model-fields`` directive: a table of every model's fields (attribute, wire name, type,
required or optional, description), made at build time from :func:`wingspan_nb.models.field_plan`,
so the reference cannot drift from the models.

    ```{model-fields}
    ```
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from wingspan_nb.models import Kind, WireModel, field_plan, invoice

HEADER = ("Attribute", "Wire name", "Type", "Required", "Description")


def documented_models() -> list[type[WireModel]]:
    """Every model class of :mod:`wingspan_nb.models`, in the order the package declares them."""
    found = (getattr(invoice, name) for name in invoice.__all__)
    return [c for c in found if isinstance(c, type) and issubclass(c, WireModel)]


def type_words(kind: Kind) -> str:
    """A field's type as the table writes it: ``number or null``, ``list of InvoiceLineItem``."""
    tag, arg = kind.tag, kind.arg
    if tag in ("enum", "model"):
        text = arg.__name__
    elif tag == "list":
        text = f"list of {type_words(arg)}"
    elif tag == "map":
        text = f"map of string to {type_words(arg)}"
    else:
        text = {"str": "string", "bool": "boolean", "any": "any JSON value"}.get(tag, tag)
    return f"{text} or null" if kind.nullable else text


def rows(cls: type[WireModel]) -> list[tuple[str, str, str, str, str]]:
    """One row per field of ``cls``, in declaration order (the table's columns: :data:`HEADER`)."""
    return [
        (f.name, f.wire, type_words(f.kind), "required" if f.required else "optional", f.description)
        for f in field_plan(cls)
    ]


def _table(cls: type[WireModel]) -> nodes.table:
    widths = (14, 14, 14, 8, 50)
    group = nodes.tgroup(cols=len(HEADER))
    group += [nodes.colspec(colwidth=w) for w in widths]

    def row(cells: tuple[str, ...], literal: int) -> nodes.row:
        out = nodes.row()
        for i, text in enumerate(cells):
            entry = nodes.entry()
            para = nodes.paragraph()
            para += nodes.literal(text=text) if i < literal else nodes.Text(text)
            entry += para
            out += entry
        return out

    head = nodes.thead()
    head += row(HEADER, 0)
    body = nodes.tbody()
    body += [row(r, 2) for r in rows(cls)]
    group += [head, body]
    table = nodes.table(classes=["model-fields"])
    table += group
    return table


def _title(cls: type[WireModel], docname: str) -> nodes.rubric:
    """The model's name, linked to its entry in the API section."""
    target = f"wingspan_nb.models.{cls.__name__}"
    ref = addnodes.pending_xref(
        "", refdomain="py", reftype="class", reftarget=target, refexplicit=True, refdoc=docname
    )
    ref += nodes.literal(text=cls.__name__)
    rubric = nodes.rubric()
    rubric += ref
    return rubric


class ModelFields(SphinxDirective):
    """Every model's fields, one table per model."""

    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for cls in documented_models():
            out += [_title(cls, self.env.docname), _table(cls)]
        return out


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("model-fields", ModelFields)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
