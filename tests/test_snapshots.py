"""Snapshots: ``save`` and ``load_invoices``, their provenance and checks, and ``list(snapshot=...)``."""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import random
import re
import stat
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest

import wingspan_nb
from wingspan_nb import Wingspan, _clock, errors
from wingspan_nb import _snapshots as snapshots
from wingspan_nb._invoices import InvoiceList, ListSource
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import SandboxServer, make_invoice

from .helpers import invoice_list

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
"""The injected clock's start: no test reads the wall clock."""


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The package's wall clock (snapshots, the list's read time), fixed at ``T0``; a test moves it
    by setting ``clock[0]``."""
    now = [T0]
    monkeypatch.setattr(_clock, "utc_now", lambda: now[0])
    return now


def _fixed(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Demo invoices with their dates (and the year in their numbers) pinned, so that a file of them
    has the same bytes on any day."""
    text = json.dumps(docs)
    text = re.sub(r'"\d{4}-\d{2}-\d{2}T[0-9:.]+Z"', '"2025-01-06T09:00:00.000Z"', text)
    text = re.sub(r'"INV-\d{4}-', '"INV-2025-', text)
    return list(json.loads(text))


def _docs(n: int) -> list[dict[str, Any]]:
    return _fixed([make_invoice(i) for i in range(1, n + 1)])


def _saved(tmp_path: Path, docs: list[Any], name: str = "account.jsonl.gz") -> Path:
    return invoice_list(docs).save(tmp_path / name)


