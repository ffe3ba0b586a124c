"""Snapshots: invoices frozen to a file, so that an analysis re-runs on the same data, offline.

A snapshot is JSON Lines: one wire document (what the API sent, ``to_dict()`` of a parsed invoice)
per line, gzip-compressed when the file name ends in ``.gz``. Writes are atomic: the file is written
under a temporary name in the same directory and renamed over the target only once complete, so a
failure (a full disk, an interrupted cell) leaves the previous snapshot as it was.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson

from . import errors
from .invoices import InvoiceBuilder, InvoiceList, gc_paused

__all__ = ["load_invoices", "save_snapshot"]

_GZIP_MAGIC = b"\x1f\x8b"


def save_snapshot(path: str | Path, documents: Iterable[Any]) -> Path:
    """Write ``documents`` (wire dicts) to ``path`` as JSON Lines, gzip when it ends in ``.gz``,
    atomically; returns the path written."""
    target = Path(path)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            if target.name.endswith(".gz"):
                with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as zipped:
                    _write_lines(zipped.write, documents)
            else:
                _write_lines(raw.write, documents)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


def _write_lines(write: Callable[[bytes], object], documents: Iterable[Any]) -> None:
    for doc in documents:
        write(orjson.dumps(doc))
        write(b"\n")


def load_invoices(path: str | Path) -> InvoiceList:
    """Read a snapshot written by ``save`` back into an :class:`~wingspan_nb.invoices.InvoiceList`:
    offline, no client needed. Plain or gzip (recognised by its content). A line that is not JSON, or
    not an invoice, lands in ``.failures`` with its position, like a bad item of a list reply."""
    source = Path(path)
    with open(source, "rb") as head:
        compressed = head.read(2) == _GZIP_MAGIC
    builder = InvoiceBuilder()
    opened = gzip.open(source, "rb") if compressed else open(source, "rb")
    with opened, gc_paused():
        for line in opened:
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError as e:
                text = line.decode("utf-8", "replace").rstrip("\n")
                builder.fail(
                    text,
                    errors.InvalidDocumentError(
                        f"$[{builder.count}]",
                        f"is not valid JSON ({e}); the line of {source.name} is kept on .document",
                        document=text,
                    ),
                )
            else:
                builder.add(item)
    return builder.result()
