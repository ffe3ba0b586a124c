"""``InvoiceList.where`` with three conditions on 10,000 invoices, side by side with the same filter
as a pandas boolean mask on an already-built DataFrame (``to_dataframe``).

Both sides start from what they keep between calls: the list its per-invoice keys (read on the
first ``where``), pandas its DataFrame. The one-off costs (the first ``where`` on a fresh list,
``to_dataframe``) are timed once each, for context.
Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_filter.py``).
"""

from __future__ import annotations

import time
from datetime import date

from harness import compare, fmt_time, save, table

from wingspan_nb._invoices import InvoiceList
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import make_invoice

COUNT = 10_000
TODAY = date(2026, 12, 7)


def main() -> None:
    account = InvoiceList(ClientInvoice.from_dict(make_invoice(n)) for n in range(COUNT))
    start = time.perf_counter()
    df = account.to_dataframe(today=TODAY)
    frame_s = time.perf_counter() - start
    fresh = InvoiceList(account)
    start = time.perf_counter()
    fresh.where(status="Open", currency="USD", min_amount=1000)
    first_s = time.perf_counter() - start

    cases = {
        "status, currency, min_amount": (
            lambda: account.where(status="Open", currency="USD", min_amount=1000),
            lambda: df[(df["status"] == "Open") & (df["currency"] == "USD") & (df["amount"] >= 1000)],
        ),
        "past_due, currency, client": (
            lambda: account.where(past_due=True, currency="USD", client="acme", today=TODAY),
            lambda: df[
                (df["overdue_days"] > 0)
                & (df["currency"] == "USD")
                & df["client_name"].str.contains("acme", case=False, regex=False)
            ],
        ),
    }
    rows, data = [], {}
    for name, (ours, theirs) in cases.items():
        assert list(ours().ids) == list(theirs()["invoice_id"]), name  # the same invoices
        times = compare({"where": ours, "pandas": theirs}, rounds=15)
        ratio = times["where"] / times["pandas"]
        data[name] = {
            "where_s": times["where"],
            "pandas_mask_s": times["pandas"],
            "ratio": ratio,
            "rows": len(ours()),
        }
        rows.append(
            [name, f"{len(ours()):,}", fmt_time(times["where"]), fmt_time(times["pandas"]), f"{ratio:.2f}"]
        )
    data["first_where_s"], data["to_dataframe_s"] = first_s, frame_s
    md = f"## Filtering {COUNT:,} invoices: `where` vs a pandas mask\n\n" + table(
        ["conditions", "matches", "where", "pandas mask", "where ÷ pandas"], rows
    )
    md += (
        f"\n\nOne-off costs, timed once: the first `where` on a fresh list (reads its keys) "
        f"{fmt_time(first_s)}; `to_dataframe` {fmt_time(frame_s)}. "
        "Command: `cd benchmarks && ../.venv/bin/python bench_filter.py`."
    )
    save("filter", md, data)


if __name__ == "__main__":
    main()
