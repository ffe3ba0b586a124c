"""get_many of 200 ids against a sandbox (its own process) with 50 ms added latency: 8 workers vs 1;
and to_dataframe of 1,000 invoices. Run: ``make bench``."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from harness import fmt_time, save, table

import wingspan_nb
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import demo_invoices


@contextmanager
def _sandbox(count: int, latency: float) -> Iterator[wingspan_nb.Wingspan]:
    """A client on a sandbox in its own process (so its threads do not share our GIL)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wingspan_nb.sandbox",
            "--token",
            "bench",
            "--latency",
            str(latency),
            "--count",
            str(count),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split(" on ")[1].split(" ")[0]
        yield wingspan_nb.Wingspan("bench", server_url=url)
    finally:
        proc.terminate()
        proc.wait()


def batch_rows(data: dict[str, object]) -> list[list[str]]:
    ids = [d["invoiceId"] for d in demo_invoices(200)]
    times: dict[int, list[float]] = {1: [], 8: []}
    with _sandbox(200, 0.05) as client:
        for _ in range(3):
            for workers in (8, 1):
                start = time.perf_counter()
                result = client.client_invoice.get_many(ids, max_workers=workers, progress=False)
                times[workers].append(time.perf_counter() - start)
                assert len(result) == 200 and not result.failures
    one, eight = statistics.median(times[1]), statistics.median(times[8])
    data |= {"get_many_1_s": one, "get_many_8_s": eight, "speedup": one / eight}
    return [
        ["1 worker", fmt_time(one), f"{200 / one:.0f}/s", ""],
        ["8 workers", fmt_time(eight), f"{200 / eight:.0f}/s", f"**{one / eight:.1f} times faster**"],
    ]


def bulk_rows(data: dict[str, object]) -> list[list[str]]:
    from wingspan_nb.models import ClientInvoiceUpdateRequest, InvoiceStatus

    ids = [d["invoiceId"] for d in demo_invoices(200)]
    times: dict[int, float] = {}
    with _sandbox(200, 0.05) as client:
        # First every invoice to Cancelled (not timed), so that each timed run changes all 200.
        everything = ClientInvoiceUpdateRequest(status=InvoiceStatus.CANCELLED)
        client.client_invoice.update_many(ids, everything, dry_run=False, progress=False)
        for workers, status in ((8, InvoiceStatus.PENDING), (1, InvoiceStatus.OPEN)):
            plan = client.client_invoice.update_many(
                ids, ClientInvoiceUpdateRequest(status=status), progress=False
            )
            start = time.perf_counter()
            result = plan.apply(max_workers=workers, progress=False)  # type: ignore[union-attr]
            times[workers] = time.perf_counter() - start
            assert result.counts().get("applied") == 200, result.counts()
    data |= {"apply_1_s": times[1], "apply_8_s": times[8], "apply_speedup": times[1] / times[8]}
    return [
        ["1 worker", fmt_time(times[1]), f"{200 / times[1]:.0f}/s", ""],
        [
            "8 workers",
            fmt_time(times[8]),
            f"{200 / times[8]:.0f}/s",
            f"**{times[1] / times[8]:.1f} times faster**",
        ],
    ]


def dataframe_rows(data: dict[str, object]) -> list[list[str]]:
    invoices = [ClientInvoice.from_dict(d) for d in demo_invoices(1000)]
    runs = {"invoice": [], "line_items": []}
    for _ in range(5):
        for level in runs:
            start = time.perf_counter()
            df = wingspan_nb.to_dataframe(invoices, level=level)  # type: ignore[arg-type]
            runs[level].append((time.perf_counter() - start, len(df)))
    rows = []
    for level, samples in runs.items():
        t = statistics.median(s[0] for s in samples)
        data[f"to_dataframe_{level}_s"] = t
        rows.append(
            [
                f'`level="{level}"`',
                f"{samples[0][1]:,} rows",
                fmt_time(t),
                f"{t / 1000 * 1e6:.0f} µs per invoice",
            ]
        )
    return rows


def main() -> None:
    data: dict[str, object] = {}
    md = "## get_many: 200 ids, sandbox with 50 ms latency\n\n" + table(
        ["", "time", "throughput", "speed-up"], batch_rows(data)
    )
    md += "\n\n## Applying a bulk change to 200 invoices, sandbox with 50 ms latency\n\nEach invoice: a conflict-check GET, then the PATCH.\n\n"
    md += table(["", "time", "throughput", "speed-up"], bulk_rows(data))
    md += "\n\n## to_dataframe of 1,000 invoices\n\n" + table(["", "rows", "time", ""], dataframe_rows(data))
    save("batch", md, data)


if __name__ == "__main__":
    main()
