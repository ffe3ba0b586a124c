"""Loaded by ``make test-anyday`` only (it puts this folder on ``PYTHONPATH``): makes libfaketime usable
with CPython 3.11 in the test process.

The pass moves the wall clock alone (``FAKETIME_DONT_FAKE_MONOTONIC=1``): with the monotonic clock
faked too, a timed lock or condition wait (``sem_clockwait`` on the monotonic clock, which libfaketime
0.9.10 does not translate) never returns. But with it left alone, libfaketime still shifts the
absolute monotonic deadline that ``time.sleep`` hands to ``clock_nanosleep``, which then fails with
``EINVAL``. So ``time.sleep`` waits in ``select()`` here, which libfaketime leaves as it is.

The processes this one starts (notebook kernels, checkers) run on the real clock: a kernel starts its
threads as the library initialises, and under libfaketime one died at start-up now and then (no
reply to ``kernel_info``), even with its thread-safe variant. The test process, where the tests' own
dates are computed, is the one that matters; a forked child keeps the library it was forked with.
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
    os.environ.pop("LD_PRELOAD")
