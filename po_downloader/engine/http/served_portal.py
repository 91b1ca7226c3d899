"""A PO's pages as the server sends them, behind the same methods ``run/fetch.py`` calls on the browser's
``CoupaPortal``: open a page and say what it is, its proven list, its supplier, its requisition link.

The page-state rules are the browser's own (``browser/page_state.classify_page``) applied to the served
HTML (``served_page``); the difference is what happens where the HTML proves nothing: the browser would
wait and look again, this raises :class:`NotProvable` and the PO goes to the browser. Cookies come from
the worker's signed-in browser before each PO (``refresh_session``), so a browser signed in again hands
its fresh session over without a restart; they live only in the client's jar. What the portal set over
HTTP goes back first (``hand_back``): a portal that rotates its session cookie in an answer to us and
invalidates the old one must not leave the browser, and then the jar, on the old one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlparse

from bs4 import BeautifulSoup

from po_downloader.engine.browser.page_state import (
    PageKind,
    PageState,
    is_sign_in_url,
)
from po_downloader.engine.browser.portal import Listing
from po_downloader.engine.browser.selectors import Selectors
from po_downloader.engine.download_route import Attachment
from po_downloader.engine.http.client import HttpUnavailable
from po_downloader.engine.http.served_facts import served_facts
from po_downloader.engine.http.served_page import (
    observe_served,
    parse_html,
    scan_served,
    served_requisition_url,
    served_supplier,
)
from po_downloader.engine.models import ListVerdict
from po_downloader.engine.outcome import PoFacts

log = logging.getLogger(__name__)


class NotProvable(Exception):
    """The served page proves nothing about this PO; the message says what is missing (page words only)."""


class ServedResponse(Protocol):
    @property
    def final_url(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def content_type(self) -> str: ...


class PageClient(Protocol):
    """What this module needs of ``http/client.PortalClient``."""

    def set_cookies(self, cookies: Sequence[Mapping[str, Any]]) -> None: ...
    def cookies_set(self) -> Sequence[Mapping[str, Any]]: ...
    def get_page(self, url: str) -> ServedResponse: ...


@dataclass
class _Seen:
    state: PageState
    doc: BeautifulSoup
    url: str


class ServedPortal:
    """Reads one PO's pages over HTTP; one per worker, like its browser's portal."""

    def __init__(
        self,
        client: PageClient,
        selectors: Selectors,
        base_url: str,
        cookies: Callable[[], Sequence[Mapping[str, Any]]],
        give_back: Callable[[Sequence[Mapping[str, Any]]], None] | None = None,
    ) -> None:
        """``cookies``: the browser's (``BrowserSession.cookies``); ``give_back`` sets cookies in it
        (``BrowserSession.set_cookies``; None only where no browser shares the session)."""
        self.client = client
        self.sel = selectors
        self.base_url = base_url.rstrip("/")
        self.base_host = urlparse(self.base_url).netloc.lower()
        self._cookies = cookies
        self._give_back = give_back
        self._seen: dict[tuple[str, bool], _Seen] = {}
        """The pages read for the current PO (by URL and kind): deciding and working it reads each once."""
        self._now: _Seen | None = None

    @property
    def url(self) -> str:
        return self._now.url if self._now else ""

    def refresh_session(self) -> None:
        """One session again before a PO: what the portal set over HTTP goes into the browser, then the
        browser's cookies (HttpOnly ones included) into the client; a new PO forgets the last one's pages."""
        self.hand_back()
        self.client.set_cookies(self._cookies())
        self._seen.clear()
        self._now = None

    def hand_back(self) -> None:
        """Set in the browser what the portal set (or deleted) over HTTP since the last hand-back, before
        the browser next asks the portal anything: one session, not two that invalidate each other."""
        changed = self.client.cookies_set()
        if changed and self._give_back is not None:
            self._give_back(changed)
            log.debug("%d cookies the portal set over HTTP handed back to the browser", len(changed))

    def open(self, url: str, digits: str, *, requisition: bool = False) -> PageState:
        """The served page's kind by the browser's rules; UNKNOWN when it names nothing (the browser decides)."""
        key = (url, requisition)
        seen = self._seen.get(key)
        if seen is None:
            seen = self._read(url, digits, requisition)
            self._seen[key] = seen
        self._now = seen
        return seen.state

    def open_po(self, digits: str) -> PageState:
        return self.open(self.sel.po_page_url(self.base_url, digits), digits)

    def _read(self, url: str, digits: str, requisition: bool) -> _Seen:
        try:
            page = self.client.get_page(url)
        except HttpUnavailable as exc:  # no answer at all: nothing proven, the browser will say what it is
            raise NotProvable(f"the page could not be fetched: {exc}") from exc
        final = page.final_url or url
        if is_sign_in_url(final, self.base_host, self.sel.sign_in_places):
            return _Seen(PageState(PageKind.SIGN_IN, "redirected to sign-in", final), parse_html(""), final)
        html = "html" in page.content_type.lower() or not page.content_type
        doc = parse_html(page.text if html else "")
        obs = observe_served(
            doc, url=final, status=page.status, sel=self.sel, digits=digits, requisition=requisition
        )
        return _Seen(self.sel.classify(obs, digits, self.base_host, requisition=requisition), doc, final)

    def _page(self) -> _Seen:
        if self._now is None:
            raise NotProvable("no served page was read")
        return self._now

    def wait_attachments(self) -> Listing:
        """The served list when the HTML proves it (listed, or empty by its empty-state text); no waiting:
        a served page never changes, so what it does not prove now it never will."""
        seen = self._page()
        scan = scan_served(seen.doc, seen.url, self.sel)
        if scan.proof == "listed":
            return Listing(ListVerdict.LISTED, "", scan.items)
        if scan.proof == "empty":
            return Listing(ListVerdict.EMPTY, scan.empty_text)
        raise NotProvable(scan.why)

    def wait_listing(self) -> Listing:
        """Never provisional: what a served page proves, it proves at once."""
        return self.wait_attachments()

    def confirm_listing(self) -> Listing:
        return self.wait_attachments()

    def listed_now(self) -> tuple[Attachment, ...]:
        """The same list: nothing is drawn later on a page no script runs on."""
        seen = self._page()
        return scan_served(seen.doc, seen.url, self.sel).items

    def supplier(self) -> str:
        return served_supplier(self._page().doc, self.sel)

    def facts(self) -> PoFacts:
        return served_facts(self._page().doc, self.sel)

    def requisition_url(self) -> str | None:
        seen = self._page()
        return served_requisition_url(seen.doc, seen.url, self.sel)
