"""Shared test helpers: paths to ../shared, spec and fixture loading."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SPEC_DIR = SHARED / "spec"
FIXTURES = SHARED / "bench" / "fixtures"
SPECS = {
    "2023": SPEC_DIR / "wingspan-payments-openapi-2023.yaml",
    "2024": SPEC_DIR / "wingspan-payments-openapi-2024.yaml",
}


def load_spec(year: str) -> dict[str, Any]:
    """A spec from ../shared/spec, or a skip saying it is absent (specs are never copied in)."""
    path = SPECS[year]
    if not path.exists():
        pytest.skip(f"{path} is absent: the conformance tests read the specs from ../shared/spec/")
    return _parse_spec(path)


@functools.cache
def _parse_spec(path: Path) -> dict[str, Any]:
    import yaml

    return yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_fixture(name: str) -> str:
    path = FIXTURES / f"{name}.json"
    if not path.exists():
        pytest.skip(f"{path} is absent: the fixture tests read ../shared/bench/fixtures/")
    return path.read_text()


class Sleeps(list[float]):
    """Records the waits a client would have slept, so retry tests run instantly."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
