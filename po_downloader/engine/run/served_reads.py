"""The served page's part in working one PO: read it first, say whether it decides the PO, and compare the
browser's read with it where the browser works the PO instead.

The decision stays ``run/fetch.py``'s: this module only tells it "the served page decides" (the batch
trusts that verdict and this PO is not a sample) or "the browser decides", keeping the served read to be
compared with the browser's (``check``) and telling the controller what it learnt (``HttpProbe``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from po_downloader.engine.browser.portal import PageKind, PageState, SignInLost
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.download_route import DownloadRoute
from po_downloader.engine.events import Event, HttpProbe, ProbeResult
from po_downloader.engine.http.client import PortalClient
from po_downloader.engine.http.http_route import HttpRoute
from po_downloader.engine.http.rate import Bucket, LocalBucket, RateLimit
from po_downloader.engine.http.served_portal import NotProvable, ServedPortal
from po_downloader.engine.models import ListVerdict, PoNumber, PoTask
from po_downloader.engine.run.requisition import PO_SOURCE, requisition_fallback
from po_downloader.engine.run.served_check import PageView, difference, page_view

log = logging.getLogger(__name__)

Emit = Callable[[Event], None]
_PAGE_VERDICTS = (PageKind.NOT_FOUND.value, PageKind.NO_ACCESS.value)
"""Served verdicts the browser's page kind alone confirms or denies (a list needs the browser's list)."""


class ServedReads:
    """One worker's served pages and HTTP route, and the served read of the PO being worked."""

    def __init__(
        self, worker: int, page: ServedPortal, route: DownloadRoute, close: Callable[[], None] = lambda: None
    ) -> None:
        self.worker = worker
        self.page = page
        self.route = route
        self.close = close
        """Ends the HTTP connections (the worker's last step)."""
        self.expect: PageView | None = None
        """What the served page said of the current PO, for the browser's read to be compared with."""

    def decides(self, task: PoTask, emit: Emit) -> bool:
        """Read the PO's served page; True when it decides the PO (left open on its page), False when the
        browser works it (with the served read kept for :meth:`check` when it proved anything). Before the
        browser works it, what the portal set over HTTP (this read, or the last PO's) goes into it."""
        decided = False
        try:
            decided = self._decides(task, emit)
        finally:
            if not decided:
                self.page.hand_back()
        return decided

    def _decides(self, task: PoTask, emit: Emit) -> bool:
        self.expect = None
        plan = task.http
        if plan is None or not self.route.usable():
            return False
        po = task.po
        try:
            self.page.refresh_session()
            view = self._view(po.digits)
        except (NotProvable, SignInLost) as exc:
            why = str(exc) or "the served page went to sign-in"
            emit(HttpProbe(self.worker, po, ProbeResult.UNPROVABLE, "", why[:300]))
            return False
        if view.verdict not in plan.trusted or plan.check:
            self.expect = view
            return False
        emit(HttpProbe(self.worker, po, ProbeResult.DECIDED, view.verdict))
        self.page.open_po(po.digits)
        return True

    def _view(self, digits: str) -> PageView:
        """What the served page proves of the PO, shaped as the browser's read will be (``NotProvable``
        when it proves nothing: a spinner, a click-only span, no section, not this PO's page)."""
        state = self.page.open_po(digits)
        if state.kind.value in _PAGE_VERDICTS:
            return page_view(state.kind.value)
        if state.kind is not PageKind.PO:
            raise NotProvable(f"the served page is {state.kind.value}: {state.detail}".rstrip(": "))
        listing = self.page.wait_attachments()
        source = PO_SOURCE
        if listing.verdict is ListVerdict.EMPTY:
            listing, source, _note = requisition_fallback(self.page, listing)
        if listing.verdict not in (ListVerdict.LISTED, ListVerdict.EMPTY):
            raise NotProvable(listing.reason)
        self.page.open_po(digits)  # back on the PO's own page (read once) for its supplier
        return page_view(listing.verdict.name, listing.items, self.page.supplier(), source)

    def browser_opened(self, po: PoNumber, state: PageState, emit: Emit) -> None:
        """The browser's page kind: enough to compare a not-found or no-access read (a list waits for the
        browser's list); a page that proves nothing (sign-in, an error) leaves nothing to compare."""
        if self.expect is None:
            return
        if state.kind not in (PageKind.PO, PageKind.NOT_FOUND, PageKind.NO_ACCESS):
            self.expect = None
        elif state.kind is not PageKind.PO or self.expect.verdict in _PAGE_VERDICTS:
            self.check(po, page_view(state.kind.value), emit)

    def check(self, po: PoNumber, rendered: PageView, emit: Emit) -> None:
        """Compare the browser's read with the served one kept for it (once per PO)."""
        expect, self.expect = self.expect, None
        if expect is None:
            return
        diff = difference(expect, rendered)
        if diff:
            log.warning("%s: the served page and the browser disagree: %s", po, diff)
        result = ProbeResult.DISAGREED if diff else ProbeResult.AGREED
        emit(HttpProbe(self.worker, po, result, expect.verdict, diff))


def served_reads(
    worker: int,
    session: BrowserSession,
    staging: Path,
    bucket: Bucket | None,
    *,
    page_timeout: float,
    stall_timeout: float,
) -> ServedReads:
    """The served pages and the HTTP route of one worker, on its browser's session (cookies the portal set
    over HTTP handed back, the browser's taken afresh, before each PO) and under the batch's one request
    ceiling."""
    portal = session.portal
    client = PortalClient(
        portal.base_url,
        portal.sel.sign_in_places,
        bucket or LocalBucket(RateLimit()),
        timeout=page_timeout,
        user_agent=session.user_agent(),
    )
    page = ServedPortal(client, portal.sel, portal.base_url, session.cookies, session.set_cookies)
    route = HttpRoute(client, staging, stall_timeout=stall_timeout)
    return ServedReads(worker, page, route, client.close)
