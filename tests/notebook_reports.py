"""What the exploratory notebook's report tables say, checked against the reports' ``to_frame()``
computed afresh from the snapshot the notebook saved (used by tests/test_notebooks.py).

The tables are read back from the saved HTML output (numbers parsed from their formatted text), so
a table that shows other numbers than the library computes, or loses a row, fails."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from wingspan_nb._invoices import InvoiceList
from wingspan_nb._reports import Report
from wingspan_nb.models import InvoiceStatus

REPORTS: dict[str, Callable[[InvoiceList, date], Report]] = {
    "Past due by client": lambda invoices, day: invoices.past_due(by="client", today=day),
    "Invoices by status": lambda invoices, day: invoices.summary(today=day),
    "Past due by days past due": lambda invoices, day: invoices.aging(buckets=(30, 60, 90), today=day),
    "Days to pay by client": lambda invoices, day: invoices.days_to_pay(by="client", today=day),
    "Days sales outstanding over 90 days": lambda invoices, day: invoices.dso(period_days=90, today=day),
    "Fees on paid invoices, by the client's share of the credit-card fee": lambda invoices, day: (
        invoices.fees(today=day)
    ),
}
_TITLE = re.compile(r'<p class="wsnb-title">(.*?), as of (\d{4}-\d\d-\d\d)</p>')
_SECTION = re.compile(r'<section data-currency="([A-Z?]{1,3})">(.*?)</section>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def shown_reports(outputs: list[Any]) -> dict[str, tuple[date, dict[str, list[list[str]]]]]:
    """Each report table in the outputs: its title, its day, and per currency its body rows as text."""
    found = {}
    for o in outputs:
        page = o.get("data", {}).get("text/html", "")
        if "wsnb-report" not in page:
            continue
        title = _TITLE.search(page)
        assert title, page[:300]
        sections = {}
        for currency, body in _SECTION.findall(page):
            rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
            sections[currency] = [
                [
                    html.unescape(_TAGS.sub("", c)).strip()
                    for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
                ]
                for row in rows
            ]
        found[html.unescape(title.group(1))] = (date.fromisoformat(title.group(2)), sections)
    return found


def _number(cell: str) -> float | None:
    return None if cell == "—" else float(cell.replace(",", "").removesuffix(" %"))


def _same(cell: str, value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return cell == "—"
    if hasattr(value, "date") and not isinstance(value, str):
        return cell == value.date().isoformat()
    if isinstance(value, int | float):
        shown = _number(cell)
        return shown is not None and abs(shown - value) <= 0.05 + 1e-9  # one decimal shown at least
    return cell == str(value)


def check_reports(outputs: list[Any], export_dir: Path) -> None:
    """Every report the notebook shows equals the report computed from its snapshot: the same
    currencies, the same groups in the same order, the same numbers."""
    import wingspan_nb

    shown = shown_reports(outputs)
    assert set(shown) == set(REPORTS), sorted(shown)
    frozen = wingspan_nb.load_invoices(export_dir / "invoices.jsonl.gz")
    for title, (day, sections) in shown.items():
        report = REPORTS[title](frozen, day)
        frame = report.to_frame()
        assert list(sections) == report.currencies, title
        for currency, rows in sections.items():
            rows = [r for r in rows if r[0] != "total"] if report.totals else rows
            expected = frame[frame["currency"] == currency].drop(columns="currency")
            assert len(rows) == len(expected), (title, currency)
            for row, values in zip(rows, expected.itertuples(index=False), strict=True):
                measures = list(values)[1:] if report.group else list(values)
                cells = row[1:] if report.group else row
                assert all(_same(c, v) for c, v in zip(cells, measures, strict=True)), (title, row, values)
                if report.group == "status":  # the group read in words, as the cards write it
                    assert row[0] == _status_words(values[0]), row
                elif report.group == "client":
                    assert row[0] == values[0], row
    statuses = [r[0] for rows in shown["Invoices by status"][1].values() for r in rows if r[0] != "total"]
    order = [_status_words(s.value) for s in InvoiceStatus]
    for rows in shown["Invoices by status"][1].values():
        names = [r[0] for r in rows if r[0] != "total"]
        assert names == sorted(names, key=order.index), names  # InvoiceStatus's order, as the cards
    assert len(set(statuses)) >= 4


def _status_words(value: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", value).capitalize()