def _text(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if path.name.endswith(".gz") else raw


def _meta(path: Path) -> dict[str, Any]:
    return dict(json.loads(snapshots.sidecar_path(path).read_bytes()))


def _assert_verified_prefix(partial: InvoiceList, docs: list[Any]) -> None:
    """``partial`` holds the first saved documents, each exactly as saved, and nothing else."""
    held = list(partial.documents())
    assert held == docs[: len(held)]


# -- the format: data file and provenance -----------------------------------------------------------


@pytest.mark.parametrize("name", ["invoices.jsonl", "invoices.jsonl.gz"])
def test_snapshot_round_trip(tmp_path: Path, name: str) -> None:
    docs = [make_invoice(1), {**make_invoice(2), "amount": None}, make_invoice(3)]
    invoices = invoice_list(json.loads(json.dumps(docs)))
    path = invoices.save(tmp_path / name)
    raw = path.read_bytes()
    assert raw.startswith(b"\x1f\x8b") == name.endswith(".gz")
    lines = _text(path).decode().splitlines()
    assert [json.loads(line) for line in lines] == docs  # the exact wire documents, in server order
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a snapshot with its provenance loads without a warning
        loaded = wingspan_nb.load_invoices(path)
    assert [inv.to_dict() for inv in loaded] == [inv.to_dict() for inv in invoices] == [docs[0], docs[2]]
    assert [(f.position, f.item) for f in loaded.failures] == [(1, docs[1])]
    assert loaded == invoices
    assert sorted(p.name for p in tmp_path.iterdir()) == [name, name + ".meta.json"]


@pytest.mark.parametrize("name", ["invoices.jsonl", "invoices.jsonl.gz"])
def test_the_provenance_says_when_from_where_what_and_its_checksum(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path, name: str
) -> None:
    account = client.client_invoice.list(progress=False).client_invoices
    assert account.source == ListSource(kind="server", server_url=sandbox.url, taken_at=T0)
    path = account.save(tmp_path / name)
    meta = _meta(path)
    text = _text(path)
    assert meta["taken_at"] == "2026-03-02T09:30:00.000000Z" and meta["server_url"] == sandbox.url
    assert meta["library_version"] == wingspan_nb.__version__ and meta["count"] == len(sandbox.ids())
    assert meta["sha256"] == hashlib.sha256(text).hexdigest() and meta["bytes"] == len(text)
    assert meta["compression"] == ("gzip" if name.endswith(".gz") else "none")
    assert sandbox.token not in snapshots.sidecar_path(path).read_text()
    info = snapshots.load_snapshot_info(path)
    assert info is not None and info.taken_at == T0 and info.server_url == sandbox.url
    assert info.count == len(account) and info.sha256 == meta["sha256"]
    loaded = wingspan_nb.load_invoices(path)
    assert loaded == account and loaded.source is not None
    assert (loaded.source.kind, loaded.source.server_url, loaded.source.taken_at) == (
        "snapshot",
        sandbox.url,
        T0,
    )


def test_saving_a_loaded_snapshot_keeps_when_and_where_it_was_taken(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path, clock: list[datetime]
) -> None:
    first = client.client_invoice.list(progress=False).client_invoices.save(tmp_path / "a.jsonl.gz")
    clock[0] = T0 + timedelta(days=3)
    again = wingspan_nb.load_invoices(first).save(tmp_path / "b.jsonl")
    meta = _meta(again)
    assert meta["taken_at"] == "2026-03-02T09:30:00.000000Z" and meta["server_url"] == sandbox.url
    assert meta["saved_at"] == "2026-03-05T09:30:00.000000Z"
    part = wingspan_nb.load_invoices(first)[:2].save(tmp_path / "c.jsonl")  # not the whole account
    assert _meta(part)["taken_at"] is None and _meta(part)["server_url"] is None


def test_duckdb_polars_and_pandas_read_the_data_file_as_it_is(tmp_path: Path) -> None:
    import duckdb
    import pandas as pd
    import polars as pl

    docs = _docs(5)
    for name in ("x.jsonl", "x.jsonl.gz"):
        path = _saved(tmp_path, docs, name)
        ids = [d["invoiceId"] for d in docs]
        assert pd.read_json(path, lines=True)["invoiceId"].tolist() == ids
        assert pl.read_ndjson(path)["invoiceId"].to_list() == ids
        rows = duckdb.sql(f"select invoiceId from read_json_auto('{path}')").fetchall()
        assert [r[0] for r in rows] == ids


def test_a_snapshot_without_provenance_loads_with_a_warning(tmp_path: Path) -> None:
    path = _saved(tmp_path, _docs(3), "old.jsonl.gz")
    snapshots.sidecar_path(path).unlink()  # as an older version saved it, or a file from elsewhere
    with pytest.warns(errors.SnapshotWarning, match=r"no provenance file.*unverified") as caught:
        loaded = wingspan_nb.load_invoices(path)
    assert isinstance(caught[0].message, errors.WingspanError)
    assert list(loaded.documents()) == _docs(3)
    assert loaded.source is not None and not loaded.source.verified and loaded.source.taken_at is None
    assert snapshots.load_snapshot_info(path) is None


def test_a_flipped_digit_in_a_plain_snapshot_is_refused(tmp_path: Path) -> None:
    docs = _docs(3)
    path = _saved(tmp_path, docs, "plain.jsonl")
    text = path.read_bytes()
    amount = f'"amount":{docs[1]["amount"]}'.encode()
    changed = amount[:-1] + (b"1" if amount[-1:] != b"1" else b"2")
    path.write_bytes(text.replace(amount, changed))
    with pytest.raises(errors.SnapshotError, match="not as saved") as caught:
        wingspan_nb.load_invoices(path)
    assert caught.value.partial == InvoiceList()  # the one block holds the change: nothing verified


def test_data_its_old_provenance_does_not_describe_is_refused(tmp_path: Path) -> None:
    """What a kill between the two renames of a save leaves: new data, the old sidecar."""
    path = _saved(tmp_path, _docs(3), "x.jsonl.gz")
    old_meta = snapshots.sidecar_path(path).read_bytes()
    _saved(tmp_path, _docs(4), "x.jsonl.gz")
    snapshots.sidecar_path(path).write_bytes(old_meta)
    with pytest.raises(errors.SnapshotError, match="not as saved"):
        wingspan_nb.load_invoices(path)


@pytest.mark.parametrize(
    "damage",
    [
        lambda m: b"not json",
        lambda m: json.dumps({**json.loads(m), "format": "wingspan_nb.snapshot/9"}).encode(),
        lambda m: json.dumps({**json.loads(m), "sha256": "12"}).encode(),
        lambda m: json.dumps({**json.loads(m), "block_sha256": []}).encode(),
        lambda m: json.dumps({**json.loads(m), "block_bytes": 2**40}).encode(),
        lambda m: json.dumps({**json.loads(m), "count": -1}).encode(),
        lambda m: json.dumps({**json.loads(m), "taken_at": "yesterday"}).encode(),
        lambda m: json.dumps({**json.loads(m), "saved_at": "0001-01-01T00:00:00+01:00"}).encode(),
        lambda m: json.dumps({**json.loads(m), "taken_at": "9999-12-31T23:59:59-01:00"}).encode(),
        lambda m: b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=[
        "not json",
        "format",
        "sha256",
        "blocks",
        "block size",
        "count",
        "taken_at",
        "year 1 overflows",
        "year 9999 overflows",
        "nested 100,000 deep",
    ],
)
def test_a_damaged_provenance_file_raises(tmp_path: Path, damage: Any) -> None:
    path = _saved(tmp_path, _docs(2), "x.jsonl.gz")
    meta = snapshots.sidecar_path(path)
    meta.write_bytes(damage(meta.read_bytes()))
    with pytest.raises(errors.SnapshotError, match=r"provenance file .* cannot be used") as caught:
        wingspan_nb.load_invoices(path)
    assert caught.value.partial == InvoiceList()


# -- damage: only what is verified comes back --------------------------------------------------------


@pytest.mark.parametrize("name", ["flips.jsonl.gz", "flips.jsonl"])
def test_every_bit_flip_raises_and_partial_holds_only_what_was_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(snapshots, "_BLOCK", 1024)  # many blocks, so that .partial has something to hold
    docs = _fixed([make_invoice(i, line_items=1) for i in range(1, 41)])
    path = _saved(tmp_path, docs, name)
    saved = path.read_bytes()
    rng = random.Random(16)
    harmless = range(3, 10)  # gzip's header: flags, mtime, extra flags, OS: they hold no data
    kept_some = 0
    flips = 200 if name.endswith(".gz") else 120  # a plain file has no compression to go wrong
    for bit in rng.sample(range(len(saved) * 8), flips):
        damaged = bytearray(saved)
        damaged[bit // 8] ^= 1 << (bit % 8)
        path.write_bytes(bytes(damaged))
        try:
            loaded = wingspan_nb.load_invoices(path)
        except errors.SnapshotError as e:
            _assert_verified_prefix(e.partial, docs)
            assert e.line == len(e.partial) + len(e.partial.failures) + 1
            kept_some += len(e.partial) > 0
        else:  # only a flip that changes no data may load, and then it loads exactly what was saved
            assert name.endswith(".gz") and bit // 8 in harmless, bit
            assert list(loaded.documents()) == docs
    assert kept_some > flips // 2  # the check is not passing by keeping nothing


def test_a_cut_off_gzip_snapshot_keeps_the_verified_lines_before_the_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshots, "_BLOCK", 4096)
    docs = _docs(60)
    path = _saved(tmp_path, docs)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(errors.SnapshotError, match="cut off") as info:
        wingspan_nb.load_invoices(path)
    e = info.value
    assert isinstance(e, errors.WingspanError) and isinstance(e, OSError) and e.file == str(path)
    assert 0 < len(e.partial) < len(docs) and e.partial.failures == []
    _assert_verified_prefix(e.partial, docs)
    assert f"past line {e.line:,}" in str(e) and e.line == len(e.partial) + 1 and ".partial" in str(e)


@pytest.mark.parametrize("damage", ["middle", "header", "trailer"])
def test_a_damaged_gzip_snapshot_raises_a_typed_error(tmp_path: Path, damage: str) -> None:
    docs = _docs(60)
    path = _saved(tmp_path, docs)
    data = bytearray(path.read_bytes())
    at = {"middle": len(data) // 2, "header": 2, "trailer": len(data) - 6}[damage]  # method, CRC
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(errors.SnapshotError, match="damaged") as info:
        wingspan_nb.load_invoices(path)
    _assert_verified_prefix(info.value.partial, docs)


def test_a_damaged_gzip_without_provenance_keeps_nothing(tmp_path: Path) -> None:
    """Without a checksum of its own, nothing read before gzip's CRC fails can be trusted."""
    path = _saved(tmp_path, _docs(60))
    snapshots.sidecar_path(path).unlink()
    data = bytearray(path.read_bytes())
    data[len(data) - 6] ^= 0xFF  # the CRC: every line decompresses, none is verified
    path.write_bytes(bytes(data))
    with pytest.warns(errors.SnapshotWarning), pytest.raises(errors.SnapshotError, match="damaged") as info:
        wingspan_nb.load_invoices(path)
    assert info.value.partial == InvoiceList() and ".partial is empty" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"\x1f"])
@pytest.mark.parametrize("provenance", [True, False])
def test_a_gz_snapshot_of_0_or_1_byte_is_not_an_empty_account(
    tmp_path: Path, content: bytes, provenance: bool
) -> None:
    path = _saved(tmp_path, [], "empty.jsonl.gz")
    assert wingspan_nb.load_invoices(path) == InvoiceList()  # a saved empty account loads as one
    if not provenance:
        snapshots.sidecar_path(path).unlink()
    path.write_bytes(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", errors.SnapshotWarning)
        with pytest.raises(errors.SnapshotError, match="too short to be gzip"):
            wingspan_nb.load_invoices(path)


def test_a_line_longer_than_max_response_bytes_is_refused(tmp_path: Path) -> None:
    docs = _docs(3)
    path = _saved(tmp_path, docs, "x.jsonl")
    longest = max(len(line) for line in path.read_bytes().split(b"\n"))
    assert len(wingspan_nb.load_invoices(path, max_response_bytes=longest)) == 3
    with pytest.raises(errors.SnapshotError, match="longer than") as caught:
        wingspan_nb.load_invoices(path, max_response_bytes=longest - 1)
    _assert_verified_prefix(caught.value.partial, docs)
    with pytest.raises(errors.InvalidRequestError, match="max_response_bytes"):
        wingspan_nb.load_invoices(path, max_response_bytes=0)


@pytest.mark.parametrize("piece", [1, 7, 1 << 20])
def test_lines_split_across_any_chunks_come_out_whole(tmp_path: Path, piece: int) -> None:
    from wingspan_nb._invoices import InvoiceBuilder

    docs = _docs(4)
    text = b"".join(orjson.dumps(d) + b"\n" for d in docs)
    lines = snapshots._Lines(InvoiceBuilder(), tmp_path / "x.jsonl", 1 << 30)
    for at in range(0, len(text), piece):
        lines.feed(text[at : at + piece])
    lines.end()
    assert [inv.to_dict() for inv in lines.builder.invoices] == docs and lines.count == 4


# -- lines that are not invoices ---------------------------------------------------------------------


def test_a_snapshot_line_that_is_not_json_is_kept_as_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_text(json.dumps(make_invoice(1)) + "\n" + '{"invoiceId": "x", "amou\n')
    with pytest.warns(errors.SnapshotWarning):
        loaded = wingspan_nb.load_invoices(path)
    assert len(loaded) == 1 and loaded.failures[0].position == 1
    assert loaded.failures[0].item == b'{"invoiceId": "x", "amou' and "not valid JSON" in str(
        loaded.failures[0].error
    )
    assert loaded.failures[0].error.document == '{"invoiceId": "x", "amou'


@pytest.mark.parametrize("name", ["bad.jsonl", "bad.jsonl.gz"])
def test_a_line_that_is_not_json_survives_a_round_trip_byte_for_byte(tmp_path: Path, name: str) -> None:
    bad = [b'{broken \xff\xfe "\\u00e9" \xe9t\xe9', b"not json at all\r", b'{"amount": 1e999}']
    good = [orjson.dumps(ClientInvoice.from_dict(make_invoice(n)).to_dict()) for n in (1, 2)]
    text = b"\n".join([good[0], bad[0], bad[1], good[1], bad[2]]) + b"\n"
    source = tmp_path / "source.jsonl"
    source.write_bytes(text)
    with pytest.warns(errors.SnapshotWarning):
        loaded = wingspan_nb.load_invoices(source)
    assert [f.item for f in loaded.failures] == bad and [f.position for f in loaded.failures] == [1, 2, 4]
    saved = loaded.save(tmp_path / name)
    assert _text(saved) == text  # every line as it was
    again = wingspan_nb.load_invoices(saved)
    assert again == loaded and [f.item for f in again.failures] == bad


def test_a_raw_line_with_a_line_break_is_refused(tmp_path: Path) -> None:
    from wingspan_nb._snapshots import save_snapshot

    with pytest.raises(errors.InvalidRequestError, match="line break"):
        save_snapshot(tmp_path / "x.jsonl", [b"one\ntwo"])
    assert list(tmp_path.iterdir()) == []


def test_a_utf8_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + orjson.dumps(make_invoice(1)) + b"\n")
    with pytest.warns(errors.SnapshotWarning):
        loaded = wingspan_nb.load_invoices(path)
    assert len(loaded) == 1 and loaded.failures == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("name", ["wide.jsonl", "wide.jsonl.gz"])
def test_a_utf16_snapshot_says_what_encoding_to_use(tmp_path: Path, encoding: str, name: str) -> None:
    text = (json.dumps(make_invoice(1)) + "\n").encode(encoding)
    path = tmp_path / name
    path.write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
    with (
        pytest.warns(errors.SnapshotWarning),
        pytest.raises(errors.SnapshotError, match=r"UTF-16 or UTF-32.*UTF-8") as info,
    ):
        wingspan_nb.load_invoices(path)
    assert info.value.line == 1 and len(info.value.partial) == 0


# -- writing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_snapshot_gets_the_permissions_of_a_new_file(tmp_path: Path, umask: int, mode: int) -> None:
    before = os.umask(umask)
    try:
        path = invoice_list([make_invoice(1)]).save(tmp_path / "invoices.jsonl")
    finally:
        os.umask(before)
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_snapshot_saved_over_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "invoices.jsonl"
    path.write_text("")
    path.chmod(0o640)
    invoice_list([make_invoice(1)]).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and len(wingspan_nb.load_invoices(path)) == 1


def test_saving_to_a_symlink_writes_its_target(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "invoices-2026.jsonl.gz"
    target.write_bytes(b"")
    link = tmp_path / "latest.jsonl.gz"
    link.symlink_to(target)
    assert invoice_list([make_invoice(1)]).save(link) == link
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert wingspan_nb.load_invoices(target).ids == [make_invoice(1)["invoiceId"]]
    assert wingspan_nb.load_invoices(link).ids == [make_invoice(1)["invoiceId"]]  # the same sidecar
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name, target.name + ".meta.json"]


def test_a_symlink_loop_is_a_snapshot_error(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(errors.SnapshotError, match=r"loop.*nothing was written") as saving:
        invoice_list([make_invoice(1)]).save(a)
    assert isinstance(saving.value, OSError)
    with pytest.raises(errors.SnapshotError, match="loop"):
        wingspan_nb.load_invoices(a)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl.gz", "b.jsonl.gz"]


@pytest.mark.parametrize(
    ("call", "code", "advice"),
    [
        ("write", errno.ENOSPC, "the disk is full"),
        ("fsync", errno.ENOSPC, "the disk is full"),
        ("write", errno.EFBIG, "larger than this file system allows"),
        ("write", errno.EDQUOT, "quota"),
    ],
)
def test_a_full_disk_is_a_snapshot_error_and_leaves_the_old_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str, code: int, advice: str
) -> None:
    path = _saved(tmp_path, _docs(2), "invoices.jsonl.gz")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def fail(*args: Any) -> Any:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, call, fail)
    with pytest.raises(errors.SnapshotError, match=advice) as caught:
        invoice_list(_docs(3)).save(path)
    monkeypatch.undo()
    e = caught.value
    assert isinstance(e, OSError) and e.__context__ is None and e.__cause__ is None
    assert "previous snapshot" in str(e) and ".tmp" not in str(e)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temporary file left


