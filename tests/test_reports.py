"""The account's reports against numbers worked out by hand from tests/fixed_list.py (two
currencies, every status, a leap day, an invoice due on TODAY), their views and their charts."""

from __future__ import annotations

import math
import sys
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from wingspan_nb import display
from wingspan_nb._invoices import InvoiceList
from wingspan_nb._reports import Measure, Report
from wingspan_nb.errors import InvalidRequestError
from wingspan_nb.models import ClientInvoice

from .fixed_list import ROWS, TODAY, fixed_list, invoice_dict

pd = pytest.importorskip("pandas")


@pytest.fixture
def invoices() -> InvoiceList:
    return fixed_list()


def records(report: Report) -> list[tuple[Any, ...]]:
    """``to_frame()`` as plain tuples (dates as ISO strings, NaN as None, floats rounded to 4)."""
    out = []
    for row in report.to_frame().itertuples(index=False):
        cells = []
        for v in row:
            if isinstance(v, pd.Timestamp):
                v = v.date().isoformat()
            elif isinstance(v, float):
                v = None if math.isnan(v) else round(v, 4)
            cells.append(v)
        out.append(tuple(cells))
    return out


def test_summary_counts_and_amounts_by_status_per_currency(invoices: InvoiceList) -> None:
    report = invoices.summary(today=TODAY)
    assert list(report.to_frame().columns) == ["currency", "status", "count", "amount"]
    assert records(report) == [
        ("CAD", "Overdue", 1, 700.0),
        ("CAD", "Cancelled", 1, 400.0),
        ("CAD", "Pending", 1, 300.0),
        ("CAD", "PaymentInTransit", 1, 500.0),
        ("CAD", "Paid", 1, 600.0),
        ("USD", "Draft", 1, 100.0),
        ("USD", "Open", 2, 1250.5),
        ("USD", "Overdue", 1, 2000.0),
        ("USD", "Paid", 2, 2100.0),
    ]
    assert report.total("USD") == {"count": 6, "amount": 5450.5}


def test_aging_buckets_per_currency_with_the_leap_day(invoices: InvoiceList) -> None:
    # F-02 due on the leap day: 1 day; F-05: 30; F-11 (2027-12-31): 31 + 29 + 1 = 61; F-04: 91.
    # F-03 is due today: not past due.
    report = invoices.aging(today=TODAY)
    assert list(report.to_frame().columns) == ["currency", "bucket", "count", "amount"]
    assert records(report) == [
        ("CAD", "1 to 30", 1, 300.0),
        ("CAD", "31 to 60", 0, 0.0),
        ("CAD", "61 to 90", 1, 700.0),
        ("CAD", "over 90", 0, 0.0),
        ("USD", "1 to 30", 1, 1000.0),
        ("USD", "31 to 60", 0, 0.0),
        ("USD", "61 to 90", 0, 0.0),
        ("USD", "over 90", 1, 2000.0),
    ]
    assert records(invoices.aging((1, 60), today=TODAY)) == [
        ("CAD", "1 to 1", 0, 0.0),
        ("CAD", "2 to 60", 1, 300.0),
        ("CAD", "over 60", 1, 700.0),
        ("USD", "1 to 1", 1, 1000.0),
        ("USD", "2 to 60", 0, 0.0),
        ("USD", "over 60", 1, 2000.0),
    ]


@pytest.mark.parametrize("buckets", [(), (60, 30), (30, 30), (0, 30), (30.5,), "30", (True,), 30])
def test_aging_refuses_buckets_that_are_not_increasing_days(invoices: InvoiceList, buckets: Any) -> None:
    with pytest.raises(InvalidRequestError, match=r"aging\(buckets="):
        invoices.aging(buckets)


