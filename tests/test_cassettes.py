"""No cassette holds a secret."""

from __future__ import annotations

import re

from .helpers import ROOT

CASSETTES = sorted((ROOT / "cassettes").rglob("*.yaml"))
SECRET = re.compile(
    r"Bearer (?!\[REDACTED\])\S+|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}|sandbox-[A-Za-z0-9_-]{16,}"
)


def test_there_are_cassettes() -> None:
    assert len(CASSETTES) >= 4, "the recorded tests' cassettes are missing: run `make record`"


def test_no_cassette_holds_a_token() -> None:
    leaks = {p.name: SECRET.findall(p.read_text()) for p in CASSETTES}
    assert {k: v for k, v in leaks.items() if v} == {}
    assert all("Bearer [REDACTED]" in p.read_text() for p in CASSETTES)


def test_the_scan_would_catch_a_leak() -> None:
    assert SECRET.search("Authorization:\n- Bearer sandbox-abcdefghijklmnopqrstu")
    assert SECRET.search("token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig")
    assert not SECRET.search("- Bearer [REDACTED]")
