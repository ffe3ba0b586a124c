"""Parsing, serialising, cold start, import and round-trip figures, against the targets in the README's Performance table.

Every result is a ratio measured side by side in this run (median over shuffled rounds); absolute
times are given for context. Run: ``make bench`` (writes BENCHMARKS.md).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

import orjson
import pydantic_models
import requests
from harness import FIXTURES, compare, fixture, fmt_time, ratio, rounds_of, save, table

from wingspan_nb import Wingspan
from wingspan_nb.models import ClientInvoice

PYDANTIC_TARGET = 0.95
"""Our parse time ÷ pydantic v2's, for each fixture, measured side by side."""
COLD_TARGET = 0.060
"""First parse + first ``to_json`` of the typical invoice in a fresh process (first uses: nothing compiled)."""


def parse_rows(data: dict[str, object]) -> list[list[str]]:
    pyd = pydantic_models.build()
    rows = []
    for name in ("small", "typical", "large"):
        text = fixture(name)
        competitors = {
            "json.loads": lambda text=text: json.loads(text),
            "orjson.loads": lambda text=text: orjson.loads(text),
            "wingspan_nb": lambda text=text: ClientInvoice.from_json(text),
            "pydantic v2": lambda text=text: pyd.model_validate_json(text),
        }
        # Warm: a model's function is compiled after its first uses (wingspan_nb.models._build).
        cpu = rounds_of(competitors, rounds=41, budget=0.03, clock=time.thread_time, warmup=20)
        wall = rounds_of(competitors, rounds=21, budget=0.03)
        t = {k: statistics.median(v) for k, v in cpu.items()}
        base = t["json.loads"]
        ours, theirs = ratio(cpu, "wingspan_nb", "json.loads"), ratio(cpu, "pydantic v2", "json.loads")
        vs = ratio(cpu, "wingspan_nb", "pydantic v2")
        vs_wall = ratio(wall, "wingspan_nb", "pydantic v2")
        met = vs <= PYDANTIC_TARGET
        data[f"parse_{name}"] = {k: ratio(cpu, k, "json.loads") for k in cpu} | {
            "json_loads_s": base,
            "vs_pydantic": vs,
            "vs_pydantic_wall": vs_wall,
        }
        rows.append(
            [
                name,
                fmt_time(base),
                f"{ratio(cpu, 'orjson.loads', 'json.loads'):.2f}",
                f"**{ours:.2f}**",
                f"{theirs:.2f}",
                f"**{vs:.2f}**",
                f"{vs_wall:.2f}",
                f"≤ {PYDANTIC_TARGET}",
                "met" if met else "**not met**",
            ]
        )
    return rows


def dump_rows(data: dict[str, object]) -> list[list[str]]:
    rows = []
    for name in ("small", "typical", "large"):
        inv = ClientInvoice.from_json(fixture(name))
        doc = inv.to_dict()
        t = compare(
            {"json.dumps": lambda doc=doc: json.dumps(doc), "to_json": inv.to_json, "to_dict": inv.to_dict},
            rounds=15,
            clock=time.thread_time,
            warmup=20,
        )
        r = t["to_json"] / t["json.dumps"]
        data[f"dump_{name}"] = r
        target = "≤ 0.9" if name == "typical" else ""
        rows.append(
            [
                name,
                fmt_time(t["json.dumps"]),
                f"**{r:.2f}**",
                f"{t['to_dict'] / t['json.dumps']:.2f}",
                target,
                ("met" if r <= 0.9 else "**not met**") if target else "",
            ]
        )
    return rows


# As on a user's machine: bytecode caching on (this workplace sets PYTHONDONTWRITEBYTECODE, and any
# non-empty value turns caching off, which would time compiling our sources, not importing them).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_ENV)
    return float(out.stdout.strip())


