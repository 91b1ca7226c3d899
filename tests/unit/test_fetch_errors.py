"""Selenium's errors leave ``browser/`` as ours, and one PO's fetch turns each into the same outcome as before.

The portal half runs ``CoupaPortal`` on a stand-in driver that raises Selenium's own exceptions; the fetch
half runs ``PoFetcher`` on a stand-in portal that raises ours. No browser, no Selenium in ``run/``.
"""

from __future__ import annotations

import errno
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from selenium.common.exceptions import JavascriptException, StaleElementReferenceException, TimeoutException

from po_downloader.engine import events as ev
from po_downloader.engine.browser.portal import (
    CoupaPortal,
    Listing,
    PageChanged,
    PageKind,
    PageState,
    PortalTimeout,
    SignInLost,
    StartFailed,
)
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.download_route import Attachment
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from po_downloader.engine.output.downloads import DiskProblem
from po_downloader.engine.run import fetch as fetch_module
from po_downloader.engine.run.fetch import PoFetcher
from tests.helpers.fetcher import ListingPortal, make_fetcher

BASE = "https://acme.example.com"

# ---------------------------------------------------------------- the portal: Selenium's errors → ours


class Driver:
    """Just enough WebDriver for CoupaPortal: every page load, script and element lookup raises ``error``."""

    current_url = BASE + "/order_headers/1"

    def __init__(self, error: Exception) -> None:
        self.error = error

    def set_page_load_timeout(self, seconds: float) -> None:
        pass

    def get(self, url: str) -> None:
        raise self.error

    def execute_script(self, script: str, *args: Any) -> Any:
        raise self.error

    def find_elements(self, by: str, value: str) -> list[Any]:
        raise self.error


def portal_raising(error: Exception) -> CoupaPortal:
    return CoupaPortal(Driver(error), load_selectors(), BASE)  # type: ignore[arg-type]


def attachment(name: str, url: str = "") -> Attachment:
    return Attachment(name, "url" if url else "click", url, name)


def test_a_refused_start_is_start_failed_naming_the_browser_error() -> None:
    portal = portal_raising(JavascriptException("blocked"))
    with pytest.raises(StartFailed) as caught:
        portal.start(attachment("a.pdf", url=BASE + "/a.pdf"))
    assert caught.value.kind == "JavascriptException"
    assert isinstance(caught.value.__cause__, JavascriptException)


def test_a_stale_element_is_page_changed_when_starting_and_when_reading() -> None:
    portal = portal_raising(StaleElementReferenceException("gone"))
    with pytest.raises(PageChanged) as caught:
        portal.click(listed_on(portal, "a.pdf"))
    assert caught.value.kind == "StaleElementReferenceException"
    with pytest.raises(PageChanged):
        portal.requisition_url()
    with pytest.raises(PageChanged):
        portal.listed_now()


def listed_on(portal: CoupaPortal, name: str) -> Attachment:
    """An attachment as the portal lists it: a plain value, its element kept by the portal."""
    (listed,) = portal._found(
        {"described": [{"name": name, "kind": "click", "url": "", "key": name}], "elements": [object()]}
    )
    return listed


def test_an_attachment_listed_on_a_page_since_left_is_not_started_on_the_next() -> None:
    """Only a handle leaves ``browser/``: once the browser opens another page, the old page's handle
    finds no element, and starting it is the page having changed (never a click on something else)."""
    portal = portal_raising(TimeoutException("slow"))
    listed = listed_on(portal, "a.pdf")
    with pytest.raises(PortalTimeout):
        portal.open(BASE + "/order_headers/2", "2")
    with pytest.raises(PageChanged) as caught:
        portal.start(listed)
    assert caught.value.kind == "not on this page"


# ---------------------------------------------------------------- the fetch: our errors → outcomes


