"""``BulkEditor``: the bulk-edit workflow as a small form (pick values, see the plan, apply)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import errors
from ..display import escape
from ..models import UNSET, ClientInvoiceUpdateRequest
from ._controls import Invalid, build_control
from ._specs import form_specs

if TYPE_CHECKING:
    from ..bulk import BulkPlan, BulkResult
    from ..client import Wingspan
    from ..resources import ClientInvoiceResource

__all__ = ["BulkEditor"]


class BulkEditor:
    """Change many invoices at once from a form: the same generated controls as the edit form (every
    field starts "not set", i.e. unchanged), **Plan** (a dry run, nothing sent), then **Apply**.

    ``BulkEditor(client, targets)`` takes the ids (or a DataFrame from ``to_dataframe``). ``plan`` and
    ``result`` hold the last plan and the last result (with ``undo()`` and the audit log).
    """

    def __init__(self, client: Wingspan | ClientInvoiceResource, targets: Any) -> None:
        from ..client import Wingspan

        self._resource: ClientInvoiceResource = (
            client.client_invoice if isinstance(client, Wingspan) else client
        )
        self.targets = targets
        self.plan: BulkPlan | None = None
        self.result: BulkResult | None = None
        self._controls = [build_control(spec) for spec in form_specs(ClientInvoiceUpdateRequest)]
        for c in self._controls:
            c.load(UNSET)
        self.plan_button = w.Button(description="Plan (dry run)", icon="list")
        self.apply_button = w.Button(description="Apply", button_style="warning", icon="check", disabled=True)
        self.status = w.HTML()
        self.output = w.HTML()
        count = len(targets) if hasattr(targets, "__len__") else "the"
        self.widget = w.VBox(
            [
                w.HTML(
                    f"<b>Change {escape(str(count))} invoices</b> · fields left “not set” are not changed"
                ),
                *(c.widget for c in self._controls),
                w.HBox([self.plan_button, self.apply_button]),
                self.status,
                self.output,
            ]
        )
        self.plan_button.on_click(self._guard(self.make_plan))
        self.apply_button.on_click(self._guard(self.apply))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def _guard(self, action: Any) -> Any:
        def handler(_: Any) -> None:
            try:
                action()
            except Exception as e:
                self.status.value = f'<span style="color:var(--jp-error-color1,#c4314b)">{escape(type(e).__name__)}: {escape(str(e))}</span>'
                self.plan_button.disabled = False

        return handler

    def request(self) -> ClientInvoiceUpdateRequest | None:
        """The request the form describes, or None if a field is invalid or nothing is set."""
        values = {}
        for c in self._controls:
            try:
                value = c.value()
            except Invalid as e:
                c.set_message(str(e))
                return None
            c.set_message(None)
            if value is not UNSET:
                values[c.spec.path[0]] = value
        return ClientInvoiceUpdateRequest(**values) if values else None

    def make_plan(self) -> BulkPlan | None:
        """Read every invoice and show what would change (nothing is sent)."""
        request = self.request()
        if request is None:
            self.status.value = "Set at least one field (and fix the marked ones) to make a plan."
            return None
        self.plan_button.disabled = True
        self.status.value = "Reading the invoices…"
        try:
            plan = self._resource.update_many(self.targets, request, dry_run=True, progress=False)
        except errors.WingspanError as e:
            self.status.value = escape(str(e))
            return None
        finally:
            self.plan_button.disabled = False
        self.plan = plan
        self.output.value = plan._repr_html_() or f"<pre>{escape(repr(plan))}</pre>"
        self.apply_button.disabled = not plan.to_change
        self.status.value = escape(repr(plan))
        return plan

    def apply(self) -> BulkResult | None:
        """Apply the plan shown (each invoice conflict-checked); the result replaces it."""
        if self.plan is None:
            return None
        self.apply_button.disabled = self.plan_button.disabled = True
        self.status.value = "Applying…"
        try:
            result = self.plan.apply(progress=False)
        finally:
            self.plan_button.disabled = False
        self.result, self.plan = result, None
        self.output.value = result._repr_html_() or f"<pre>{escape(repr(result))}</pre>"
        status = escape(result.summary())
        if result.unknown:
            status += (
                f" · <b>{len(result.unknown)} unknown</b>: their outcome is not known, so they may or may not "
                "have changed; get them to see (<code>.result.undo()</code> re-reads them first)"
            )
        self.status.value = status + " · <code>.result.undo()</code> puts them back"
        return result
