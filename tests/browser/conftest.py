"""Fixtures: JupyterLab and headless Debian Chromium (Playwright for Python, never its own browser
download). Under CI a missing Chromium fails these tests; on a developer machine without it they skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wingspan_nb.sandbox import SandboxServer, make_invoice

from ..helpers import TODAY
from .labtools import CHROMIUM, CHROMIUM_ARGS, Lab, require_chromium


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    require_chromium()
    root = tmp_path_factory.mktemp("lab-root")
    server = Lab(root, tmp_path_factory.mktemp("lab-home"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def form_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, SandboxServer]]:
    """A JupyterLab whose kernels reach a sandbox started here (through the environment)."""
    require_chromium()
    with SandboxServer(
        invoices=[make_invoice(3, status="Open", invoice_id="browser-1", today=TODAY)]
    ) as sandbox:
        env = {
            "WINGSPAN_SERVER_URL": sandbox.url,
            "WINGSPAN_API_TOKEN": sandbox.token,
            "WINGSPAN_INVOICE_ID": "browser-1",
        }
        server = Lab(tmp_path_factory.mktemp("form-root"), tmp_path_factory.mktemp("form-home"), env=env)
        yield server, sandbox
        server.stop()


@pytest.fixture(scope="session")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Lab, SandboxServer]]:
    """A Notebook 7 server (the ``notebook`` package) whose kernels reach a sandbox started here."""
    require_chromium()
    with SandboxServer(invoices=[make_invoice(5, status="Open", invoice_id="nb7-1", today=TODAY)]) as sandbox:
        env = {"WINGSPAN_SERVER_URL": sandbox.url, "WINGSPAN_API_TOKEN": sandbox.token}
        server = Lab(
            tmp_path_factory.mktemp("nb7-root"), tmp_path_factory.mktemp("nb7-home"), env=env, app="notebook"
        )
        yield server, sandbox
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from _page(browser, 1280)


@pytest.fixture
def narrow_page(browser: Any) -> Iterator[Any]:
    """A page 1024 px wide (the narrowest window the views are checked at), tall enough for a form."""
    yield from _page(browser, 1024, 1600)


def _page(browser: Any, width: int, height: int = 1000) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    pg.dialogs = []  # any alert() a hostile string managed to run
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()