class Portal(ListingPortal):
    """A portal whose PO page lists ``items``; ``start`` raises what ``errors`` maps for the attachment,
    reading the list raises ``wait_error``."""

    def __init__(
        self,
        items: list[Attachment],
        *,
        errors: dict[str, Exception] | None = None,
        wait_error: Exception | None = None,
    ) -> None:
        super().__init__(items, BASE)
        self.errors = errors or {}
        self.wait_error = wait_error

    def wait_attachments(self) -> Listing:
        if self.wait_error is not None:
            raise self.wait_error
        return super().wait_attachments()

    def start(self, att: Attachment) -> None:
        if att.name in self.errors:
            raise self.errors[att.name]

    def click(self, att: Attachment) -> None:
        raise AssertionError("no fallback click expected")


class Tracker:
    """A DevTools tracker under which no download ever begins."""

    alive = True

    def mark(self) -> int:
        return 0

    def wait_begin(self, after: int, timeout: float, accept: Any = None) -> None:
        return None

    def end_round(self, keep: Any) -> tuple[()]:
        return ()

    def wait_done(self, guids: list[str], **kw: Any) -> Any:
        assert guids == []
        return SimpleNamespace(completed=(), stalled=(), interrupted=False)


def fetch(
    tmp_path: Path, portal: Portal, tracker: Tracker | None = None
) -> tuple[ev.AttemptEnded, list[ev.Event]]:
    staging = tmp_path / "staging"
    staging.mkdir()
    fetcher = make_fetcher(portal, staging, tmp_path / "root", tracker)
    events: list[ev.Event] = []
    return fetcher.fetch(PoTask(PoNumber("1")), events.append), events


def failures(events: list[ev.Event]) -> dict[str, str]:
    return {e.name: e.reason for e in events if isinstance(e, ev.FileFailed)}


def test_a_page_that_changes_while_read_fails_the_po_for_a_retry(tmp_path: Path) -> None:
    portal = Portal([], wait_error=PageChanged("StaleElementReferenceException", "gone"))
    result, _ = fetch(tmp_path, portal)
    assert (result.outcome.status, result.retryable) == (PoStatus.FAILED, True)
    assert result.outcome.message == "the page changed while its attachments were read"


def test_folder_route_counts_any_refused_click_against_that_file_only(tmp_path: Path) -> None:
    items = [attachment("a.pdf"), attachment("b.pdf")]
    errors: dict[str, Exception] = {
        "a.pdf": PageChanged("StaleElementReferenceException", ""),
        "b.pdf": StartFailed("ElementNotInteractableException", ""),
    }
    result, events = fetch(tmp_path, Portal(items, errors=errors))
    assert failures(events) == {
        "a.pdf": "could not click (StaleElementReferenceException)",
        "b.pdf": "could not click (ElementNotInteractableException)",
    }
    assert (result.outcome.status, result.outcome.found, result.outcome.downloaded) == (PoStatus.FAILED, 2, 0)


def test_devtools_route_fails_one_file_that_would_not_start(tmp_path: Path) -> None:
    items = [attachment("a.pdf", url=BASE + "/a.pdf")]
    portal = Portal(items, errors={"a.pdf": StartFailed("JavascriptException", "blocked")})
    result, events = fetch(tmp_path, portal, Tracker())
    assert failures(events) == {"a.pdf": "could not start the download (JavascriptException)"}
    assert (result.outcome.status, result.outcome.found, result.outcome.downloaded) == (PoStatus.FAILED, 1, 0)


def test_devtools_route_starts_the_po_over_when_the_page_changed(tmp_path: Path) -> None:
    items = [attachment("a.pdf", url=BASE + "/a.pdf"), attachment("b.pdf", url=BASE + "/b.pdf")]
    portal = Portal(items, errors={"a.pdf": PageChanged("StaleElementReferenceException", "")})
    result, events = fetch(tmp_path, portal, Tracker())
    assert (result.outcome.status, result.retryable) == (PoStatus.FAILED, True)
    assert result.outcome.message == "the page changed while its attachments were read"
    assert failures(events) == {}


