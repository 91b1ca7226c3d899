"""A page script that throws is a look like any other (issue 14, item 8), without a browser: the cap and
the deadline still end the wait, instead of the 900 s per-PO watchdog.

``CoupaPortal`` runs on a stand-in driver and a fake clock; a loop that would never end hits the driver's
call limit instead of hanging the suite.
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.common.exceptions import JavascriptException

from po_downloader.engine.browser import portal as portal_module
from po_downloader.engine.browser.attachment_wait import (
    AttachmentsLook,
    AttachmentsWait,
    ListVerdict,
    WaitRules,
)
from po_downloader.engine.browser.portal import CoupaPortal, PortalTimeout
from po_downloader.engine.browser.selectors import load_selectors

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
