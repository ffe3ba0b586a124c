"""Exports: Excel workbooks, Parquet files and Polars frames, read back cell by cell."""

from __future__ import annotations

import math
import os
import re
import sys
import warnings
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal as assert_polars_equal

import wingspan_nb
from wingspan_nb import errors
from wingspan_nb._invoices import InvoiceList
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import demo_invoices, make_invoice

from .helpers import ROOT

TODAY = date(2026, 12, 7)
SECRET = "000123456789"


@pytest.fixture(scope="module")
def invoices() -> InvoiceList:
    """The sandbox's 48 demo invoices (every status, USD and CAD, 300 line items on one, hostile
    texts on another), one with an account number in a line item's detail and a text that looks like
    a formula."""
    docs = demo_invoices(48)
    docs[2]["lineItems"][0]["detail"] = f"Pay to account {SECRET} please"
    docs[3]["projectName"] = '=HYPERLINK("https://evil.example","click")'
    return InvoiceList(ClientInvoice.from_dict(d) for d in docs)


def _rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _expected(value: Any) -> Any:
    """A DataFrame value as the workbook holds it: naive UTC datetimes, None for NaN/NaT."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_convert("UTC").tz_localize(None).to_pydatetime()
    return value.item() if hasattr(value, "item") else value


MONEY = {
    "invoice": ("amount", "processing_fee", "late_fee"),
    "line_items": ("cost_per_unit", "total_cost", "discount_amount"),
}


@pytest.mark.parametrize(("level", "sheet"), [("invoice", "Invoices"), ("line_items", "Line items")])
def test_excel_round_trip_cell_by_cell(invoices: InvoiceList, tmp_path: Path, level: str, sheet: str) -> None:
    path = invoices.to_excel(tmp_path / "invoices.xlsx", show_sensitive=True, today=TODAY)
    frame = invoices.to_dataframe(level, today=TODAY)  # type: ignore[arg-type]
    rows = _rows(openpyxl.load_workbook(path)[sheet])
    header, body = rows[0], rows[1:]
    assert len(body) == len(frame)
    currencies = ["CAD", "USD"]
    expected_header: list[str] = []
    for name in frame.columns:
        if name in MONEY[level]:
            expected_header += [f"{name} ({c})" for c in currencies]
        elif str(frame[name].dtype).startswith("datetime64"):
            expected_header.append(f"{name} (UTC)")
        else:
            expected_header.append(name)
    assert header == expected_header
    for r, (_, row) in enumerate(frame.iterrows()):
        got = dict(zip(header, body[r], strict=True))
        for name in frame.columns:
            want = _expected(row[name])
            if name in MONEY[level]:
                for c in currencies:
                    assert got[f"{name} ({c})"] == (want if row["currency"] == c else None), (r, name, c)
            elif f"{name} (UTC)" in got:
                assert got[f"{name} (UTC)"] == want, (r, name)
            else:
                assert got[name] == want, (r, name)


def test_excel_formats_freezes_filters_and_keeps_a_formula_like_text_as_text(
    invoices: InvoiceList, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(invoices.to_excel(tmp_path / "x.xlsx", today=TODAY))
    assert wb.sheetnames == ["Invoices", "Line items", "Summary CAD", "Summary USD"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert all(cell.font.bold for cell in ws[1])
    ws = wb["Invoices"]
    header = [c.value for c in ws[1]]
    usd = ws.cell(
        2 + next(i for i, inv in enumerate(invoices) if inv.currency == "USD"),
        header.index("amount (USD)") + 1,
    )
    assert isinstance(usd.value, float) and usd.number_format == "#,##0.00"
    created = ws.cell(2, header.index("created_at (UTC)") + 1)
    assert created.is_date and isinstance(created.value, datetime)
    formula = ws.cell(5, header.index("project_name") + 1)
    assert formula.data_type == "s" and formula.value == '=HYPERLINK("https://evil.example","click")'


def test_excel_summary_sheets_are_per_currency_per_status(invoices: InvoiceList, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(invoices.to_excel(tmp_path / "x.xlsx", today=TODAY))
    frame = invoices.to_dataframe(today=TODAY)
    for currency in ("CAD", "USD"):
        rows = _rows(wb[f"Summary {currency}"])
        assert rows[0] == ["status", "invoices", f"amount ({currency})"]
        mine = frame[frame["currency"] == currency]
        expected = [
            [
                status,
                int((mine["status"] == status).sum()),
                pytest.approx(mine.loc[mine["status"] == status, "amount"].sum()),
            ]
            for status in frame["status"].cat.categories
            if (mine["status"] == status).any()
        ]
        assert rows[1:] == expected
        assert wb[f"Summary {currency}"]["C2"].number_format == "#,##0.00"


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(name).decode("utf-8") for name in z.namelist() if name.endswith(".xml"))


def test_excel_masks_sensitive_numbers_unless_asked(invoices: InvoiceList, tmp_path: Path) -> None:
    masked = invoices.to_excel(tmp_path / "masked.xlsx", today=TODAY)
    assert SECRET not in _xml(masked)
    assert "Pay to account •••• 6789 please" in _xml(masked)
    shown = invoices.to_excel(tmp_path / "shown.xlsx", show_sensitive=True, today=TODAY)
    assert f"Pay to account {SECRET} please" in _xml(shown)
    assert invoices[2].line_items[0].detail == f"Pay to account {SECRET} please"  # the data is untouched


def test_excel_write_is_atomic_and_errors_are_typed(
    invoices: InvoiceList, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "finance.xlsx"
    target.write_bytes(b"the previous workbook")

    save = openpyxl.Workbook.save

    def full_disk(self: Any, filename: Any) -> None:
        save(self, filename)  # the temporary file is complete; the flush to disk fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", full_disk)
    with pytest.raises(errors.ExportError, match="No space left on device") as caught:
        invoices.to_excel(target, today=TODAY)
    assert isinstance(caught.value, errors.WingspanError)
    assert target.read_bytes() == b"the previous workbook"
    assert os.listdir(tmp_path) == ["finance.xlsx"]  # no temporary file left behind
    with pytest.raises(errors.InvalidRequestError, match="is a folder"):
        invoices.to_excel(tmp_path, today=TODAY)
    with pytest.raises(errors.InvalidRequestError, match="cannot be written"):
        invoices.to_parquet(tmp_path / "missing" / "x.parquet")


@pytest.mark.parametrize("level", ["invoice", "line_items"])
def test_parquet_reads_back_to_equal_frames_in_pandas_polars_and_duckdb(
    invoices: InvoiceList, tmp_path: Path, level: Any
) -> None:
    path = invoices.to_parquet(tmp_path / "invoices.parquet", level, today=TODAY)
    frame = invoices.to_dataframe(level, today=TODAY)
    pd.testing.assert_frame_equal(pd.read_parquet(path), frame)
    assert_polars_equal(pl.read_parquet(path), invoices.to_polars(level, today=TODAY))
    assert pl.read_parquet(path).to_pandas().shape == frame.shape
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        back = con.sql(f"SELECT * FROM read_parquet('{path}')").df()
    # DuckDB reads a dictionary-encoded column as text: the same values, not a categorical.
    expected = frame.astype({"status": "str", "currency": "str"})
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    assert list(back.dtypes[back.columns.str.endswith("_at")].astype(str).unique()) == ["datetime64[us, UTC]"]


def test_parquet_columns_are_typed(invoices: InvoiceList, tmp_path: Path) -> None:
    schema = pq.read_schema(invoices.to_parquet(tmp_path / "i.parquet", today=TODAY))
    assert schema.names == list(invoices.to_dataframe(today=TODAY).columns)
    assert str(schema.field("created_at").type) == "timestamp[us, tz=UTC]"
    assert str(schema.field("amount").type) == "double"
    assert str(schema.field("status").type).startswith("dictionary<values=string")
    assert str(schema.field("line_item_count").type) == "int64"


def test_to_polars_has_the_dataframe_columns_and_types(invoices: InvoiceList) -> None:
    frame = invoices.to_polars("line_items", today=TODAY)
    assert frame.columns == list(invoices.to_dataframe("line_items", today=TODAY).columns)
    assert frame.schema["status"] == pl.Categorical
    assert frame.schema["total_cost"] == pl.Float64
    assert frame.schema["created_at"] == pl.Datetime("us", "UTC")
    assert frame.height == sum(len(inv.line_items) for inv in invoices)


@pytest.mark.parametrize(
    ("module", "call", "names"),
    [
        ("polars", lambda inv, tmp: inv.to_polars(), ["pip install polars", "wingspan_nb[analysis]"]),
        (
            "openpyxl",
            lambda inv, tmp: inv.to_excel(tmp / "x.xlsx"),
            ["to_excel needs openpyxl", "wingspan_nb[analysis]"],
        ),
        (
            "pyarrow",
            lambda inv, tmp: inv.to_parquet(tmp / "x.parquet"),
            ["needs pyarrow", "wingspan_nb[analysis]"],
        ),
    ],
)
def test_a_missing_library_raises_a_typed_error_naming_what_to_install(
    invoices: InvoiceList,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    call: Any,
    names: list[str],
) -> None:
    for name in list(sys.modules):
        if name == module or name.startswith(module + "."):
            monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError, as when not installed
    with pytest.raises(errors.MissingDependencyError) as caught:
        call(invoices, tmp_path)
    assert isinstance(caught.value, ImportError) and isinstance(caught.value, errors.WingspanError)
    for name in names:
        assert name in str(caught.value)
    assert os.listdir(tmp_path) == []


def _docs_snippet(page: str) -> str:
    """The one Python block of a docs page (docs/<page>)."""
    text = (ROOT / "docs" / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1
    return str(blocks[0])


@pytest.mark.sandbox
def test_the_export_how_to_runs_and_duckdb_agrees_with_the_library(
    client: wingspan_nb.Wingspan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"s": client}
    exec(_docs_snippet("how-to/export.md"), namespace)  # the how-to's own code
    invoices = wingspan_nb.load_invoices(tmp_path / "invoices.jsonl.gz")
    frame = invoices.to_dataframe()
    # The library's own summary(), its statuses added up within each currency (never across them).
    summary = invoices.summary().to_frame().groupby("currency", observed=True)[["count", "amount"]].sum()
    for name in ("from_snapshot", "from_parquet"):
        got = namespace[name].df().set_index("currency")
        assert sorted(got.index) == sorted(summary.index)
        for currency, row in summary.iterrows():
            assert got.loc[currency, "invoices"] == row["count"]
            assert got.loc[currency, "amount"] == pytest.approx(row["amount"], abs=0.005)
    assert len({*frame["currency"]}) > 1  # the check covers more than one currency


def test_exports_start_from_the_dataframe_of_a_hand_made_invoice(tmp_path: Path) -> None:
    doc = make_invoice(7, status="Paid", line_items=2)
    doc["amount"] = 1234.5
    inv = InvoiceList([ClientInvoice.from_dict(doc)])
    wb = openpyxl.load_workbook(inv.to_excel(tmp_path / "one.xlsx", today=TODAY))
    rows = _rows(wb["Invoices"])
    got = dict(zip(rows[0], rows[1], strict=True))
    assert got[f"amount ({doc['currency']})"] == 1234.5
    paid = datetime.fromisoformat(doc["events"]["paidAt"].replace("Z", "+00:00")).astimezone(timezone.utc)
    assert got["paid_at (UTC)"] == paid.replace(tzinfo=None)
    assert got["status"] == "Paid"


def test_an_empty_list_exports_its_headers(tmp_path: Path) -> None:
    empty = InvoiceList()
    wb = openpyxl.load_workbook(empty.to_excel(tmp_path / "empty.xlsx", today=TODAY))
    assert wb.sheetnames == ["Invoices", "Line items"]
    assert _rows(wb["Invoices"])[0][:5] == ["invoice_id", "invoice_number", "status", "amount", "currency"]
    assert len(_rows(wb["Line items"])) == 1
    back = pd.read_parquet(empty.to_parquet(tmp_path / "empty.parquet", "line_items"))
    assert list(back.columns) == list(empty.to_dataframe("line_items").columns) and back.empty


def test_excel_names_a_sheet_after_a_currency_no_sheet_name_can_hold(tmp_path: Path) -> None:
    # The server's currency names the summary sheet: the characters Excel refuses in a sheet name
    # are replaced, and two currencies that would read the same keep sheets of their own.
    docs = demo_invoices(4, today=TODAY)
    for doc, currency in zip(docs, ["USD/EUR", "USD:EUR", "usd_eur", "USD"], strict=True):
        doc["currency"] = currency
    with warnings.catch_warnings():  # currencies this version does not know: kept, and warned of
        warnings.simplefilter("ignore", errors.UnknownEnumValueWarning)
        invoices = InvoiceList(ClientInvoice.from_dict(d) for d in docs)
    wb = openpyxl.load_workbook(invoices.to_excel(tmp_path / "x.xlsx", today=TODAY))
    summaries = [ws.title for ws in wb.worksheets if ws.title.startswith("Summary")]
    assert summaries == ["Summary USD", "Summary USD_EUR", "Summary USD_EUR (2)", "Summary usd_eur (3)"]
    assert [wb[t]["C1"].value for t in summaries] == [
        "amount (USD)", "amount (USD/EUR)", "amount (USD:EUR)", "amount (usd_eur)",
    ]  # fmt: skip
