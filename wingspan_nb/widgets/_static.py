"""The static copy under a live widget: what a saved notebook or an HTML export shows where the
widget cannot be drawn. The edit form and the explorer both show theirs through :class:`StaticCopy`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

__all__ = ["StaticCopy"]


class StaticCopy:
    """A widget's static copy (``text/plain`` and ``text/html``, no widget) as an output of its own,
    under the live widget's output.

    A front end without the widget's model (a notebook reopened without its kernel: "model not
    found") or an export drawing the widget view still shows it. ``bundle`` builds the copy from the
    widget's state; :meth:`refresh` after each change re-sends it under the same display id, so a
    saved notebook keeps the last one; a copy that did not change is not sent again.
    """

    def __init__(self, bundle: Callable[[], dict[str, Any]]) -> None:
        self._bundle = bundle
        self.display_id: str | None = None
        self.shown: dict[str, Any] | None = None
        """The copy as last displayed (``None`` until the widget is shown)."""

    def show(self, live: dict[str, Any]) -> None:
        """Display the live widget's bundle, then the static copy as an output of its own."""
        from IPython.display import display

        display(live, raw=True)  # type: ignore[no-untyped-call]
        self.display_id = self.display_id or uuid.uuid4().hex
        self.shown = self._bundle()
        display(self.shown, raw=True, display_id=self.display_id)  # type: ignore[no-untyped-call]

    def refresh(self) -> None:
        """Show the widget's current state in the copy (once displayed; unchanged, nothing is sent)."""
        if self.display_id is None:
            return
        bundle = self._bundle()
        if bundle == self.shown:
            return
        from IPython.display import update_display

        update_display(bundle, raw=True, display_id=self.display_id)  # type: ignore[no-untyped-call]
        self.shown = bundle