def test_a_po_sent_to_sign_in_says_where_the_browser_went(tmp_path: Path) -> None:
    """At the PO page, or in the middle of reading its list: the attempt names the sign-in page it reached
    (the controller quotes it when a PO keeps meeting sign-in), and the PO's own URL stays its URL."""
    sso = "https://login.microsoftonline.com/tenant/saml2"

    class SentAway(Portal):
        def open_po(self, digits: str) -> PageState:
            return PageState(PageKind.SIGN_IN, "", sso)

    result, _ = fetch(tmp_path, SentAway([]))
    assert (result.outcome.status, result.reached) == (PoStatus.SIGN_IN_REQUIRED, sso)
    assert result.outcome.url == BASE + "/order_headers/1"

    lost = Portal([], wait_error=SignInLost())
    lost.url = sso  # where the browser is when the list read finds the sign-in page
    (tmp_path / "again").mkdir()
    result, _ = fetch(tmp_path / "again", lost)
    assert (result.outcome.status, result.reached) == (PoStatus.SIGN_IN_REQUIRED, sso)


def test_a_po_cut_off_by_sign_in_leaves_no_empty_work_folder(tmp_path: Path) -> None:
    """Its list was read (so its work folder was made) but the session expired before any file arrived:
    no ``__WORK`` folder (nor an empty supplier folder) is left as if the PO had been worked."""

    class ExpiresAfterTheList(Portal):
        def click(self, att: Attachment) -> None:
            pass  # the click starts nothing either

        def listed_now(self) -> tuple[Attachment, ...]:
            raise SignInLost

    items = [attachment("a.pdf", url=BASE + "/a.pdf")]
    result, events = fetch(tmp_path, ExpiresAfterTheList(items), Tracker())
    assert result.outcome.status is PoStatus.SIGN_IN_REQUIRED
    found = [e for e in events if isinstance(e, ev.AttachmentsFound)]
    assert found and Path(found[0].folder).name.endswith("__WORK")  # it was made…
    assert not Path(found[0].folder).exists()  # …and is gone
    assert list((tmp_path / "root").iterdir()) == []


def test_files_that_arrived_before_the_sign_in_stay_for_the_next_attempt(tmp_path: Path) -> None:
    class ExpiresAfterTheList(Portal):
        seen: list[ev.Event]

        def click(self, att: Attachment) -> None:
            pass

        def listed_now(self) -> tuple[Attachment, ...]:
            found = [e for e in self.seen if isinstance(e, ev.AttachmentsFound)]
            (Path(found[0].folder) / "a.pdf").write_bytes(b"%PDF")  # as if it had been saved
            raise SignInLost

    portal = ExpiresAfterTheList([attachment("a.pdf", url=BASE + "/a.pdf")])
    staging = tmp_path / "staging"
    staging.mkdir()
    fetcher = make_fetcher(portal, staging, tmp_path / "root", Tracker())
    portal.seen = []
    result = fetcher.fetch(PoTask(PoNumber("1")), portal.seen.append)
    assert result.outcome.status is PoStatus.SIGN_IN_REQUIRED
    assert [p.name for p in (tmp_path / "root").rglob("*") if p.is_file()] == ["a.pdf"]