def test_a_255_character_name_saves_and_loads(tmp_path: Path) -> None:
    name = "q" * 246 + ".jsonl.gz"
    assert len(name) == 255
    path = _saved(tmp_path, _docs(2), name)
    assert list(wingspan_nb.load_invoices(path).documents()) == _docs(2)
    meta = snapshots.sidecar_path(path)
    assert meta.exists() and len(meta.name) <= 255 and meta.name.endswith(".meta.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, meta.name])
    other = _saved(tmp_path, _docs(1), "q" * 246 + ".jsonl.GZ")  # the same start: its own sidecar
    assert snapshots.sidecar_path(other) != meta and len(wingspan_nb.load_invoices(path)) == 2


def test_leftovers_of_a_killed_save_are_removed_once_a_minute_old(tmp_path: Path) -> None:
    path = tmp_path / "invoices.jsonl.gz"
    old = tmp_path / ".invoices.jsonl.gz.0123456789ab.tmp"
    old_meta = tmp_path / ".invoices.jsonl.gz.meta.json.0123456789ab.tmp"
    fresh = tmp_path / ".invoices.jsonl.gz.ba9876543210.tmp"  # maybe another save, still running
    others = [
        tmp_path / ".invoices.jsonl.gz.notours.tmp",
        tmp_path / ".other.jsonl.gz.0123456789ab.tmp",
        tmp_path / "invoices.jsonl.gz.0123456789ab.tmp",
    ]
    for p in (old, old_meta, fresh, *others):
        p.write_bytes(b"x" * 10)
    for p in (old, old_meta, *others):
        os.utime(p, (T0.timestamp() - 3600, T0.timestamp() - 3600))
    os.utime(fresh, (T0.timestamp() - 10, T0.timestamp() - 10))
    invoice_list(_docs(1)).save(path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert old.name not in left and old_meta.name not in left
    assert {fresh.name, *(p.name for p in others)} <= set(left)


def test_get_many_results_save_too(client: Wingspan, sandbox: SandboxServer, tmp_path: Path) -> None:
    ids = sandbox.ids()[:3]
    batch = client.client_invoice.get_many([*ids, "missing"], progress=False)
    loaded = wingspan_nb.load_invoices(batch.save(tmp_path / "batch.jsonl.gz"))
    assert loaded.ids == ids and [inv.to_dict() for inv in loaded] == [sandbox.invoice(i) for i in ids]


def test_load_invoices_is_public_and_lazy() -> None:
    assert "load_invoices" in wingspan_nb.__all__
    from wingspan_nb._snapshots import load_invoices

    assert wingspan_nb.load_invoices is load_invoices


@pytest.mark.parametrize("path", [None, b"invoices.jsonl", 123, ""])
def test_a_snapshot_path_that_is_not_a_file_name_is_refused(path: Any) -> None:
    with pytest.raises(errors.InvalidRequestError, match="needs a file name") as saving:
        invoice_list([make_invoice(1)]).save(path)
    assert "save" in str(saving.value)
    with pytest.raises(errors.InvalidRequestError, match="load_invoices needs a file name"):
        wingspan_nb.load_invoices(path)


def test_saving_to_a_folder_or_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    invoices = invoice_list([make_invoice(1)])
    with pytest.raises(errors.InvalidRequestError, match="is a folder; nothing was written"):
        invoices.save(tmp_path)
    missing = tmp_path / "no-such-folder" / "invoices.jsonl"
    with pytest.raises(errors.InvalidRequestError, match="cannot be written") as caught:
        invoices.save(missing)
    assert repr(str(missing)) in str(caught.value) and ".tmp" not in str(caught.value)
    assert caught.value.__context__ is None and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing.jsonl", "."])
def test_loading_a_missing_file_or_a_folder_is_a_snapshot_error(tmp_path: Path, where: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning about a provenance file of a file that is not there
        with pytest.raises(errors.SnapshotError, match="cannot be read") as caught:
            wingspan_nb.load_invoices(tmp_path / where)
    assert caught.value.partial == InvoiceList() and caught.value.__context__ is None


# -- list(snapshot=..., max_age=...) ------------------------------------------------------------------


def _list(client: Wingspan, path: Path, max_age: Any = "1h") -> Any:
    return client.client_invoice.list(snapshot=path, max_age=max_age, progress=False)


def _gets(sandbox: SandboxServer) -> int:
    return sum(1 for r in sandbox.requests if r.method == "GET")


def _reads(sandbox: SandboxServer) -> list[str]:
    """The paths of the single invoices read (the check that a snapshot may be used)."""
    return [
        r.path
        for r in sandbox.requests
        if r.method == "GET" and r.path.startswith("/payments/client/invoice/")
    ]


def test_a_fresh_snapshot_stands_in_for_the_download(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path, clock: list[datetime]
) -> None:
    from wingspan_nb.display import repr_html

    path = tmp_path / "invoices.jsonl.gz"
    first = _list(client, path)
    assert first.source.kind == "server" and _gets(sandbox) == 1 and path.exists()
    card = repr_html(first) or ""
    assert re.search(r"downloaded \d{4}-\d\d-\d\d \d\d:\d\d UTC", card) and "downloaded now" not in card
    clock[0] = T0 + timedelta(minutes=12)
    second = _list(client, path)
    assert _reads(sandbox) == [f"/payments/client/invoice/{first.client_invoices.ids[0]}"]  # the check
    assert _gets(sandbox) == 2  # and nothing downloaded
    assert second.source.kind == "snapshot" and second.source.age == timedelta(minutes=12)
    assert second.client_invoices == first.client_invoices and second.status_code == 200
    assert "from snapshot, 12 min old" in repr_html(second) and "from snapshot, 12 min old" in repr_html(
        second.client_invoices
    )
    clock[0] = T0 + timedelta(minutes=61)
    third = _list(client, path)
    assert third.source.kind == "server" and _gets(sandbox) == 3 and len(_reads(sandbox)) == 1
    assert _meta(path)["taken_at"] == "2026-03-02T10:31:00.000000Z"  # saved again, with the new time


def test_the_age_is_the_one_written_inside_not_the_files(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path, clock: list[datetime]
) -> None:
    path = tmp_path / "invoices.jsonl"
    _list(client, path)
    os.utime(path, (0, 0))  # an old mtime changes nothing
    clock[0] = T0 + timedelta(minutes=5)
    assert _list(client, path).source.kind == "snapshot"
    clock[0] = T0 + timedelta(days=2)
    os.utime(path, (clock[0].timestamp(), clock[0].timestamp()))  # neither does a fresh one
    assert _list(client, path, max_age="2d").source.kind == "server"


@pytest.mark.parametrize(
    ("max_age", "fresh_at", "stale_at"),
    [
        (timedelta(minutes=30), timedelta(minutes=29), timedelta(minutes=30)),
        ("30m", timedelta(minutes=29), timedelta(minutes=31)),
        ("2d", timedelta(hours=47), timedelta(hours=49)),
        ("90s", timedelta(seconds=80), timedelta(seconds=100)),
    ],
)
def test_max_age_takes_a_timedelta_or_a_short_string(
    client: Wingspan,
    sandbox: SandboxServer,
    tmp_path: Path,
    clock: list[datetime],
    max_age: Any,
    fresh_at: timedelta,
    stale_at: timedelta,
) -> None:
    path = tmp_path / "invoices.jsonl.gz"
    _list(client, path, max_age)
    clock[0] = T0 + fresh_at
    assert _list(client, path, max_age).source.kind == "snapshot"
    clock[0] = T0 + stale_at
    assert _list(client, path, max_age).source.kind == "server"


@pytest.mark.parametrize(
    ("snapshot", "max_age", "problem"),
    [
        ("x.jsonl", "an hour", "max_age must be"),
        ("x.jsonl", 3600, "max_age must be"),
        ("x.jsonl", "-1h", "max_age must be"),
        ("x.jsonl", timedelta(hours=-1), "must not be negative"),
        ("x.jsonl", None, "needs both"),
        (None, "1h", "needs both"),
    ],
)
def test_bad_snapshot_arguments_are_refused_before_any_request(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path, snapshot: Any, max_age: Any, problem: str
) -> None:
    with pytest.raises(errors.InvalidRequestError, match=problem):
        client.client_invoice.list(
            snapshot=tmp_path / snapshot if snapshot else None, max_age=max_age, progress=False
        )
    assert sandbox.requests == [] and list(tmp_path.iterdir()) == []


def test_a_snapshot_of_another_server_is_not_used(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path
) -> None:
    path = tmp_path / "invoices.jsonl.gz"
    elsewhere = ListSource(kind="server", server_url="https://api.wingspan.app", taken_at=T0)
    InvoiceList(invoice_list(_docs(2)), source=elsewhere).save(path)
    res = _list(client, path)
    assert (
        res.source.kind == "server" and _gets(sandbox) == 1 and len(res.client_invoices) == len(sandbox.ids())
    )
    assert _meta(path)["server_url"] == sandbox.url


def test_a_snapshot_is_not_served_to_a_client_whose_token_the_server_refuses(
    sandbox: SandboxServer, tmp_path: Path, clock: list[datetime]
) -> None:
    path = tmp_path / "shared.jsonl.gz"
    with Wingspan(sandbox.token, server_url=sandbox.url) as owner:
        saved = _list(owner, path).client_invoices
    sidecar = snapshots.sidecar_path(path).read_text()
    assert sandbox.token not in sidecar and hashlib.sha256(sandbox.token.encode()).hexdigest() not in sidecar
    clock[0] = T0 + timedelta(minutes=5)
    with Wingspan("someone-elses-token-0000", server_url=sandbox.url, max_retries=0) as other:
        with (
            pytest.warns(
                errors.SnapshotWarning, match=r"may not read it.*refused \(401\).*Downloading instead"
            ),
            pytest.raises(errors.AuthenticationError),  # the list itself, as without a snapshot
        ):
            _list(other, path)
    assert _reads(sandbox) == [f"/payments/client/invoice/{saved.ids[0]}"] and _gets(sandbox) == 3


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (404, r"may not read it.*refused \(404\)"),
        (403, r"may not read it.*refused \(403\)"),
        (503, r"could not check that it may read it"),
    ],
)
def test_a_snapshot_whose_first_invoice_cannot_be_read_is_downloaded_anew(
    sandbox: SandboxServer, tmp_path: Path, clock: list[datetime], status: int, says: str
) -> None:
    # 404: another account on the same API (its invoices are not this one's); 403: not allowed.
    path = tmp_path / "invoices.jsonl"
    with Wingspan(sandbox.token, server_url=sandbox.url, max_retries=0) as c:
        _list(c, path)
        clock[0] = T0 + timedelta(minutes=5)
        sandbox.fail_next(status=status)
        with pytest.warns(errors.SnapshotWarning, match=says + r".*Downloading instead\.$"):
            res = _list(c, path)
    assert res.source.kind == "server" and len(_reads(sandbox)) == 1 and _gets(sandbox) == 3
    assert _meta(path)["taken_at"] == "2026-03-02T09:35:00.000000Z"  # saved anew


def test_an_empty_snapshot_proves_nothing_and_is_downloaded_anew(
    tmp_path: Path, clock: list[datetime]
) -> None:
    path = tmp_path / "empty.jsonl.gz"
    with SandboxServer(invoices=[]) as empty, Wingspan(empty.token, server_url=empty.url) as c:
        _list(c, path)
        clock[0] = T0 + timedelta(minutes=5)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # silently: an empty account lists as fast
            res = _list(c, path)
        assert res.source.kind == "server" and _gets(empty) == 2 and _reads(empty) == []


@pytest.mark.parametrize("harm", ["damaged data", "damaged provenance", "time overflows", "nested deep"])
def test_an_unverified_or_damaged_snapshot_is_not_used_silently(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path, harm: str
) -> None:
    path = tmp_path / "invoices.jsonl"
    _list(client, path)
    if harm == "damaged data":
        path.write_bytes(path.read_bytes().replace(b'"amount":', b'"amount":9', 1))
    elif harm == "damaged provenance":
        snapshots.sidecar_path(path).write_text("{")
    elif harm == "time overflows":
        snapshots.sidecar_path(path).write_text(
            json.dumps({**_meta(path), "saved_at": "0001-01-01T00:00:00+01:00"})
        )
    else:
        snapshots.sidecar_path(path).write_text("[" * 100_000 + "]" * 100_000)
    with pytest.warns(errors.SnapshotWarning, match=r"not used.*Downloading instead") as caught:
        res = _list(client, path)
    [message] = [str(w.message) for w in caught if issubclass(w.category, errors.SnapshotWarning)]
    assert re.search(r"[.!?] Downloading instead\.$", message)  # two sentences, not run together
    assert res.source.kind == "server" and _gets(sandbox) == 2
    assert wingspan_nb.load_invoices(path) == res.client_invoices  # saved anew, verified


@pytest.mark.parametrize(
    "name", ["quarterly_report.csv", "analysis.ipynb", "invoices.json", "x.jsonl.bak", "x.gz"]
)
def test_a_snapshot_name_that_is_not_json_lines_is_refused_before_anything(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text("client,amount\nAcme,100\n")
    with pytest.raises(errors.InvalidRequestError, match=r"must end in \.jsonl or \.jsonl\.gz"):
        _list(client, path)
    assert sandbox.requests == [] and path.read_text() == "client,amount\nAcme,100\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("origin", ["another file", "an older snapshot"])
def test_a_file_without_provenance_is_never_overwritten(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path, origin: str
) -> None:
    path = tmp_path / "invoices.jsonl"
    if origin == "another file":
        path.write_bytes(b"notes I keep here\n")
    else:
        _saved(tmp_path, _docs(2), path.name)
        snapshots.sidecar_path(path).unlink()
    before = path.read_bytes()
    with pytest.warns(errors.SnapshotWarning, match=r"left as it is.*without saving") as caught:
        res = _list(client, path)
    assert len(caught) == 1
    assert res.source.kind == "server" and len(res.client_invoices) == len(sandbox.ids())  # downloaded
    assert path.read_bytes() == before and not snapshots.sidecar_path(path).exists()


def test_a_failed_save_keeps_the_download_and_warns(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.warns(errors.SnapshotWarning, match=r"downloaded but not saved.*disk is full"):
        res = _list(client, tmp_path / "invoices.jsonl.gz")
    assert len(res.client_invoices) == len(sandbox.ids()) and list(tmp_path.iterdir()) == []


def test_a_plan_reads_the_server_even_when_the_list_came_from_a_snapshot(
    client: Wingspan, sandbox: SandboxServer, tmp_path: Path
) -> None:
    from wingspan_nb.models import ClientInvoiceUpdateRequest, InvoiceStatus

    path = tmp_path / "invoices.jsonl.gz"
    _list(client, path)
    open_id = next(i for i in sandbox.ids() if sandbox.invoice(i)["status"] == "Open")
    sandbox.put({**sandbox.invoice(open_id), "status": "Paid"})  # changed since the snapshot
    stale = _list(client, path)
    assert (
        stale.source.kind == "snapshot"
        and stale.client_invoices[stale.client_invoices.ids.index(open_id)].status == "Open"
    )
    before = _gets(sandbox)
    plan = client.client_invoice.update_many(
        [open_id], ClientInvoiceUpdateRequest(status=InvoiceStatus.CANCELLED), progress=False
    )
    assert _gets(sandbox) == before + 1  # the plan read the invoice from the server
    [row] = plan.rows
    assert row.invoice is not None and row.invoice.status == "Paid"


def test_a_max_age_too_long_for_a_date_is_a_typed_error() -> None:
    from wingspan_nb._snapshots import parse_max_age

    with pytest.raises(errors.InvalidRequestError, match="longer than any date"):
        parse_max_age("99999999999w")
    assert parse_max_age("2w").days == 14