def test_past_due_by_client_and_by_member_ranked_within_each_currency(invoices: InvoiceList) -> None:
    by_client = invoices.past_due(today=TODAY)
    assert list(by_client.to_frame().columns) == [
        "currency", "client", "count", "amount", "oldest_due", "oldest_days", "largest", "largest_number",
    ]  # fmt: skip
    assert records(by_client) == [
        ("CAD", "Globex Corp", 1, 700.0, "2027-12-31", 61, 700.0, "F-11"),
        ("CAD", "Acme Robotics", 1, 300.0, "2028-01-31", 30, 300.0, "F-05"),
        ("USD", "Globex Corp", 1, 2000.0, "2027-12-01", 91, 2000.0, "F-04"),
        ("USD", "Acme Robotics", 1, 1000.0, "2028-02-29", 1, 1000.0, "F-02"),
    ]
    assert records(invoices.past_due(by="member", today=TODAY)) == [
        ("CAD", "Ada Byrne", 2, 1000.0, "2027-12-31", 61, 700.0, "F-11"),
        ("USD", "Mateo García", 2, 3000.0, "2027-12-01", 91, 2000.0, "F-04"),
    ]
    with pytest.raises(InvalidRequestError, match="'client' or 'member'"):
        invoices.past_due(by="project")  # type: ignore[arg-type]


def test_days_to_pay_median_mean_and_share_paid_late(invoices: InvoiceList) -> None:
    # F-08: sent 01-10, paid 02-05 = 26 days, on time; F-09: sent 01-20, paid on the leap day 02-29
    # = 40 days, after its due date 02-20; F-10: 01-01 to 01-21 = 20 days, on time.
    report = invoices.days_to_pay(today=TODAY)
    assert list(report.to_frame().columns) == [
        "currency", "client", "count", "amount", "median_days", "mean_days", "paid_late_percent",
    ]  # fmt: skip
    assert records(report) == [
        ("CAD", "Globex Corp", 1, 600.0, 20.0, 20.0, 0.0),
        ("USD", "Acme Robotics", 2, 2100.0, 33.0, 33.0, 50.0),
    ]
    assert records(invoices.days_to_pay(by="member", today=TODAY)) == [
        ("CAD", "Mateo García", 1, 600.0, 20.0, 20.0, 0.0),
        ("USD", "Ada Byrne", 1, 900.0, 40.0, 40.0, 100.0),
        ("USD", "Mateo García", 1, 1200.0, 26.0, 26.0, 0.0),
    ]


def test_dso_per_currency_with_its_formula(invoices: InvoiceList) -> None:
    # Period: sent after 2027-12-02 and on or before 2028-03-01.
    # USD receivables F-02 + F-03 + F-04 = 3,250.50; invoiced F-02 + F-03 + F-08 + F-09 = 3,350.50
    # (F-04 was sent 2027-11-01); DSO = 3250.5 / 3350.5 * 90.
    # CAD receivables F-05 + F-11 = 1,000; invoiced F-05 + F-07 + F-10 = 1,400 (F-06 is cancelled,
    # F-11 sent 2027-12-01); DSO = 1000 / 1400 * 90.
    report = invoices.dso(today=TODAY)
    assert list(report.to_frame().columns) == [
        "currency",
        "count",
        "amount",
        "invoiced_count",
        "invoiced",
        "dso_days",
    ]
    assert records(report) == [
        ("CAD", 2, 1000.0, 3, 1400.0, round(1000 / 1400 * 90, 4)),
        ("USD", 3, 3250.5, 4, 3350.5, round(3250.5 / 3350.5 * 90, 4)),
    ]
    # 30 days: only F-03 (02-01) and F-09? no, 01-20 is before 01-31: USD invoiced F-03 alone
    assert records(invoices.dso(30, today=TODAY))[1] == (
        "USD",
        3,
        3250.5,
        1,
        250.5,
        round(3250.5 / 250.5 * 30, 4),
    )
    nothing = invoices.dso(1, today=TODAY)  # nothing sent on 2028-03-01: DSO is missing, not 0 or inf
    assert [r[-1] for r in records(nothing)] == [None, None]
    with pytest.raises(InvalidRequestError, match="period_days"):
        invoices.dso(0)


