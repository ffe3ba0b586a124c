"""Exports a finance team takes: Excel workbooks, Parquet files and Polars frames of an invoice list.

All three start from :func:`wingspan_nb.to_dataframe`, so their columns are its columns. A workbook
is a view that travels: its text is masked as every view masks it, unless ``show_sensitive=True``.
A Parquet file and a Polars frame are data, like the DataFrame: nothing in them is masked.

Files are written atomically: under a temporary name in the same folder, renamed over the target only
once complete, so a failure leaves the previous file as it was.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from . import errors
from ._analysis import require, require_pandas, to_dataframe
from ._sensitive import masked_prose
from ._snapshots import new_file_for

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["to_excel", "to_parquet", "to_polars"]

Level = Literal["invoice", "line_items"]

_MONEY = {
    "invoice": ("amount", "processing_fee", "late_fee"),
    "line_items": ("cost_per_unit", "total_cost", "discount_amount"),
}
"""The money columns of each level: in a workbook, one column per currency (``amount (USD)``), so that
summing a column never adds two currencies."""
_MONEY_FORMAT = "#,##0.00"
_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_SHEETS = {"invoice": "Invoices", "line_items": "Line items"}


_ANALYSIS = "pip install 'wingspan_nb[analysis]'"


def write_atomically(
    path: str | os.PathLike[str], what: str, example: str, write: Callable[[Path], None]
) -> Path:
    """Write a file with ``write(temporary_path)``, flush it to disk, and rename it over ``path``: the
    one atomic writer of every export (workbooks, Parquet, a bulk result's audit CSV). A ``path`` that
    is no file name raises :class:`~wingspan_nb.errors.InvalidRequestError` suggesting ``example``;
    a failed write :class:`~wingspan_nb.errors.ExportError`, leaving a file already there as it was."""
    given, target, fd, temp = new_file_for(path, what, example)
    os.close(fd)
    try:
        try:
            write(temp)
            with open(temp, "rb") as done:
                os.fsync(done.fileno())
            os.replace(temp, target)
        except OSError as e:
            failed: str | None = e.strerror or str(e) or type(e).__name__
        else:
            failed = None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if failed is not None:
        temp.unlink(missing_ok=True)
        raise errors.ExportError(
            f"{str(given)!r} could not be written ({failed}); nothing was written and a file already "
            "there is as it was. Free some space or write elsewhere."
        )
    return given


# -- Parquet and Polars ----------------------------------------------------------------------------


def _arrow_table(frame: pd.DataFrame) -> Any:
    pa = require("pyarrow", "Parquet and Polars exports", _ANALYSIS)
    return pa.Table.from_pandas(frame, preserve_index=False)


def to_parquet(
    invoices: Iterable[Any],
    path: str | os.PathLike[str],
    level: Level = "invoice",
    *,
    today: date | datetime | str | None = None,
) -> Path:
    """Write :func:`~wingspan_nb.to_dataframe`'s frame at ``level`` to a Parquet file: UTC
    timestamps, dictionary-encoded categoricals (status in its order), float64 money. pandas, Polars
    and DuckDB read it back to equal frames. Needs pyarrow (the ``analysis`` extra)."""
    frame = to_dataframe(invoices, level=level, today=today)
    table = _arrow_table(frame)
    pq = require("pyarrow.parquet", "Parquet exports", _ANALYSIS)
    return write_atomically(path, "to_parquet", "invoices.parquet", lambda temp: pq.write_table(table, temp))


def to_polars(
    invoices: Iterable[Any], level: Level = "invoice", *, today: date | datetime | str | None = None
) -> pl.DataFrame:
    """:func:`~wingspan_nb.to_dataframe`'s frame at ``level`` as a Polars DataFrame (the same columns
    and types: categoricals, UTC datetimes, float64 money). Needs Polars (``pip install polars``) and
    pyarrow (the ``analysis`` extra)."""
    pl = require("polars", "to_polars", "pip install polars (and the analysis extra: " + _ANALYSIS + ")")
    frame = to_dataframe(invoices, level=level, today=today)
    return pl.from_arrow(_arrow_table(frame))  # type: ignore[no-any-return]


# -- Excel -----------------------------------------------------------------------------------------


def _cells(series: pd.Series, kind: str, show_sensitive: bool) -> list[Any]:
    """A column's values as workbook cells take them: naive UTC datetimes, plain numbers, strings
    (masked unless ``show_sensitive``), ``None`` for missing values."""
    if kind == "time":
        return [None if t is None or t != t else t.replace(tzinfo=None) for t in series.dt.to_pydatetime()]
    values = series.astype(object).tolist()
    out: list[Any] = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, str):
            out.append(_text(v, show_sensitive))
        elif hasattr(v, "item"):  # a numpy scalar
            out.append(v.item())
        else:
            out.append(v)
    return out


def _text(value: str, show_sensitive: bool) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    shown = value if show_sensitive else masked_prose(value)
    return str(ILLEGAL_CHARACTERS_RE.sub("\ufffd", shown))  # control characters a workbook cannot hold


def _columns(
    frame: pd.DataFrame, level: Level, currencies: list[str], show_sensitive: bool
) -> list[tuple[str, str, list[Any]]]:
    """(header, kind, cells) per workbook column: money split per currency, times marked UTC."""
    out: list[tuple[str, str, list[Any]]] = []
    currency = frame["currency"].astype(object).tolist()
    for name in frame.columns:
        series = frame[name]
        if name in _MONEY[level] and not currencies:  # no invoices: the column, empty
            out.append((name, "money", []))
        elif name in _MONEY[level]:
            values = _cells(series, "number", show_sensitive)
            for cur in currencies:
                cells = [v if c == cur else None for v, c in zip(values, currency, strict=True)]
                out.append((f"{name} ({cur})", "money", cells))
        elif str(series.dtype).startswith("datetime64"):
            out.append((f"{name} (UTC)", "time", _cells(series, "time", show_sensitive)))
        else:
            out.append((name, "value", _cells(series, "value", show_sensitive)))
    return out


def _sheet(wb: Any, title: str, columns: list[tuple[str, str, list[Any]]], rows: int) -> None:
    """One sheet: a bold, frozen header row with filters, then the rows; money with two decimals,
    times as Excel dates. A text that starts with ``=`` stays text, never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    last = get_column_letter(max(len(columns), 1))
    ws.auto_filter.ref = f"A1:{last}{rows + 1}"
    for n, (header, _, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = max(10, min(len(header) + 2, 40))
    bold = Font(bold=True)
    head = []
    for header, _, _ in columns:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = bold
        head.append(cell)
    ws.append(head)
    formats = {"money": _MONEY_FORMAT, "time": _TIME_FORMAT}
    for r in range(rows):
        row: list[Any] = []
        for _, kind, cells in columns:
            value = cells[r]
            fmt = formats.get(kind)
            if value is not None and (fmt is not None or (isinstance(value, str) and value.startswith("="))):
                cell = WriteOnlyCell(ws, value=value)
                if fmt is not None:
                    cell.number_format = fmt
                else:
                    cell.data_type = "s"
                row.append(cell)
            else:
                row.append(value)
        ws.append(row)


_NOT_IN_TITLES: Final = re.compile(r"[\\/?*\[\]:\x00-\x1f\x7f]")
_TITLE_LIMIT: Final = 31  # Excel's limit on a sheet's name


def _sheet_title(wanted: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, unlike a currency the server sent (``USD/EUR``): the characters
    it refuses (``\\ / ? * [ ] :``, control characters) become ``_``, no quote at either end, at
    most 31 characters, and distinct from ``taken`` whatever the case (``Summary X (2)``)."""
    base = _NOT_IN_TITLES.sub("_", wanted).strip("'") or "Sheet"
    title, n = base[:_TITLE_LIMIT], 1
    while title.casefold() in taken or title.casefold() == "history":  # History is Excel's own
        n += 1
        suffix = f" ({n})"
        title = base[: _TITLE_LIMIT - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


def _summary(frame: pd.DataFrame, currency: str) -> list[tuple[str, str, list[Any]]]:
    """Invoices and their amount per status, in one currency (statuses in the cards' order; never a
    total across statuses: a cancelled invoice's amount is not money owed)."""
    mine = frame[frame["currency"] == currency]
    grouped = mine.groupby("status", observed=True, sort=True)["amount"]
    counts, sums = grouped.count(), grouped.sum()
    statuses = [str(s) for s in counts.index]
    return [
        ("status", "value", statuses),
        ("invoices", "value", [int(counts[s]) for s in counts.index]),
        (f"amount ({currency})", "money", [float(sums[s]) for s in counts.index]),
    ]


def to_excel(
    invoices: Iterable[Any],
    path: str | os.PathLike[str],
    *,
    show_sensitive: bool = False,
    today: date | datetime | str | None = None,
) -> Path:
    """Write a workbook: a sheet of invoices, one of line items, and a summary sheet per currency
        (invoices and amount per status).

        The columns are :func:`~wingspan_nb.to_dataframe`'s; each money column is split per currency
        (``amount (USD)``, ``amount (CAD)``) so that no sum in the sheet adds two currencies, and formatted
        with two decimals; timestamps are Excel dates in UTC. A summary sheet is named after its currency,
    with the characters a sheet name cannot hold (``USD/EUR``) written ``_``. The header row is frozen and filters are on.
        Text is masked as every view masks it (account and id numbers in free text) unless
        ``show_sensitive=True``. Written atomically; needs openpyxl (the ``analysis`` extra).
    """
    require_pandas()
    openpyxl = require("openpyxl", "to_excel", _ANALYSIS)
    items = list(invoices)

    def write(temp: Path) -> None:  # built once the path is known to be writable
        levels: tuple[Level, ...] = ("invoice", "line_items")
        frames = {level: to_dataframe(items, level=level, today=today) for level in levels}
        currencies = sorted(str(c) for c in frames["invoice"]["currency"].dropna().unique())
        wb = openpyxl.Workbook(write_only=True)
        taken: set[str] = set()
        for level, frame in frames.items():
            title = _sheet_title(_SHEETS[level], taken)
            _sheet(wb, title, _columns(frame, level, currencies, show_sensitive), len(frame))
        for currency in currencies:
            columns = _summary(frames["invoice"], currency)
            _sheet(wb, _sheet_title(f"Summary {currency}", taken), columns, len(columns[0][2]))
        wb.save(temp)

    return write_atomically(path, "to_excel", "invoices.xlsx", write)