def test_a_supplier_folder_planted_as_a_link_fails_the_po_and_nothing_is_written_through_it(
    tmp_path: Path,
) -> None:
    """``<root>/ACME`` links outside the root: the PO fails for good (a retry would meet the same link),
    the message names the link, and nothing lands where it points."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "ACME").symlink_to(outside, target_is_directory=True)
    result, events = fetch(tmp_path, Portal([attachment("a.pdf", url=BASE + "/a.pdf")]), Tracker())
    assert (result.outcome.status, result.retryable) == (PoStatus.FAILED, False)
    assert "ACME" in result.outcome.message and "link" in result.outcome.message
    assert result.outcome.kind is ErrorKind.FOLDER_IS_LINK
    assert result.outcome.details == {"path": "ACME", "target": str(outside)}
    assert list(outside.iterdir()) == []
    assert not [e for e in events if isinstance(e, ev.AttachmentsFound)]


# ---------------------------------------------------------------- the disk: no PO's verdict, the batch stops


class Downloads:
    """A DevTools tracker whose downloads all begin; ``a.pdf`` lands in staging, every other one is
    cancelled by the browser after announcing ``total`` bytes."""

    alive = True

    def __init__(self, staging: Path, total: int) -> None:
        self.staging, self.total, self.begun = staging, total, 0

    def mark(self) -> int:
        return self.begun

    def wait_begin(self, after: int, timeout: float, accept: Any = None) -> SimpleNamespace:
        self.begun += 1
        return SimpleNamespace(guid=f"g{self.begun}")

    def end_round(self, keep: Any) -> tuple[()]:
        return ()

    def info(self, guid: str) -> SimpleNamespace:
        return SimpleNamespace(total_bytes=self.total)

    def wait_done(self, guids: list[str], **kw: Any) -> Any:
        (self.staging / "g1").write_bytes(b"%PDF whole")
        done = SimpleNamespace(
            guid="g1",
            url=BASE + "/a.pdf",
            suggested_filename="a.pdf",
            path=self.staging / "g1",
            received_bytes=10,
        )
        return SimpleNamespace(completed=(done,), stalled=(), interrupted=False)


def fetch_with_downloads(tmp_path: Path, total: int) -> tuple[PoFetcher, list[ev.Event]]:
    staging = tmp_path / "staging"
    staging.mkdir()
    items = [attachment("a.pdf", url=BASE + "/a.pdf"), attachment("big.zip", url=BASE + "/big.zip")]
    fetcher = make_fetcher(Portal(items), staging, tmp_path / "root", Downloads(staging, total))
    return fetcher, []


def test_a_download_dropped_because_it_cannot_fit_stops_without_a_verdict(tmp_path: Path) -> None:
    """Not PARTIAL "the browser cancelled the download": the disk is full. The file that arrived is placed
    whole and stays in the PO's work folder for the next run; nothing is failed."""
    fetcher, events = fetch_with_downloads(tmp_path, total=1 << 60)
    with pytest.raises(DiskProblem) as caught:
        fetcher.fetch(PoTask(PoNumber("1")), events.append)
    assert caught.value.kind is ErrorKind.DISK_FULL
    assert caught.value.details["path"] == str(tmp_path / "root")
    (work,) = (tmp_path / "root").rglob("*__WORK")
    assert {p.name: p.read_bytes() for p in work.iterdir()} == {"a.pdf": b"%PDF whole"}
    assert [e.name for e in events if isinstance(e, ev.FileSaved)] == ["a.pdf"]
    assert not failures(events)


def test_a_download_dropped_with_room_to_spare_is_that_file_failing(tmp_path: Path) -> None:
    fetcher, events = fetch_with_downloads(tmp_path, total=10)
    result = fetcher.fetch(PoTask(PoNumber("1")), events.append)
    assert (result.outcome.status, result.outcome.found, result.outcome.downloaded) == (
        PoStatus.PARTIAL,
        2,
        1,
    )
    assert failures(events) == {"big.zip": "the browser cancelled the download"}


def test_a_move_into_the_po_folder_that_finds_no_space_stops_without_a_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(staged: Path, folder: Path, name: str, max_len: int | None = None) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / name))

    monkeypatch.setattr(fetch_module, "place_download", no_space)
    fetcher, events = fetch_with_downloads(tmp_path, total=10)
    with pytest.raises(DiskProblem) as caught:
        fetcher.fetch(PoTask(PoNumber("1")), events.append)
    assert caught.value.kind is ErrorKind.DISK_FULL
    assert (tmp_path / "staging" / "g1").read_bytes() == b"%PDF whole"  # left in staging, never half-moved
    assert not list((tmp_path / "root").rglob("*__WORK")), "an empty work folder is not left behind"


def test_a_po_folder_that_cannot_be_made_on_a_read_only_disk_stops_without_a_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(self: Path, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    fetcher, events = fetch_with_downloads(tmp_path, total=10)
    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(DiskProblem) as caught:
        fetcher.fetch(PoTask(PoNumber("1")), events.append)
    assert caught.value.kind is ErrorKind.DISK_READ_ONLY
