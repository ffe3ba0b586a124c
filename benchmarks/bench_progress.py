"""What a notebook progress bar costs: parsing a list reply with the bar (drawn to a display that
discards it, as a notebook's would be sent) ÷ without, side by side in one run.

Run: ``make bench`` (or ``cd benchmarks && ../.venv/bin/python bench_progress.py``).
"""

from __future__ import annotations

import json

from harness import compare, fmt_time, save, table

from wingspan_nb import _progress as progress
from wingspan_nb._invoices import parse_invoice_array
from wingspan_nb.sandbox import make_invoice


def main() -> None:
    draws: list[bool] = []
    progress._notebook_sink = lambda: lambda bundle, display_id, update: draws.append(update)  # type: ignore[assignment]
    rows, data = [], {}
    for count in (1_000, 10_000):
        body = json.dumps([make_invoice(i) for i in range(count)]).encode()
        times = compare(
            {
                "no bar": lambda body=body: parse_invoice_array(body, progress=False),
                "notebook bar": lambda body=body: parse_invoice_array(body, progress=True),
            },
            rounds=7,
            budget=0.5,
        )
        ratio = times["notebook bar"] / times["no bar"]
        data[str(count)] = {"no_bar_s": times["no bar"], "bar_s": times["notebook bar"], "ratio": ratio}
        rows.append(
            [f"{count:,}", f"{len(body) / 1e6:.1f} MB", fmt_time(times["no bar"]), f"**{ratio:.2f}**"]
        )
    md = "## Progress bars in a notebook\n\n" + table(
        ["invoices", "reply", "parse without a bar", "with the notebook bar ÷ without"], rows
    )
    md += "\n\nA bar is redrawn at most five times a second, and ends as its one-line summary."
    save("progress", md, data)


if __name__ == "__main__":
    main()