def test_fees_on_paid_invoices_by_who_pays_the_credit_card_fee(invoices: InvoiceList) -> None:
    report = invoices.fees(today=TODAY)
    assert list(report.to_frame().columns) == [
        "currency", "client_pays", "count", "amount", "processing_fee", "late_fee", "fee_percent",
    ]  # fmt: skip
    assert records(report) == [
        ("CAD", None, 1, 600.0, 17.4, 0.0, 2.9),
        ("USD", 0.0, 1, 1200.0, 34.8, 0.0, 2.9),
        ("USD", 50.0, 1, 900.0, 26.1, 16.0, round(42.1 / 900 * 100, 4)),
    ]


def test_reports_take_a_filtered_list(invoices: InvoiceList) -> None:
    acme = invoices.where(client="acme")
    assert records(acme.summary(today=TODAY)) == [
        ("CAD", "Pending", 1, 300.0),
        ("CAD", "PaymentInTransit", 1, 500.0),
        ("USD", "Draft", 1, 100.0),
        ("USD", "Open", 1, 1000.0),
        ("USD", "Paid", 2, 2100.0),
    ]
    assert records(InvoiceList().aging(today=TODAY)) == []


def test_the_table_view_per_currency_formatted_and_escaped(invoices: InvoiceList) -> None:
    doc = invoice_dict(ROWS[3], 3)  # F-04, past due
    doc["memberClient"].update(company="<img src=x onerror=alert(1)> Acct 000123456789", name="x")
    hostile = InvoiceList([ClientInvoice.from_dict(doc), *invoices])
    report = hostile.past_due(today=TODAY)
    html = report._repr_html_() or ""
    assert "<img" not in html and "&lt;img src=x" in html
    assert "000123456789" not in html and "6789" in html  # masked in the view
    clients = list(report.to_frame()["client"])
    assert "<img src=x onerror=alert(1)> Acct 000123456789" in clients  # the data is never changed
    assert "amount (USD)" in html and "amount (CAD)" in html
    assert '<td class="wsnb-num">2,000.00</td>' in html  # right-aligned, separators, two decimals
    text = repr(invoices.summary(today=TODAY))
    assert "000123456789" not in repr(report)
    lines = text.splitlines()
    assert lines[0] == "Invoices by status, as of 2028-03-01"
    usd = lines[lines.index("USD") :]
    assert usd[1].split() == ["status", "invoices", "amount", "(USD)"]
    assert usd[3].split() == ["Open", "2", "1,250.50"]  # thousands separators, two decimals
    assert len(usd[3]) == len(usd[1]) == len(usd[2])  # numbers right-aligned under their header
    assert usd[-1].split() == ["total", "6", "5,450.50"]


def test_views_use_the_cards_stylesheet_and_a_text_fallback(invoices: InvoiceList) -> None:
    report = invoices.aging(today=TODAY)
    html = display.repr_html(report) or ""
    assert html.startswith('<div class="wsnb"><style>') and "wsnb-card" in html
    display.set_options(display_style="text")
    try:
        assert report._repr_html_() is None  # text-only mode: the notebook shows the text form
    finally:
        display.set_options(display_style="html")
    assert "1 to 30" in repr(report)


# The charts: no log scale, bars from zero, a dwarfing bar cut and labelled.


def _report(values: dict[str, dict[str, float]]) -> Report:
    rows = tuple(
        (currency, status, 1, amount)
        for currency, groups in values.items()
        for status, amount in groups.items()
    )
    return Report(
        "Amounts by status",
        "status",
        (Measure("count", "invoices", "count"), Measure("amount", "amount", "money")),
        rows,
        TODAY,
        "amount",
    )


