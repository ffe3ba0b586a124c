"""A deadline on the status line and headers of a reply, which socket timeouts alone cannot give.

urllib3's read timeout bounds each socket read, so a server writing its headers one byte per half
second holds a request for as long as it likes. :class:`DeadlineAdapter` (mounted by
:func:`wingspan_nb.new_session`) bounds the whole exchange up to the end of the headers
instead: when the transport has set a deadline (:func:`headers_by`), a watchdog shuts the
connection's socket down at that moment, the blocked read returns, and the request fails with
urllib3's ``ReadTimeoutError`` (``requests.ReadTimeout``). The transport then bounds the body itself.
"""

from __future__ import annotations

import contextlib
import contextvars
import heapq
import itertools
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Final

import requests
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ReadTimeoutError

__all__ = ["DeadlineAdapter", "cut_at", "headers_by"]

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("wingspan_deadline", default=None)
_NOT_CONNECTED_YET: Final = 0.05
"""How long the watchdog waits before looking again for a socket still being opened (DNS, connect)."""


@contextlib.contextmanager
def headers_by(deadline: float) -> Iterator[None]:
    """Within the block, a reply's status line and headers must have arrived by ``deadline``
    (``time.monotonic()`` seconds) on connections of a :class:`DeadlineAdapter`."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def cut_at(deadline: float, sock: socket.socket) -> Callable[[], bool]:
    """Shut ``sock`` down at ``deadline`` (``time.monotonic()`` seconds), unless the returned
    function is called first; it returns whether the cut happened.

    For the body: a read that returns bytes now and then (gzip blocks that decode to nothing, a
    chunk-size line one byte at a time) never hits a socket timeout, and urllib3 keeps reading."""
    watch = _WATCHDOG.arm(deadline, _Connected(sock))
    return lambda: _WATCHDOG.disarm(watch)


class _Connected:
    """What the watchdog cuts: anything with the socket as ``.sock``, as urllib3's connections."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock


class _Watch:
    """One armed deadline: the connection to cut, and whether it was cut."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.done = False
        self.fired = False


class _Watchdog:
    """One thread for every deadline of the process (not a timer thread per request)."""

    def __init__(self) -> None:
        self._reset()
        # A forked child has none of the parent's threads, and perhaps a lock held by one of them.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, deadline: float, conn: Any) -> _Watch:
        watch = _Watch(conn)
        with self._cond:
            heapq.heappush(self._heap, (deadline, next(self._order), watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="wingspan-deadline", daemon=True)
                self._thread.start()
            if self._heap[0][2] is watch:  # only a new earliest deadline changes how long to sleep
                self._cond.notify()
        return watch

    def disarm(self, watch: _Watch) -> bool:
        """Stop watching; ``True`` if the deadline had already cut the connection."""
        with self._cond:  # the cut happens under this lock: once disarmed, the socket is left alone
            watch.done = True
            watch.conn = None
            return watch.fired

    def _run(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                deadline, _, watch = self._heap[0]
                remaining = deadline - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                heapq.heappop(self._heap)
                sock = getattr(watch.conn, "sock", None)
                if isinstance(sock, socket.socket):
                    watch.fired = watch.done = True
                    with contextlib.suppress(OSError):  # already closed by the server: nothing to cut
                        # socket.socket's own shutdown: an SSLSocket's would drop its TLS state under
                        # the reading thread's feet. The blocked read returns, as at end of file.
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)
                elif sock is None:  # still resolving or connecting: look again shortly
                    heapq.heappush(self._heap, (deadline + _NOT_CONNECTED_YET, next(self._order), watch))
                else:  # not a socket this can cut (a test double, a tunnel): leave it
                    watch.done = True


_WATCHDOG: Final = _Watchdog()


class _DeadlinePool(HTTPConnectionPool):
    def _make_request(self, conn: Any, *args: Any, **kwargs: Any) -> Any:
        deadline = _DEADLINE.get()
        if deadline is None:
            return super()._make_request(conn, *args, **kwargs)
        watch = _WATCHDOG.arm(deadline, conn)
        try:
            response = super()._make_request(conn, *args, **kwargs)
        except Exception:
            if not _WATCHDOG.disarm(watch):
                raise
        else:
            # A cut in the middle of the headers can look like a short but complete reply: whether
            # the deadline passed decides, not how the reply looks.
            if not _WATCHDOG.disarm(watch):
                return response
            response.close()
        url = args[1] if len(args) > 1 else kwargs.get("url", "")
        raise ReadTimeoutError(self, url, "the status line and headers did not arrive in time")


class _DeadlineHTTPSPool(_DeadlinePool, HTTPSConnectionPool):
    pass


_POOLS: Final = {"http": _DeadlinePool, "https": _DeadlineHTTPSPool}


class DeadlineAdapter(requests.adapters.HTTPAdapter):
    """An ``HTTPAdapter`` whose connections honour :func:`headers_by` (the default session's
    adapter; mount it on a session of your own to keep the bound)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS pools have connection classes of their own
            manager.pool_classes_by_scheme = _POOLS
        return manager
