"""Snapshots: invoices frozen to a file, so that an analysis re-runs on the same data, offline.

A snapshot is two files. The data file is JSON Lines: one wire document (what the API sent,
``to_dict()`` of a parsed invoice) per line, UTF-8, gzip-compressed when the name ends in ``.gz``, so
that DuckDB, Polars and pandas read it as it is. Beside it, ``<name>.meta.json`` holds its provenance
and checksums: when the invoices were taken from the server (UTC), the server URL (a base URL, never
the token), the library version, the number of lines, and SHA-256 digests of the JSON Lines text, as a
whole and per block (1 MiB by default).

Why a sidecar file rather than gzip's header: the same format works for plain ``.jsonl`` (which has no
header), the data file stays exactly what every JSON Lines reader expects, and the provenance is
readable without decompressing anything (``list(snapshot=..., max_age=...)`` decides from it alone).
The block digests let a load hand back only lines proven to be as saved: each block is checked before
any line in it is parsed, so a damaged or cut-off file raises with the verified lines before the
damage, never with lines that were not saved.

Writes are atomic: the data and then the sidecar are written under temporary names in the same folder
(``.<name>.<12 hex>.tmp``, the name shortened and tagged with a digest of it when it is too long for
the file system), flushed to disk, and renamed over the targets, data first, only once both are
complete. A failure (a full disk, an interrupted cell) leaves the previous snapshot as it was; a kill
between the two renames leaves data that its old sidecar does not describe, which a load refuses.
Temporary files of an earlier save to the same name that was killed are removed by the next save once
they are a minute old. The new file gets the permissions any new file gets (the umask), and a symlink
is written through to its target (the sidecar goes beside the target).
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import os
import re
import secrets
import stat
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from . import _clock, _wire_json, errors
from ._invoices import InvoiceBuilder, InvoiceList, ListSource, gc_paused
from ._transport import MAX_RESPONSE_BYTES
from ._version import __version__

if TYPE_CHECKING:
    from .models.operations import ListClientInvoicesResponse

__all__ = [
    "SnapshotInfo",
    "list_through_snapshot",
    "load_invoices",
    "load_snapshot_info",
    "parse_max_age",
    "save_snapshot",
    "sidecar_path",
]

_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_READ = 1 << 20
"""Bytes read (after decompression) at a time from a snapshot without provenance."""
_BLOCK = 1 << 20
"""Bytes of JSON Lines text per block digest: a damaged file loses at most this much before the
damage, and a 1 GiB snapshot's sidecar holds 1,024 digests (70 KB)."""
_MAX_BLOCK = 1 << 26
_FORMAT: Final = "wingspan_nb.snapshot/1"
_SIDECAR: Final = ".meta.json"
_SIDECAR_LIMIT = 1 << 24
"""A sidecar larger than this is not one this library wrote (a 100 GiB snapshot's is 7 MB)."""
_LEFTOVER_AGE = 60.0
"""Seconds a temporary file must be old before a later save removes it: a younger one may be another
save, still running."""
_TEMP_EXTRA = len(".") + len(".") + 12 + len(".tmp")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_DEFAULT_NAME_MAX = 255


@attrs.frozen(kw_only=True)
class SnapshotInfo:
    """A snapshot's provenance and checksums, as its sidecar file (``<name>.meta.json``) holds them."""

    file: str
    """The data file described."""
    taken_at: datetime | None
    """When the invoices were read from the server (UTC); ``None`` when the saved list did not know
    (a list built by hand, a slice, a ``get_many`` result)."""
    saved_at: datetime
    """When the snapshot was written (UTC)."""
    server_url: str | None
    """The API base URL the whole account was listed from; ``None`` when the list was not one."""
    library_version: str
    """The wingspan_nb version that wrote it."""
    count: int
    """Lines (documents: invoices and items that did not fit) in the data file."""
    compression: str
    """``"gzip"`` or ``"none"``."""
    bytes: int
    """Length of the JSON Lines text, uncompressed."""
    sha256: str
    """SHA-256 of the JSON Lines text, uncompressed (``zcat invoices.jsonl.gz | sha256sum``)."""
    block_bytes: int = attrs.field(repr=False)
    block_sha256: tuple[str, ...] = attrs.field(repr=False)
    """SHA-256 of each consecutive ``block_bytes`` of the text, the last block shorter."""


# -- names -----------------------------------------------------------------------------------------


