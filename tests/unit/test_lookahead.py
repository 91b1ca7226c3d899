"""The worker's side of the lookahead, pure: when the next page is worth a load, when a loaded one may
stand for its PO's page."""

from __future__ import annotations

import pytest

from po_downloader.engine.browser.next_tab import FRESH_FOR, Preloaded, same_page, unusable
from po_downloader.engine.browser.page_state import PageKind, PageState
from po_downloader.engine.models import PoNumber
from po_downloader.engine.run.lookahead import worth_loading

URL = "https://acme.coupahost.com/order_headers/10000002"
NEXT = PoNumber("10000002")


def state(kind: PageKind) -> PageState:
    return PageState(kind, "", URL)


def test_a_fresh_page_of_the_same_po_at_the_same_address_is_usable() -> None:
    held = Preloaded("10000002", URL, started=100.0)
    assert unusable(held, "10000002", URL, 100.0 + FRESH_FOR - 1) == ""


@pytest.mark.parametrize(
    ("held", "digits", "url", "now", "why"),
    [
        (None, "10000002", URL, 100.0, "no page was loaded ahead"),
        (Preloaded("10000003", URL, 100.0), "10000002", URL, 101.0, "10000003"),
        (Preloaded("10000002", URL + "x", 100.0), "10000002", URL, 101.0, "10000002's"),
        (Preloaded("10000002", URL, 100.0), "10000002", URL, 100.0 + FRESH_FOR + 1, "s old"),
    ],
)
def test_another_po_a_missing_page_or_a_stale_one_is_not_used(
    held: Preloaded | None, digits: str, url: str, now: float, why: str
) -> None:
    assert why in unusable(held, digits, url, now)


def test_the_freshness_bound_is_the_callers() -> None:
    held = Preloaded("10000002", URL, started=0.0)
    assert unusable(held, "10000002", URL, 5.0, fresh_for=4.0)
    assert not unusable(held, "10000002", URL, 3.0, fresh_for=4.0)


@pytest.mark.parametrize(
    ("shown", "same"),
    [
        (URL, True),
        (URL + "/", True),
        (URL + "?tab=attachments#files", True),
        ("https://ACME.coupahost.com/order_headers/10000002", True),
        ("https://acme.coupahost.com/order_headers/10000001", False),
        ("https://acme.coupahost.com/sessions/new?return=/order_headers/10000002", False),
        ("http://acme.coupahost.com/order_headers/10000002", False),
        ("about:blank", False),
    ],
)
def test_a_page_shown_elsewhere_than_where_it_was_sent_is_loaded_again(shown: str, same: bool) -> None:
    assert same_page(shown, URL) is same


@pytest.mark.parametrize("kind", [PageKind.PO, PageKind.REQUISITION, PageKind.NOT_FOUND, PageKind.NO_ACCESS])
def test_the_next_page_loads_while_the_browser_works_a_page_that_is_the_portals_answer(
    kind: PageKind,
) -> None:
    assert worth_loading(NEXT, state(kind), by_browser=True, checking=False)


@pytest.mark.parametrize("kind", [PageKind.SIGN_IN, PageKind.PORTAL_ERROR, PageKind.UNPROVEN])
def test_no_next_page_after_a_sign_in_or_an_error_page(kind: PageKind) -> None:
    assert not worth_loading(NEXT, state(kind), by_browser=True, checking=False)


def test_no_next_page_when_there_is_none_when_http_decides_or_while_served_pages_are_checked() -> None:
    po_page = state(PageKind.PO)
    assert not worth_loading(None, po_page, by_browser=True, checking=False)
    assert not worth_loading(NEXT, po_page, by_browser=False, checking=False), "the served page decides"
    assert not worth_loading(NEXT, po_page, by_browser=True, checking=True), "a served read is being checked"
