"""Statuses the page did not prove (issue 14, items 6-8), without a browser.

* an error page that is not the portal's own (a CDN's, a proxy's, a bare 403) fails the PO for a retry;
* a requisition the portal says is not there or not ours is no "no attachments": the PO fails, naming it;
* a page script that throws is a look like any other: the cap and the deadline still end the wait.

The portal half runs ``CoupaPortal`` on a stand-in driver and a fake clock (a loop that would never end
hits the driver's call limit instead of hanging the suite); the fetch half runs ``PoFetcher`` on a stand-in
portal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import JavascriptException

from po_downloader.engine import events as ev
from po_downloader.engine.browser import portal as portal_module
from po_downloader.engine.browser.attachment_wait import (
    AttachmentsLook,
    AttachmentsWait,
    WaitRules,
)
from po_downloader.engine.browser.portal import CoupaPortal, Listing, PageKind, PageState, PortalTimeout
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.models import ListVerdict, PoNumber, PoStatus, PoTask
from tests.helpers.fetcher import make_fetcher

BASE = "https://acme.coupahost.com"
CALL_LIMIT = 5000
"""Script calls a stand-in driver answers before it calls the loop endless (fake time: ~12 min of polls)."""


class Clock:
    """``time`` for the portal module: ``sleep`` moves the clock on, nothing waits."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class ThrowingPage:
    """A driver whose every page script throws, as Chromium does when ``new URL()`` meets a bad value."""

    current_url = BASE + "/order_headers/1"

    def __init__(self) -> None:
        self.calls = 0

    def set_page_load_timeout(self, seconds: float) -> None:
        pass

    def get(self, url: str) -> None:
        pass

    def execute_script(self, script: str, *args: Any) -> Any:
        self.calls += 1
        if self.calls > CALL_LIMIT:
            raise AssertionError("the wait never ended: only a watchdog would stop it")
        raise JavascriptException("javascript error: Failed to construct 'URL': Invalid URL")

    def find_elements(self, by: str, value: str) -> list[Any]:
        return []


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(portal_module, "time", fake)
    return fake


def test_a_throwing_attachments_scan_ends_at_the_cap_naming_the_error(clock: Clock) -> None:
    driver = ThrowingPage()
    portal = CoupaPortal(driver, load_selectors(), BASE, wait_rules=WaitRules(cap=20.0))  # type: ignore[arg-type]
    started = clock.now
    listing = portal.wait_attachments()
    assert listing.verdict is ListVerdict.UNCONFIRMED
    assert "could not be read for 20 s" in listing.reason and "Invalid URL" in listing.reason
    assert clock.now - started < 21  # the cap, on the fake clock: not the 900 s watchdog


class ThrowsOnTheFinalRead(ThrowingPage):
    """The looks show one settled attachment; the read that fetches its element always throws."""

    def execute_script(self, script: str, *args: Any) -> Any:
        if args and args[-1] is False:  # a look (no elements wanted)
            return {"section": True, "items": ["click|a.pdf|"], "in_section": 1, "signature": "s1"}
        return super().execute_script(script, *args)


def test_a_throwing_final_read_also_ends_at_the_cap(clock: Clock) -> None:
    """Once the read with the elements threw straight out of the wait as Selenium's own error."""
    portal = CoupaPortal(ThrowsOnTheFinalRead(), load_selectors(), BASE, wait_rules=WaitRules(cap=20.0))  # type: ignore[arg-type]
    listing = portal.wait_attachments()
    assert listing.verdict is ListVerdict.UNCONFIRMED
    assert "could not be read for 20 s" in listing.reason and "Invalid URL" in listing.reason


def test_a_throwing_page_observer_still_meets_the_page_deadline(clock: Clock) -> None:
    driver = ThrowingPage()
    portal = CoupaPortal(driver, load_selectors(), BASE, page_timeout=30.0)  # type: ignore[arg-type]
    with pytest.raises(PortalTimeout, match="did not settle within 30 s.*Invalid URL"):
        portal.open_po("1")


def test_an_unreadable_look_waits_until_the_cap_then_says_why() -> None:
    wait = AttachmentsWait(WaitRules(settle=2, empty_window=8, cap=20), start=0.0)
    assert wait.unreadable("boom", 19.9).verdict is ListVerdict.WAIT
    late = wait.unreadable("boom", 20.0)
    assert (late.verdict, late.reason) == (
        ListVerdict.UNCONFIRMED,
        "the attachments could not be read for 20 s: boom",
    )