def _name_max(folder: Path) -> int:
    """The longest file name (in bytes) the folder's file system takes."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # not POSIX, or the folder does not exist (yet)
        return _DEFAULT_NAME_MAX


def _fitted(name: str, extra: int, name_max: int) -> str:
    """``name`` if ``extra`` more bytes still fit in a file name, else its start and ``~`` and a digest
    of the whole name, short enough: distinct names stay distinct, and the same name always maps to the
    same result."""
    encoded = os.fsencode(name)
    if len(encoded) + extra <= name_max:
        return name
    tag = "~" + hashlib.sha256(encoded).hexdigest()[:8]
    room = name_max - extra - len(tag)
    start = name
    while len(os.fsencode(start)) > room:
        start = start[:-1]
    return start + tag


def sidecar_path(data: Path) -> Path:
    """Where the provenance of the snapshot ``data`` lives: ``<name>.meta.json`` beside it (beside the
    target of a symlink), its name shortened when that would be too long for the file system."""
    folder = data.parent
    return folder / (_fitted(data.name, len(_SIDECAR), _name_max(folder)) + _SIDECAR)


def _temp_pattern(target: Path) -> re.Pattern[str]:
    shown = _fitted(target.name, _TEMP_EXTRA, _name_max(target.parent))
    return re.compile(r"\." + re.escape(shown) + r"\.[0-9a-f]{12}\.tmp")


def _resolved(given: Path, what: str) -> Path:
    """The file ``given`` names, through symlinks; a symlink loop raises with what to do."""
    try:
        return given.resolve() if given.is_symlink() else given
    except (RuntimeError, OSError) as e:  # Python < 3.13 raises RuntimeError for a loop
        problem = f"{type(e).__name__}: {e}"
    raise errors.SnapshotError(
        f"{str(given)!r} is a symbolic link that leads back to itself (a loop: {problem}); nothing was "
        f"{what}. Point the link at a real file (ls -l shows where it leads) or use another name.",
        file=str(given),
        partial=InvoiceList() if what == "read" else None,
    )


# -- save ------------------------------------------------------------------------------------------


def save_snapshot(path: str | Path, documents: Iterable[Any], *, source: ListSource | None = None) -> Path:
    """Write ``documents`` (wire dicts) to ``path`` as JSON Lines, gzip when it ends in ``.gz``, with
    its provenance and checksums in ``<name>.meta.json``, atomically; returns the path written.

    ``source`` is where the list came from (:attr:`InvoiceList.source`): its server URL and time are
    recorded, and kept when a loaded snapshot is saved again. A document that is ``bytes`` is a line
    that was not valid JSON when a snapshot was read (see :func:`load_invoices`): it is written back as
    it was. A ``path`` that is not a file name, a folder, or a file in a missing or read-only folder
    raises :class:`~wingspan_nb.errors.InvalidRequestError` before anything is written; a symlink loop,
    a full disk or any other failure while writing raises :class:`~wingspan_nb.errors.SnapshotError`
    (also an ``OSError``) and leaves the previous snapshot as it was.
    """
    now = _clock.utc_now()
    given, target, fd, temp = new_file_for(path, "save", "invoices.jsonl.gz")
    meta_target = sidecar_path(target)
    _remove_leftovers(target, now, keep=temp)  # never this save's own file, however the clocks disagree
    _remove_leftovers(meta_target, now)
    temps = [temp]
    try:
        gzipped = given.name.endswith(".gz")
        digest, count = _write_data(fd, documents, gzipped=gzipped)
        meta = {
            "format": _FORMAT,
            "data_file": target.name,
            "taken_at": _stamp(source.taken_at if source is not None else None),
            "saved_at": _stamp(now),
            "server_url": source.server_url if source is not None else None,
            "library_version": __version__,
            "count": count,
            "compression": "gzip" if gzipped else "none",
            "bytes": digest.size,
            "sha256": digest.whole.hexdigest(),
            "block_bytes": digest.block,
            "block_sha256": digest.blocks,
        }
        meta_fd, meta_temp = _create_beside(given, meta_target)
        temps.append(meta_temp)
        _write_all(meta_fd, json.dumps(meta, indent=1).encode() + b"\n")
        os.replace(temp, target)
        temps.remove(temp)
        os.replace(meta_temp, meta_target)
        temps.remove(meta_temp)
        _sync_folder(target.parent)
    except OSError as e:
        failed: OSError | None = e
    except BaseException:
        for t in temps:
            t.unlink(missing_ok=True)
        raise
    else:
        failed = None
    if failed is not None:  # raised here, so that the error carries no __context__
        for t in temps:
            t.unlink(missing_ok=True)
        raise _write_error(given, failed, data_replaced=temp not in temps)
    return given


def _stamp(when: datetime | None) -> str | None:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if when is not None else None


def _remove_leftovers(target: Path, now: datetime, *, keep: Path | None = None) -> None:
    """Remove the temporary files of earlier saves to ``target`` that did not finish (a killed
    kernel): only this library's names for this target, only regular files, only a minute old."""
    pattern = _temp_pattern(target)
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return  # the save itself says what is wrong with the folder
    for entry in entries:
        if not pattern.fullmatch(entry.name) or (keep is not None and entry.name == keep.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now.timestamp() - info.st_mtime > _LEFTOVER_AGE:
                os.unlink(entry.path)
        except OSError:
            continue  # gone already, or not ours to remove: it stays


def _create_beside(given: Path, target: Path) -> tuple[int, Path]:
    """A new, empty file in ``target``'s folder, open for writing, with the permissions a new file gets
    (the umask applies, unlike ``mkstemp``'s 0600), or ``target``'s own when it exists. A folder that
    is missing or not writable raises :class:`~wingspan_nb.errors.InvalidRequestError`."""
    shown = _fitted(target.name, _TEMP_EXTRA, _name_max(target.parent))
    problem: str | None = None
    while True:
        temp = target.parent / f".{shown}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:  # another save's temporary name: draw again
            continue
        except OSError as e:
            problem = e.strerror or type(e).__name__
        break
    if problem is not None:  # raised here, so that the message does not name the temporary file
        raise errors.InvalidRequestError(
            f"{str(given)!r} cannot be written ({problem} in the folder {str(target.parent)!r}); "
            "nothing was written. Check that the folder exists and is writable, or save elsewhere."
        )
    try:
        if target.exists():
            os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    return fd, temp


class _Digest:
    """SHA-256 of a stream, as a whole and per block of ``block`` bytes."""

    def __init__(self, block: int) -> None:
        self.block = block
        self.whole = hashlib.sha256()
        self.blocks: list[str] = []
        self.size = 0
        self._current = hashlib.sha256()
        self._filled = 0

    def update(self, data: bytes | bytearray | memoryview) -> None:
        self.whole.update(data)
        self.size += len(data)
        view = memoryview(data)
        while view:
            take = min(len(view), self.block - self._filled)
            self._current.update(view[:take])
            self._filled += take
            view = view[take:]
            if self._filled == self.block:
                self._close_block()

    def finish(self) -> None:
        if self._filled:
            self._close_block()

    def _close_block(self) -> None:
        self.blocks.append(self._current.hexdigest())
        self._current = hashlib.sha256()
        self._filled = 0


def _write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    """Write all of ``data`` to ``fd`` with ``os.write`` (which may write less than asked), flush it to
    disk and close ``fd``."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


class _FdWriter:
    """A write-only file object over ``fd`` for ``GzipFile``: buffered, written with ``os.write``."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._buffer = bytearray()

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._buffer += data
        if len(self._buffer) >= _READ:
            self.flush()
        return len(data)

    def flush(self) -> None:
        view = memoryview(self._buffer)
        while view:
            view = view[os.write(self.fd, view) :]
        view.release()
        self._buffer.clear()


def _write_data(fd: int, documents: Iterable[Any], *, gzipped: bool) -> tuple[_Digest, int]:
    """Write the JSON Lines of ``documents`` to ``fd`` (gzip-compressed when asked), flush it to disk
    and close ``fd``; returns the text's digest and the number of lines."""
    digest = _Digest(_BLOCK)
    sink = _FdWriter(fd)
    try:
        zipped = gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=6, mtime=0) if gzipped else None
        out: Callable[[bytes | bytearray], object] = zipped.write if zipped is not None else sink.write
        text = bytearray()
        count = 0
        for doc in documents:
            if isinstance(doc, bytes):
                if b"\n" in doc:
                    raise errors.InvalidRequestError(
                        "a raw snapshot line (bytes) cannot hold a line break; it would become two lines"
                    )
                text += doc
            else:
                text += _wire_json.dumps(doc)
            text += b"\n"
            count += 1
            if len(text) >= _READ:
                digest.update(text)
                out(text)
                text.clear()
        digest.update(text)
        out(text)
        digest.finish()
        if zipped is not None:
            zipped.close()  # writes gzip's trailer into the sink
        sink.flush()
        os.fsync(fd)
    finally:
        os.close(fd)
    return digest, count


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_WRITE_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space, or save to another disk",
    errno.EDQUOT: "your disk quota is used up: free some space, or save to another disk",
    errno.EFBIG: (
        "the file is larger than this file system allows (FAT32 stops at 4 GiB): save to another disk, "
        "or a smaller selection of invoices"
    ),
    errno.EROFS: "the disk is read-only: save to another folder",
    errno.EACCES: "permission denied: save to a folder you can write to",
    errno.ENAMETOOLONG: "the file name is too long for this file system: choose a shorter name",
}


