"""Snapshots: invoices frozen to a file, so that an analysis re-runs on the same data, offline.

A snapshot is JSON Lines: one wire document (what the API sent, ``to_dict()`` of a parsed invoice)
per line, UTF-8, gzip-compressed when the file name ends in ``.gz``. A line that was not valid JSON
when read is written back as the same bytes. Writes are atomic: the file is written under a
temporary name in the same directory and renamed over the target only once complete, so a failure
(a full disk, an interrupted cell) leaves the previous snapshot as it was. The new file gets the
permissions any new file gets (the umask), and a symlink is written through to its target.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import secrets
import stat
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import errors, wire_json
from .invoices import InvoiceBuilder, InvoiceList, gc_paused

__all__ = ["load_invoices", "save_snapshot"]

_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_READ = 1 << 20
"""Bytes read (after decompression) at a time."""


def save_snapshot(path: str | Path, documents: Iterable[Any]) -> Path:
    """Write ``documents`` (wire dicts) to ``path`` as JSON Lines, gzip when it ends in ``.gz``,
    atomically; returns the path written.

    A document that is ``bytes`` is a line that was not valid JSON when a snapshot was read (see
    :func:`load_invoices`): it is written back as it was. A ``path`` that is not a file name, a
    folder, or a file that cannot be created raises :class:`~wingspan_nb.errors.InvalidRequestError`
    before anything is written.
    """
    given, target, fd, temp = new_file_for(path, "save", "invoices.jsonl.gz")
    try:
        with os.fdopen(fd, "wb") as raw:
            if given.name.endswith(".gz"):
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
    return given


def new_file_for(path: object, what: str, example: str) -> tuple[Path, Path, int, Path]:
    """Where an atomic write of ``path`` goes: the path as given, the file it names (a symlink's
    target: writes go through the link, as any editor's do), and a new temporary file beside it, open
    for writing (its descriptor and path), to be renamed over the target once complete. A ``path``
    that is not a file name, a folder, or a file that cannot be created raises
    :class:`~wingspan_nb.errors.InvalidRequestError` naming ``what`` (the call) and ``example`` (a
    file name to suggest) before anything is written."""
    given = _path_of(path, what)
    target = given.resolve() if given.is_symlink() else given
    if target.is_dir():
        raise errors.InvalidRequestError(
            f"{str(given)!r} is a folder; nothing was written. Write to a file in it, e.g. "
            f"{str(given / example)!r}."
        )
    try:
        fd, temp = _new_file_beside(target)
    except OSError as e:
        problem: str | None = e.strerror or type(e).__name__
    else:
        problem = None
    if problem is not None:  # raised here, so that the message does not name the temporary file
        raise errors.InvalidRequestError(
            f"{str(given)!r} cannot be written ({problem} in the folder {str(target.parent)!r}); "
            "nothing was written. Check that the folder exists and is writable, or write elsewhere."
        )
    return given, target, fd, temp


def _path_of(path: object, what: str) -> Path:
    """The snapshot file ``path`` names; anything but a ``str`` or ``os.PathLike`` of one raises
    :class:`~wingspan_nb.errors.InvalidRequestError` (``what`` names the call)."""
    name = os.fspath(path) if isinstance(path, os.PathLike) else path
    if not isinstance(name, str) or not name:
        raise errors.InvalidRequestError(
            f"{what} needs a file name (a str or pathlib.Path), got {type(path).__name__} "
            f"{errors.short_id(repr(path))}; e.g. 'invoices.jsonl.gz'."
        )
    return Path(name)


def _new_file_beside(target: Path) -> tuple[int, Path]:
    """A new, empty file in ``target``'s directory, open for writing, with the permissions a new file
    gets (the umask applies, unlike ``mkstemp``'s 0600), or ``target``'s own when it exists."""
    while True:
        temp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:  # another save's temporary name: draw again
            continue
        try:
            if target.exists():
                os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
        except BaseException:
            os.close(fd)
            temp.unlink(missing_ok=True)
            raise
        return fd, temp


def _write_lines(write: Callable[[bytes], object], documents: Iterable[Any]) -> None:
    for doc in documents:
        if isinstance(doc, bytes):
            if b"\n" in doc:
                raise errors.InvalidRequestError(
                    "a raw snapshot line (bytes) cannot hold a line break; it would become two lines"
                )
            write(doc)
        else:
            write(wire_json.dumps(doc))
        write(b"\n")


def load_invoices(path: str | Path) -> InvoiceList:
    """Read a snapshot written by ``save`` back into an :class:`~wingspan_nb.invoices.InvoiceList`:
    offline, no client needed. Plain or gzip (recognised by its content), UTF-8 (a byte order mark is
    skipped).

    A line that is not an invoice lands in ``.failures`` with its position, like a bad item of a list
    reply. A line that is not even valid JSON is kept there as its raw ``bytes`` (the failure's
    ``item``, without the line break; its error's ``.document`` is the text) and a later ``save``
    writes it back unchanged.

    Raises :class:`~wingspan_nb.errors.SnapshotError` when the file cannot be opened (missing, a
    folder, not readable), cannot be read to its end (compression cut off or damaged) or is not UTF-8
    (UTF-16, say); the error says at which line and keeps what was read before it on ``.partial``.
    A ``path`` that is not a file name (``None``, bytes) raises
    :class:`~wingspan_nb.errors.InvalidRequestError`.
    """
    source = _path_of(path, "load_invoices")
    try:
        raw = open(source, "rb")  # closed by the with below
    except OSError as e:
        problem: str | None = e.strerror or type(e).__name__
    else:
        problem = None
    if problem is not None:  # raised here, so that the error carries no __context__
        raise errors.SnapshotError(
            f"{str(source)!r} cannot be read ({problem}); check the file name and the working "
            f"directory ({os.getcwd()!r}), or save the invoices again with .save().",
            file=str(source),
            line=1,
            partial=InvoiceList(),
        )
    builder = InvoiceBuilder()
    line = 0
    pending = b""
    with raw, gc_paused():
        compressed = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        stream: gzip.GzipFile | io.BufferedReader = (
            gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        )
        try:
            first = True
            while chunk := stream.read1(_READ):
                if first:
                    chunk = _utf8(chunk, source)
                    first = False
                lines = (pending + chunk).split(b"\n")
                pending = lines.pop()
                for text in lines:
                    line += 1
                    _add_line(builder, text, source)
        except (EOFError, gzip.BadGzipFile, zlib.error) as e:
            what = (
                "the compressed data ends early: the file is cut off (an interrupted copy, download or "
                "save?) or damaged"
                if isinstance(e, EOFError)
                else f"the compressed data is damaged ({e})"
            )
            if pending:
                _add_line(builder, pending, source, cut=True)
            partial = builder.result()
            raise errors.SnapshotError(
                f"{source.name} cannot be read past line {line + 1:,}: {what}. What was read before it "
                f"({len(partial):,} invoices, {len(partial.failures):,} failures) is kept on this "
                "error's .partial; for the rest, use an intact copy or save the invoices again.",
                file=str(source),
                line=line + 1,
                partial=partial,
            ) from None
        if pending:
            _add_line(builder, pending, source)
    return builder.result()


def _utf8(start: bytes, source: Path) -> bytes:
    """The file's first bytes without a UTF-8 byte order mark; a file in UTF-16 or UTF-32 (a byte
    order mark of theirs, or the NUL bytes their ASCII has) raises with what to do."""
    if start.startswith(_UTF8_BOM):
        return start[len(_UTF8_BOM) :]
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start[:4]:
        raise errors.SnapshotError(
            f"{source.name} is UTF-16 or UTF-32 text (a byte order mark or NUL bytes at its start), but "
            "a snapshot is UTF-8 JSON Lines. Convert it, e.g. p.write_text(p.read_text('utf-16'), "
            "'utf-8') for a pathlib.Path p, or save the invoices again with .save().",
            file=str(source),
            line=1,
            partial=InvoiceList(),
        )
    return start


def _add_line(builder: InvoiceBuilder, line: bytes, source: Path, *, cut: bool = False) -> None:
    if not line.strip():
        return
    if cut:
        problem = "is cut off where the file ends"
    else:
        try:
            item = wire_json.loads(line)
        except json.JSONDecodeError as e:
            problem = f"is not valid JSON ({e})"
        else:
            builder.add(item)
            return
    builder.fail(
        line,
        errors.InvalidDocumentError(
            f"$[{builder.count}]",
            f"{problem}; the raw line of {source.name} is kept as the failure's item",
            document=line.decode("utf-8", "replace").rstrip("\r"),
        ),
    )
