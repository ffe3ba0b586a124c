"""A widget that keeps a static copy of itself as an output of its own, for saved notebooks and exports.

Where a widget cannot be drawn (a saved notebook reopened without its kernel: "model not found"; an
HTML export, which draws the widget view from saved widget state or not at all), the copy still
shows. The edit form, the bulk editor and the explorer all use this one mechanism.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from ..display import escape, repr_html

if TYPE_CHECKING:
    import ipywidgets as w

__all__ = ["StaticCopy", "copy_bundle", "view_html"]


def view_html(obj: object, text: str) -> str:
    """What a widget shows of a model: its HTML view, or (text-only display) ``text`` as written."""
    return repr_html(obj) or f"<pre>{escape(text)}</pre>"


def copy_bundle(text: str, line: str, html: str) -> dict[str, Any]:
    """A static copy as a display bundle: ``text`` as plain text; as HTML, closed under the live
    widget with its one ``line`` (HTML, escaped by the caller) showing, ``html`` when opened."""
    return {"text/plain": text, "text/html": f"<details><summary>{line}</summary>{html}</details>"}


class StaticCopy:
    """Mixin: ``widget`` is the live widget, :meth:`_snapshot_bundle` the static copy (``text/plain``
    and ``text/html``), :attr:`live_text` the live widget's ``text/plain``. Call
    :meth:`_refresh_snapshot` after every change of state: once displayed, the copy follows (a
    display id), so a saved notebook keeps the last one."""

    widget: w.Widget
    live_text: str = ""
    """What a notebook shows where the widget cannot be drawn. It names no state: it stays as first
    shown, while the copy under it is refreshed."""
    _display_id: str | None = None
    _shown_snapshot: dict[str, Any] | None = None
    """The static copy's bundle as last displayed."""

    def _snapshot_bundle(self) -> dict[str, Any]:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The live widget with its static copy in one bundle (for front ends that ask for one)."""
        return {**self._widget_bundle(**kwargs), **self._snapshot_bundle()}

    def _widget_bundle(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = self.live_text  # never ipywidgets' "VBox(children=(HTML(..." dump
        return bundle

    def _ipython_display_(self) -> None:
        """Two outputs: the live widget, and under it its static copy as an output of its own."""
        from IPython.display import display

        display(self._widget_bundle(), raw=True)  # type: ignore[no-untyped-call]
        self._display_id = self._display_id or uuid.uuid4().hex
        self._shown_snapshot = self._snapshot_bundle()
        display(self._shown_snapshot, raw=True, display_id=self._display_id)  # type: ignore[no-untyped-call]

    def _refresh_snapshot(self) -> None:
        """Show the current state in the static copy (once displayed); an unchanged copy is not sent again."""
        if self._display_id is None:
            return
        bundle = self._snapshot_bundle()
        if bundle == self._shown_snapshot:
            return
        from IPython.display import update_display

        update_display(bundle, raw=True, display_id=self._display_id)  # type: ignore[no-untyped-call]
        self._shown_snapshot = bundle
