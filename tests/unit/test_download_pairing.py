"""Which download is which attachment's: ``Pairing`` alone, then one PO's downloads paired with its
attachments by the real tracker, fed fake DevTools events.

The browser test (``tests/integration/test_download_pairing.py``) shows the same against Chromium; here
the order of events is exact, so each case is certain and cheap.
"""

from __future__ import annotations

from pathlib import Path

from po_downloader.engine import events as ev
from po_downloader.engine.browser.download_book import COMPLETED, IN_PROGRESS, DownloadInfo
from po_downloader.engine.browser.download_pairing import Pairing, Wanted
from po_downloader.engine.browser.portal import (
    PageChanged,
)
from po_downloader.engine.download_route import Attachment
from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from tests.helpers.devtools import FakeClock, FakeSocket, begin, fake_tracker, progress
from tests.helpers.fetcher import ListingPortal, make_fetcher

BASE = "http://portal.test"
DIR = Path("/staging")
A_URL, B_URL = "http://portal/att/1/download", "http://portal/att/2/download"

# --- Pairing alone ---------------------------------------------------------------------------------


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


# --- one PO on the tracker -------------------------------------------------------------------------

A = Attachment("Quote.pdf", "url", BASE + "/att/1/download", "a")
B = Attachment("Spec.pdf", "url", BASE + "/att/2/download", "b")
C = Attachment("Terms.pdf", "click", "", "c")
D = Attachment("Annex.pdf", "click", "", "d")
BODY = {
    "Quote.pdf": b"%PDF quote",
    "Spec.pdf": b"%PDF spec, longer",
    "Terms.pdf": b"%PDF terms",
    "Annex.pdf": b"%PDF annex",
}


class Portal(ListingPortal):
    """A PO page listing ``items``; what each start or click makes the browser report is scripted."""

    def __init__(self, items: list[Attachment], sock: FakeSocket, staging: Path) -> None:
        super().__init__(items, BASE)
        self.sock, self.staging = sock, staging
        self.on_start: dict[str, list[tuple[str, Attachment]]] = {}
        self.on_click: dict[str, list[tuple[str, Attachment]]] = {}
        self.clicked: list[str] = []
        self.errors: dict[str, Exception] = {}

    def download(self, guid: str, att: Attachment) -> None:
        """The browser reports ``att``'s file as download ``guid``, begun and whole in staging."""
        self.sock.push(begin(guid, att.name, att.url or BASE + "/click-handler/" + att.key))
        body = BODY[att.name]
        (self.staging / guid).write_bytes(body)
        self.sock.push(progress(guid, len(body), len(body), COMPLETED))

    def start(self, att: Attachment) -> None:
        if att.name in self.errors:
            raise self.errors[att.name]
        for guid, what in self.on_start.get(att.name, []):
            self.download(guid, what)

    def click(self, att: Attachment) -> None:
        self.clicked.append(att.name)
        for guid, what in self.on_click.get(att.name, []):
            self.download(guid, what)


def run(tmp_path: Path, items: list[Attachment], script) -> tuple[ev.AttemptEnded, Path, Portal]:
    staging = tmp_path / "staging"
    staging.mkdir()
    sock = FakeSocket()
    with fake_tracker(sock, staging) as tracker:
        portal = Portal(items, sock, staging)
        script(portal)
        fetcher = make_fetcher(
            portal, staging, tmp_path / "root", tracker, stall_timeout=2.0, begin_timeout=0.3
        )
        ended = fetcher.fetch(PoTask(PoNumber("1")), lambda e: None)
        assert len(tracker) == 0, "the PO's downloads are forgotten when it ends"
    return ended, staging, portal


def files(ended: ev.AttemptEnded) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in Path(ended.outcome.folder).iterdir()}


