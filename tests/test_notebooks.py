"""The committed notebooks run top to bottom in a real kernel, against the sandbox."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "exploratory.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_clean(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbclient
    import nbformat

    monkeypatch.delenv("WINGSPAN_API_TOKEN", raising=False)  # the kernel inherits this environment
    monkeypatch.delenv("WINGSPAN_SERVER_URL", raising=False)
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks cleared"
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    texts = [o.get("text", "") for o in outputs]
    assert any("Connected to a local sandbox" in t for t in texts)
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert html, "the notebook shows rich output"
    if path.name == "exploratory.ipynb":
        assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # the charts
        assert (path.parent / "exports" / "invoices.csv").exists()
    assert os.environ.get("WINGSPAN_API_TOKEN") is None