def _write_error(given: Path, e: OSError, *, data_replaced: bool) -> errors.SnapshotError:
    advice = _WRITE_ADVICE.get(e.errno or 0, "check the disk and the folder, or save elsewhere")
    problem = e.strerror or str(e) or type(e).__name__
    if data_replaced:
        outcome = (
            "the data was replaced but its provenance file was not, so loading it will refuse it as "
            "changed since it was saved; save again"
        )
    else:
        outcome = "nothing was changed: the previous snapshot, if any, is as it was"
    return errors.SnapshotError(
        f"{given.name} could not be written ({problem}): {advice}. {outcome.capitalize()}.",
        file=str(given),
    )


def new_file_for(path: object, what: str, example: str) -> tuple[Path, Path, int, Path]:
    """Where an atomic write of ``path`` goes: the path as given, the file it names (a symlink's
    target: writes go through the link, as any editor's do), and a new temporary file beside it, open
    for writing (its descriptor and path), to be renamed over the target once complete. A ``path``
    that is not a file name, a folder, or a file that cannot be created raises
    :class:`~wingspan_nb.errors.InvalidRequestError` naming ``what`` (the call) and ``example`` (a
    file name to suggest) before anything is written; a symlink loop raises
    :class:`~wingspan_nb.errors.SnapshotError`."""
    given = _path_of(path, what, example)
    target = _resolved(given, "written")
    if target.is_dir():
        raise errors.InvalidRequestError(
            f"{str(given)!r} is a folder; nothing was written. Write to a file in it, e.g. "
            f"{str(given / example)!r}."
        )
    fd, temp = _create_beside(given, target)
    return given, target, fd, temp


