"""The DevTools connection: commands answered, events read on a thread, waits woken, rounds forgotten."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from selenium import webdriver

from po_downloader.engine.browser.cdp_downloads import (
    CdpUnavailable,
    DownloadTracker,
    browser_websocket_url,
)
from po_downloader.engine.browser.download_book import CANCELED, COMPLETED
from po_downloader.engine.browser.launch import debugger_address
from po_downloader.engine.events import FileBytes, bytes_in
from tests.helpers.devtools import FakeSocket, begin, fake_tracker, progress

A_URL, B_URL = "http://portal/att/1/download", "http://portal/att/2/download"


def test_tracker_sets_behaviour_and_pairs_clicks(tmp_path: Path) -> None:
    sock = FakeSocket()
    with fake_tracker(sock, tmp_path) as tracker:
        assert sock.sent[0]["method"] == "Browser.setDownloadBehavior"
        assert sock.sent[0]["params"] == {
            "behavior": "allowAndName",
            "downloadPath": str(tmp_path),
            "eventsEnabled": True,
        }
        cursor = tracker.mark()
        assert tracker.wait_begin(cursor, 0.05) is None
        sock.push(begin("g1", "x.pdf"))
        info = tracker.wait_begin(cursor, 2.0)
        assert info is not None and (info.guid, info.path) == ("g1", tmp_path / "g1")
        assert tracker.mark() == 1
        (tmp_path / "g1").write_bytes(b"abc")
        sock.push(progress("g1", 3, 3, COMPLETED))
        seen: list[tuple[FileBytes, ...]] = []
        outcome = tracker.wait_done(["g1"], stall_timeout=2.0, on_progress=seen.append)
        assert [i.guid for i in outcome.completed] == ["g1"] and bytes_in(seen[-1]) == 3
        tracker.cancel("g1")
        assert sock.sent[-1] == {"id": 2, "method": "Browser.cancelDownload", "params": {"guid": "g1"}}
        with pytest.raises(ValueError):
            tracker.wait_done(["unknown"], stall_timeout=1.0)
    assert not tracker.alive
    tracker.close()  # idempotent


def test_refused_behaviour_is_unavailable(tmp_path: Path) -> None:
    sock = FakeSocket(refuse="Browser.setDownloadBehavior")
    tracker = DownloadTracker(sock, tmp_path, timeout=1.0)  # type: ignore[arg-type]
    tracker._reader.start()
    with pytest.raises(CdpUnavailable, match="refused: nope"):
        tracker.set_download_dir(tmp_path)
    tracker.close()


@pytest.mark.expect_log("po_downloader.engine.browser.cdp_downloads", r"DevTools connection lost")
def test_dead_socket_wakes_waiters(tmp_path: Path) -> None:
    sock = FakeSocket()
    tracker = fake_tracker(sock, tmp_path)
    sock.push(begin("g1"))
    assert tracker.wait_begin(0, 2.0) is not None
    results: list[object] = []
    waiter = threading.Thread(
        target=lambda: results.append(tracker.wait_done(["g1"], stall_timeout=60.0)), daemon=True
    )
    waiter.start()
    sock.die()
    waiter.join(5.0)
    assert not waiter.is_alive(), "wait_done hung on a dead connection"
    (outcome,) = results
    assert outcome.interrupted and [i.guid for i in outcome.stalled] == ["g1"]  # type: ignore[attr-defined]
    assert not tracker.alive
    assert tracker.wait_begin(1, 60.0) is None, "returns at once"
    with pytest.raises(CdpUnavailable):
        tracker.set_download_dir(tmp_path)
    tracker.cancel("g1")  # best effort: no exception
    tracker.close()


def test_give_up_interrupts_wait(tmp_path: Path) -> None:
    sock = FakeSocket()
    with fake_tracker(sock, tmp_path) as tracker:
        sock.push(begin("g1"))
        tracker.wait_begin(0, 2.0)
        asked: list[bool] = []

        def give_up() -> bool:
            asked.append(True)
            return True

        outcome = tracker.wait_done(["g1"], stall_timeout=30.0, give_up=give_up, poll=0.05)
        assert outcome.interrupted and len(asked) == 1 and len(outcome.stalled) == 1


def test_wait_begin_skips_downloads_that_are_not_the_awaited_ones(tmp_path: Path) -> None:
    sock = FakeSocket()
    with fake_tracker(sock, tmp_path) as tracker:
        cursor = tracker.mark()
        sock.push(begin("late", "Quote.pdf", A_URL))
        assert tracker.wait_begin(cursor, 2.0) is not None, "without a rule: the first to begin"
        mine = lambda i: i.url == B_URL  # noqa: E731
        assert tracker.wait_begin(cursor, 0.2, mine) is None, "only another attachment's began"
        sock.push(begin("own", "Spec.pdf", B_URL))
        found = tracker.wait_begin(cursor, 2.0, mine)
        assert found is not None and found.guid == "own"


def test_a_dropped_signed_download_is_logged_without_its_query(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The line that tells a download was dropped names its source by path: a signed query is a
    credential, and the log is no place for one (the same rule as the line that tells it began)."""
    caplog.set_level(logging.INFO, logger="po_downloader.engine.browser.cdp_downloads")
    sock = FakeSocket()
    with fake_tracker(sock, tmp_path) as tracker:
        sock.push(begin("dup", "q.pdf", "https://s3.example/b/q.pdf?X-Amz-Signature=abc123&token=t0k"))
        assert tracker.wait_begin(0, 2.0) is not None
        (dropped,) = tracker.end_round(set())
    logged = [r.getMessage() for r in caplog.records if "dropped download" in r.getMessage()]
    assert logged and all("https://s3.example/b/q.pdf" in m for m in logged), logged
    assert not [m for m in logged if "abc123" in m or "t0k" in m or "Signature" in m]
    assert dropped.url.endswith("token=t0k")  # the download itself keeps its whole URL


