"""Loaded by ``make test-anyday`` only (it puts this folder on ``PYTHONPATH``, so that the notebooks'
kernels load it too): makes libfaketime usable with CPython 3.11.

The pass moves the wall clock alone (``FAKETIME_DONT_FAKE_MONOTONIC=1``): with the monotonic clock
faked too, a timed lock or condition wait (``sem_clockwait`` on the monotonic clock, which libfaketime
0.9.10 does not translate) never returns. But with it left alone, libfaketime still shifts the
absolute monotonic deadline that ``time.sleep`` hands to ``clock_nanosleep``, which then fails with
``EINVAL``. So ``time.sleep`` waits in ``select()`` here, which libfaketime leaves as it is.
"""

from __future__ import annotations

import os
import select
import time

if "faketime" in os.environ.get("LD_PRELOAD", ""):

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            select.select([], [], [], left)

    time.sleep = _sleep
