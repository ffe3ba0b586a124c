"""Every snippet of the seed document runs with ``wingspan`` replaced by ``wingspan_nb``."""

from __future__ import annotations

import re
import warnings

import pytest

from wingspan_nb import EmptyUpdateWarning
from wingspan_nb.sandbox import SandboxServer, make_invoice

from .helpers import FIXTURES, TODAY

SEED = FIXTURES / "client_invoice_sdk_doc.md"  # copied from ../shared/seed by tests/spec/extract.py


def snippets() -> list[str]:
    code = re.findall(r"```python\n(.*?)```", SEED.read_text(), flags=re.S)
    return [re.sub(r"\bwingspan\b", "wingspan_nb", c) for c in code]


def test_the_seed_has_snippets() -> None:
    assert len(snippets()) == 2


@pytest.mark.parametrize("code", snippets(), ids=["get", "update"])
def test_seed_snippet_runs(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The snippets use id='<value>' and Wingspan() with no argument: serve an invoice with that id and
    # point the client at the sandbox through the environment.
    with SandboxServer(invoices=[make_invoice(1, invoice_id="<value>", today=TODAY)]) as sandbox:
        monkeypatch.setenv("WINGSPAN_API_TOKEN", sandbox.token)
        monkeypatch.setenv("WINGSPAN_SERVER_URL", sandbox.url)
        namespace: dict[str, object] = {}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            exec(compile(code, "<seed snippet>", "exec"), namespace)
        res = namespace["res"]
        assert res.client_invoice is not None  # type: ignore[attr-defined]
        assert res.client_invoice.invoice_id == "<value>"  # type: ignore[attr-defined]
        assert sandbox.requests[-1].path == "/payments/client/invoice/%3Cvalue%3E"
        if "update" in code:
            # The seed's update sends an empty request: {} goes out, and the analyst is told.
            assert sandbox.requests[-1].body == b"{}"
            assert any(issubclass(w.category, EmptyUpdateWarning) for w in caught)
