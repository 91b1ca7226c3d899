"""The window's coroutines on the qasync loop: blocking calls on a thread, failures logged, cancelling."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest

from po_downloader.ui import jobs


def test_a_blocking_call_runs_on_a_thread_and_its_answer_comes_back(qtbot) -> None:
    got: list[tuple[bool, bool]] = []

    async def job() -> None:
        on_gui = await jobs.in_thread(lambda: threading.current_thread() is threading.main_thread())
        got.append((on_gui, threading.current_thread() is threading.main_thread()))

    jobs.start(job(), name="test job")
    qtbot.waitUntil(lambda: got == [(False, True)])


def test_the_loop_is_installed_once(qtbot) -> None:
    assert jobs.event_loop() is jobs.event_loop() is asyncio.get_event_loop()


@pytest.mark.expect_log("po_downloader.ui.jobs", r"background task failed")
@pytest.mark.expect_log("po_downloader.ui.jobs", r"test job failed")
def test_a_failure_nobody_worded_is_logged_with_its_traceback(qtbot, caplog) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    async def job() -> None:
        await jobs.in_thread(broken)

    task = jobs.start(job(), name="test job")
    qtbot.waitUntil(task.done)
    records = [r for r in caplog.records if r.name == "po_downloader.ui.jobs"]
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.ERROR, "background task failed"),
        (logging.ERROR, "test job failed"),
    ]
    assert all(r.exc_info is not None for r in records)


def test_an_expected_failure_is_logged_at_info_for_its_caller_to_word(qtbot, caplog) -> None:
    said: list[str] = []

    def locked() -> None:
        raise PermissionError("journal locked")

    async def job() -> None:
        try:
            await jobs.in_thread(locked, expected=(OSError,))
        except OSError as exc:
            said.append(str(exc))

    caplog.set_level(logging.INFO, "po_downloader.ui.jobs")
    jobs.start(job(), name="test job")
    qtbot.waitUntil(lambda: said == ["journal locked"])
    levels = {r.levelno for r in caplog.records if r.name == "po_downloader.ui.jobs"}
    assert levels == {logging.INFO}


def test_cancelling_waits_for_the_thread_before_the_cancellation_goes_on(qtbot) -> None:
    release = threading.Event()
    started = threading.Event()
    steps: list[str] = []

    def slow() -> str:
        started.set()
        release.wait(10)
        steps.append("thread ended")
        return "late answer"

    async def job() -> None:
        try:
            steps.append(await jobs.in_thread(slow))
        except asyncio.CancelledError:
            steps.append("cancelled")
            raise

    task = jobs.start(job(), name="test job")
    qtbot.waitUntil(started.is_set)
    task.cancel()
    qtbot.wait(50)
    assert not task.done() and steps == []  # the thread still runs: its owner is still busy
    release.set()
    qtbot.waitUntil(task.done)
    assert task.cancelled() and steps == ["thread ended", "cancelled"]
