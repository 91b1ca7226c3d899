"""The window's one-shot background work as coroutines on one asyncio loop that rides on Qt's (qasync).

Reading a dropped sheet, preparing a batch, the sign-in check, the history: each is a coroutine that
awaits its blocking call on a thread (:func:`in_thread`) and then updates widgets on the GUI thread, with
its error worded by its owner (``error_text``). The long-running batch controller keeps its QThreadPool
(``background.py``): it is not one-shot work.

Qt's own loop runs (``app.exec()``, or a test's qtbot); asyncio is told it is already running, so the
app, the tests and the scripts that spin Qt themselves share one rule.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import qasync
from PySide6.QtWidgets import QApplication

from po_downloader.engine.errors import PoDownloaderError
from po_downloader.ui.gc_pause import collector_paused

log = logging.getLogger(__name__)

T = TypeVar("T")

THREADS = 4
"""Threads for blocking calls: a sign-in browser may hold one while the user signs in, and a sheet must
still be read meanwhile; more would only compete for a 2-core machine."""

_running: set[asyncio.Task[Any]] = set()
"""Every started task until it ends: asyncio keeps only weak references, a task must not vanish mid-way."""


def event_loop() -> asyncio.AbstractEventLoop:
    """The asyncio loop on Qt's, installed on first use (a QApplication must exist)."""
    loop = asyncio._get_running_loop()
    if loop is None:
        loop = qasync.QEventLoop(QApplication.instance(), already_running=True)
        # Python threads, not qasync's QThreads: one still busy when a script ends without closing the
        # loop is joined by the interpreter, not destroyed under Qt's feet.
        loop.set_default_executor(ThreadPoolExecutor(THREADS, thread_name_prefix="ui-job"))
        asyncio.set_event_loop(loop)
    return loop


def close_event_loop() -> None:
    """End the loop once Qt's has (the app, the tests' session): waits for a blocking call still on its
    thread. Does nothing the second time."""
    loop = asyncio._get_running_loop()
    if loop is not None and not loop.is_closed():
        loop.stop()
        loop.close()
    asyncio._set_running_loop(None)
    asyncio.set_event_loop(None)


def start(coro: Coroutine[Any, Any, None], *, name: str) -> asyncio.Task[None]:
    """Run ``coro`` on the loop; a failure its coroutine did not word is logged, never lost."""
    task = event_loop().create_task(coro, name=name)
    _running.add(task)
    task.add_done_callback(_ended)
    return task


def _ended(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.error("%s failed", task.get_name(), exc_info=exc)


async def in_thread(fn: Callable[[], T], *, expected: tuple[type[Exception], ...] = ()) -> T:
    """``fn()`` on a worker thread, awaited on the GUI thread, with the cycle collector paused
    (``gc_pause``: its full passes hold the GIL, and so stalled the window).

    A thread cannot be stopped: cancelling the caller waits for ``fn`` to end before the cancellation
    goes on, so its owner never starts the same work twice at once (two batches preparing one results
    file). A failure is logged here, as it happens: a user-facing problem (a ``PoDownloaderError`` or one
    of ``expected``) at INFO since its caller words it; anything else with its traceback.
    """
    caught: tuple[type[Exception], ...] = (PoDownloaderError, *expected)
    work = asyncio.ensure_future(asyncio.to_thread(_logged, fn, caught))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        await asyncio.wait({work})
        if not work.cancelled():
            work.exception()  # logged in the thread already: retrieved so asyncio does not report it again
        raise


def _logged(fn: Callable[[], T], expected: tuple[type[Exception], ...]) -> T:
    try:
        with collector_paused():  # a sheet's worth of new objects must not set off full passes
            return fn()
    except expected as exc:
        log.info("background task ended with %s: %s", getattr(exc, "kind", type(exc).__name__), exc)
        raise
    except Exception:
        log.exception("background task failed")
        raise