def test_a_throwing_look_between_good_ones_does_not_restart_the_cap() -> None:
    wait = AttachmentsWait(WaitRules(settle=2, empty_window=8, cap=20), start=0.0)
    busy = AttachmentsLook(section=True, busy=True)
    assert wait.observe(busy, 10.0).verdict is ListVerdict.WAIT
    assert wait.unreadable("boom", 15.0).verdict is ListVerdict.WAIT
    assert wait.observe(busy, 20.0).verdict is ListVerdict.UNCONFIRMED


# ---------------------------------------------------------------- the fetch: what the PO ends as


class Portal:
    """A PO page that is ``state``; its list is ``listing``; its requisition link opens ``requisition``."""

    def __init__(
        self,
        state: PageState,
        listing: Listing | None = None,
        requisition: PageState | None = None,
    ) -> None:
        self.sel = load_selectors()
        self.base_url = BASE
        self.url = BASE + "/order_headers/1"
        self.state = state
        self.listing = listing or Listing(ListVerdict.EMPTY, "No attachments")
        self.requisition = requisition
        self.opened: list[str] = []

    def open_po(self, digits: str) -> PageState:
        return self.state

    def wait_listing(self) -> Listing:
        """The portal's hand-over; a final list here (nothing to confirm)."""
        return self.wait_attachments()

    def wait_attachments(self) -> Listing:
        return self.listing

    def supplier(self) -> str:
        return "ACME"

    def requisition_url(self) -> str | None:
        return BASE + "/requisition_headers/30000071" if self.requisition else None

    def open(self, url: str, digits: str, *, requisition: bool = False) -> PageState:
        self.opened.append(url)
        assert self.requisition is not None
        return self.requisition


def fetch(tmp_path: Path, portal: Portal) -> tuple[ev.AttemptEnded, Path]:
    staging = tmp_path / "staging"
    staging.mkdir()
    root = tmp_path / "root"
    fetcher = make_fetcher(portal, staging, root)
    return fetcher.fetch(PoTask(PoNumber("1")), lambda _event: None), root


def test_a_page_that_is_not_the_portals_fails_the_po_for_a_retry_naming_who_answered(tmp_path: Path) -> None:
    detail = "acme.coupahost.com answered HTTP 403 Access Denied (not the portal's own page)"
    result, root = fetch(tmp_path, Portal(PageState(PageKind.UNPROVEN, detail, BASE + "/order_headers/1")))
    assert (result.outcome.status, result.retryable, result.outcome.message) == (
        PoStatus.FAILED,
        True,
        detail,
    )
    assert result.outcome.status.worth_retrying  # "Retry failed" runs it again; resume does not keep it
    assert not root.exists() or not any(root.iterdir())


@pytest.mark.parametrize(
    ("kind", "why"), [(PageKind.NOT_FOUND, "not found"), (PageKind.NO_ACCESS, "no access")]
)
def test_an_unreachable_requisition_is_no_success(tmp_path: Path, kind: PageKind, why: str) -> None:
    """The PO lists nothing and its requisition, where the files may be, answers not found / no access:
    once NO_ATTACHMENTS (success, exit 0); now FAILED, naming the requisition and why, and no folder."""
    said = "You are not authorized to view this page"
    portal = Portal(
        PageState(PageKind.PO), requisition=PageState(kind, said, BASE + "/requisition_headers/30000071")
    )
    result, root = fetch(tmp_path, portal)
    assert portal.opened == [BASE + "/requisition_headers/30000071"]
    assert result.outcome.status is PoStatus.FAILED and not result.outcome.status.is_success
    assert result.retryable is False  # the portal's own page said so: retrying in this batch cannot help
    assert "requisition 30000071 is not reachable" in result.outcome.message
    assert f"({why}: {said})" in result.outcome.message
    assert result.outcome.folder == "" and (not root.exists() or not any(root.iterdir()))


def test_a_requisition_behind_a_proxy_page_is_retried(tmp_path: Path) -> None:
    blocked = PageState(
        PageKind.UNPROVEN, "proxy.corp answered HTTP 403 Access Denied (not the portal's host)"
    )
    result, _ = fetch(tmp_path, Portal(PageState(PageKind.PO), requisition=blocked))
    assert (result.outcome.status, result.retryable) == (PoStatus.FAILED, True)
    assert "requisition 30000071: proxy.corp answered HTTP 403" in result.outcome.message


def test_a_po_without_a_requisition_that_proved_empty_has_no_attachments(tmp_path: Path) -> None:
    result, _ = fetch(tmp_path, Portal(PageState(PageKind.PO)))
    assert result.outcome.status is PoStatus.NO_ATTACHMENTS
