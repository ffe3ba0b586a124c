"""Progress bars: tqdm's (a widget in a notebook, text in a terminal), or nothing when turned off.

The download, the parsing of a list and the many-invoice calls all show theirs through :class:`Bar`.
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["Bar"]


class Bar:
    """One progress bar, or nothing when ``enabled`` is false (every method is then a no-op).

    ``unit="B"`` counts bytes (shown scaled: kB, MB); ``"inv"`` counts invoices. ``total`` may be
    unknown at first (``None``) and set later by :meth:`at`.
    """

    def __init__(
        self, enabled: bool, *, desc: str, unit: Literal["B", "inv"], total: int | None = None
    ) -> None:
        self._bar: Any = None
        if enabled:
            from tqdm.auto import tqdm

            scaled: dict[str, Any] = {"unit_scale": True, "unit_divisor": 1024} if unit == "B" else {}
            self._bar = tqdm(total=total, desc=desc, unit=unit, **scaled)

    def advance(self, n: int = 1) -> None:
        """``n`` more done."""
        if self._bar is not None:
            self._bar.update(n)

    def at(self, done: int, total: int | None) -> None:
        """``done`` so far, out of ``total`` when it is known (a reply's ``Content-Length``)."""
        if self._bar is not None:
            if total is not None and self._bar.total != total:
                self._bar.total = total
            self._bar.update(done - self._bar.n)

    def finish(self) -> None:
        """The work is done: the bar ends full (at its total, or at what was done when the total was
        never known) and closes."""
        if self._bar is not None:
            if self._bar.total is None:
                self._bar.total = self._bar.n
            else:
                self._bar.update(self._bar.total - self._bar.n)
            self._bar.refresh()
        self.close()

    def close(self) -> None:
        """Close the bar where it stands (the work stopped early)."""
        if self._bar is not None:
            self._bar.close()
