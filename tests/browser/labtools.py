"""Helpers for the browser tests: a JupyterLab server, notebooks to run in it, screenshots."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("WSNB_ARTIFACTS", ROOT / "artifacts"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lab:
    """A JupyterLab server on 127.0.0.1 serving ``root`` (``app="notebook"``: a Notebook 7 server)."""

    def __init__(
        self, root: Path, home: Path, env: dict[str, str] | None = None, *, app: str = "jupyterlab"
    ) -> None:
        self.app = app
        self.root = root
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        settings = home / "settings"
        for plugin, value in {
            "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
                "fetchNews": "false",
                "checkForUpdates": False,
            },
            "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
            # Render every cell: with windowing, cells out of view have no prompt or output in the page.
            "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        }.items():
            path = settings / plugin
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
        extra_env = env or {}
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        }
        env.pop("WINGSPAN_API_TOKEN", None)
        env.update(extra_env)
        self.log = (home / "lab.log").open("w")
        lab_only = [
            "--LabApp.news_url=None",
            "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                app,
                "--no-browser",
                "--allow-root",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root}",
                *(lab_only if app == "jupyterlab" else []),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/api/status", params={"token": self.token}, timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterLab did not start; see {home / 'lab.log'}")

    def notebook_url(self, name: str) -> str:
        """Where the app opens the notebook ``name`` (JupyterLab's tree, or Notebook 7's page)."""
        if self.app == "notebook":
            return f"{self.url}/notebooks/{name}?token={self.token}"
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=10, **kwargs)

    def set_theme(self, theme: str) -> None:
        r = self.api(
            "PUT",
            "/lab/api/settings/@jupyterlab/apputils-extension:themes",
            json={"raw": json.dumps({"theme": theme})},
        )
        r.raise_for_status()

    def reset_sessions(self) -> None:
        for s in self.api("GET", "/api/sessions").json():
            self.api("DELETE", f"/api/sessions/{s['id']}")

    def busy(self) -> bool:
        return any(s["kernel"]["execution_state"] != "idle" for s in self.api("GET", "/api/sessions").json())

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def write_notebook(path: Path, cells: list[str]) -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "id": f"c{i}",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": src,
            }
            for i, src in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb))


def run_all(lab: Lab, page: Any, name: str, timeout: float = 90) -> None:
    """Open ``name`` in JupyterLab, Run All, and wait until every cell has run and the kernel is idle."""
    lab.reset_sessions()
    page.goto(lab.notebook_url(name))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    if lab.app == "jupyterlab":
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
    _wait_for(
        lambda: any(x["kernel"]["execution_state"] == "idle" for x in lab.api("GET", "/api/sessions").json()),
        60,
    )
    for _ in range(3):  # a click before the kernel is connected runs nothing: check, and click again
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        started = _wait_for(
            lambda: any(p.strip() != "[ ]:" for p in page.locator(".jp-InputArea-prompt").all_inner_texts()),
            10,
            fail=False,
        )
        if started:
            break
    else:
        raise AssertionError("Run All did not start any cell")
    deadline = time.monotonic() + timeout
    idle_polls = 0
    while time.monotonic() < deadline:
        prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        running = any("*" in p for p in prompts)
        pending = any(p.strip() in ("[ ]:", "") for p in prompts)
        idle_polls = idle_polls + 1 if not running and not pending and not lab.busy() else 0
        if idle_polls >= 2:
            return
        time.sleep(0.5)
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    raise AssertionError(f"Run All did not finish in {timeout} s; prompts: {prompts}; outputs: {outputs}")


def _wait_for(condition: Any, seconds: float, *, fail: bool = True) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    if fail:
        raise AssertionError(f"condition not met within {seconds} s")
    return False


def wait(condition: Any, seconds: float = 20) -> bool:
    """Whether ``condition()`` came true within ``seconds`` (polled): for ``assert wait(...)``."""
    return _wait_for(condition, seconds, fail=False)


def screenshot(page: Any, name: str, locator: Any = None) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    (locator or page).screenshot(path=str(path))
    return path


def publish(shot: Path, doc_name: str) -> None:
    """Copy a screenshot over the README's picture ``docs/<doc_name>``, only under ``make screenshots``
    (``WINGSPAN_REFRESH_DOCS=1``): a test run never changes the work tree."""
    if os.environ.get("WINGSPAN_REFRESH_DOCS") == "1":
        shutil.copy(shot, ROOT / "docs" / doc_name)


__all__ = [
    "ARTIFACTS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "Lab",
    "require_chromium",
    "run_all",
    "publish",
    "screenshot",
    "wait",
    "write_notebook",
]
