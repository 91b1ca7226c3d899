"""The page-state decision: every verdict needs positive evidence from the page."""

from __future__ import annotations

import pytest

from po_downloader.engine.browser.page_state import (
    PageKind,
    PageObservation,
    PagePhrases,
    classify_page,
    is_sign_in_url,
    names_number,
)
from po_downloader.engine.browser.selectors import load_selectors

SEL = load_selectors()
PHRASES = PagePhrases(SEL.not_found_phrases, SEL.no_access_phrases, SEL.portal_error_phrases)
BASE = "https://acme.coupahost.com"
PO_URL = f"{BASE}/order_headers/47310552"


def classify(obs: PageObservation, digits: str = "47310552", expect: PageKind = PageKind.PO) -> PageKind:
    return classify_page(
        obs,
        digits=digits,
        expect=expect,
        phrases=PHRASES,
        base_host="acme.coupahost.com",
        sign_in_patterns=SEL.sign_in_url_patterns,
    ).kind


def test_po_number_in_the_title_is_a_po_page() -> None:
    assert classify(PageObservation(PO_URL, title="PO #47310552 | Coupa", ready=True)) is PageKind.PO


def test_po_number_in_a_heading_is_a_po_page() -> None:
    obs = PageObservation(PO_URL, title="Coupa", headings=("Purchase Order #47310552",))
    assert classify(obs) is PageKind.PO


def test_a_number_that_only_contains_the_digits_is_not_evidence() -> None:
    obs = PageObservation(PO_URL, title="PO #147310552 - Coupa", headings=("Order 473105521",), ready=True)
    assert classify(obs) is PageKind.UNKNOWN


def test_identity_marker_is_evidence_for_the_requisition_asked_for() -> None:
    obs = PageObservation(f"{BASE}/requisition_headers/60042817", title="Coupa", identity_marker=True)
    assert classify(obs, "60042817", PageKind.REQUISITION) is PageKind.REQUISITION


def test_layout_alone_is_not_a_po_page() -> None:
    """A page with the usual chrome but no number anywhere proves nothing: keep looking."""
    obs = PageObservation(PO_URL, title="Coupa", headings=("General Info", "Supplier"), ready=True)
    assert classify(obs) is PageKind.UNKNOWN


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (("Oops! We couldn't find what you wanted",), PageKind.NOT_FOUND),
        (("Desculpe, não encontramos o que você procurava.",), PageKind.NOT_FOUND),
        (("You are not authorized to view this page",), PageKind.NO_ACCESS),
        (("Você não tem permissão para acessar esta página.",), PageKind.NO_ACCESS),
        (("We're sorry, but something went wrong.",), PageKind.PORTAL_ERROR),
    ],
)
def test_error_phrase_in_an_error_container_wins_over_po_evidence(
    texts: tuple[str, ...], kind: PageKind
) -> None:
    obs = PageObservation(PO_URL, title="PO #47310552 | Coupa", error_texts=texts, identity_marker=True)
    assert classify(obs) is kind


def test_error_phrase_in_the_title_counts() -> None:
    assert classify(PageObservation(PO_URL, title="Page Not Found")) is PageKind.NOT_FOUND


def test_phrases_ignore_case_and_spacing() -> None:
    obs = PageObservation(PO_URL, error_texts=("  OOPS!   we couldn't   find what you wanted ",))
    assert classify(obs) is PageKind.NOT_FOUND


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (404, PageKind.NOT_FOUND),
        (410, PageKind.NOT_FOUND),
        (403, PageKind.NO_ACCESS),
        (401, PageKind.SIGN_IN),
        (429, PageKind.PORTAL_ERROR),
        (500, PageKind.PORTAL_ERROR),
        (503, PageKind.PORTAL_ERROR),
        (418, PageKind.PORTAL_ERROR),
    ],
)
def test_http_status_counts_without_a_phrase(status: int, kind: PageKind) -> None:
    assert classify(PageObservation(PO_URL, title="Coupa", http_status=status)) is kind


def test_http_404_wins_over_the_number_in_the_title() -> None:
    obs = PageObservation(PO_URL, title="PO #47310552 | Coupa", http_status=404)
    assert classify(obs) is PageKind.NOT_FOUND


def test_retry_status_wins_over_an_error_phrase() -> None:
    """A 429 page that happens to say "not found" is throttling, to be retried, not a verdict."""
    obs = PageObservation(PO_URL, http_status=429, error_texts=("Page Not Found",))
    assert classify(obs) is PageKind.PORTAL_ERROR


def test_sign_in_form_without_po_evidence_is_sign_in() -> None:
    assert classify(PageObservation(PO_URL, title="Log in", sign_in_form=True)) is PageKind.SIGN_IN


def test_po_page_with_a_password_field_is_still_the_po() -> None:
    obs = PageObservation(PO_URL, title="PO #47310552", sign_in_form=True)
    assert classify(obs) is PageKind.PO


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://acme.coupahost.com/order_headers/1", False),
        ("https://login.microsoftonline.com/x/saml2", True),
        ("https://acme.coupahost.com/sessions/new", True),
        ("https://acme.coupahost.com/saml2/idp/SSO?SAMLRequest=x", True),
        ("about:blank", False),
    ],
)
def test_sign_in_urls(url: str, expected: bool) -> None:
    assert is_sign_in_url(url, "acme.coupahost.com", SEL.sign_in_url_patterns) is expected


def test_sign_in_url_wins_over_everything() -> None:
    obs = PageObservation("https://idp.example.com/sso", title="PO #47310552", identity_marker=True)
    assert classify(obs) is PageKind.SIGN_IN


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("PO #123456", True),
        ("123456", True),
        ("Pedido 123456.", True),
        ("1234567", False),
        ("0123456", False),
    ],
)
def test_names_number(text: str, hit: bool) -> None:
    assert names_number(text, "123456") is hit


def test_observation_from_script_dict() -> None:
    obs = PageObservation.from_dict(
        {
            "url": PO_URL,
            "title": "t",
            "http_status": 0,
            "ready": True,
            "headings": ["a"],
            "error_texts": [],
            "identity_marker": False,
            "sign_in_form": False,
        }
    )
    assert obs == PageObservation(PO_URL, title="t", http_status=None, ready=True, headings=("a",))