def test_a_late_copy_of_one_attachment_is_not_the_next_attachments_file(tmp_path: Path) -> None:
    """A's URL answers after the begin timeout, so A is clicked too; A's late copy begins while B is
    awaited, before B's own download. Before: B was credited with A's bytes, "COMPLETED" with 1 file."""

    def script(portal: Portal) -> None:
        portal.on_click["Quote.pdf"] = [("a-clicked", A)]
        portal.on_start["Spec.pdf"] = [("a-late", A), ("b", B)]

    ended, staging, portal = run(tmp_path, [A, B], script)
    assert portal.clicked == ["Quote.pdf"]
    assert ended.outcome.status is PoStatus.COMPLETED, ended.outcome.message
    assert (ended.outcome.found, ended.outcome.downloaded) == (2, 2)
    assert files(ended) == {"Quote.pdf": BODY["Quote.pdf"], "Spec.pdf": BODY["Spec.pdf"]}
    assert list(staging.iterdir()) == [], "the late copy is dropped, not left in staging"


def test_a_click_only_attachment_does_not_take_an_earlier_ones_late_copy(tmp_path: Path) -> None:
    def script(portal: Portal) -> None:
        portal.on_click["Quote.pdf"] = [("a-clicked", A)]
        portal.on_start["Terms.pdf"] = [("a-late", A), ("c", C)]

    ended, _, _ = run(tmp_path, [A, C], script)
    assert ended.outcome.status is PoStatus.COMPLETED, ended.outcome.message
    assert files(ended) == {"Quote.pdf": BODY["Quote.pdf"], "Terms.pdf": BODY["Terms.pdf"]}


def test_a_download_that_begins_after_its_click_too_is_still_its_own(tmp_path: Path) -> None:
    """Neither A's URL nor its click began in time, but A's download begins while B is started: it is
    A's own bytes, so A counts; B is not credited with it."""

    def script(portal: Portal) -> None:
        portal.on_start["Spec.pdf"] = [("a-late", A), ("b", B)]

    ended, _, _ = run(tmp_path, [A, B], script)
    assert ended.outcome.status is PoStatus.COMPLETED, ended.outcome.message
    assert files(ended) == {"Quote.pdf": BODY["Quote.pdf"], "Spec.pdf": BODY["Spec.pdf"]}


def test_an_attachment_whose_own_download_never_begins_is_missing_not_credited(tmp_path: Path) -> None:
    """Only A's late copy begins after B is started: B is missing (PARTIAL, retried), never done."""

    def script(portal: Portal) -> None:
        portal.on_click["Quote.pdf"] = [("a-clicked", A)]
        portal.on_start["Spec.pdf"] = [("a-late", A)]
        portal.on_click["Spec.pdf"] = []

    ended, staging, _ = run(tmp_path, [A, B], script)
    assert ended.outcome.status is PoStatus.PARTIAL
    assert (ended.outcome.found, ended.outcome.downloaded) == (2, 1)
    assert "Spec.pdf: clicking it started no download" in ended.outcome.message
    assert files(ended) == {"Quote.pdf": BODY["Quote.pdf"]}
    assert list(staging.iterdir()) == []


def test_a_click_only_attachment_that_begins_late_is_not_the_next_click_only_ones(tmp_path: Path) -> None:
    """C (click-only) begins its download only after D was clicked, and before D's own: each still gets
    its own file, told apart by the name the server gave it."""

    def script(portal: Portal) -> None:
        portal.on_start["Annex.pdf"] = [("c-late", C), ("d", D)]

    ended, staging, _ = run(tmp_path, [C, D], script)
    assert ended.outcome.status is PoStatus.COMPLETED, ended.outcome.message
    assert files(ended) == {"Terms.pdf": BODY["Terms.pdf"], "Annex.pdf": BODY["Annex.pdf"]}
    assert list(staging.iterdir()) == []


def test_a_round_cut_short_drops_and_forgets_what_began(tmp_path: Path) -> None:
    """The page changed before B could be started: the attempt ends without a verdict (retried), and A's
    download, which will never be placed, is not left in staging nor in the tracker's books."""

    def script(portal: Portal) -> None:
        portal.on_start["Quote.pdf"] = [("a", A)]
        portal.errors["Spec.pdf"] = PageChanged("StaleElementReferenceException", "")

    ended, staging, _ = run(tmp_path, [A, B], script)
    assert ended.outcome.status is PoStatus.FAILED and ended.retryable
    assert list(staging.iterdir()) == []