def cold_rows(data: dict[str, object]) -> list[list[str]]:
    path = FIXTURES / "typical.json"
    first_second = (
        f"import time; from wingspan_nb.models import ClientInvoice; t=open({str(path)!r}).read();"
        "a=time.perf_counter(); ClientInvoice.from_json(t).to_json(); b=time.perf_counter();"
        "ClientInvoice.from_json(t).to_json(); c=time.perf_counter(); print(f'{b-a} {c-b}')"
    )
    firsts, seconds = [], []
    for _ in range(7):
        out = subprocess.run(
            [sys.executable, "-c", first_second], capture_output=True, text=True, check=True, env=_ENV
        ).stdout.split()
        firsts.append(float(out[0]))
        seconds.append(float(out[1]))
    first, second = statistics.median(firsts), statistics.median(seconds)
    ours_code = "import time; a=time.perf_counter(); import wingspan_nb; print(time.perf_counter()-a)"
    deps_code = (
        "import time; a=time.perf_counter(); import requests, attrs, cattrs; print(time.perf_counter()-a)"
    )
    _run(ours_code)  # write the bytecode caches once
    ours, deps = [], []
    for _ in range(15):  # alternate, so that both see the same machine
        ours.append(_run(ours_code))
        deps.append(_run(deps_code))
    imp = statistics.median(ours) / statistics.median(deps)
    data |= {
        "first_parse_s": first,
        "second_parse_s": second,
        "import_ratio": imp,
        "import_s": statistics.median(ours),
        "deps_import_s": statistics.median(deps),
    }
    return [
        [
            "first parse + first `to_json` of typical in a fresh process",
            fmt_time(first),
            f"≤ {COLD_TARGET * 1000:.0f} ms",
            "met" if first <= COLD_TARGET else "**not met**",
        ],
        ["the second parse + `to_json` in that process", fmt_time(second), "", ""],
        [
            f"`import wingspan_nb` ÷ `import requests, attrs, cattrs` ({fmt_time(statistics.median(ours))} vs {fmt_time(statistics.median(deps))})",
            f"**{imp:.2f}**",
            "≤ 1.3",
            "met" if imp <= 1.3 else "**not met**",
        ],
    ]


def round_trip_rows(data: dict[str, object]) -> list[list[str]]:
    from wingspan_nb.sandbox import demo_invoices

    # A typical-size invoice (a few line items) of the demo set, served by a sandbox in its own process.
    invoice_id = next(d["invoiceId"] for d in demo_invoices() if 3 <= len(d["lineItems"]) <= 6)
    proc = subprocess.Popen(
        [sys.executable, "-m", "wingspan_nb.sandbox", "--token", "bench-token"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split(" on ")[1].split(" ")[0]
        client = Wingspan("bench-token", server_url=url)
        session = requests.Session()
        headers = {"Authorization": "Bearer bench-token"}
        full = f"{url}/payments/client/invoice/{invoice_id}"
        t = compare(
            {
                "bare": lambda: json.loads(session.get(full, headers=headers, timeout=10).content),
                "wingspan_nb": lambda: client.client_invoice.get(id=invoice_id),
            },
            rounds=15,
            budget=0.2,
        )
    finally:
        proc.terminate()
        proc.wait()
    r = t["wingspan_nb"] / t["bare"]
    data["round_trip_ratio"] = r
    return [
        [
            f"`client_invoice.get` ÷ bare `requests.get` + `json.loads` ({fmt_time(t['bare'])} bare)",
            f"**{r:.2f}**",
            "≤ 1.15",
            "met" if r <= 1.15 else "**not met**",
        ]
    ]


def main() -> None:
    load = os.getloadavg()[0]
    data: dict[str, object] = {"load_average": load}
    md = "## Parsing JSON text into a `ClientInvoice`\n\nTime ÷ `json.loads` of the same text (lower is better).\n\n"
    md += table(
        [
            "fixture",
            "json.loads",
            "orjson.loads",
            "wingspan_nb",
            "pydantic v2",
            "÷ pydantic",
            "÷ pydantic, wall clock",
            "target",
            "",
        ],
        parse_rows(data),
    )
    md += (
        "\n\nwingspan_nb: `ClientInvoice.from_json` (orjson decoding, then the strict checks compiled at"
        " run time); pydantic: models generated from the 2024 spec, `model_validate_json`. Timed by the"
        " CPU time of the benchmarking thread (`time.thread_time`), so that waiting for a core on a"
        " shared machine counts for neither side; each ratio is the median over 41 rounds of the ratio"
        " within a round. The wall-clock ratio of a second pass (21 rounds) is shown for comparison."
        f" Load average at the start: {load:.1f} on {os.cpu_count()} cores.\n\n"
    )
    md += "## Serialising\n\n`invoice.to_json()` ÷ `json.dumps` of the same dict (CPU time, as above).\n\n"
    md += table(["fixture", "json.dumps", "to_json", "to_dict alone", "target", ""], dump_rows(data))
    md += "\n\n## Cold start and import\n\n" + table(["figure", "value", "target", ""], cold_rows(data))
    md += "\n\n## Round trip against the sandbox (a separate process, loopback)\n\n" + table(
        ["figure", "value", "target", ""], round_trip_rows(data)
    )
    save("parse", md, data)


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