def test_bars_start_at_zero_and_a_dwarfing_bar_is_cut_and_labelled() -> None:
    report = _report(
        {
            "CAD": {"Cancelled": 3002.69, "PaymentInTransit": 2172.47, "Pending": 7830.35},
            "USD": {"Cancelled": 1564.80, "PaymentInTransit": 189532.11, "Pending": 9208.13},
        }
    )
    fig = report.plot(style="light")
    cad, usd = fig.axes
    for ax in (cad, usd):
        assert ax.get_xscale() == "linear" and ax.get_xlim()[0] == 0
        assert ax.get_ylabel() == "status"
        assert [t.get_text() for t in ax.get_yticklabels()] == ["Cancelled", "Payment in transit", "Pending"]
    assert cad.get_title(loc="left") == "CAD" and usd.get_title(loc="left") == "USD"
    assert cad.get_xlim()[1] >= 7830.35 and cad.get_xlabel() == "amount (CAD)"  # nothing cut
    assert usd.get_xlabel().startswith("amount (USD)") and "not to scale" in usd.get_xlabel()
    assert 9208.13 <= usd.get_xlim()[1] < 189532.11 / 4  # the others stay readable
    written = {t.get_text() for t in usd.texts}  # bar labels and the cut bar's own text
    assert {"189,532", "1,565", "9,208"} <= written  # every bar says its value, the cut one too


@pytest.mark.parametrize(("style", "dark"), [("light", False), ("dark", True)])
def test_charts_fit_a_narrow_notebook_and_read_in_either_theme(style: str, dark: bool) -> None:
    """At 100 dpi no wider than the notebook at 1024 px with the file browser open (about 670 px),
    text at least 10 pt, an opaque background of its own (light, or dark with style="dark")."""
    from matplotlib.colors import to_rgb
    from PIL import Image

    fig = _report({"USD": {"Open": 861.60, "Overdue": 205760.09}}).plot(style=style)
    png = BytesIO()
    fig.savefig(png, format="png", dpi=100, bbox_inches="tight")  # as the inline backend does
    assert Image.open(png).size[0] <= 670

    def luminance(color: Any) -> float:
        return sum(to_rgb(color)) / 3

    (ax,) = fig.axes
    texts = [ax.xaxis.label, ax.yaxis.label, ax.title, *ax.get_xticklabels(), *ax.get_yticklabels()]
    assert min(t.get_fontsize() for t in texts) >= 10
    assert fig.get_facecolor()[3] == 1
    assert (luminance(fig.get_facecolor()) < 0.5) == dark
    assert all(
        abs(luminance(t.get_color()) - luminance(ax.get_facecolor())) > 0.5 for t in texts if t.get_text()
    )


def test_charts_follow_the_theme_jupyterlab_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.colors import to_rgb

    settings = tmp_path / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path))
    report = _report({"USD": {"Open": 10.0}})

    def dark_background() -> bool:
        return sum(to_rgb(report.plot().get_facecolor())) / 3 < 0.5

    assert not dark_background()  # nothing saved: light
    (settings / "themes.jupyterlab-settings").write_text('{\n  // the theme\n  "theme": "JupyterLab Dark"\n}')
    assert dark_background()
    (settings / "themes.jupyterlab-settings").write_text('{"theme": "JupyterLab Light"}')
    assert not dark_background()
    with pytest.raises(InvalidRequestError, match="'light' or 'dark'"):
        report.plot(style="dark_background")


def test_every_report_plots_one_chart_per_currency(invoices: InvoiceList) -> None:
    for report in (
        invoices.summary(today=TODAY),
        invoices.aging(today=TODAY),
        invoices.past_due(today=TODAY),
        invoices.days_to_pay(today=TODAY),
        invoices.dso(1, today=TODAY),  # missing DSO drawn as an empty bar, not an error
        invoices.fees(today=TODAY),
    ):
        fig = report.plot(style="light")
        assert [ax.get_title(loc="left") for ax in fig.axes] == report.currencies
        assert all(ax.get_xlim()[0] == 0 for ax in fig.axes)


def test_a_chart_shows_itself_in_a_notebook_without_the_matplotlib_magic(invoices: InvoiceList) -> None:
    from IPython.core.formatters import DisplayFormatter

    fig = invoices.summary(today=TODAY).plot(style="light")
    # A fresh formatter, as a kernel without `%matplotlib inline` has: no printer knows a Figure.
    data, _ = DisplayFormatter().format(fig)
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure)  # still a Figure: savefig, axes, everything matplotlib offers


