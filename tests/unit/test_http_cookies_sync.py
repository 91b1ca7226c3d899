"""One session for the browser and the HTTP route: what the portal set over HTTP goes into the browser
before the browser's cookies come back into the client, and before the browser works a PO at all; the
browser's side sets each cookie with its scope, deletes the expired ones and never shows a value."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from selenium.common.exceptions import WebDriverException

from po_downloader.engine.browser.page_state import PageKind, PageState
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.download_route import RouteRound
from po_downloader.engine.events import Event, HttpProbe, ProbeResult
from po_downloader.engine.http.served_portal import ServedPortal
from po_downloader.engine.models import HttpPlan, PoNumber, PoTask
from po_downloader.engine.run.served_reads import ServedReads

BASE = "https://coupa.example.com"
SECRET = "s3cr3t-rotated-value"
ROTATED = {"name": "_session", "value": SECRET, "url": BASE + "/", "path": "/", "httpOnly": True}


@dataclass
class Calls:
    seen: list[str] = field(default_factory=list)


class FakeClient:
    """A ``PageClient`` that records the order of the session's hand-overs."""

    def __init__(self, calls: Calls, absorbed: list[dict[str, Any]]) -> None:
        self.calls = calls
        self.absorbed = absorbed
        self.sent: list[Sequence[Mapping[str, Any]]] = []

    def set_cookies(self, cookies: Sequence[Mapping[str, Any]]) -> None:
        self.calls.seen.append("client takes the browser's cookies")
        self.sent.append(cookies)

    def cookies_set(self) -> Sequence[Mapping[str, Any]]:
        self.calls.seen.append("client hands out what the portal set")
        taken, self.absorbed = self.absorbed, []
        return taken

    def get_page(self, url: str) -> Any:
        raise AssertionError("not read here")


def served_portal(calls: Calls, absorbed: list[dict[str, Any]]) -> tuple[ServedPortal, list[Any]]:
    given: list[Any] = []

    def browser_cookies() -> list[dict[str, Any]]:
        calls.seen.append("browser hands its cookies over")
        return [dict(ROTATED, value="as the browser has it now")]

    def give_back(cookies: Sequence[Mapping[str, Any]]) -> None:
        calls.seen.append("browser takes what the portal set")
        given.append(list(cookies))

    client = FakeClient(calls, absorbed)
    return ServedPortal(client, load_selectors(), BASE, browser_cookies, give_back), given


def test_refresh_pushes_what_the_portal_set_over_http_into_the_browser_before_taking_its_cookies() -> None:
    calls = Calls()
    page, given = served_portal(calls, [ROTATED])
    page.refresh_session()
    assert calls.seen == [
        "client hands out what the portal set",
        "browser takes what the portal set",
        "browser hands its cookies over",
        "client takes the browser's cookies",
    ]
    assert given == [[ROTATED]]


def test_nothing_set_over_http_costs_the_browser_no_call() -> None:
    calls = Calls()
    page, given = served_portal(calls, [])
    page.refresh_session()
    page.hand_back()
    assert "browser takes what the portal set" not in calls.seen and given == []


# --- ServedReads.decides: the browser gets the session before it works a PO ---------------------------


class FakePage:
    """What ``ServedReads`` calls on its ``ServedPortal``, recorded."""

    def __init__(self, kind: PageKind) -> None:
        self.kind = kind
        self.seen: list[str] = []

    def refresh_session(self) -> None:
        self.seen.append("refresh")

    def hand_back(self) -> None:
        self.seen.append("hand back")

    def open_po(self, digits: str) -> PageState:
        self.seen.append("read")
        return PageState(self.kind, "", f"{BASE}/order_headers/{digits}")


class UsableRoute:
    name = "http"

    def usable(self) -> bool:
        return True

    def fetch(self, *_args: Any) -> RouteRound:
        raise AssertionError("not fetched here")


