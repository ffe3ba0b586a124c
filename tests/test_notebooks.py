"""The committed notebooks run top to bottom in a real kernel, against the sandbox."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .helpers import PROJECT_NOTEBOOKS, ROOT, TODAY
from .notebook_reports import check_reports

NOTEBOOKS = list(PROJECT_NOTEBOOKS)


def test_there_are_notebooks() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "exploratory.ipynb"}
    assert all(p.is_file() for p in NOTEBOOKS)


def test_the_notebook_list_is_the_notebooks_git_tracks() -> None:
    """A notebook added to the project is added to the list (and so tested); one a user saved
    beside them is not."""
    import subprocess

    if not (ROOT / ".git").exists():  # an unpacked source archive: the files are all there is
        assert all(p.is_file() for p in NOTEBOOKS)
        return
    listed = subprocess.run(
        ["git", "ls-files", "--", "notebooks/*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(listed) == sorted(str(p.relative_to(ROOT)) for p in NOTEBOOKS)


def test_a_notebook_a_user_saves_in_notebooks_is_not_collected(pytester: pytest.Pytester) -> None:
    """A stray notebook (unfinished, failing) in a copy of the project: collecting the notebook tests
    there names the project's notebooks only."""
    import shutil

    copy = pytester.path / "project"
    shutil.copytree(ROOT / "tests", copy / "tests", ignore=shutil.ignore_patterns("__pycache__", "browser"))
    (copy / "notebooks").mkdir()
    for p in NOTEBOOKS:
        shutil.copy(p, copy / "notebooks" / p.name)
    (copy / "notebooks" / "my-analysis.ipynb").write_text(
        '{"cells": [{"cell_type": "code", "source": "1/0"}]}'
    )
    result = pytester.runpytest_subprocess(
        str(copy / "tests" / "test_notebooks.py"), "--collect-only", "-q", "-p", "no:randomly"
    )
    collected = result.stdout.str()
    assert "exploratory.ipynb" in collected and "quickstart.ipynb" in collected
    assert "my-analysis" not in collected


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_code_lines_fit_jupyterlab_at_1024_px(path: Path) -> None:
    """About 88 characters of code show at 1024 px; a longer line is cut ("…else the").
    notebooks/ruff.toml formats them to that width."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    lines = [line for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines()]
    assert lines and [line for line in lines if len(line) > 88] == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_clean(
    path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks cleared"
    if path.name == "quickstart.ipynb":  # run once for the tests that read it, as below
        nb = request.getfixturevalue("quickstart_run")
    else:
        monkeypatch.delenv("WINGSPAN_API_TOKEN", raising=False)  # the kernel inherits this environment
        monkeypatch.delenv("WINGSPAN_SERVER_URL", raising=False)
        monkeypatch.setenv("WINGSPAN_EXPORT_DIR", str(tmp_path))  # a fresh place: no file of an earlier run
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
        assert {p.name for p in tmp_path.iterdir()} == {
            "invoices.jsonl.gz",
            "invoices.jsonl.gz.meta.json",  # the snapshot's provenance and checksums
            "invoices.csv",
            "line_items.csv",
        }
        assert any("Re-ran from invoices.jsonl.gz: 48 invoices, the same 6 reports." in t for t in texts)
        assert any("48 invoices" in h for h in html)  # the list's view, from client_invoice.list()
        _check_exploratory_outputs(outputs)
        check_reports(outputs, tmp_path)
        # the story is true: the applied change shows in a re-list, and the undo puts it back
        assert any(t.startswith("The account has moved on since the snapshot:") for t in texts)
        assert any("After the undo, the account's summary is the snapshot's again." in t for t in texts)


def test_exploratory_never_adds_currencies() -> None:
    """The exploratory notebook starts from the list, not from typed-in ids, and every amount it
    groups is grouped by currency too."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "exploratory.ipynb", as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "client_invoice.list(progress=False)" in source and "WINGSPAN_INVOICE_IDS" not in source
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
    with SandboxServer(count=120, today=TODAY) as api:
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
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    _check_exploratory_outputs(outputs)
    check_reports(outputs, tmp_path)
    assert any(t.startswith("The account is as the snapshot has it (nothing was applied).") for t in texts)


WIDGET = "application/vnd.jupyter.widget-view+json"
FORMATTED = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d{2})?( %)?")  # 1,234.50 / 12 / 2.90 %
CURRENCY_COLUMN = re.compile(r"\((?:[A-Z]{3})\)")


