"""The explorer on 10,000 invoices: the kernel-side time of a filter change (filter, count, re-render
the page), the bytes each change sends to the browser, and the size of a saved notebook holding it.

- Time: each change is timed side by side with the bare ``where`` for the same filter (what the
  explorer adds: the counts on the toggles, the totals, the page's widgets, the static copy).
- Bytes: every widget message is serialised as JSON, as the kernel sends it (a recording comm in place
  of ipywidgets' comm), plus the static copy's ``update_display`` bundle.
- Saved notebook: a notebook that builds the account, opens the explorer, sets three filters and
  opens a card, executed with nbclient (which keeps the widget state, as JupyterLab's save does),
  written with nbformat; and its ``nbconvert --to html`` export.

Run: ``make bench`` (or ``cd benchmarks && ../.venv/bin/python bench_explorer.py``).
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import comm
from harness import compare, fmt_time, save, table

from wingspan_nb._invoices import InvoiceList
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import make_invoice

COUNT = 10_000
TODAY = date(2026, 12, 7)
SENT = [0]
"""Bytes sent to the browser so far: widget messages and static-copy updates."""


class RecordingComm(comm.DummyComm):
    """A comm that serialises each message as the kernel would, and counts its bytes."""

    def publish_msg(
        self, msg_type: str, data: Any = None, metadata: Any = None, buffers: Any = None, **keys: Any
    ) -> None:
        SENT[0] += len(
            json.dumps({"msg_type": msg_type, "data": data, "metadata": metadata or {}}, default=str)
        )
        SENT[0] += sum(len(b) for b in buffers or ())


def _bytes_of(bundle: dict[str, Any]) -> int:
    return len(json.dumps(bundle))


def main() -> None:
    import IPython.display

    comm.create_comm = RecordingComm  # type: ignore[assignment]
    IPython.display.display = lambda b, raw=False, display_id=None: SENT.__setitem__(
        0, SENT[0] + _bytes_of(b)
    )  # type: ignore[assignment]
    IPython.display.update_display = lambda b, raw=False, display_id=None: SENT.__setitem__(
        0, SENT[0] + _bytes_of(b)
    )  # type: ignore[assignment]

    account = InvoiceList(ClientInvoice.from_dict(make_invoice(n)) for n in range(COUNT))
    SENT[0] = 0
    start = time.perf_counter()
    x = account.explore(today=TODAY)
    open_s = time.perf_counter() - start
    x._ipython_display_()  # the widgets' state goes out with the comm openings, then the copy
    open_bytes = SENT[0]

    flips = {"client": ["a", "ac"], "text": ["data", "data c"]}

    def toggle(t: Any) -> Any:
        return lambda: setattr(t, "value", not t.value)

    def typing(box: Any, values: list[str]) -> Any:
        state = [0]

        def step() -> None:
            state[0] ^= 1
            box.value = values[state[0]]

        return step

    def paging() -> None:
        (x.next_button if x.page == 0 else x.prev_button).click()

    cases = {
        "status toggle (Overdue)": (
            toggle(x.status_toggles["Overdue"]),
            lambda: account.where(status="Overdue"),
        ),
        "currency toggle (USD)": (toggle(x.currency_toggles["USD"]), lambda: account.where(currency="USD")),
        "client search, a keystroke": (
            typing(x.client_box, flips["client"]),
            lambda: account.where(client="ac"),
        ),
        "text search, a keystroke": (typing(x.text_box, flips["text"]), lambda: account.where(text="data c")),
        "past due toggle": (toggle(x.past_due_toggle), lambda: account.where(past_due=True, today=TODAY)),
        "sort by amount (header click)": (
            lambda: x.header_buttons["amount"].click(),
            lambda: account.sort_by("amount", descending=True),
        ),
        "next page": (paging, lambda: None),
    }
    rows, data = [], {}
    for name, (change, bare) in cases.items():
        x.clear_filters()
        bytes_each = []
        for _ in range(6):
            before = SENT[0]
            change()
            bytes_each.append(SENT[0] - before)
        times = compare({"explorer": change, "where": bare}, rounds=15, budget=0.1)
        page_bytes = max(bytes_each)
        ratio = times["explorer"] / times["where"] if name != "next page" else None
        data[name] = {"explorer_s": times["explorer"], "bare_s": times["where"], "max_bytes": page_bytes}
        rows.append(
            [
                name,
                fmt_time(times["explorer"]),
                "—" if ratio is None else f"{fmt_time(times['where'])} ({ratio:.1f} times)",
                f"{page_bytes / 1024:.1f} KiB",
                "met" if times["explorer"] <= 0.050 else "**not met**",
                "met" if page_bytes <= 64 * 1024 else "**not met**",
            ]
        )
    with_filters = "Overdue, USD, client contains 'acme'"
    data["open_s"], data["open_bytes"], data["filtered_state"] = open_s, open_bytes, with_filters
    notebook, export = saved_notebook_size()
    data["saved_notebook_bytes"], data["html_export_bytes"] = notebook, export

    md = f"## The explorer on {COUNT:,} invoices\n\n" + table(
        [
            "change",
            "kernel time (median)",
            "the bare `where`/`sort_by` (explorer ÷ it)",
            "bytes to the browser (most of 6)",
            "≤ 50 ms",
            "≤ 64 KiB",
        ],
        rows,
    )
    md += (
        f"\n\nOpening it (10,000 invoices, the first filter keys read, 25 rows of widgets made): "
        f"{fmt_time(open_s)}, {open_bytes / 1024:.1f} KiB to the browser (every widget's state, the "
        "stylesheet and the static copy). "
        f"A saved notebook holding it ({with_filters}, a card open; executed with nbclient, widget "
        f"state kept as JupyterLab saves it): **{notebook / 1024:.1f} KiB** (target ≤ 256 KiB: "
        f"{'met' if notebook <= 256 * 1024 else '**not met**'}); its `nbconvert --to html` export "
        f"{export / 1024:.1f} KiB. Times are kernel-side (no browser); bytes are the JSON of each comm "
        "message and display update. Command: `cd benchmarks && ../.venv/bin/python bench_explorer.py`."
    )
    save("explorer", md, data)


SAVED_CELLS = [
    "from datetime import date\n"
    "from wingspan_nb._invoices import InvoiceList\n"
    "from wingspan_nb.models import ClientInvoice\n"
    "from wingspan_nb.sandbox import make_invoice\n"
    f"account = InvoiceList(ClientInvoice.from_dict(make_invoice(n)) for n in range({COUNT}))",
    "x = account.explore(today=date(2026, 12, 7))\nx",
    "x.status_toggles['Overdue'].value = True\n"
    "x.currency_toggles['USD'].value = True\n"
    "x.client_box.value = 'acme'\n"
    "x.rows[0].open_button.click()\n"
    "print(x.describe())",
]


def saved_notebook_size() -> tuple[int, int]:
    """The bytes of the executed notebook as saved, and of its HTML export."""
    import nbclient
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in SAVED_CELLS]
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    assert "widgets" in nb.metadata, "the widget state was not kept"
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "explorer.ipynb"
        nbformat.write(nb, path)
        size = path.stat().st_size
    html, _ = HTMLExporter().from_notebook_node(nb)
    printed = "".join(o.get("text", "") for o in nb.cells[2].outputs)
    assert "Overdue, USD, client contains 'acme'" in printed, printed
    return size, len(html.encode())


if __name__ == "__main__":
    main()
