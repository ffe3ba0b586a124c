"""Progress bars that tell the truth in a saved notebook too.

In a notebook a bar is a display output of its own (an HTML ``<progress>`` and a text line), updated
in place; when the work ends it becomes a one-line summary ("downloaded 49.8 MB in 1.9 s"), which is
what a saved or exported notebook keeps: never a bar frozen at 0 %. In a terminal it is tqdm's text
bar. The download, the parsing of a list and the many-invoice calls all show theirs through
:class:`Bar`, each labelled with its own operation.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable
from html import escape
from typing import Any, Literal

from ._displayable import in_notebook

__all__ = ["Bar", "Sink", "describe_amount", "format_seconds", "shown"]

Sink = Callable[[dict[str, str], str, bool], None]
"""Where a notebook bar goes: ``sink(bundle, display_id, update)`` (first call: ``update`` false)."""

_MIN_INTERVAL = 0.2
"""Seconds between two redraws of a notebook bar (the summary is always drawn)."""


def _monotonic() -> float:
    """The clock bars measure with unless given one (tests replace it)."""
    return time.monotonic()


def _ipython_sink(bundle: dict[str, str], display_id: str, update: bool) -> None:
    from IPython.display import display, update_display

    if update:
        update_display(bundle, raw=True, display_id=display_id)  # type: ignore[no-untyped-call]
    else:
        display(bundle, raw=True, display_id=display_id)  # type: ignore[no-untyped-call]


def _notebook_sink() -> Sink | None:
    """The IPython display when running in a kernel (a notebook), else ``None`` (a terminal)."""
    return _ipython_sink if in_notebook() else None


def shown(progress: bool | None) -> bool:
    """Whether a bar is drawn: ``progress=True`` always, ``False`` never, ``None`` (auto) in a
    notebook or when standard error is a terminal, so that bars stay out of logs, pipes and
    scheduled runs."""
    if progress is not None:
        return bool(progress)
    if in_notebook():
        return True
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def format_seconds(seconds: float) -> str:
    """``1.9 s``, ``0.04 s``, ``2 min 5 s``."""
    if seconds >= 60:
        return f"{int(seconds // 60)} min {int(seconds % 60)} s"
    return f"{seconds:.2f} s" if seconds < 0.1 else f"{seconds:.1f} s"


def describe_amount(n: int, unit: Literal["B", "inv"]) -> str:
    """``49.8 MB`` (decimal units, as sizes on disk are shown) or ``10,000 invoices``."""
    if unit == "inv":
        return f"{n:,} invoice{'' if n == 1 else 's'}"
    if n < 1000:
        return f"{n:,} B"
    size, name = n / 1000, "kB"
    for larger in ("MB", "GB"):
        if size < 1000:
            break
        size, name = size / 1000, larger
    return f"{size:.1f} {name}"


class Bar:
    """One progress bar, or nothing when ``enabled`` is false (every method is then a no-op);
    ``None`` decides as :func:`shown` does.

    ``desc`` names the operation while it runs (``"downloading"``); ``done`` how its summary starts
    (``"downloaded"``; by default ``"<desc>:"``). ``unit="B"`` counts bytes, ``"inv"`` invoices.
    ``total`` may be unknown at first (``None``) and set later by :meth:`at`. ``clock`` (seconds,
    monotonic: elapsed time, not the wall clock of :mod:`wingspan_nb._clock`) and ``sink`` are for
    tests: by default ``time.monotonic``, and the notebook's display when running in a kernel, else
    tqdm's text bar.
    """

    def __init__(
        self,
        enabled: bool | None,
        *,
        desc: str,
        unit: Literal["B", "inv"],
        total: int | None = None,
        done: str | None = None,
        clock: Callable[[], float] | None = None,
        sink: Sink | None = None,
    ) -> None:
        self.desc, self.unit, self.total = desc, unit, total
        self.done_label = done or f"{desc}:"
        self.n = 0
        self.summary: str | None = None
        """The one-line summary, once the bar has finished or stopped."""
        self._clock = clock or _monotonic
        self._start = self._clock()
        self._drawn_at: float | None = None
        self._enabled = enabled = shown(enabled)
        self._sink: Sink | None = None
        self._tqdm: Any = None
        self._id = uuid.uuid4().hex
        if not enabled:
            return
        self._sink = sink or _notebook_sink()
        if self._sink is None:
            from tqdm import tqdm

            scaled: dict[str, Any] = {"unit_scale": True, "unit_divisor": 1000} if unit == "B" else {}
            self._tqdm = tqdm(total=total, desc=desc, unit=unit, **scaled)
        else:
            self._draw(force=True)

    # -- drawing ---------------------------------------------------------------------------------

    def _so_far(self) -> str:
        """``20.0 MB of 49.8 MB``, ``2 of 5 invoices``, or the amount alone without a total."""
        if not self.total:
            return describe_amount(self.n, self.unit)
        total = describe_amount(self.total, self.unit)
        return (
            f"{self.n:,} of {total}"
            if self.unit == "inv"
            else f"{describe_amount(self.n, self.unit)} of {total}"
        )

    def _line(self) -> str:
        if self.total:
            percent = min(100, int(100 * self.n / self.total))
            return f"{self.desc}: {self._so_far()} ({percent} %)"
        return f"{self.desc}: {self._so_far()}"

    def _bundle(self) -> dict[str, str]:
        if self.summary is not None:
            return {
                "text/plain": self.summary,
                "text/html": f'<div class="wsnb-progress-done" style="font-size:12px">{escape(self.summary)}</div>',
            }
        line = self._line()
        # Without a known total the bar is indeterminate (no value), full width: never a stub.
        value = f' value="{self.n}" max="{self.total}"' if self.total else ""
        bar = f'<progress{value} aria-label="{escape(self.desc)}" style="width:24em;max-width:60%;height:1em"></progress>'
        return {
            "text/plain": line,
            "text/html": (
                '<div class="wsnb-progress" style="display:flex;align-items:center;gap:8px;font-size:12px">'
                f"<span>{escape(self.desc)}</span>{bar}<span>{escape(line.split(': ', 1)[1])}</span></div>"
            ),
        }

    def _draw(self, *, force: bool = False) -> None:
        if self._sink is None:
            return
        now = self._clock()
        if not force and self._drawn_at is not None and now - self._drawn_at < _MIN_INTERVAL:
            return
        self._sink(self._bundle(), self._id, self._drawn_at is not None)
        self._drawn_at = now

    # -- progress --------------------------------------------------------------------------------

    def advance(self, n: int = 1) -> None:
        """``n`` more done."""
        if not self._enabled or self.summary is not None:
            return
        self.n += n
        if self._tqdm is not None:
            self._tqdm.update(n)
        self._draw()

    def at(self, done: int, total: int | None) -> None:
        """``done`` so far, out of ``total`` when it is known (a reply's ``Content-Length``)."""
        if not self._enabled or self.summary is not None:
            return
        if total is not None and self.total != total:
            self.total = total
            if self._tqdm is not None:
                self._tqdm.total = total
        if self._tqdm is not None:
            self._tqdm.update(done - self.n)
        self.n = done
        self._draw()

    def finish(self, what: str | None = None) -> None:
        """The work is done: the bar becomes its summary (``"downloaded 49.8 MB in 1.9 s"``;
        ``what`` replaces the amount, as in ``"parsed 10,000 invoices"``)."""
        if not self._enabled or self.summary is not None:
            return
        if self.total is None:  # never known: full at what was done
            self.total = self.n
        elif self.unit == "B":  # a download or a parse ends at its last byte
            self.n = self.total
        if self._tqdm is not None:
            self._tqdm.total = self.total
            self._tqdm.update(self.n - self._tqdm.n)
            self._tqdm.refresh()
        amount = what or describe_amount(self.n, self.unit)
        self._end(f"{self.done_label} {amount} in {format_seconds(self._clock() - self._start)}")

    def close(self) -> None:
        """The work stopped early (an error, an interrupt): the summary says where it stood."""
        if not self._enabled or self.summary is not None:
            return
        elapsed = format_seconds(self._clock() - self._start)
        self._end(f"{self.desc}: stopped after {self._so_far()} ({elapsed})")

    def _end(self, summary: str) -> None:
        self.summary = summary
        if self._tqdm is not None:
            self._tqdm.close()
        self._draw(force=True)
