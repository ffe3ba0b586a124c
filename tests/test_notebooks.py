"""The committed notebooks run top to bottom in a real kernel, against the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "exploratory.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_clean(path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import nbclient
    import nbformat

    monkeypatch.delenv("WINGSPAN_API_TOKEN", raising=False)  # the kernel inherits this environment
    monkeypatch.delenv("WINGSPAN_SERVER_URL", raising=False)
    monkeypatch.setenv("WINGSPAN_EXPORT_DIR", str(tmp_path))  # a fresh place: no file of an earlier run
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks cleared"
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    texts = [o.get("text", "") for o in outputs]
    assert any("Connected to a local sandbox" in t for t in texts)  # the kernel did not see a token
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert html, "the notebook shows rich output"
    if path.name == "exploratory.ipynb":
        assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2  # the charts
        assert {p.name for p in tmp_path.iterdir()} == {"invoices.jsonl.gz", "invoices.csv", "line_items.csv"}
        assert any("Re-ran from invoices.jsonl.gz: 48 invoices, the same 4 tables." in t for t in texts)
        assert any("48 invoices" in h for h in html)  # the list's view, from client_invoice.list()


def test_exploratory_never_adds_currencies() -> None:
    """The exploratory notebook starts from the list, not from typed-in ids, and every amount it
    groups is grouped by currency too."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "exploratory.ipynb", as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "client_invoice.list()" in source and "WINGSPAN_INVOICE_IDS" not in source
    assert "stacked=True" not in source
    for line in source.splitlines():
        if "groupby(" in line and ("amount" in line or "total_cost" in line):
            assert "currency" in line, line


def test_exploratory_reads_a_real_account_the_same_way(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Pointed at an API (here a sandbox of 120 invoices, reached as the real API is: token and URL
    from the environment), the notebook lists the account and changes nothing without APPLY = True."""
    import nbclient
    import nbformat

    from wingspan_nb.sandbox import SandboxServer

    path = ROOT / "notebooks" / "exploratory.ipynb"
    with SandboxServer(count=120) as api:
        monkeypatch.setenv("WINGSPAN_API_TOKEN", api.token)
        monkeypatch.setenv("WINGSPAN_SERVER_URL", api.url)
        monkeypatch.setenv("WINGSPAN_EXPORT_DIR", str(tmp_path))
        nb = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        methods, url = [r.method for r in api.requests], api.url
    texts = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any(f"Connected to $WINGSPAN_SERVER_URL at {url}" in t for t in texts)
    assert any("Re-ran from invoices.jsonl.gz: 120 invoices" in t for t in texts)
    assert "PATCH" not in methods and methods.count("GET") >= 2  # the list, then the plan's reads
