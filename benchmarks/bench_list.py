"""The whole account: ``client_invoice.list(progress=False)`` of 10,000 invoices (the typical fixture
with distinct ids, about 130 MB of JSON; a demo invoice of its size without ``../shared``) from a sandbox in its own process over loopback, against
plain ``requests.get(...)`` + ``json.loads``; and ``to_dataframe`` of those 10,000 against the same
``json.loads``. Each measurement runs in a fresh process (time and peak RSS). Run: ``make bench``.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness import FIXTURES, fixture, fmt_time, save, table

COUNT = 10_000
ROUNDS = 5
TOKEN = "bench"


def _base() -> tuple[dict[str, Any], str]:
    """The typical fixture, or (without ``../shared``) a demo invoice of about its size."""
    if (FIXTURES / "typical.json").exists():
        return json.loads(fixture("typical")), "the typical fixture"
    from wingspan_nb.sandbox import make_invoice

    return make_invoice(1, line_items=12), "a 12-line demo invoice (../shared is absent)"


def documents() -> list[dict[str, Any]]:
    """``COUNT`` copies of the base invoice, each with its own id and number."""
    base, _ = _base()
    docs = []
    for n in range(COUNT):
        doc = json.loads(json.dumps(base))
        doc["invoiceId"] = f"{base['invoiceId']}-{n:05d}"
        doc["invoiceNumber"] = f"{base['invoiceNumber']}-{n:05d}"
        docs.append(doc)
    return docs


def serve(path: str) -> None:
    """The sandbox process: serve the documents in ``path`` until killed."""
    from wingspan_nb.sandbox import SandboxServer

    server = SandboxServer(invoices=json.loads(Path(path).read_text()), token=TOKEN).start()
    print(server.url, flush=True)
    server.serve_forever()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(kind: str, url: str) -> None:
    """One fresh-process measurement; prints a JSON line."""
    out: dict[str, float] = {}
    if kind == "baseline":
        import requests

        start = time.perf_counter()
        r = requests.get(url + "/payments/client/invoice", headers={"Authorization": f"Bearer {TOKEN}"})
        r.raise_for_status()
        decoding = time.perf_counter()
        data = json.loads(r.content)
        out["seconds"] = time.perf_counter() - start
        out["json_loads"] = time.perf_counter() - decoding
        assert len(data) == COUNT
    else:
        import wingspan_nb

        client = wingspan_nb.Wingspan(TOKEN, server_url=url)
        start = time.perf_counter()
        invoices = client.client_invoice.list(progress=False).client_invoices
        out["seconds"] = time.perf_counter() - start
        assert len(invoices) == COUNT and not invoices.failures
        if kind == "dataframe":
            frames = []
            for _ in range(3):
                start = time.perf_counter()
                df = invoices.to_dataframe()
                frames.append(time.perf_counter() - start)
                assert len(df) == COUNT
            out["to_dataframe"] = statistics.median(frames)
    out["peak_mib"] = _peak_mib()
    print(json.dumps(out), flush=True)


def _fresh(kind: str, url: str) -> dict[str, float]:
    line = subprocess.run(
        [sys.executable, __file__, "--measure", kind, url], check=True, capture_output=True, text=True
    ).stdout.strip()
    result: dict[str, float] = json.loads(line.splitlines()[-1])
    return result


@contextmanager
def _sandbox() -> Iterator[str]:
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(documents(), f)
        f.flush()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", f.name], stdout=subprocess.PIPE, text=True
        )
        try:
            assert proc.stdout is not None
            yield proc.stdout.readline().strip()
        finally:
            proc.terminate()
            proc.wait()


def main() -> None:
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "list": []}
    with _sandbox() as url:
        _fresh("baseline", url)  # the sandbox encodes the list once; not part of any figure
        for n in range(ROUNDS):
            for kind in ("baseline", "list") if n % 2 else ("list", "baseline"):
                runs[kind].append(_fresh(kind, url))
        frame = _fresh("dataframe", url)
    med = {
        k: {m: statistics.median(r[m] for r in v) for m in ("seconds", "peak_mib")} for k, v in runs.items()
    }
    t_ratio = med["list"]["seconds"] / med["baseline"]["seconds"]
    m_ratio = med["list"]["peak_mib"] / med["baseline"]["peak_mib"]
    loads = statistics.median(r["json_loads"] for r in runs["baseline"])
    df_ratio = frame["to_dataframe"] / loads
    rows = [
        [
            "`requests.get` + `json.loads`",
            fmt_time(med["baseline"]["seconds"]),
            f"{med['baseline']['peak_mib']:,.0f} MiB",
            "",
            "",
        ],
        [
            "`client_invoice.list(progress=False)`",
            fmt_time(med["list"]["seconds"]),
            f"{med['list']['peak_mib']:,.0f} MiB",
            f"**{t_ratio:.2f}** (≤ 1.0: {'met' if t_ratio <= 1.0 else '**not met**'})",
            f"**{m_ratio:.2f}** (≤ 1.25: {'met' if m_ratio <= 1.25 else '**not met**'})",
        ],
    ]
    markdown = "\n".join(
        [
            f"## The whole account: {COUNT:,} invoices in one list reply",
            "",
            f"{_base()[1].capitalize()} with distinct ids ({COUNT:,} invoices) from a sandbox in its own process "
            f"over loopback; each run in a fresh process, medians of {ROUNDS} runs each, alternating.",
            "",
            table(["", "time", "peak RSS", "time ratio", "RSS ratio"], rows),
            "",
            f"`to_dataframe` of the {COUNT:,}: {fmt_time(frame['to_dataframe'])}, "
            f"**{df_ratio:.2f}** of the baseline's `json.loads` of the same reply ({fmt_time(loads)}; "
            f"target ≤ 0.3: {'met' if df_ratio <= 0.3 else '**not met**'}).",
        ]
    )
    save(
        "list",
        markdown,
        {
            "runs": runs,
            "dataframe": frame,
            "time_ratio": t_ratio,
            "rss_ratio": m_ratio,
            "to_dataframe_ratio": df_ratio,
        },
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2])
    elif sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
