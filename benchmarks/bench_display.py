"""Render time and HTML size of the invoice card, side by side with ``json.dumps(indent=2)``.

``json.dumps`` of the same invoice is the yardstick: what merely printing the JSON would cost.
Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_display.py``).
"""

from __future__ import annotations

import json

from harness import compare, fixture, fmt_time, save, table

from wingspan_nb.display import repr_html
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import make_invoice


def main() -> None:
    invoices = {name: ClientInvoice.from_json(fixture(name)) for name in ("small", "typical", "large")}
    invoices["10,000 lines"] = ClientInvoice.from_dict(make_invoice(1, line_items=10_000))
    rows, data = [], {}
    for name, inv in invoices.items():
        doc = inv.to_dict()
        times = compare(
            {"card": lambda inv=inv: repr_html(inv), "json": lambda doc=doc: json.dumps(doc, indent=2)},
            rounds=9,
        )
        html = repr_html(inv) or ""
        ratio = times["card"] / times["json"]
        data[name] = {
            "render_s": times["card"],
            "json_dumps_s": times["json"],
            "ratio": ratio,
            "html_bytes": len(html.encode()),
        }
        rows.append(
            [
                name,
                f"{len(inv.line_items):,}",
                fmt_time(times["card"]),
                f"{ratio:.2f}",
                f"{len(html.encode()) / 1024:,.1f} KiB",
                f"{len(json.dumps(doc)) / 1024:,.1f} KiB",
            ]
        )
    md = "## Rendering the invoice card\n\n" + table(
        ["invoice", "line items", "render", "÷ json.dumps(indent=2)", "HTML", "its JSON"], rows
    )
    md += "\n\nAbove the row limit (30) only the head and tail rows are formatted, so render time and HTML size stay flat."
    save("display", md, data)


if __name__ == "__main__":
    main()
