"""What deciding a PO needs of its page, whoever reads it: the browser (``browser/portal.CoupaPortal``) or
the served HTML (``http/served_portal.ServedPortal``). ``run/fetch.py`` and ``requisition.py`` speak only
this, so the decision is the same on both routes."""

from __future__ import annotations

from typing import Protocol

from po_downloader.engine.browser.page_state import PageState
from po_downloader.engine.browser.portal import Listing
from po_downloader.engine.browser.selectors import Selectors
from po_downloader.engine.download_route import Attachment
from po_downloader.engine.outcome import PoFacts


class PoPage(Protocol):
    sel: Selectors
    base_url: str

    @property
    def url(self) -> str:
        """The address shown now (the journal's "where the file came from" when the route cannot say)."""
        ...

    def open(self, url: str, digits: str, *, requisition: bool = False) -> PageState: ...

    def open_po(self, digits: str) -> PageState: ...

    def wait_attachments(self) -> Listing:
        """The page's list once it proved it (or an honest UNCONFIRMED)."""
        ...

    def wait_listing(self) -> Listing:
        """Like ``wait_attachments``, but may hand over a complete-looking list as ``provisional``."""
        ...

    def confirm_listing(self) -> Listing:
        """The final list behind the last provisional one."""
        ...

    def listed_now(self) -> tuple[Attachment, ...]: ...

    def supplier(self) -> str: ...

    def facts(self) -> PoFacts:
        """What the page shows about the order (``browser/po_facts``); read only when the batch asks."""
        ...

    def requisition_url(self) -> str | None: ...