def _path_of(path: object, what: str, example: str = "invoices.jsonl.gz") -> Path:
    """The file ``path`` names; anything but a ``str`` or ``os.PathLike`` of one raises
    :class:`~wingspan_nb.errors.InvalidRequestError` (``what`` names the call, ``example`` is the
    file name it suggests)."""
    name = os.fspath(path) if isinstance(path, os.PathLike) else path
    if not isinstance(name, str) or not name:
        raise errors.InvalidRequestError(
            f"{what} needs a file name (a str or pathlib.Path), got {type(path).__name__} "
            f"{errors.short_id(repr(path))}; e.g. {example!r}."
        )
    return Path(name)


# -- provenance ------------------------------------------------------------------------------------


def load_snapshot_info(path: str | Path) -> SnapshotInfo | None:
    """The provenance of the snapshot at ``path`` (from its ``<name>.meta.json``), without reading
    the data; ``None`` when it has none (an older snapshot, or a file from elsewhere).

    A sidecar that is not one this library wrote, or is damaged, raises
    :class:`~wingspan_nb.errors.SnapshotError`.
    """
    given = _path_of(path, "load_snapshot_info")
    data = _resolved(given, "read")
    meta = sidecar_path(data)
    try:
        with open(meta, "rb") as f:
            raw = f.read(_SIDECAR_LIMIT + 1)
    except FileNotFoundError:
        return None
    except OSError as e:
        problem: str = e.strerror or type(e).__name__
    else:
        problem = ""
    if problem:
        raise _sidecar_error(given, meta, f"it cannot be read: {problem}")
    try:
        return _info_of(raw, data)
    except (ValueError, TypeError, KeyError, OverflowError) as e:  # a time at datetime's edge overflows
        problem = str(e) or type(e).__name__
    except RecursionError:  # JSON nested deeper than the parser's stack
        problem = "it nests too deeply to be JSON this library wrote"
    raise _sidecar_error(given, meta, f"it is damaged or not one this library wrote: {problem}")


def _nothing_read(source: Path, message: str) -> errors.SnapshotError:
    """The error of a snapshot that cannot be read from its first line: nothing is kept."""
    return errors.SnapshotError(message, file=str(source), line=1, partial=InvoiceList())


def _sidecar_error(given: Path, meta: Path, problem: str) -> errors.SnapshotError:
    return _nothing_read(
        given,
        f"The provenance file {meta.name} of {given.name} cannot be used ({problem}). Save the "
        "invoices again; or, to read the data unverified, move the provenance file away.",
    )


