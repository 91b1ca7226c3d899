"""What an attempt ends as when the page opened for a PO is not a PO page (sign-in, not found, no access,
an error page): the page's kind alone decides it, before any list is read."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from po_downloader.engine.browser.portal import PageKind, PageState
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.run.breaker import SIGN_IN_PAGE

SIGN_IN_AGAIN = "Coupa asked to sign in again"


@dataclass(frozen=True)
class EarlyEnd:
    """The attempt's end: its status, the English message (results, log), whether a retry may help, and
    the kind and details the window words in its own language (None: sign-in, worded by its own flow)."""

    status: PoStatus
    message: str
    retryable: bool
    kind: ErrorKind | None = None
    details: dict[str, str] = field(default_factory=dict)


def early_outcome(state: PageState) -> EarlyEnd | None:
    """How the attempt ends for a page that is not a PO page; None for a PO page."""
    said = {"said": state.detail} if state.detail else {}
    match state.kind:
        case PageKind.PO | PageKind.REQUISITION:
            return None
        case PageKind.SIGN_IN:
            return EarlyEnd(PoStatus.SIGN_IN_REQUIRED, SIGN_IN_AGAIN, True)
        case PageKind.NOT_FOUND:
            if said:
                return EarlyEnd(
                    PoStatus.PO_NOT_FOUND, f"Coupa: {state.detail}", False, ErrorKind.PORTAL_SAID, said
                )
            return EarlyEnd(PoStatus.PO_NOT_FOUND, "PO not found", False, ErrorKind.PO_NOT_FOUND)
        case PageKind.NO_ACCESS:
            if said:
                return EarlyEnd(
                    PoStatus.NO_ACCESS, f"Coupa: {state.detail}", False, ErrorKind.PORTAL_SAID, said
                )
            return EarlyEnd(PoStatus.NO_ACCESS, "not authorised", False, ErrorKind.PO_NO_ACCESS)
        case PageKind.UNPROVEN:  # a proxy's, a CDN's or a bare status: the next request may serve the PO
            detail = state.detail or "an error page that is not Coupa's"
            return EarlyEnd(
                PoStatus.FAILED, detail, True, ErrorKind.PAGE_NOT_COUPAS, {"detail": state.detail}
            )
        case _:
            detail = state.detail or str(state.kind)
            return EarlyEnd(
                PoStatus.FAILED,
                f"portal error: {detail}",
                True,
                ErrorKind.PORTAL_ERROR_PAGE,
                {"detail": detail},
            )


def own_sign_in_page(outcome: PoOutcome, times: int, reached: str) -> PoOutcome:
    """FAILED for a PO whose own page met sign-in ``times`` times while other POs went through (its link
    leads to a host that always looks like sign-in): marked so the breaker counts it (``SIGN_IN_PAGE``)."""
    message = (
        f"Coupa showed a sign-in page for this PO {times} times while other POs went through; it reached "
        f"{reached or outcome.url or 'an unknown address'}"
    )
    details = {**outcome.details, SIGN_IN_PAGE: str(times)}
    return replace(outcome, status=PoStatus.FAILED, message=message, details=details)
