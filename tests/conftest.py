"""Shared fixtures: a sandbox per test, a client on it, the specs and fixtures from ../shared."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wingspan_nb import Wingspan
from wingspan_nb.sandbox import SandboxServer

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


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


class Sleeps(list[float]):
    """Records the waits a client would have slept, so retry tests run instantly."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sandbox: SandboxServer, sleeps: Sleeps) -> Iterator[Wingspan]:
    with Wingspan(sandbox.token, server_url=sandbox.url, timeout=(2, 5)) as c:
        c._transport.sleep = sleeps
        yield c


@pytest.fixture
def typical() -> dict[str, Any]:
    return json.loads(load_fixture("typical"))


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    # No record_mode here: it would override --record-mode=none and record silently.
    return {
        "filter_headers": [("authorization", "Bearer [REDACTED]")],
        "match_on": ["method", "path", "query", "body"],
        "decode_compressed_response": True,
        "before_record_response": _scrub_response,
    }


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {k: v for k, v in response["headers"].items() if k.lower() != "set-cookie"}
    return response


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(ROOT / "cassettes" / request.module.__name__.split(".")[-1])
