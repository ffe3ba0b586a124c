"""Fixtures: a sandbox per test, a client on it, the vcr configuration."""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wingspan_nb import Wingspan
from wingspan_nb.models import reset_unknown_enum_warnings
from wingspan_nb.sandbox import SandboxServer, make_invoice

from .helpers import ROOT, TODAY, Sleeps, cassette_config, load_fixture

pytest_plugins = ["pytester"]  # a test runs pytest on a copy of the project (notebooks a user adds)


def pytest_configure(config: pytest.Config) -> None:
    """Under a plain ``faketime -f '+400d' pytest``, start pytest again the way ``make test-anyday``
    does: the thread-safe library, the monotonic clock left alone (a faked one makes CPython's timed
    waits endless) and ``tests/anyday`` on the path (its ``sitecustomize`` keeps ``time.sleep``
    working). Without this, such a run hangs at the first timed wait."""
    preload = os.environ.get("LD_PRELOAD", "")
    if "faketime" not in preload or os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") == "1":
        return
    anyday = str(Path(__file__).parent / "anyday")
    env = {
        **os.environ,
        "LD_PRELOAD": preload.replace("libfaketime.so.1", "libfaketimeMT.so.1"),
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "PYTHONPATH": os.pathsep.join(p for p in (anyday, os.environ.get("PYTHONPATH", "")) if p),
    }
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:  # give the new pytest the terminal, not this one's capture files
        capture.stop_global_capturing()
    os.execve(sys.executable, [sys.executable, "-m", "pytest", *sys.argv[1:]], env)


@pytest.fixture(autouse=True)
def _fresh_unknown_enum_warnings() -> None:
    """Every test sees the first UnknownEnumValueWarning of each value, whatever ran before it."""
    reset_unknown_enum_warnings()


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(today=TODAY) as server:
        yield server


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(sandbox: SandboxServer, sleeps: Sleeps) -> Iterator[Wingspan]:
    with Wingspan(sandbox.token, server_url=sandbox.url, timeout=(2, 5)) as c:
        c._transport.sleep = sleeps
        yield c


@pytest.fixture
def env() -> Iterator[tuple[SandboxServer, Wingspan]]:
    """Six invoices, ``b0`` to ``b5`` (``b0`` and ``b3`` Open, the others Draft), and a client on them
    that never sleeps: what the bulk-edit and call-convention tests change."""
    invoices = [
        make_invoice(i, status="Draft" if i % 3 else "Open", invoice_id=f"b{i}", today=TODAY)
        for i in range(6)
    ]
    with (
        SandboxServer(invoices=invoices) as sandbox,
        Wingspan(sandbox.token, server_url=sandbox.url) as client,
    ):
        client._transport.sleep = Sleeps()
        yield sandbox, client


@pytest.fixture
def typical() -> dict[str, Any]:
    return json.loads(load_fixture("typical"))


@pytest.fixture(scope="session")
def _quickstart_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import nbclient
    import nbformat

    path = ROOT / "notebooks" / "quickstart.ipynb"
    with pytest.MonkeyPatch.context() as env:  # the kernel inherits this environment
        env.delenv("WINGSPAN_API_TOKEN", raising=False)
        env.delenv("WINGSPAN_SERVER_URL", raising=False)
        env.setenv("WINGSPAN_EXPORT_DIR", str(tmp_path_factory.mktemp("quickstart")))
        nb = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
    return nb


@pytest.fixture
def quickstart_run(_quickstart_run: Any) -> Any:
    """notebooks/quickstart.ipynb as "Run All" leaves it: executed once per session in a fresh kernel
    with no token or server URL in its environment (so against its own sandbox) and a fresh export
    folder; each test gets its own copy of the executed notebook."""
    return copy.deepcopy(_quickstart_run)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return cassette_config()


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(ROOT / "cassettes" / request.module.__name__.split(".")[-1])
