"""A local Wingspan API for demos and tests: ``SandboxServer``, and its demo invoices.

>>> with SandboxServer() as sandbox:
...     client = Wingspan(sandbox.token, server_url=sandbox.url)

``python -m wingspan_nb.sandbox`` runs one in the foreground.
"""

from ._demo import HOSTILE_TEXTS, demo_invoices, make_invoice
from ._server import Fault, RecordedRequest, SandboxServer, credit_fee_total

__all__ = [
    "HOSTILE_TEXTS",
    "Fault",
    "RecordedRequest",
    "SandboxServer",
    "credit_fee_total",
    "demo_invoices",
    "make_invoice",
]
