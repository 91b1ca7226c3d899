"""What an attempt ends as when the page opened for a PO is not a PO page (sign-in, not found, no access,
an error page): the page's kind alone decides it, before any list is read."""

from __future__ import annotations

from dataclasses import replace

from po_downloader.engine.browser.portal import PageKind, PageState
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.run.breaker import SIGN_IN_PAGE

SIGN_IN_AGAIN = "Coupa asked to sign in again"


def early_outcome(state: PageState) -> tuple[PoStatus, str, bool] | None:
    """Status, message and retryability for a page that is not a PO page; None for a PO page."""
    match state.kind:
        case PageKind.PO | PageKind.REQUISITION:
            return None
        case PageKind.SIGN_IN:
            return PoStatus.SIGN_IN_REQUIRED, SIGN_IN_AGAIN, True
        case PageKind.NOT_FOUND:
            return PoStatus.PO_NOT_FOUND, f"Coupa: {state.detail}" if state.detail else "PO not found", False
        case PageKind.NO_ACCESS:
            return PoStatus.NO_ACCESS, f"Coupa: {state.detail}" if state.detail else "not authorised", False
        case PageKind.UNPROVEN:  # a proxy's, a CDN's or a bare status: the next request may serve the PO
            return PoStatus.FAILED, state.detail or "an error page that is not Coupa's", True
        case _:
            return PoStatus.FAILED, f"portal error: {state.detail or state.kind}", True


def own_sign_in_page(outcome: PoOutcome, times: int, reached: str) -> PoOutcome:
    """FAILED for a PO whose own page met sign-in ``times`` times while other POs went through (its link
    leads to a host that always looks like sign-in): marked so the breaker counts it (``SIGN_IN_PAGE``)."""
    message = (
        f"Coupa showed a sign-in page for this PO {times} times while other POs went through; it reached "
        f"{reached or outcome.url or 'an unknown address'}"
    )
    details = {**outcome.details, SIGN_IN_PAGE: str(times)}
    return replace(outcome, status=PoStatus.FAILED, message=message, details=details)
