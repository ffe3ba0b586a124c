"""Exports of 10,000 demo invoices (about 35,000 line items): ``to_excel`` (three sheets and the
summaries, with openpyxl) and ``to_parquet`` (one level, with pyarrow), against ``to_dataframe`` of
the levels each writes, which every export starts from. Run: ``cd benchmarks && python
bench_exports.py`` (or ``make bench``).
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from harness import compare, fmt_time, save, table

from wingspan_nb._invoices import InvoiceList
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import make_invoice

COUNT = 10_000
TODAY = date(2026, 12, 7)


def main() -> None:
    invoices = InvoiceList(ClientInvoice.from_dict(make_invoice(n)) for n in range(1, COUNT + 1))
    lines = sum(len(inv.line_items) for inv in invoices)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        times = compare(
            {
                "to_excel": lambda: invoices.to_excel(out / "invoices.xlsx", today=TODAY),
                "to_parquet": lambda: invoices.to_parquet(out / "invoices.parquet", today=TODAY),
                "to_dataframe, both levels": lambda: (
                    invoices.to_dataframe(today=TODAY),
                    invoices.to_dataframe("line_items", today=TODAY),
                ),
                "to_dataframe": lambda: invoices.to_dataframe(today=TODAY),
            },
            rounds=3,
        )
        sizes = {name: (out / name).stat().st_size for name in ("invoices.xlsx", "invoices.parquet")}
    both, one = times["to_dataframe, both levels"], times["to_dataframe"]
    rows = [
        [
            "`to_excel`",
            fmt_time(times["to_excel"]),
            f"{times['to_excel'] / both:.1f} times to_dataframe of both levels",
            f"{sizes['invoices.xlsx'] / 2**20:.1f} MiB",
        ],
        [
            "`to_parquet` (invoice level)",
            fmt_time(times["to_parquet"]),
            f"{times['to_parquet'] / one:.1f} times to_dataframe",
            f"{sizes['invoices.parquet'] / 2**20:.1f} MiB",
        ],
    ]
    markdown = (
        f"## Exports of {COUNT:,} invoices ({lines:,} line items)\n\n"
        + table(["", "time", "against the DataFrame it starts from", "file"], rows)
        + "\n\nMedians of 3 shuffled rounds. The workbook's time is openpyxl writing its XML, cell by cell.\n"
    )
    save("exports", markdown, {"times_s": times, "sizes_bytes": sizes, "line_items": lines})


if __name__ == "__main__":
    main()