@pytest.mark.expect_log("po_downloader.engine.browser.download_book", r"another DevTools client changed")
def test_end_round_drops_and_forgets_all_but_the_kept(tmp_path: Path) -> None:
    """The kept download's file stays; a dropped one that completed is deleted (named by its guid in our
    folder, never a file anyone else named); one still running is cancelled; all are forgotten, and an
    event that arrives afterwards for one of them is ignored."""
    sock = FakeSocket()
    with fake_tracker(sock, tmp_path) as tracker:
        sock.push(begin("keep", "Spec.pdf", B_URL))
        sock.push(begin("dup", "Quote.pdf", A_URL))
        sock.push(begin("running", "Quote.pdf", A_URL))
        elsewhere = tmp_path / "other" / "Named by someone.pdf"
        elsewhere.parent.mkdir()
        sock.push(begin("moved", "Named by someone.pdf", A_URL))
        for guid in ("keep", "dup"):
            (tmp_path / guid).write_bytes(b"abc")
            sock.push(progress(guid, 3, 3, COMPLETED))
        elsewhere.write_bytes(b"theirs")
        sock.push(progress("moved", 6, 6, COMPLETED, filePath=str(elsewhere)))
        assert tracker.wait_begin(0, 2.0, lambda i: i.guid == "moved" and i.state == COMPLETED)
        dropped = tracker.end_round({"keep"})
        assert sorted(i.guid for i in dropped) == ["dup", "moved", "running"]
        assert (tmp_path / "keep").read_bytes() == b"abc"
        assert not (tmp_path / "dup").exists()
        assert elsewhere.read_bytes() == b"theirs", "not our folder's guid file: never deleted"
        cancels = [m["params"]["guid"] for m in sock.sent if m["method"] == "Browser.cancelDownload"]
        assert cancels == ["running"]
        assert len(tracker) == 0 and tracker.info("keep") is None
        sock.push(progress("running", 0, 0, CANCELED))
        sock.push(begin("after", "x.pdf", A_URL))
        assert tracker.wait_begin(0, 2.0) is not None
        assert len(tracker) == 1, "the late event of a forgotten download is not kept"


def test_the_trackers_bookkeeping_stays_bounded_across_many_pos(tmp_path: Path) -> None:
    """A worker works thousands of POs with one tracker: what each PO downloaded is forgotten when it
    ends, and late or stray events cannot make it grow either."""
    sock = FakeSocket()
    with fake_tracker(sock, tmp_path) as tracker:
        for po in range(300):
            cursor = tracker.mark()
            guids = [f"po{po}-{i}" for i in range(3)]
            for guid in guids:
                sock.push(begin(guid, f"{guid}.pdf", f"http://portal/{guid}"))
                (tmp_path / guid).write_bytes(b"x")
                sock.push(progress(guid, 1, 1, COMPLETED))
            sock.push(progress(f"stray-{po}", 1, 1))  # never begins
            last = tracker.wait_begin(cursor, 2.0, lambda i, g=guids[-1]: i.guid == g)
            assert last is not None
            tracker.end_round(set(guids[:2]))
            sock.push(progress(guids[0], 1, 1, COMPLETED))  # late repeat of a forgotten one
            assert len(tracker) <= 64
        assert len(tracker) <= 64, f"{len(tracker)} records after 300 POs"


def test_no_endpoint_is_unavailable() -> None:
    with pytest.raises(CdpUnavailable):
        browser_websocket_url("127.0.0.1:1", timeout=1.0)
    with pytest.raises(CdpUnavailable):
        browser_websocket_url("not-an-address")
    with pytest.raises(CdpUnavailable):
        DownloadTracker.connect("", Path("/tmp"))


# --- browser.debugger_address -------------------------------------------------------------------


def bare(cls: type, caps: dict) -> object:
    driver = object.__new__(cls)
    driver.caps = caps  # type: ignore[attr-defined]
    return driver


def test_debugger_address_of_local_drivers_only() -> None:
    chrome = {"goog:chromeOptions": {"debuggerAddress": "localhost:39017"}}
    edge = {"ms:edgeOptions": {"debuggerAddress": "127.0.0.1:9222"}}
    assert debugger_address(bare(webdriver.Chrome, chrome)) == "localhost:39017"  # type: ignore[arg-type]
    assert debugger_address(bare(webdriver.Edge, edge)) == "127.0.0.1:9222"  # type: ignore[arg-type]
    assert debugger_address(bare(webdriver.Chrome, {})) is None  # type: ignore[arg-type]
    assert debugger_address(bare(webdriver.Remote, chrome)) is None  # type: ignore[arg-type]
    far = {"goog:chromeOptions": {"debuggerAddress": "10.0.0.5:9222"}}
    assert debugger_address(bare(webdriver.Chrome, far)) is None  # type: ignore[arg-type]
