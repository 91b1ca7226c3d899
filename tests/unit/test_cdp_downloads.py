"""DevTools download bookkeeping and the done/stall decision, fed fake events and a fake clock."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import pytest
from selenium import webdriver

from po_downloader.engine.browser.cdp_downloads import (
    CANCELED,
    COMPLETED,
    IN_PROGRESS,
    CdpUnavailable,
    DoneWatch,
    DownloadBook,
    DownloadInfo,
    DownloadTracker,
    Pairing,
    Verdict,
    Wanted,
    browser_websocket_url,
)
from po_downloader.engine.browser.launch import debugger_address

DIR = Path("/staging")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeDisk:
    def __init__(self) -> None:
        self.sizes: dict[Path, int] = {}

    def __call__(self, path: Path) -> int | None:
        return self.sizes.get(path)


def begin(guid: str, name: str = "a.pdf", url: str = "http://x/f") -> dict:
    return {
        "method": "Browser.downloadWillBegin",
        "params": {"frameId": "F", "guid": guid, "url": url, "suggestedFilename": name},
    }


def progress(guid: str, received: int, total: int = 100, state: str = IN_PROGRESS, **extra: object) -> dict:
    params = {"guid": guid, "receivedBytes": received, "totalBytes": total, "state": state, **extra}
    return {"method": "Browser.downloadProgress", "params": params}


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
    caplog.set_level(logging.DEBUG, logger="po_downloader.engine.browser.cdp_downloads")
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
    "po_downloader.engine.browser.cdp_downloads",
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
    "po_downloader.engine.browser.cdp_downloads", r"download g1: unknown state 'paused' ignored"
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


class FakeSocket:
    """Answers commands like Chromium and lets the test push events or kill the connection."""

    def __init__(self, refuse: str | None = None) -> None:
        self.refuse = refuse
        self.sent: list[dict] = []
        self._inbox: list[str] = []
        self._cond = threading.Condition()
        self._dead = False

    def push(self, message: dict) -> None:
        with self._cond:
            self._inbox.append(json.dumps(message))
            self._cond.notify_all()

    def die(self) -> None:
        with self._cond:
            self._dead = True
            self._cond.notify_all()

    def send(self, payload: str) -> None:
        message = json.loads(payload)
        self.sent.append(message)
        if message["method"] == self.refuse:
            self.push({"id": message["id"], "error": {"code": -32000, "message": "nope"}})
        else:
            self.push({"id": message["id"], "result": {}})

    def recv(self) -> str:
        with self._cond:
            self._cond.wait_for(lambda: self._inbox or self._dead)
            if self._inbox:
                return self._inbox.pop(0)
            raise ConnectionResetError("gone")

    def send_close(self) -> None:
        pass

    def abort(self) -> None:
        self.die()

    def shutdown(self) -> None:
        pass


def fake_tracker(sock: FakeSocket, tmp_path: Path) -> DownloadTracker:
    tracker = DownloadTracker(sock, tmp_path, timeout=1.0)  # type: ignore[arg-type]
    tracker._reader.start()
    tracker.set_download_dir(tmp_path)
    return tracker


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
        seen: list[int] = []
        outcome = tracker.wait_done(["g1"], stall_timeout=2.0, on_progress=seen.append)
        assert [i.guid for i in outcome.completed] == ["g1"] and seen[-1] == 3
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


# --- pairing: which download is which attachment's --------------------------------------------------

A_URL, B_URL = "http://portal/att/1/download", "http://portal/att/2/download"


def info(guid: str, url: str, name: str = "a.pdf") -> DownloadInfo:
    return DownloadInfo(guid, url, name, IN_PROGRESS, 0, 0, 1, DIR / guid)


def test_a_late_copy_of_one_attachment_is_never_the_next_ones() -> None:
    """A's URL start began nothing in time (an orphan) and its click did; the late copy of A that begins
    while B is awaited is not B's, whatever its name; B's own URL is."""
    pairing = Pairing(clock=FakeClock())
    a, b = Wanted.of(A_URL, "Quote.pdf"), Wanted.of(B_URL, "Spec.pdf")
    pairing.orphan(a)
    assert pairing.is_own(info("click", A_URL, "Quote.pdf"), a, {B_URL})
    late = info("late", A_URL, "Quote.pdf")
    assert not pairing.is_own(late, b, {A_URL})
    assert not pairing.is_own(info("same-name", A_URL, "Spec.pdf"), b, {A_URL})
    assert pairing.is_own(info("own", B_URL + "#frag", "Spec.pdf"), b, {A_URL})


def test_an_attachment_listed_twice_under_one_url_takes_a_download_of_that_url() -> None:
    pairing = Pairing(clock=FakeClock())
    first = Wanted.of(A_URL, "Invoice.pdf")
    pairing.orphan(first)
    assert pairing.is_own(info("g", A_URL, "Invoice.pdf"), Wanted.of(A_URL, "Invoice.pdf"), set())


def test_a_download_of_an_unlisted_url_is_the_started_ones_unless_an_orphan_could_have_begun_it() -> None:
    """A redirect or a click handler's own URL: the started attachment's download when nothing else was
    started; with an orphan about, only the suggested name can tell, and an ambiguous name tells nothing."""
    clock = FakeClock()
    pairing = Pairing(clock=clock, orphan_ttl=60.0)
    click_only = Wanted.of("", "Spec.pdf")
    elsewhere = "http://cdn/xyz"
    assert pairing.is_own(info("g1", elsewhere, "whatever.bin"), click_only, {A_URL})
    assert pairing.is_own(info("g2", A_URL, "Spec.pdf"), click_only, {A_URL}), "nothing else started"
    pairing.orphan(click_only)
    assert pairing.is_own(info("g2", elsewhere, "x.bin"), click_only), "its own orphan is no rival"
    pairing.orphan(Wanted.of(A_URL, "Quote.pdf"))
    assert not pairing.is_own(info("g2", A_URL, "Spec.pdf"), click_only, {A_URL}), "A's URL is A's"
    assert not pairing.is_own(info("g3", elsewhere, "Quote.pdf"), click_only)
    assert not pairing.is_own(info("g4", elsewhere, ""), click_only)
    assert pairing.is_own(info("g5", elsewhere, "spec.PDF"), click_only), "Chromium's form of the name"
    assert not pairing.is_own(info("g6", A_URL, "Spec.pdf"), click_only), "an orphan's URL, unlisted now"
    same = Wanted.of("", "Quote.pdf")
    assert not pairing.is_own(info("g7", elsewhere, "Quote.pdf"), same), "both could be: no guess"
    clock.advance(61.0)
    assert len(pairing) == 0
    pairing.orphan(Wanted.of(A_URL, "Quote.pdf"))
    clock.advance(59.0)
    assert not pairing.is_own(info("g8", elsewhere, "whatever.bin"), click_only)
    clock.advance(1.0)
    assert pairing.is_own(info("g8", elsewhere, "whatever.bin"), click_only), "the orphan's time is over"


def test_a_dropped_late_copy_ends_its_orphan() -> None:
    pairing = Pairing(clock=FakeClock())
    pairing.orphan(Wanted.of(A_URL, "Quote.pdf"))
    pairing.orphan(Wanted.of("", "Spec.pdf"))
    pairing.dropped(info("late", A_URL, "Quote.pdf"))
    assert len(pairing) == 1
    pairing.dropped(info("late2", "http://cdn/x", "Spec.pdf"))
    assert len(pairing) == 0
    pairing.dropped(info("stray", B_URL, "Other.pdf"))  # nobody's: nothing to end


def test_orphans_are_bounded() -> None:
    pairing = Pairing(clock=FakeClock(), max_orphans=4)
    for i in range(100):
        pairing.orphan(Wanted.of(f"http://portal/{i}", f"{i}.pdf"))
    assert len(pairing) == 4


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


@pytest.mark.expect_log("po_downloader.engine.browser.cdp_downloads", r"another DevTools client changed")
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
