"""The requisition follow-up: a PO whose page proved it lists no attachments may have them on its requisition.

A requisition the portal says is not found or not ours is no proof that there is nothing to fetch: the files
may be on it. The list stays UNCONFIRMED (the PO fails, naming the requisition and why), without retries
(the portal's own page said so), and "Retry failed" can try it once access is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from po_downloader.engine.browser.portal import Listing, PageKind, SignInLost
from po_downloader.engine.models import ListVerdict
from po_downloader.engine.run.po_page import PoPage

PO_SOURCE = "PO"
"""Where the files came from when they came from the PO's own page."""


@dataclass(frozen=True)
class RequisitionNote:
    """What the PO's message must tell of its requisition: ``label`` ("requisition 123"), ``number`` (its
    digits, or its address), and whether its attachments were ``taken`` (else it had none either)."""

    label: str
    number: str
    taken: bool

    def english(self) -> str:
        if self.taken:
            return f"attachments taken from {self.label}"
        return f"no attachments on the PO or on {self.label}"


def requisition_fallback(portal: PoPage, listing: Listing) -> tuple[Listing, str, RequisitionNote | None]:
    """The PO proved empty (``listing``): the list to work instead, where it came from, and a note for
    the PO's message. Leaves the page (browser or served) on the requisition's when it has one."""
    req_url = portal.requisition_url()
    if not req_url:
        return listing, PO_SOURCE, None
    match = re.search(r"(\d+)/?(?:[?#].*)?$", req_url)
    req_digits = match.group(1) if match else ""
    state = portal.open(req_url, req_digits, requisition=True)
    label = f"requisition {req_digits or req_url}"
    match state.kind:
        case PageKind.REQUISITION | PageKind.PO:
            req = portal.wait_attachments()
            if req.verdict is ListVerdict.LISTED:
                return req, label, RequisitionNote(label, req_digits or req_url, taken=True)
            if req.verdict is ListVerdict.EMPTY:
                return req, PO_SOURCE, RequisitionNote(label, req_digits or req_url, taken=False)
            return Listing(ListVerdict.UNCONFIRMED, f"{label}: {req.reason}"), PO_SOURCE, None
        case PageKind.SIGN_IN:
            raise SignInLost
        case PageKind.NOT_FOUND | PageKind.NO_ACCESS:
            why = "not found" if state.kind is PageKind.NOT_FOUND else "no access"
            reason = f"the PO lists none and {label} is not reachable ({why}: {state.detail})"
            return Listing(ListVerdict.UNCONFIRMED, reason, retry_helps=False), PO_SOURCE, None
        case _:
            return Listing(ListVerdict.UNCONFIRMED, f"{label}: {state.detail or state.kind}"), PO_SOURCE, None
