"""The cycle collector paused around the window's one-shot work, and what it leaves alive frozen: a full
pass holds the GIL, and with a 100 000-row sheet in memory each one stalled the window 100-200 ms."""

from __future__ import annotations

import gc
import threading

from po_downloader.ui import jobs
from po_downloader.ui.gc_pause import collector_paused


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector could free it


def test_no_automatic_collection_inside_and_the_survivors_are_frozen_after() -> None:
    gc.unfreeze()
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        kept = [Node() for _ in range(1000)]
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)  # out of every later pass's way
    gc.unfreeze()


def test_overlapping_uses_resume_collection_only_when_the_last_one_ends() -> None:
    gc.unfreeze()
    first = collector_paused()
    first.__enter__()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the first one still runs
    first.__exit__(None, None, None)
    assert gc.isenabled()
    gc.unfreeze()


def test_a_collector_the_app_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_the_window_blocking_calls_run_with_the_collector_paused(qtbot) -> None:
    seen: list[tuple[bool, bool]] = []

    def blocking() -> None:
        seen.append((gc.isenabled(), threading.current_thread() is threading.main_thread()))

    async def job() -> None:
        await jobs.in_thread(blocking)

    jobs.start(job(), name="test job")
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(False, False)]
    assert gc.isenabled()
    gc.unfreeze()
