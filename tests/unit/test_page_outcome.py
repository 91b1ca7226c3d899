"""A page that is not a PO page ends the attempt by its kind alone, with a kind the faces word."""

from __future__ import annotations

import pytest

from po_downloader.engine.browser.page_state import PageKind, PageState
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.page_outcome import early_outcome


@pytest.mark.parametrize("kind", [PageKind.PO, PageKind.REQUISITION])
def test_a_po_page_goes_on_to_its_list(kind: PageKind) -> None:
    assert early_outcome(PageState(kind)) is None


@pytest.mark.parametrize(
    ("page", "status", "message", "kind", "details", "retryable"),
    [
        (
            PageState(PageKind.NOT_FOUND, "Pedido inexistente"),
            PoStatus.PO_NOT_FOUND,
            "Coupa: Pedido inexistente",
            ErrorKind.PORTAL_SAID,
            {"said": "Pedido inexistente"},
            False,
        ),
        (
            PageState(PageKind.NOT_FOUND),
            PoStatus.PO_NOT_FOUND,
            "PO not found",
            ErrorKind.PO_NOT_FOUND,
            {},
            False,
        ),
        (
            PageState(PageKind.NO_ACCESS, "Sem permissão"),
            PoStatus.NO_ACCESS,
            "Coupa: Sem permissão",
            ErrorKind.PORTAL_SAID,
            {"said": "Sem permissão"},
            False,
        ),
        (
            PageState(PageKind.NO_ACCESS),
            PoStatus.NO_ACCESS,
            "not authorised",
            ErrorKind.PO_NO_ACCESS,
            {},
            False,
        ),
        (
            PageState(PageKind.UNPROVEN, "proxy.corp answered HTTP 403"),
            PoStatus.FAILED,
            "proxy.corp answered HTTP 403",
            ErrorKind.PAGE_NOT_COUPAS,
            {"detail": "proxy.corp answered HTTP 403"},
            True,
        ),
        (
            PageState(PageKind.PORTAL_ERROR, "HTTP 500 Oops"),
            PoStatus.FAILED,
            "portal error: HTTP 500 Oops",
            ErrorKind.PORTAL_ERROR_PAGE,
            {"detail": "HTTP 500 Oops"},
            True,
        ),
    ],
)
def test_each_error_page_ends_with_its_status_english_message_and_kind(
    page: PageState, status: PoStatus, message: str, kind: ErrorKind, details: dict[str, str], retryable: bool
) -> None:
    end = early_outcome(page)
    assert end is not None
    assert (end.status, end.message, end.kind, end.details, end.retryable) == (
        status,
        message,
        kind,
        details,
        retryable,
    )
    assert end.kind is not None and end.kind.is_outcome


def test_a_sign_in_page_has_no_outcome_kind_its_own_flow_words_it() -> None:
    end = early_outcome(PageState(PageKind.SIGN_IN, "redirected to sign-in"))
    assert end is not None
    assert (end.status, end.kind, end.retryable) == (PoStatus.SIGN_IN_REQUIRED, None, True)
