"""The wall clock: the one place the package asks what time and what day it is.

Everything stamped or aged with a wall-clock time takes it from :func:`utc_now`: a snapshot's
``saved_at`` and age, a list's read time, the bulk audit log, the edit form's save times, a
``Retry-After`` date, the sandbox's ``updatedAt`` and the day its demo data is dated from. "Today"
(due dates, reports, frames, filters) is :func:`today_utc`, the UTC date of that clock.

Two conventions, one for each thing a caller may fix:

- ``clock: Clock`` where a component stamps events as they happen (a bulk plan and its result, the
  edit form): a callable returning an aware UTC datetime, :func:`utc_now` by default. Tests pass one
  that returns fixed times.
- ``today=`` (a date) where a computation is "as of" a day (reports, frames, filters, exports, the
  sandbox's demo data): a value, not a clock, so that a re-run gives the same numbers.

Deadlines and progress bars are something else: they measure elapsed seconds with
``time.monotonic()`` (``Callable[[], float]``, see ``_transport`` and ``_progress``), which never
jumps when the wall clock is set and says nothing about the date. They stay apart from this module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import TypeAlias

__all__ = ["Clock", "today_utc", "utc_now"]

Clock: TypeAlias = Callable[[], datetime]
"""A wall clock: called for "now", it returns an aware datetime in UTC."""


def utc_now() -> datetime:
    """The current time, aware, in UTC: the package's one reading of the wall clock."""
    return datetime.now(timezone.utc)


def today_utc() -> date:
    """Today's date in UTC: the one day every view measures due dates against."""
    return utc_now().date()