def _styled_tables(outputs: list[Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The notebook's formatted tables (pandas Styler HTML): caption, column headers, body rows."""
    tables = []
    for o in outputs:
        html = o.get("data", {}).get("text/html", "")
        if '<table id="T_' not in html:
            continue
        caption = re.search(r"<caption>(.*?)</caption>", html, re.S)
        header = re.findall(r'<th [^>]*class="col_heading[^"]*"[^>]*>(.*?)</th>', html, re.S)
        body = re.search(r"<tbody>(.*)</tbody>", html, re.S)
        rows = [
            [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.group(1) if body else "", re.S)
        ]
        tables.append((caption.group(1).strip() if caption else "", header, rows))
    return tables


def _check_exploratory_outputs(outputs: list[Any]) -> None:
    """What an analyst reads in the exploratory notebook: no widgets (a saved notebook cannot show a
    dead progress bar), every number formatted (1,234.56), amounts named with their currency, each
    ranking within one currency, and the audit log to the second, in time order."""
    assert not [o for o in outputs if WIDGET in o.get("data", {})]
    tables = _styled_tables(outputs)
    captions = [caption for caption, _, _ in tables]
    assert any(c.startswith("Line items by unit") for c in captions), captions
    for caption, header, rows in tables:
        if caption == "Audit log":
            continue  # text, not amounts: checked below
        cells = [cell for row in rows for cell in row if cell]
        assert cells and all(FORMATTED.fullmatch(cell) for cell in cells), (caption, cells)
        assert any(CURRENCY_COLUMN.search(h) for h in header), (caption, header)
        if caption.startswith("Line items by unit"):
            (currency,) = {m for h in header for m in CURRENCY_COLUMN.findall(h)}  # one currency
            assert caption.endswith(currency.strip("()"))
            amounts = [float(row[-1].replace(",", "")) for row in rows]
            assert amounts == sorted(amounts, reverse=True), (caption, amounts)
    audit = [(header, rows) for caption, header, rows in tables if caption == "Audit log"]
    if audit:  # the sandbox applies the plan; a real account stops at it
        ((header, rows),) = audit
        _check_audit_log(_audit_html(outputs), header, rows)


def _audit_html(outputs: list[Any]) -> str:
    (html,) = [
        h for o in outputs if "<caption>Audit log</caption>" in (h := o.get("data", {}).get("text/html", ""))
    ]
    return str(html)


def _check_audit_log(html: str, header: list[str], rows: list[list[str]]) -> None:
    """The audit log as read at 1024 px: number before the (shortened) id, times to the second, rows
    in time then number order, no index column, and times, numbers and ids that never break."""
    assert header == ["time", "number", "field", "before", "after", "outcome", "detail", "id"], header
    assert rows and "row_heading" not in html and "blank level0" not in html  # the index is hidden
    times = [row[0] for row in rows]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", t) for t in times), times
    keys = [(row[0], row[1]) for row in rows]
    assert keys == sorted(keys), keys
    assert all(len(row[-1]) <= 10 for row in rows), [row[-1] for row in rows]
    for column in (0, 1, 7):  # time, number, id
        assert re.search(rf"td\.col{column} \{{\s*white-space: nowrap;", html), column


def test_exploratory_audit_log_reads_the_same_on_every_run() -> None:
    """Rows of the same second came out in a different order run to run, with a 0/1/2 index and ids
    that broke over lines; and the detail is server text, so it must stay text."""
    import pandas as pd

    helpers: dict[str, Any] = {}
    (source,) = [c for c in _code_cells() if "def readable_log" in c]
    exec(compile(source.rsplit("\n\n\n", 1)[0], "exploratory.ipynb:audit", "exec"), helpers)
    t = pd.Timestamp("2026-03-02 10:15:07.250", tz="UTC")
    rows = [  # same second, written in the order the workers happened to finish
        (t + pd.Timedelta(milliseconds=600), "N5sZh6Ninsv4iBrZRpdVYo", "INV-2026-0028", "status", "Draft", "Open", "applied", ""),
        (t, "QXuB7TptvLv8WknnGwsPr6", "INV-2026-0031", "status", "Draft", "Open", "failed", "<img src=x onerror=alert(1)>"),
        (t + pd.Timedelta(milliseconds=300), "Bc6msGMrx8UHyXxwidi6tN", "INV-2026-0003", "status", "Draft", None, "applied", ""),
    ]  # fmt: skip
    columns = ["time", "invoice_id", "invoice_number", "field", "before", "after", "outcome", "detail"]
    html = helpers["readable_log"](pd.DataFrame(rows, columns=columns)).to_html()
    ((caption, header, body),) = _styled_tables([{"data": {"text/html": html}}])
    assert caption == "Audit log"
    _check_audit_log(html, header, body)
    assert [row[1] for row in body] == ["INV-2026-0003", "INV-2026-0028", "INV-2026-0031"]
    assert body[0][-1] == "Bc6msGMrx…" and body[0][4] == "—"
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    again = helpers["readable_log"](pd.DataFrame(rows[::-1], columns=columns)).to_html()
    assert _styled_tables([{"data": {"text/html": again}}])[0][2] == body  # whatever order they came in


def _code_cells() -> list[str]:
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "exploratory.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]
