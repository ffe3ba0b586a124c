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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = next(
    (p / "shared" for p in ROOT.parents if (p / "shared" / "bench").is_dir()), ROOT.parent / "shared"
)
"""The reference material: the nearest ``shared/`` beside the checkout or one of its parents (a
worktree may sit a level deeper than the main checkout)."""
FIXTURES = Path(os.environ.get("WINGSPAN_BENCH_FIXTURES") or SHARED / "bench" / "fixtures")
"""``shared/bench/fixtures``; ``$WINGSPAN_BENCH_FIXTURES`` points elsewhere."""


def fixture(name: str) -> str:
    path = FIXTURES / f"{name}.json"
    if not path.exists():
        raise SystemExit(f"{path} is missing: the benchmarks read ../shared/bench/fixtures/")
    return path.read_text()


def rounds_of(
    competitors: dict[str, Callable[[], object]],
    *,
    rounds: int = 15,
    budget: float = 0.05,
    seed: int = 0,
    clock: Callable[[], float] = time.perf_counter,
    warmup: int = 1,
) -> dict[str, list[float]]:
    """Seconds per call of each competitor in each round; the competitors run interleaved, in a
    shuffled order per round, each for about ``budget`` seconds.

    ``clock=time.thread_time`` times CPU-bound work by the CPU time of this thread: on a shared
    machine the time spent waiting for a core then counts for no competitor. Each competitor is
    called ``warmup`` times first (for code that specialises itself after its first uses)."""
    rng = random.Random(seed)
    numbers = {}
    for name, fn in competitors.items():  # calibrate: enough calls to fill ``budget`` seconds
        for _ in range(warmup):
            fn()
        n, t = 1, 0.0
        while t < budget / 4:
            start = clock()
            for _ in range(n):
                fn()
            t = clock() - start
            n *= 2
        numbers[name] = max(1, int(n / 2 * budget / max(t, 1e-9)))
    samples: dict[str, list[float]] = {name: [] for name in competitors}
    order = list(competitors)
    for _ in range(rounds):
        rng.shuffle(order)
        for name in order:
            fn, n = competitors[name], numbers[name]
            start = clock()
            for _ in range(n):
                fn()
            samples[name].append((clock() - start) / n)
    return samples


def compare(competitors: dict[str, Callable[[], object]], **options: Any) -> dict[str, float]:
    """Median seconds per call for each competitor (see :func:`rounds_of` for the options)."""
    return {name: statistics.median(s) for name, s in rounds_of(competitors, **options).items()}


def ratio(samples: dict[str, list[float]], a: str, b: str) -> float:
    """The median over rounds of ``a``'s time ÷ ``b``'s in the same round: a load that drifts during
    the run weighs on both sides of each ratio."""
    return statistics.median(x / y for x, y in zip(samples[a], samples[b], strict=True))


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