def test_chart_axes_read_in_compact_ticks_that_never_collide(invoices: InvoiceList) -> None:
    from wingspan_nb.display._charts import _compact

    assert [_compact(v) for v in (0, 950, 12_500, 1_500_000, 2_000_000_000)] == [
        "0",
        "950",
        "12.5k",
        "1.5M",
        "2B",
    ]
    fig = invoices.summary(today=TODAY).plot(style="dark")
    fig.canvas.draw()
    for ax in fig.axes:
        assert len(ax.get_xticks()) <= 6


def test_a_client_is_named_one_way_in_reports_frames_and_views() -> None:
    # A client without a company or a name: past_due(by="client") groups as the DataFrame's
    # client_name does, and the card, print() and the list name it the same way.
    from wingspan_nb.sandbox import make_invoice

    from .helpers import invoice_list

    docs = []
    for n, (company, name, email) in enumerate(
        [("Globex Corp", "Hank", "ap@globex.example"), (None, None, "ap@initech.example"), (None, None, "")]
    ):
        doc = make_invoice(n, status="Overdue", line_items=1, today=TODAY)
        doc["memberClient"].update(company=company, name=name, emailTo=email, clientId=f"client-{n}")
        doc.update(currency="USD", dueDate=f"{TODAY - timedelta(days=10 + n)}T00:00:00Z")
        docs.append(doc)
    invoices = invoice_list(docs)
    by_report = {row[1]: row[3] for row in records(invoices.past_due(today=TODAY))}
    frame = invoices.to_dataframe(today=TODAY)
    by_frame = frame[frame.overdue_days > 0].groupby("client_name")["amount"].sum().to_dict()
    assert by_report == by_frame
    assert set(by_frame) == {"Globex Corp", "ap@initech.example", "client-2"}
    for inv in invoices:
        label = {"client-0": "Globex Corp", "client-1": "ap@initech.example", "client-2": "client-2"}[
            inv.member_client.client_id
        ]
        assert label in str(inv) and label in (inv._repr_html_() or "")
        assert label in display.list_row(inv)[4]


def test_today_is_read_one_way_and_odd_arguments_say_what_to_give(invoices: InvoiceList) -> None:
    # An ISO date works wherever a date does (and reads the same); anything else, or a number no
    # calendar or float holds, is an InvalidRequestError naming the argument, never a raw TypeError.
    iso = TODAY.isoformat()
    assert repr(invoices.summary(today=iso)) == repr(invoices.summary(today=TODAY))
    assert records(invoices.aging(today=iso)) == records(invoices.aging(today=TODAY))
    assert records(invoices.dso(today=iso)) == records(invoices.dso(today=TODAY))
    assert invoices.where(past_due=True, today=iso).ids == invoices.where(past_due=True, today=TODAY).ids
    assert [i.invoice_id for i in invoices.sort_by("overdue_days", today=iso)] == [
        i.invoice_id for i in invoices.sort_by("overdue_days", today=TODAY)
    ]
    frame = invoices.to_dataframe(today=iso)
    assert frame["overdue_days"].equals(invoices.to_dataframe(today=TODAY)["overdue_days"])
    for call in (
        lambda: invoices.summary(today="next tuesday"),  # type: ignore[arg-type]
        lambda: invoices.past_due(today=20261207),  # type: ignore[arg-type]
        lambda: invoices.where(past_due=True, today=[TODAY]),  # type: ignore[arg-type]
        lambda: invoices.to_dataframe(today=3.5),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidRequestError, match=r"today=.* is not a date"):
            call()
    with pytest.raises(InvalidRequestError, match="min_amount"):
        invoices.where(min_amount=10**400)
    with pytest.raises(InvalidRequestError, match="before the year 1"):
        invoices.dso(period_days=10**6)


def test_plot_without_matplotlib_says_what_to_install(
    invoices: InvoiceList, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wingspan_nb.errors import MissingDependencyError

    report = invoices.summary(today=TODAY)
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # an import of it now fails, as when not installed
    with pytest.raises(MissingDependencyError, match=r"Report.plot\(\) needs matplotlib.*analysis"):
        report.plot()
