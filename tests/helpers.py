"""Shared test helpers: the spec extract and fixtures kept under tests/ (written from ../shared/ by
tests/spec/extract.py), and a recorder of sleeps."""

from __future__ import annotations

import functools
import json
import typing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SPEC_EXTRACT = ROOT / "tests" / "spec"


@functools.cache
def load_spec(year: str) -> dict[str, Any]:
    """The extract of one spec: ``components.schemas`` reachable from the client-invoice schemas, and
    ``responses`` (``list``, ``get``, ``fees``). Do not change it: it is shared between tests."""
    return typing.cast(dict[str, Any], json.loads((SPEC_EXTRACT / f"extract-{year}.json").read_text()))


def load_fixture(name: str) -> str:
    """A parse fixture (small, typical, large) as JSON text."""
    return (FIXTURES / f"{name}.json").read_text()


class Sleeps(list[float]):
    """Records the waits a client would have slept, so retry tests run instantly."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