def decide(kind: PageKind, plan: HttpPlan | None) -> tuple[bool, list[str], list[Event]]:
    page = FakePage(kind)
    reads = ServedReads(1, page, UsableRoute())  # type: ignore[arg-type]
    events: list[Event] = []
    decided = reads.decides(PoTask(PoNumber("10000001"), http=plan), events.append)
    return decided, page.seen, events


TRUSTED = HttpPlan(trusted=frozenset({PageKind.NOT_FOUND.value}))


def test_a_po_decided_over_http_leaves_the_hand_back_to_the_next_refresh() -> None:
    decided, seen, events = decide(PageKind.NOT_FOUND, TRUSTED)
    assert decided and seen == ["refresh", "read", "read"]
    assert [e.result for e in events if isinstance(e, HttpProbe)] == [ProbeResult.DECIDED]


@pytest.mark.parametrize(
    ("kind", "plan"),
    [
        (PageKind.NOT_FOUND, HttpPlan()),  # a verdict not trusted yet: the browser checks it
        (PageKind.NOT_FOUND, HttpPlan(trusted=TRUSTED.trusted, check=True)),  # the sample
        (PageKind.SIGN_IN, TRUSTED),  # the served page proves nothing
    ],
)
def test_the_browser_gets_what_the_served_read_set_before_it_works_the_po(
    kind: PageKind, plan: HttpPlan
) -> None:
    decided, seen, _events = decide(kind, plan)
    assert not decided and seen[0] == "refresh" and seen[-1] == "hand back"


def test_a_po_for_the_browser_only_still_hands_back_what_the_last_po_set_over_http() -> None:
    """HTTP ended for the batch after a PO it decided: the browser must not work on the old session."""
    decided, seen, _events = decide(PageKind.PO, None)
    assert not decided and seen == ["hand back"]


# --- BrowserSession.set_cookies: CDP, scope kept, deletions, nothing shown ---------------------------


class FakeDriver:
    def __init__(self, refuse: str = "") -> None:
        self.commands: list[tuple[str, dict[str, Any]]] = []
        self.refuse = refuse

    def execute_cdp_cmd(self, cmd: str, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("name") == self.refuse:
            raise WebDriverException(f"invalid cookie {params}")
        self.commands.append((cmd, params))
        return {}


def session_on(driver: FakeDriver) -> BrowserSession:
    return BrowserSession(driver, None)  # type: ignore[arg-type]


def test_set_cookies_sets_each_with_its_scope_and_deletes_the_expired_ones() -> None:
    driver = FakeDriver()
    wide = {"name": "wide", "value": "w", "url": BASE + "/x", "domain": ".example.com", "path": "/x"}
    gone_host = {"name": "flash", "value": "", "url": BASE + "/", "path": "/", "expires": 0.0}
    gone_wide = {
        "name": "pref",
        "value": "",
        "url": BASE + "/",
        "domain": ".example.com",
        "path": "/a",
        "expires": 1.0,
    }
    session_on(driver).set_cookies([ROTATED, wide, gone_host, gone_wide])
    assert driver.commands == [
        ("Network.setCookie", ROTATED),
        ("Network.setCookie", wide),
        ("Network.deleteCookies", {"name": "flash", "domain": "coupa.example.com", "path": "/"}),
        ("Network.deleteCookies", {"name": "pref", "domain": ".example.com", "path": "/a"}),
    ]


@pytest.mark.expect_log(
    "po_downloader.engine.browser.session", r"refused cookie '_session'.*WebDriverException"
)
def test_a_refused_cookie_is_named_without_its_value_and_the_others_still_go(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    driver = FakeDriver(refuse="_session")
    other = {"name": "pref", "value": "p", "url": BASE + "/", "path": "/"}
    session_on(driver).set_cookies([ROTATED, other])
    assert driver.commands == [("Network.setCookie", other)]
    assert SECRET not in caplog.text
