"""Loading the next PO's page while this one is worked: when it is worth a load, and opening what it left.

The controller reserves each worker's next PO and names it in the ``WorkOrder`` (``ahead``); the worker's
browser then loads that page in its spare tab (``browser/next_tab``) as soon as the current PO's page is
open, so the next page's load, its drawing and its settle pass while this PO settles and downloads. When
the next order is for that PO, its list is proven from that tab by exactly the rules of a fresh load (the
settle dated by the page's own clock, the same proofs); any other order leaves the page unused.
"""

from __future__ import annotations

import logging

from po_downloader.engine.browser.next_tab import NextTab
from po_downloader.engine.browser.portal import CoupaPortal, PageKind, PageState
from po_downloader.engine.models import PoNumber

log = logging.getLogger(__name__)


def worth_loading(ahead: PoNumber | None, state: PageState, *, by_browser: bool, checking: bool) -> bool:
    """Load ``ahead``'s page now? Only when this PO's page is the browser's own and a PO page (a sign-in
    page means the session is gone: a load would only meet it again), and no served read of this PO waits
    to be compared (a batch still checking its served pages will likely decide the next PO over HTTP,
    which needs no page in the browser)."""
    if ahead is None or not by_browser or checking:
        return False
    return state.kind in (PageKind.PO, PageKind.REQUISITION, PageKind.NOT_FOUND, PageKind.NO_ACCESS)


class Lookahead:
    """One worker's next page: open a PO from the spare tab where it was loaded, and load the next."""

    def __init__(self, portal: CoupaPortal, tab: NextTab | None) -> None:
        """``tab`` None (no DevTools): every page is loaded in its turn and ``load`` does nothing."""
        self.portal = portal
        self.tab = tab

    def open_po(self, digits: str) -> PageState | None:
        """The PO's page from the spare tab when it was loaded there and is fresh; None: open it as always."""
        if self.tab is None or not self.tab.holds(digits):
            return None
        return self.tab.open_po(digits)

    def after_open(
        self, ahead: PoNumber | None, state: PageState, *, by_browser: bool, checking: bool
    ) -> None:
        """This PO's page is open: start the next one's load, or close the spare tab when there is none."""
        if self.tab is None:
            return
        if worth_loading(ahead, state, by_browser=by_browser, checking=checking):
            assert ahead is not None
            self.tab.load(ahead.digits)
        else:
            self.tab.close()
