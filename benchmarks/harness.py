"""Side-by-side timing: competitors run in shuffled order each round; medians over rounds.

Machines here are shared and noisy, so only ratios measured in the same run are reported as results;
absolute times are given for context.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(os.environ.get("WINGSPAN_BENCH_FIXTURES") or ROOT.parent / "shared" / "bench" / "fixtures")
"""``../shared/bench/fixtures`` next to the checkout; ``$WINGSPAN_BENCH_FIXTURES`` points elsewhere."""


def fixture(name: str) -> str:
    path = FIXTURES / f"{name}.json"
    if not path.exists():
        raise SystemExit(f"{path} is missing: the benchmarks read ../shared/bench/fixtures/")
    return path.read_text()


def compare(
    competitors: dict[str, Callable[[], object]], *, rounds: int = 15, budget: float = 0.05, seed: int = 0
) -> dict[str, float]:
    """Median seconds per call for each competitor, interleaved and shuffled per round."""
    rng = random.Random(seed)
    numbers = {}
    for name, fn in competitors.items():  # calibrate: enough calls to fill ``budget`` seconds
        fn()
        n, t = 1, 0.0
        while t < budget / 4:
            start = time.perf_counter()
            for _ in range(n):
                fn()
            t = time.perf_counter() - start
            n *= 2
        numbers[name] = max(1, int(n / 2 * budget / max(t, 1e-9)))
    samples: dict[str, list[float]] = {name: [] for name in competitors}
    order = list(competitors)
    for _ in range(rounds):
        rng.shuffle(order)
        for name in order:
            fn, n = competitors[name], numbers[name]
            start = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - start) / n)
    return {name: statistics.median(s) for name, s in samples.items()}


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def save(name: str, markdown: str, data: object) -> None:
    """Write one benchmark's section for BENCHMARKS.md (assembled by ``make bench``)."""
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{name}.md").write_text(markdown.rstrip() + "\n")
    (out / f"{name}.json").write_text(json.dumps(data, indent=2))
    print(markdown)
