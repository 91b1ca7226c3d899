"""DevTools download bookkeeping and the done/stall decision, fed fake events and a fake clock."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from po_downloader.engine.browser.download_book import (
    CANCELED,
    COMPLETED,
    IN_PROGRESS,
    DoneWatch,
    DownloadBook,
    DownloadInfo,
    Verdict,
)
from tests.helpers.devtools import FakeClock, FakeDisk, begin, progress

DIR = Path("/staging")


def infos(book: DownloadBook, *guids: str) -> dict[str, DownloadInfo]:
    found = {g: book.get(g) for g in guids}
    assert all(found.values())
    return found  # type: ignore[return-value]


# --- DownloadBook ---------------------------------------------------------------------------------


def test_begin_progress_completed() -> None:
    book = DownloadBook(DIR)
    assert book.apply(begin("g1", "relatório.pdf", "http://portal/att/1"))
    info = book.get("g1")
    assert info == DownloadInfo(
        "g1", "http://portal/att/1", "relatório.pdf", IN_PROGRESS, 0, 0, 1, DIR / "g1"
    )
    assert book.apply(progress("g1", 40))
    assert not book.apply(progress("g1", 40)), "a repeated event is no change"
    assert book.apply(progress("g1", 100, state=COMPLETED, filePath=str(DIR / "g1")))
    done = book.get("g1")
    assert done is not None
    assert (done.state, done.received_bytes, done.total_bytes, done.path) == (COMPLETED, 100, 100, DIR / "g1")


def test_a_signed_download_url_is_logged_without_its_query(caplog: pytest.LogCaptureFixture) -> None:
    """The URL Chromium reports may be signed: its query is a credential, logs keep the path."""
    caplog.set_level(logging.DEBUG, logger="po_downloader.engine.browser.download_book")
    book = DownloadBook(DIR)
    book.apply(begin("g1", url="https://s3.example/b/q.pdf?X-Amz-Signature=abc123&token=t0k"))
    logged = [r.getMessage() for r in caplog.records]
    assert any("https://s3.example/b/q.pdf" in m for m in logged), logged
    assert not [m for m in logged if "abc123" in m or "t0k" in m or "Signature" in m]
    info = book.get("g1")
    assert info is not None and info.url.endswith("token=t0k")  # the download itself keeps its whole URL


def test_final_states_stick() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1"))
    book.apply(progress("g1", 0, state=CANCELED))
    assert not book.apply(progress("g1", 50))
    assert book.get("g1").state == CANCELED  # type: ignore[union-attr]


@pytest.mark.expect_log(
    "po_downloader.engine.browser.download_book",
    r"download g1 was saved as .*another DevTools client changed the download behaviour",
)
def test_completed_elsewhere_follows_file_path() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1", "a.pdf"))
    book.apply(progress("g1", 5, 5, COMPLETED, filePath="/other/a.pdf"))
    assert book.get("g1").path == Path("/other/a.pdf")  # type: ignore[union-attr]


def test_progress_before_begin_is_kept() -> None:
    book = DownloadBook(DIR)
    assert not book.apply(progress("g1", 7))
    book.apply(begin("g1"))
    assert book.get("g1").received_bytes == 7  # type: ignore[union-attr]


@pytest.mark.expect_log(
    "po_downloader.engine.browser.download_book", r"download g1: unknown state 'paused' ignored"
)
def test_junk_messages_are_ignored() -> None:
    book = DownloadBook(DIR)
    for message in (
        {},
        {"method": "Browser.downloadWillBegin"},
        {"method": "Browser.downloadWillBegin", "params": {"guid": ""}},
        {"method": "Page.frameNavigated", "params": {"guid": "x"}},
        {"method": "Browser.downloadProgress", "params": "nonsense"},
    ):
        assert not book.apply(message)
    assert book.latest_seq == 0
    book.apply(begin("g1"))
    assert not book.apply(begin("g1")), "a repeated begin keeps the first"
    assert not book.apply(progress("g1", 0, 0, state="paused"))  # type: ignore[arg-type]
    assert book.get("g1").state == IN_PROGRESS  # type: ignore[union-attr]


def test_first_after_follows_arrival_order() -> None:
    book = DownloadBook(DIR)
    cursor = book.latest_seq
    assert book.first_after(cursor) is None
    book.apply(begin("g-b"))
    book.apply(begin("g-a"))
    assert book.first_after(cursor).guid == "g-b"  # type: ignore[union-attr]
    assert book.first_after(1).guid == "g-a"  # type: ignore[union-attr]
    assert book.first_after(2) is None
    assert [book.get(g).seq for g in ("g-b", "g-a")] == [1, 2]  # type: ignore[union-attr]


def test_new_dir_applies_to_later_downloads_only() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1"))
    book.download_dir = Path("/next")
    book.apply(begin("g2"))
    assert book.get("g1").path == DIR / "g1"  # type: ignore[union-attr]
    assert book.get("g2").path == Path("/next/g2")  # type: ignore[union-attr]


# --- DoneWatch ------------------------------------------------------------------------------------


def make_watch(*guids: str, stall: float = 2.0) -> tuple[DoneWatch, FakeClock, FakeDisk]:
    clock, disk = FakeClock(), FakeDisk()
    return DoneWatch(guids, stall_timeout=stall, clock=clock, size_of=disk), clock, disk


def test_completed_counts_once_whole_on_disk() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1"))
    watch, clock, disk = make_watch("g1")
    assert watch.look(infos(book, "g1")).verdict is Verdict.WAIT
    book.apply(progress("g1", 100, state=COMPLETED))
    disk.sizes[DIR / "g1"] = 60
    clock.advance(0.1)
    assert watch.look(infos(book, "g1")).verdict is Verdict.WAIT, "the event came before the disk agrees"
    disk.sizes[DIR / "g1"] = 100
    clock.advance(0.1)
    look = watch.look(infos(book, "g1"))
    assert (look.verdict, look.received) == (Verdict.DONE, 100)
    outcome = watch.outcome(infos(book, "g1"), interrupted=False)
    assert [i.guid for i in outcome.completed] == ["g1"]
    assert outcome.stalled == outcome.canceled == ()


def test_completed_but_never_whole_is_stalled() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1"))
    book.apply(progress("g1", 100, state=COMPLETED))
    watch, clock, disk = make_watch("g1")
    disk.sizes[DIR / "g1"] = 10
    watch.look(infos(book, "g1"))
    clock.advance(2.0)
    assert watch.look(infos(book, "g1")).verdict is Verdict.STALLED
    outcome = watch.outcome(infos(book, "g1"), interrupted=False)
    assert [i.guid for i in outcome.stalled] == ["g1"] and not outcome.completed


def test_zero_byte_file_completes() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g0"))
    book.apply(progress("g0", 0, 0, COMPLETED))
    watch, _, disk = make_watch("g0")
    assert watch.look(infos(book, "g0")).verdict is Verdict.WAIT, "no file yet"
    disk.sizes[DIR / "g0"] = 0
    assert watch.look(infos(book, "g0")).verdict is Verdict.DONE


def test_canceled_is_done_and_reported() -> None:
    book = DownloadBook(DIR)
    for guid in ("g1", "g2"):
        book.apply(begin(guid))
    book.apply(progress("g1", 0, state=CANCELED))
    book.apply(progress("g2", 3, 3, COMPLETED))
    watch, _, disk = make_watch("g1", "g2")
    disk.sizes[DIR / "g2"] = 3
    assert watch.look(infos(book, "g1", "g2")).verdict is Verdict.DONE
    outcome = watch.outcome(infos(book, "g1", "g2"), interrupted=False)
    assert [i.guid for i in outcome.canceled] == ["g1"]
    assert [i.guid for i in outcome.completed] == ["g2"]


def test_no_progress_stalls() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1"))
    book.apply(progress("g1", 10))
    watch, clock, _ = make_watch("g1", stall=2.0)
    watch.look(infos(book, "g1"))
    clock.advance(1.9)
    book.apply(progress("g1", 10))  # Chromium repeats events with nothing new in them
    assert watch.look(infos(book, "g1")).verdict is not Verdict.STALLED
    clock.advance(0.2)
    assert watch.look(infos(book, "g1")).verdict is Verdict.STALLED
    outcome = watch.outcome(infos(book, "g1"), interrupted=False)
    assert [i.received_bytes for i in outcome.stalled] == [10]
    assert not outcome.interrupted


def test_progress_resets_the_stall_timer() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1"))
    watch, clock, disk = make_watch("g1", stall=2.0)
    watch.look(infos(book, "g1"))
    for received in (10, 20, 30):
        clock.advance(1.5)
        book.apply(progress("g1", received))
        look = watch.look(infos(book, "g1"))
        assert look.changed and look.received == received and look.verdict is not Verdict.STALLED
    clock.advance(1.5)
    disk.sizes[DIR / "g1.crdownload"] = 45  # the partial file grows between events
    look = watch.look(infos(book, "g1"))
    assert look.changed and look.received == 45, "the partial file is ahead of the events"
    clock.advance(1.9)
    assert watch.look(infos(book, "g1")).verdict is not Verdict.STALLED
    clock.advance(0.2)
    assert watch.look(infos(book, "g1")).verdict is Verdict.STALLED


def test_give_up_is_asked_once_per_quiet_second() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1"))
    watch, clock, _ = make_watch("g1", stall=10.0)
    verdicts = []
    for _ in range(30):
        verdicts.append(watch.look(infos(book, "g1")).verdict)
        clock.advance(0.1)
    assert verdicts.count(Verdict.ASK) == 2  # at 1.0 s and 2.0 s of quiet
    book.apply(progress("g1", 5))
    assert watch.look(infos(book, "g1")).verdict is Verdict.WAIT, "progress restarts the second"


def test_duplicate_guids_are_waited_for_once() -> None:
    watch, _, _ = make_watch("g1", "g1", "g2")
    assert watch.guids == ("g1", "g2")


# --- the tracker, on a fake websocket ----------------------------------------------------------
