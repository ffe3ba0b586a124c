"""``wingspan_nb.compare`` of two lists of 10,000 demo invoices, 500 of them changed (a status, an
amount and its line item, a nested fee split), against diffing every pair of ``to_dict()`` documents
(what compare does only for the invoices whose models differ). Run: ``cd benchmarks && python
bench_compare.py`` (or ``make bench``). Target: compare at most 0.5 s.
"""

from __future__ import annotations

import copy
import os
import statistics
import time
from typing import Any

from harness import compare, fmt_time, save, table

from wingspan_nb import _comparison as comparison
from wingspan_nb._invoices import InvoiceList
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import make_invoice

COUNT = 10_000
CHANGED = 500
TARGET = 0.5


def _changed(doc: dict[str, Any], n: int) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    if n % 3 == 0:
        doc["status"] = "Paid" if doc["status"] != "Paid" else "Open"
    elif n % 3 == 1:
        doc["lineItems"][0]["totalCost"] += 10
        doc["amount"] = round(doc["amount"] + 10, 2)
    else:
        doc["creditFeeHandling"] = {"clientPays": 25, "memberPays": 75, "clientAbsolutePercentage": None}
    return doc


def lists() -> tuple[InvoiceList, InvoiceList]:
    docs = [make_invoice(n) for n in range(1, COUNT + 1)]
    step = COUNT // CHANGED
    after = [_changed(d, n) if n % step == 0 else d for n, d in enumerate(docs)]
    return (
        InvoiceList(ClientInvoice.from_dict(d) for d in docs),
        InvoiceList(ClientInvoice.from_dict(d) for d in after),
    )


def diff_every_document(before: InvoiceList, after: InvoiceList) -> int:
    """The plain way: write every invoice out and diff the documents of each pair."""
    old = {inv.invoice_id: inv for inv in before}
    found = 0
    for inv in after:
        out: list[Any] = []
        comparison._diff(old[inv.invoice_id].to_dict(), inv.to_dict(), "", out)
        found += bool(out)
    return found


def main() -> None:
    before, after = lists()
    changes = comparison.compare(before, after)
    assert changes.counts()["changed"] == CHANGED, changes.summary()
    assert diff_every_document(before, after) == CHANGED
    times = compare(
        {
            "compare": lambda: comparison.compare(before, after),
            "diff every to_dict": lambda: diff_every_document(before, after),
        },
        rounds=7,
    )
    ours, plain = times["compare"], times["diff every to_dict"]
    cpu = []
    for _ in range(7):  # CPU time of this process: what compare costs when the cores are shared
        start = time.process_time()
        comparison.compare(before, after)
        cpu.append(time.process_time() - start)
    ours_cpu = statistics.median(cpu)
    verdict = ", ".join(
        f"{what} {'met' if t <= TARGET else 'missed'}" for what, t in (("wall", ours), ("CPU", ours_cpu))
    )
    rows = [
        ["`wingspan_nb.compare`", fmt_time(ours), fmt_time(ours_cpu), f"target ≤ {TARGET} s: {verdict}"],
        [
            "diff every pair of `to_dict()`",
            fmt_time(plain),
            "",
            f"**compare {plain / ours:.1f} times faster**",
        ],
    ]
    markdown = (
        f"## compare: {COUNT:,} against {COUNT:,} invoices, {CHANGED} changed\n\n"
        + table(["", "time", "CPU time", ""], rows)
        + "\n\nDemo invoices; models compared field by field first, only the "
        f"{CHANGED} that differ written out and diffed. Medians of 7 shuffled rounds; the CPU time "
        f"(this process's, median of 7 runs) is what compare costs on a machine whose cores are shared "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores when measured).\n"
    )
    save(
        "compare",
        markdown,
        {"compare_s": ours, "compare_cpu_s": ours_cpu, "diff_every_to_dict_s": plain, "target_s": TARGET},
    )


if __name__ == "__main__":
    main()