def _info_of(raw: bytes, data: Path) -> SnapshotInfo:
    if len(raw) > _SIDECAR_LIMIT:
        raise ValueError(f"it is larger than {_SIDECAR_LIMIT:,} bytes")
    doc = json.loads(raw)
    if not isinstance(doc, dict):
        raise ValueError("not a JSON object")
    if doc.get("format") != _FORMAT:
        raise ValueError(f"format {doc.get('format')!r:.60}, not {_FORMAT!r} (a newer version's?)")

    def integer(key: str, low: int, high: int | None = None) -> int:
        value = doc[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < low or (high and value > high):
            raise ValueError(f"{key} is {value!r:.40}")
        return value

    def text(key: str, *, optional: bool = False) -> str | None:
        value = doc[key]
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise ValueError(f"{key} is {value!r:.40}")
        return value

    def when(key: str, *, optional: bool = False) -> datetime | None:
        value = text(key, optional=optional)
        if value is None:
            return None
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if t.tzinfo is None:
            raise ValueError(f"{key} names no time zone")
        return t.astimezone(timezone.utc)

    size = integer("bytes", 0)
    block = integer("block_bytes", 1, _MAX_BLOCK)
    blocks = doc["block_sha256"]
    digests = (doc["sha256"], *blocks) if isinstance(blocks, list) else ()
    if not digests or not all(isinstance(d, str) and _SHA256_HEX.fullmatch(d) for d in digests):
        raise ValueError("a SHA-256 digest is not 64 hex digits")
    if len(blocks) != -(-size // block):
        raise ValueError(f"{len(blocks)} block digests for {size:,} bytes in blocks of {block:,}")
    compression = text("compression")
    if compression not in ("gzip", "none"):
        raise ValueError(f"compression is {compression!r:.40}")
    saved_at = when("saved_at")
    assert saved_at is not None
    return SnapshotInfo(
        file=str(data),
        taken_at=when("taken_at", optional=True),
        saved_at=saved_at,
        server_url=text("server_url", optional=True),
        library_version=str(text("library_version")),
        count=integer("count", 0),
        compression=compression,
        bytes=size,
        sha256=doc["sha256"],
        block_bytes=block,
        block_sha256=tuple(blocks),
    )


# -- load ------------------------------------------------------------------------------------------


class _NotAsSaved(Exception):
    """The data differs from what its provenance describes; the message says how."""


def load_invoices(path: str | Path, *, max_response_bytes: int = MAX_RESPONSE_BYTES) -> InvoiceList:
    """Read a snapshot written by ``save`` back into an :class:`~wingspan_nb.InvoiceList`:
    offline, no client needed. Plain or gzip (recognised by its content), UTF-8 (a byte order mark is
    skipped). ``.source`` says where and when it was taken.

    The data is checked against its provenance file (``<name>.meta.json``) block by block before any
    line is parsed, and as a whole (length, SHA-256, line count): the list holds exactly what was
    saved, or :class:`~wingspan_nb.errors.SnapshotError` is raised. A snapshot without a provenance
    file (an older one, or a file from elsewhere) is read with a
    :class:`~wingspan_nb.errors.SnapshotWarning` that nothing verifies it.

    A line that is not an invoice lands in ``.failures`` with its position, like a bad item of a list
    reply. A line that is not even valid JSON is kept there as its raw ``bytes`` (the failure's
    ``item``, without the line break; its error's ``.document`` is the text) and a later ``save``
    writes it back unchanged.

    :class:`~wingspan_nb.errors.SnapshotError` is raised when the file cannot be opened (missing, a
    folder, a symlink loop, not readable), differs from its provenance (damaged, cut off, changed since
    it was saved), cannot be read to its end (compression cut off or damaged), is a ``.gz`` file too
    short to be gzip, holds a line longer than ``max_response_bytes`` (1 GiB by default, the client's
    limit on a reply), or is not UTF-8 (UTF-16, say). The error says at which line, and keeps on
    ``.partial`` the lines before it that are verified to be as saved (none for a snapshot without
    provenance). A ``path`` that is not a file name (``None``, bytes) raises
    :class:`~wingspan_nb.errors.InvalidRequestError`.
    """
    source = _path_of(path, "load_invoices")
    if (
        isinstance(max_response_bytes, bool)
        or not isinstance(max_response_bytes, int)
        or max_response_bytes < 1
    ):
        raise errors.InvalidRequestError(
            f"max_response_bytes must be a whole number of bytes, at least 1; got {max_response_bytes!r:.60}"
        )
    try:
        raw = open(_resolved(source, "read"), "rb")  # closed by the with below
    except OSError as e:
        problem: str | None = e.strerror or type(e).__name__
    else:
        problem = None
    if problem is not None:  # raised here, so that the error carries no __context__
        raise _nothing_read(
            source,
            f"{str(source)!r} cannot be read ({problem}); check the file name and the working "
            f"directory ({os.getcwd()!r}), or save the invoices again with .save().",
        )
    builder = InvoiceBuilder()
    lines = _Lines(builder, source, max_response_bytes)
    with raw, gc_paused():
        info = load_snapshot_info(source)
        if info is None:
            warnings.warn(
                errors.SnapshotWarning(
                    f"{source.name} has no provenance file ({sidecar_path(source).name}): an older "
                    "snapshot, or a file from elsewhere. It is read unverified: nothing checks that it "
                    "holds what was saved. Save it again to add one."
                ),
                stacklevel=2,
            )
        head = raw.read(2)
        raw.seek(0)
        compressed = head == _GZIP_MAGIC
        if source.name.endswith(".gz") and len(head) < 2:
            raise _nothing_read(
                source,
                f"{source.name} is {len(head)} bytes long: too short to be gzip, so it is not a snapshot "
                "(an interrupted copy or download?). Use an intact copy, or save the invoices again.",
            )
        stream: gzip.GzipFile | io.BufferedReader = (
            gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        )
        failure: str | None = None
        try:
            if info is None:
                chunks: Iterator[bytes] = iter(lambda: stream.read1(_READ), b"")
            else:
                if info.compression != ("gzip" if compressed else "none"):
                    raise _NotAsSaved(
                        f"it was saved {'with' if info.compression == 'gzip' else 'without'} gzip"
                    )
                chunks = _verified(stream, info)
            for chunk in chunks:
                lines.feed(chunk)
            lines.end()
            if info is not None and lines.count != info.count:
                raise _NotAsSaved(f"it holds {lines.count:,} lines, its provenance says {info.count:,}")
        except EOFError:
            failure = (
                "the compressed data ends early: the file is cut off (an interrupted copy, download or "
                "save?) or damaged"
            )
        except (gzip.BadGzipFile, zlib.error) as e:
            failure = f"the compressed data is damaged ({e})"
        except _NotAsSaved as e:
            failure = f"it is not as saved: {e}. It was damaged or changed since it was saved"
        except errors.SnapshotError:
            raise
        except OSError as e:  # after gzip.BadGzipFile, which is one too
            failure = f"reading it failed ({e.strerror or e})"
        except _LineTooLong as e:
            failure = (
                f"the line is longer than {max_response_bytes:,} bytes (at least {e.args[0]:,}), the most "
                "load_invoices(max_response_bytes=...) reads as one invoice"
            )
        if failure is not None:
            raise _read_error(source, failure, lines, verified=info is not None) from None
    return InvoiceList(
        builder.invoices,
        builder.failures,
        source=ListSource(
            kind="snapshot",
            server_url=info.server_url if info is not None else None,
            taken_at=info.taken_at if info is not None else None,
            file=str(source),
            verified=info is not None,
        ),
    )


def _read_error(source: Path, failure: str, lines: _Lines, *, verified: bool) -> errors.SnapshotError:
    line = lines.count + 1
    if verified:
        partial = lines.builder.result()
        kept = (
            f"The {len(partial):,} invoices and {len(partial.failures):,} failures before it, verified to "
            "be as saved, are kept on this error's .partial"
        )
    else:
        partial = InvoiceList()
        kept = "It has no provenance file to verify any part of it by, so .partial is empty"
    return errors.SnapshotError(
        f"{source.name} cannot be read past line {line:,}: {failure}. {kept}; for the rest, use an "
        "intact copy or save the invoices again.",
        file=str(source),
        line=line,
        partial=partial,
    )


def _verified(stream: gzip.GzipFile | io.BufferedReader, info: SnapshotInfo) -> Iterator[bytes]:
    """The text of ``stream`` a block at a time, each block given only once its digest matches."""
    digest = _Digest(info.block_bytes)
    while block := stream.read(info.block_bytes):
        at = len(digest.blocks)
        digest.update(block)
        digest.finish()
        if digest.size > info.bytes:
            raise _NotAsSaved(f"it is longer than the {info.bytes:,} bytes saved")
        if digest.blocks[at] != info.block_sha256[at]:
            raise _NotAsSaved(f"bytes {at * info.block_bytes:,} to {digest.size:,} differ from those saved")
        yield block
    if digest.size < info.bytes:
        raise _NotAsSaved(f"it ends after {digest.size:,} of the {info.bytes:,} bytes saved: it is cut off")
    if digest.whole.hexdigest() != info.sha256:
        raise _NotAsSaved("its SHA-256 differs from the one saved")


class _Lines:
    """Splits the text into lines as it comes, in time linear in its length however long a line is,
    and adds each line to ``builder``; a line longer than ``limit`` raises."""

    def __init__(self, builder: InvoiceBuilder, source: Path, limit: int) -> None:
        self.builder = builder
        self.count = 0
        """Lines added (blank ones too)."""
        self._source = source
        self._limit = limit
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._first = True

    def feed(self, chunk: bytes) -> None:
        if self._first and chunk:
            chunk = _utf8(chunk, self._source)
            self._first = False
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            self._check(self._pending_size + end - start)
            if self._pending:
                line = b"".join([*self._pending, chunk[start:end]])
                self._pending.clear()
                self._pending_size = 0
            else:
                line = chunk[start:end]
            self._add(line)
            start = end + 1
        if start < len(chunk):
            self._check(self._pending_size + len(chunk) - start)
            self._pending.append(chunk[start:])
            self._pending_size += len(chunk) - start

    def end(self) -> None:
        if self._pending:
            line = b"".join(self._pending)
            self._pending.clear()
            self._add(line)

    def _check(self, size: int) -> None:
        if size > self._limit:
            raise _LineTooLong(size)

    def _add(self, line: bytes) -> None:
        if line.strip():  # a saved snapshot has no blank line; a hand-edited one may
            _add_line(self.builder, line, self._source)
            self.count += 1


class _LineTooLong(Exception):
    """A line is longer than the load's ``max_response_bytes``; reading stopped before holding it."""


def _utf8(start: bytes, source: Path) -> bytes:
    """The file's first bytes without a UTF-8 byte order mark; a file in UTF-16 or UTF-32 (a byte
    order mark of theirs, or the NUL bytes their ASCII has) raises with what to do."""
    if start.startswith(_UTF8_BOM):
        return start[len(_UTF8_BOM) :]
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in start[:4]:
        raise _nothing_read(
            source,
            f"{source.name} is UTF-16 or UTF-32 text (a byte order mark or NUL bytes at its start), but "
            "a snapshot is UTF-8 JSON Lines. Convert it, e.g. p.write_text(p.read_text('utf-16'), "
            "'utf-8') for a pathlib.Path p, or save the invoices again with .save().",
        )
    return start


def _add_line(builder: InvoiceBuilder, line: bytes, source: Path) -> None:
    try:
        item = _wire_json.loads(line)
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


# -- list(snapshot=..., max_age=...) ---------------------------------------------------------------

_SNAPSHOT_SUFFIXES: Final = (".jsonl", ".jsonl.gz")
"""The names ``list(snapshot=...)`` writes to: a snapshot's own, so that a typo cannot name a notebook
or a spreadsheet."""
_AGE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)\s*", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_max_age(value: object) -> timedelta:
    """``max_age`` as a ``timedelta``: one given, or a string such as ``"90s"``, ``"30m"``, ``"1h"``,
    ``"2d"`` or ``"1w"``. Anything else, or a negative age, raises
    :class:`~wingspan_nb.errors.InvalidRequestError`."""
    if isinstance(value, timedelta):
        age = value
    elif isinstance(value, str) and (match := _AGE.fullmatch(value)):
        seconds = float(match[1]) * _UNIT_SECONDS[match[2].lower()]
        if not seconds < timedelta.max.total_seconds():
            raise errors.InvalidRequestError(
                f"max_age {value!r} is longer than any date can say; give a shorter one."
            )
        age = timedelta(seconds=seconds)
    else:
        raise errors.InvalidRequestError(
            f"max_age must be a datetime.timedelta or a string such as '30m', '1h' or '2d'; got "
            f"{type(value).__name__} {errors.short_id(repr(value))}."
        )
    if age < timedelta(0):
        raise errors.InvalidRequestError(f"max_age must not be negative; got {value!r}.")
    return age


def list_through_snapshot(
    download: Callable[[], ListClientInvoicesResponse],
    snapshot: object,
    max_age: object,
    *,
    server_url: str,
    read: Callable[[str], object],
) -> ListClientInvoicesResponse:
    """``client_invoice.list(snapshot=..., max_age=...)``: the snapshot at ``snapshot`` when it was
    taken from ``server_url`` less than ``max_age`` ago (by the time in its provenance, not the
    file's), reads back as saved, and this client can read it (``read``, the client's ``get``, of
    its first invoice succeeds: the sidecar holds no token, nor anything derived from one, so the
    server decides); else ``download()``, saved to ``snapshot`` atomically. An empty snapshot proves
    nothing, and is downloaded anew.

    A name that does not end in ``.jsonl`` or ``.jsonl.gz`` raises
    :class:`~wingspan_nb.errors.InvalidRequestError` before anything is read or sent. A snapshot that
    cannot be used (damaged, changed since it was saved) warns with
    :class:`~wingspan_nb.errors.SnapshotWarning` and is downloaded anew; so is one from another server
    or too old, silently. A file without provenance (an older snapshot, or not a snapshot at all) is
    never overwritten: it warns, and the download is returned unsaved. A save that fails warns, and
    the download is returned all the same.
    """
    from .models.operations import ListClientInvoicesResponse

    if snapshot is None or max_age is None:
        raise errors.InvalidRequestError(
            "list(snapshot=..., max_age=...) needs both: the file, and how old it may be, e.g. "
            "list(snapshot='invoices.jsonl.gz', max_age='1h')."
        )
    path = _path_of(snapshot, "list(snapshot=...)")
    if not path.name.endswith(_SNAPSHOT_SUFFIXES):
        raise errors.InvalidRequestError(
            f"list(snapshot=...) writes JSON Lines, so the file name must end in .jsonl or .jsonl.gz (so that a "
            f"typo cannot name another file); got {errors.shorten(repr(path.name), 80)}. Nothing was "
            "read, sent or written."
        )
    age_limit = parse_max_age(max_age)
    now = _clock.utc_now()
    unusable: str | None = None
    info: SnapshotInfo | None = None
    if os.path.lexists(path):
        try:
            info = load_snapshot_info(path)
        except errors.SnapshotError as e:
            unusable = str(e)
        else:
            if info is None:  # perhaps not a snapshot at all: never overwritten
                warnings.warn(
                    errors.SnapshotWarning(
                        f"{path.name} was not used, and is left as it is: it has no provenance file "
                        f"({sidecar_path(path).name}), so it may not be a snapshot this library wrote (an "
                        "older snapshot, or another file). Downloading instead, without saving; to keep a "
                        "snapshot there, move the file away or choose another name."
                    ),
                    stacklevel=3,
                )
                return download()
    if info is not None and info.server_url == server_url.rstrip("/") and info.taken_at is not None:
        age = now - info.taken_at
        if timedelta(0) <= age < age_limit:
            try:
                loaded = load_invoices(path)
            except errors.SnapshotError as e:
                unusable = str(e)
            else:
                first = next((i for i in loaded.ids if i), None)
                unusable = _not_readable(read, first) if first is not None else ""
            if unusable is None:
                return ListClientInvoicesResponse(
                    content_type="application/x-ndjson",
                    status_code=200,
                    raw_response=_file_reply(path),
                    client_invoices=InvoiceList(
                        loaded,
                        loaded.failures,
                        source=attrs.evolve(loaded.source, age=age) if loaded.source else None,
                    ),
                )
    if unusable:  # "": not used, for a reason that needs no warning
        warnings.warn(
            errors.SnapshotWarning(f"The snapshot was not used: {_sentence(unusable)} Downloading instead."),
            stacklevel=3,
        )
    response = download()
    try:
        response.client_invoices.save(path)
    except (errors.SnapshotError, errors.InvalidRequestError) as e:
        warnings.warn(
            errors.SnapshotWarning(f"The invoices were downloaded but not saved as a snapshot: {e}"),
            stacklevel=3,
        )
    return response


def _not_readable(read: Callable[[str], object], invoice_id: str) -> str | None:
    """Why this client may not be handed the snapshot whose first invoice is ``invoice_id``, or
    ``None`` when reading that invoice from the server succeeds (any 2xx: the server let it read it)."""
    try:
        read(invoice_id)
    except errors.WingspanError as e:
        status = getattr(e, "status_code", None)
        if isinstance(status, int) and 200 <= status < 300:
            return None
        shown = errors.short_id(invoice_id)
        if status in (401, 403, 404):
            return (
                f"this client may not read it: reading its first invoice ({shown}) from the server was "
                f"refused ({status}), so it was saved for another account or token."
            )
        return (
            f"this client could not check that it may read it: reading its first invoice ({shown}) "
            f"from the server failed ({errors.shorten(str(e), 200)})"
        )
    return None


def _sentence(text: str) -> str:
    """``text`` ending as a sentence does, so that the next one does not run into it."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _file_reply(path: Path) -> Any:
    """A stand-in for the HTTP reply of a list read from a snapshot: status 200, the snapshot's
    ``file:`` URL, no request, no body (the invoices are on ``client_invoices``)."""
    import requests

    reply = requests.Response()
    reply.status_code = 200
    reply.reason = "read from a snapshot, not the server"
    reply.url = path.resolve().as_uri()
    reply.headers["Content-Type"] = "application/x-ndjson"
    reply._content = b""
    return reply
