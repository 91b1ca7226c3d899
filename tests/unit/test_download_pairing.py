"""One PO's downloads paired with its attachments by the real tracker, fed fake DevTools events.

The browser test (``tests/integration/test_download_pairing.py``) shows the same against Chromium; here
the order of events is exact, so each case is certain and cheap.
"""

from __future__ import annotations

from pathlib import Path

from po_downloader.engine import events as ev
from po_downloader.engine.browser.attachment_wait import ListVerdict
from po_downloader.engine.browser.portal import (
    FoundAttachment,
    Listing,
    PageChanged,
    PageKind,
    PageState,
)
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from po_downloader.engine.output.downloads import StagingDir
from po_downloader.engine.run.fetch import FetchSettings, PoFetcher
from tests.unit.test_cdp_downloads import COMPLETED, FakeSocket, begin, fake_tracker, progress

BASE = "http://portal.test"
A = FoundAttachment("Quote.pdf", "url", BASE + "/att/1/download", "a", object())  # type: ignore[arg-type]
B = FoundAttachment("Spec.pdf", "url", BASE + "/att/2/download", "b", object())  # type: ignore[arg-type]
C = FoundAttachment("Terms.pdf", "click", "", "c", object())  # type: ignore[arg-type]
D = FoundAttachment("Annex.pdf", "click", "", "d", object())  # type: ignore[arg-type]
BODY = {
    "Quote.pdf": b"%PDF quote",
    "Spec.pdf": b"%PDF spec, longer",
    "Terms.pdf": b"%PDF terms",
    "Annex.pdf": b"%PDF annex",
}


class Portal:
    """A PO page listing ``items``; what each start or click makes the browser report is scripted."""

    def __init__(self, items: list[FoundAttachment], sock: FakeSocket, staging: Path) -> None:
        self.sel = load_selectors()
        self.base_url = BASE
        self.url = BASE + "/order_headers/1"
        self.items, self.sock, self.staging = items, sock, staging
        self.on_start: dict[str, list[tuple[str, FoundAttachment]]] = {}
        self.on_click: dict[str, list[tuple[str, FoundAttachment]]] = {}
        self.clicked: list[str] = []
        self.errors: dict[str, Exception] = {}

    def download(self, guid: str, att: FoundAttachment) -> None:
        """The browser reports ``att``'s file as download ``guid``, begun and whole in staging."""
        self.sock.push(begin(guid, att.name, att.url or BASE + "/click-handler/" + att.key))
        body = BODY[att.name]
        (self.staging / guid).write_bytes(body)
        self.sock.push(progress(guid, len(body), len(body), COMPLETED))

    def open_po(self, digits: str) -> PageState:
        return PageState(PageKind.PO, "", self.url)

    def wait_attachments(self) -> Listing:
        return Listing(ListVerdict.LISTED, "", tuple(self.items))

    def supplier(self) -> str:
        return "ACME"

    def listed_now(self) -> tuple[FoundAttachment, ...]:
        return tuple(self.items)

    def start(self, att: FoundAttachment) -> None:
        if att.name in self.errors:
            raise self.errors[att.name]
        for guid, what in self.on_start.get(att.name, []):
            self.download(guid, what)

    def click(self, element: object) -> None:
        att = next(a for a in self.items if a.element is element)
        self.clicked.append(att.name)
        for guid, what in self.on_click.get(att.name, []):
            self.download(guid, what)

    def on_sign_in_page(self) -> bool:
        return False


def run(tmp_path: Path, items: list[FoundAttachment], script) -> tuple[ev.AttemptEnded, Path, Portal]:
    staging = tmp_path / "staging"
    staging.mkdir()
    sock = FakeSocket()
    with fake_tracker(sock, staging) as tracker:
        portal = Portal(items, sock, staging)
        script(portal)
        fetcher = PoFetcher(
            1,
            portal,  # type: ignore[arg-type]
            StagingDir(staging),
            FetchSettings(tmp_path / "root", download_timeout=2.0, begin_timeout=0.3),
            tracker,
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
