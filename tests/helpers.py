"""Shared test helpers: the spec extract and fixtures kept under tests/ (written from ../shared/ by
tests/spec/extract.py), and a recorder of sleeps."""

from __future__ import annotations

import functools
import json
import threading
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


def interrupt_at_response(
    session: Any, n: int, *, method: str | None = None
) -> tuple[list[str], typing.Callable[..., None]]:
    """Make the ``n``-th reply (of ``method``, if given) raise ``KeyboardInterrupt`` inside whichever
    worker receives it, as a requests hook would; returns the invoice ids answered so far (filled as
    replies come) and the hook, to remove once done."""
    seen: list[str] = []
    lock = threading.Lock()

    def hook(response: Any, *args: Any, **kwargs: Any) -> None:
        if method is not None and response.request.method != method:
            return
        with lock:
            seen.append(response.request.url.rsplit("/", 1)[1])
            reached = len(seen) == n
        if reached:
            raise KeyboardInterrupt

    session.hooks["response"].append(hook)
    return seen, hook


def execute_notebook(sandbox: Any, monkeypatch: Any, cells: list[str]) -> Any:
    """Run ``cells`` in a fresh kernel (nbclient, as ``nbconvert --execute`` does) whose client
    reaches ``sandbox`` through the environment; the executed notebook, outputs and widget state kept."""
    import nbclient
    import nbformat

    monkeypatch.setenv("WINGSPAN_SERVER_URL", sandbox.url)  # the kernel inherits this environment
    monkeypatch.setenv("WINGSPAN_API_TOKEN", sandbox.token)
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]  # type: ignore[no-untyped-call]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb


def invoice_list(docs: list[Any]) -> Any:
    """An invoice list from wire documents, parsed as ``list()`` parses a reply."""
    import orjson

    from wingspan_nb.invoices import parse_invoice_array

    return parse_invoice_array(orjson.dumps(docs))
