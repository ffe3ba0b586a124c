"""Display options belong to the thread or asyncio task that sets them: a ``with set_options(...)``
block in one never changes what another renders."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

import wingspan_nb
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import SandboxServer, make_invoice

from .helpers import execute_notebook

HANG_GUARD = 10.0  # only bounds a hang when the code under test is broken; never reached otherwise


def _in_a_loop_of_its_own(coroutine: Any) -> Any:
    """``asyncio.run`` in a thread of its own: the browser tests' Playwright keeps an event loop
    running in the main thread for the whole session, where ``asyncio.run`` refuses to start."""
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(asyncio.run(coroutine)))
    worker.start()
    worker.join(30)
    assert result, "the coroutine did not finish"
    return result[0]


def _card(invoice: ClientInvoice) -> str | None:
    return invoice._repr_html_()


def _run(target: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def guarded() -> None:
        try:
            target()
        except BaseException as e:  # surfaced by the test, not lost in the thread
            errors.append(e)

    thread = threading.Thread(target=guarded)
    thread.start()
    return thread


def test_a_with_block_in_one_thread_does_not_change_anothers() -> None:
    invoice = ClientInvoice.from_dict(make_invoice(1))
    a_inside, b_done = threading.Event(), threading.Event()
    seen: dict[str, Any] = {}
    errors: list[BaseException] = []

    def a() -> None:
        with wingspan_nb.set_options(display_style="text", max_line_items=5):
            a_inside.set()
            assert b_done.wait(HANG_GUARD)
            seen["a"] = (wingspan_nb.get_options().display_style, wingspan_nb.get_options().max_line_items)
            seen["a card"] = _card(invoice)
        seen["a after"] = wingspan_nb.get_options().display_style

    def b() -> None:
        assert a_inside.wait(HANG_GUARD)
        seen["b"] = (wingspan_nb.get_options().display_style, wingspan_nb.get_options().max_line_items)
        seen["b card"] = _card(invoice)
        with wingspan_nb.set_options(max_line_items=9):  # inside A's block: A keeps its own
            seen["b inside"] = wingspan_nb.get_options().max_line_items
        b_done.set()

    threads = [_run(a, errors), _run(b, errors)]
    for t in threads:
        t.join(HANG_GUARD)
    assert errors == [] and not any(t.is_alive() for t in threads)
    assert seen["a"] == ("text", 5) and seen["a card"] is None  # text style: no HTML view
    assert seen["b"] == ("html", 30) and "wsnb-card" in (seen["b card"] or "")
    assert seen["b inside"] == 9 and seen["a after"] == "html"
    assert wingspan_nb.get_options().display_style == "html"  # the test's own thread never changed


def test_a_with_block_in_one_task_does_not_change_anothers() -> None:
    async def main() -> dict[str, Any]:
        a_inside, b_done = asyncio.Event(), asyncio.Event()
        seen: dict[str, Any] = {}

        async def a() -> None:
            with wingspan_nb.set_options(show_sensitive=True):
                a_inside.set()
                await b_done.wait()
                seen["a"] = wingspan_nb.get_options().show_sensitive

        async def b() -> None:
            await a_inside.wait()
            seen["b"] = wingspan_nb.get_options().show_sensitive
            with wingspan_nb.set_options(display_style="text"):
                await asyncio.sleep(0)  # let A run while B's block is open
                seen["b inside"] = wingspan_nb.get_options().display_style
            b_done.set()

        await asyncio.wait_for(asyncio.gather(a(), b()), HANG_GUARD)
        seen["main"] = (wingspan_nb.get_options().show_sensitive, wingspan_nb.get_options().display_style)
        return seen

    seen = _in_a_loop_of_its_own(main())
    assert seen == {"a": True, "b": False, "b inside": "text", "main": (False, "html")}


def test_a_task_starts_from_its_creators_options() -> None:
    async def main() -> tuple[int, int]:
        with wingspan_nb.set_options(max_line_items=11):
            task = asyncio.create_task(asyncio.sleep(0, wingspan_nb.get_options().max_line_items))

            async def read() -> int:
                return wingspan_nb.get_options().max_line_items

            child = asyncio.create_task(read())
        return await task, await child

    assert _in_a_loop_of_its_own(main()) == (11, 11)


def test_a_bare_call_holds_in_its_thread_and_a_with_block_restores_it() -> None:
    def body() -> None:
        wingspan_nb.set_options(max_line_items=12)
        assert wingspan_nb.get_options().max_line_items == 12
        with wingspan_nb.set_options(max_line_items=13, display_style="text"):
            with wingspan_nb.set_options(max_line_items=14):
                assert wingspan_nb.get_options().max_line_items == 14
            assert wingspan_nb.get_options().max_line_items == 13
        assert (wingspan_nb.get_options().max_line_items, wingspan_nb.get_options().display_style) == (
            12,
            "html",
        )

    errors: list[BaseException] = []
    _run(body, errors).join(HANG_GUARD)
    assert errors == [] and wingspan_nb.get_options().max_line_items == 30  # another thread's call


def test_a_bare_call_holds_for_the_following_cells_of_a_notebook(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    nb = execute_notebook(
        sandbox,
        monkeypatch,
        [
            "import wingspan_nb\nwingspan_nb.set_options(max_line_items=7, display_style='text');",
            "print(wingspan_nb.get_options().max_line_items, wingspan_nb.get_options().display_style)",
            "with wingspan_nb.set_options(max_line_items=8):\n    print(wingspan_nb.get_options().max_line_items)",
            "print(wingspan_nb.get_options().max_line_items)",
        ],
    )
    printed = ["".join(o.get("text", "") for o in cell.outputs) for cell in nb.cells]
    assert printed == ["", "7 text\n", "8\n", "7\n"]


def test_the_shared_options_cannot_be_changed_in_place() -> None:
    options = wingspan_nb.get_options()
    with pytest.raises(wingspan_nb.errors.InvalidRequestError, match=r"set_options\(max_line_items=\.\.\.\)"):
        options.max_line_items = 3
    assert options.max_line_items == 30 and wingspan_nb.get_options() is options
