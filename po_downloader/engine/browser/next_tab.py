"""A worker's second tab: the next PO's page loads there while the current PO settles and downloads.

A page load (and the portal drawing its list after it) would otherwise be waited for after each PO. The
spare tab gets what every tab of ours gets before its first page (``launch.prepare_tab``: the mutation
watch, so the preloaded page's settle is dated by its own clock while we were busy). Its load is started
over the tab's own DevTools socket (``Page.navigate``): a navigation chromedriver starts waits for the
page to load, which is the very wait this saves. chromedriver still waits for that load when the tab is
taken. Downloads are the browser's (one DevTools download tracker for every tab), so a PO worked in either
tab is tracked the same way. The tabs swap roles at each taken page; there is never more than one spare.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import websocket
from selenium.common.exceptions import TimeoutException, WebDriverException

from po_downloader.engine.browser.cdp_downloads import CdpUnavailable, _open_socket, _split_address
from po_downloader.engine.browser.portal import CoupaPortal, PageState, PortalTimeout

log = logging.getLogger(__name__)

FRESH_FOR = 60.0
"""Seconds a preloaded page may wait for its PO; an older one is loaded again (its list may have moved)."""
SOCKET_TIMEOUT = 5.0


@dataclass(frozen=True)
class Preloaded:
    """The page the spare tab was sent to: which PO, at which address, since when (monotonic seconds)."""

    digits: str
    url: str
    started: float


def unusable(
    held: Preloaded | None, digits: str, url: str, now: float, *, fresh_for: float = FRESH_FOR
) -> str:
    """Why the spare tab's page cannot stand for PO ``digits``'s page at ``url`` now; "" when it can."""
    if held is None:
        return "no page was loaded ahead"
    if held.digits != digits or held.url != url:
        return f"the page loaded ahead is PO {held.digits}'s"
    if now - held.started > fresh_for:
        return f"the page loaded ahead is {now - held.started:.0f} s old"
    return ""


def same_page(shown: str, wanted: str) -> bool:
    """The tab shows the address it was sent to (scheme, host and path; a query or fragment added by the
    portal does not matter). Anything else (a redirect elsewhere, a load that never started) is reloaded."""
    a, b = urlsplit(shown), urlsplit(wanted)
    return (a.scheme, a.netloc.lower(), a.path.rstrip("/")) == (
        b.scheme,
        b.netloc.lower(),
        b.path.rstrip("/"),
    )


class NextTab:
    """The spare tab of one worker's browser, beside the tab the portal works in. Not thread-safe."""

    def __init__(
        self,
        portal: CoupaPortal,
        address: str,
        prepare: Callable[[], None],
        *,
        fresh_for: float = FRESH_FOR,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``address``: the browser's DevTools host:port; ``prepare`` readies the driver's current tab
        (``launch.prepare_tab``)."""
        self.portal = portal
        self.driver = portal.driver
        self.address = address
        self.prepare = prepare
        self.fresh_for = fresh_for
        self.clock = clock
        self._spare: str | None = None
        """The spare tab's window handle (chromedriver's handle is the DevTools target id)."""
        self.held: Preloaded | None = None

    def load(self, digits: str) -> bool:
        """Start loading PO ``digits``'s page in the spare tab and return at once (the tab is made on first
        use); False when it could not be (that PO is then opened as always)."""
        url = self.portal.sel.po_page_url(self.portal.base_url, digits)
        self.held = None
        try:
            if self._spare is None:
                self._spare = self._new_tab()
            self._send(self._spare, "Page.navigate", {"url": url}, started="Page.frameStartedLoading")
        except (WebDriverException, OSError, CdpUnavailable, websocket.WebSocketException) as exc:
            log.info("could not load PO %s's page ahead (%s); it is opened when its turn comes", digits, exc)
            self.close()
            return False
        self.held = Preloaded(digits, url, self.clock())
        log.debug("loading PO %s's page ahead", digits)
        return True

    def holds(self, digits: str) -> bool:
        """The spare tab's page may stand for PO ``digits``'s (see :func:`unusable`)."""
        url = self.portal.sel.po_page_url(self.portal.base_url, digits)
        why = unusable(self.held, digits, url, self.clock(), fresh_for=self.fresh_for)
        if why and self.held is not None:
            log.info("PO %s: not using the page loaded ahead: %s", digits, why)
        return not why

    def open_po(self, digits: str) -> PageState:
        """Work in the spare tab (the tab left becomes the spare) and look at its page by ``open``'s rules.
        A page that went to sign-in, or anywhere but where it was sent, is loaded again there: a stale
        session or a redirect met while preloading is never taken for this PO's page."""
        held, spare = self.held, self._spare
        if held is None or spare is None or held.digits != digits:
            raise RuntimeError(f"no page of PO {digits} was loaded ahead")
        self.held = None
        left = self.driver.current_window_handle
        try:
            self.driver.switch_to.window(spare)
        except WebDriverException as exc:  # the tab is gone (crashed, closed): load the page in this one
            log.info("PO %s: the tab loaded ahead is gone (%s); loading the page here", digits, exc)
            self._spare = None
            return self.portal.open(held.url, digits)
        self._spare = left
        try:
            shown = str(self.driver.current_url)  # chromedriver waits here for the load to end
        except TimeoutException as exc:
            raise PortalTimeout(
                f"page did not load within {self.portal.page_timeout:.0f} s: {held.url}"
            ) from exc
        if self.portal.is_sign_in_url(shown) or not same_page(shown, held.url):
            log.info("PO %s: the page loaded ahead shows %s; loading it again", digits, shown)
            return self.portal.open(held.url, digits)
        return self.portal.open(held.url, digits, shown=True)

    def close(self) -> None:
        """Close the spare tab (no next PO to load): the browser keeps one extra tab only while it is used."""
        spare, self._spare, self.held = self._spare, None, None
        if spare is None:
            return
        try:
            self._send(spare, "Page.close", {})
        except (OSError, CdpUnavailable, websocket.WebSocketException) as exc:
            log.debug("could not close the spare tab: %s", exc)

    def _new_tab(self) -> str:
        """A new tab readied like the first, while the portal's tab stays the driver's current one."""
        current = self.driver.current_window_handle
        self.driver.switch_to.new_window("tab")
        try:
            handle = str(self.driver.current_window_handle)
            self.prepare()
        finally:
            self.driver.switch_to.window(current)
        return handle

    def _send(self, target: str, method: str, params: dict[str, object], *, started: str = "") -> None:
        """One command to one tab over its own DevTools socket. With ``started`` (an event name), wait
        until the tab reports it (the navigation began: the command surely arrived) or answers, never for
        what the command starts (the page's load)."""
        host, port = _split_address(self.address)
        sock = _open_socket(host, port, SOCKET_TIMEOUT)
        netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        ws = websocket.create_connection(
            f"ws://{netloc}/devtools/page/{target}", socket=sock, suppress_origin=True, timeout=SOCKET_TIMEOUT
        )
        try:
            if started:
                ws.send(json.dumps({"id": 1, "method": started.split(".")[0] + ".enable", "params": {}}))
            ws.send(json.dumps({"id": 2, "method": method, "params": params}))
            while started:
                message = json.loads(ws.recv())
                if message.get("method") == started or message.get("id") == 2:
                    if "error" in message:
                        raise CdpUnavailable(str(message["error"]))
                    return
        finally:
            ws.close()
