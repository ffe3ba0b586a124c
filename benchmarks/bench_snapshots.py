"""Loading a snapshot whose one line is long: time linear in the line's length.

Side by side in one run, on the same file: reading and parsing the bytes alone (the floor),
``load_invoices`` (which also checks every block against the provenance file), and the line
splitting the loader used before (``(pending + chunk).split(b"\\n")`` per 1 MiB read, which copies
the growing line at every read: quadratic). Run: ``make bench`` or ``python bench_snapshots.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
from harness import compare, fmt_time, save, table

from wingspan_nb import load_invoices
from wingspan_nb._invoices import InvoiceList, parse_invoice_array
from wingspan_nb.sandbox import make_invoice

SIZES_MIB = (16, 32, 64)


def _split_as_before(path: Path) -> int:
    """A naive line splitter (re-joining each chunk with the unfinished line), for comparison only."""
    lines = 0
    pending = b""
    with open(path, "rb") as f:
        while chunk := f.read1(1 << 20):
            parts = (pending + chunk).split(b"\n")
            pending = parts.pop()
            for line in parts:
                orjson.loads(line)
                lines += 1
    if pending:
        orjson.loads(pending)
        lines += 1
    return lines


def _read_and_parse(path: Path) -> int:
    return len([orjson.loads(line) for line in path.read_bytes().splitlines()])


def main() -> None:
    rows = []
    data: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for mib in SIZES_MIB:
            doc = {**make_invoice(1), "memo": "x" * (mib << 20)}  # one line of about `mib` MiB
            path = parse_invoice_array(orjson.dumps([doc])).save(Path(folder) / f"long-{mib}.jsonl")
            loaded: InvoiceList = load_invoices(path)
            assert len(loaded) == 1, "the long line did not load as one invoice"
            t = compare(
                {
                    "read + orjson": lambda path=path: _read_and_parse(path),
                    "load_invoices": lambda path=path: load_invoices(path),
                    "split as before": lambda path=path: _split_as_before(path),
                },
                rounds=3,
                budget=0.01,
            )
            data[f"{mib} MiB"] = t
            rows.append(
                [
                    f"{mib} MiB",
                    fmt_time(t["read + orjson"]),
                    fmt_time(t["load_invoices"]),
                    fmt_time(t["split as before"]),
                    f"{t['load_invoices'] / t['read + orjson']:.1f}",
                    f"{t['split as before'] / t['load_invoices']:.1f}",
                ]
            )
    markdown = "\n".join(
        [
            "## Snapshot with one long line",
            "",
            "One invoice whose line is 16, 32 and 64 MiB, saved with its provenance. `load_invoices` "
            "verifies every block and parses the invoice; the naive split is the "
            "`(pending + chunk).split()` loop (parsing only), quadratic in the line's length.",
            "",
            table(
                [
                    "line",
                    "read + orjson",
                    "load_invoices",
                    "split as before",
                    "load / read+parse",
                    "before / load",
                ],
                rows,
            ),
        ]
    )
    save("snapshots", markdown, data)


if __name__ == "__main__":
    main()
