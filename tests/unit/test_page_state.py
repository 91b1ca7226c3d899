"""The page-state decision: every verdict needs positive evidence from the page."""

from __future__ import annotations

import http.client
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

import pytest

from po_downloader.demo_portal.server import start_portal
from po_downloader.engine.browser.page_state import (
    PageKind,
    PageObservation,
    PagePhrases,
    SignInPlaces,
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
        sign_in=SEL.sign_in_places,
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
    obs = PageObservation(
        PO_URL, title="PO #47310552 | Coupa", error_texts=texts, identity_marker=True, portal_frame=True
    )
    assert classify(obs) is kind


def test_error_phrase_in_the_title_counts() -> None:
    assert classify(PageObservation(PO_URL, title="Page Not Found", portal_frame=True)) is PageKind.NOT_FOUND


def test_phrases_ignore_case_and_spacing() -> None:
    obs = PageObservation(
        PO_URL, error_texts=("  OOPS!   we couldn't   find what you wanted ",), portal_frame=True
    )
    assert classify(obs) is PageKind.NOT_FOUND


@pytest.mark.parametrize(
    ("status", "kind"),
    [
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
    obs = PageObservation(PO_URL, title="PO #47310552 | Coupa", http_status=404, portal_frame=True)
    assert classify(obs) is PageKind.UNPROVEN


# ---------------------------------------------------------------- whose page is it? (issue 14, item 6)

CDN_403 = PageObservation(
    PO_URL,
    title="Access Denied",
    http_status=403,
    ready=True,
    headings=("Access Denied",),
    error_texts=("Access Denied",),
)
"""A CDN's block page in front of the portal (Akamai's words): the portal's host, none of its markup."""


def _state(obs: PageObservation):
    return classify_page(
        obs,
        digits="47310552",
        expect=PageKind.PO,
        phrases=PHRASES,
        base_host="acme.coupahost.com",
        sign_in=SEL.sign_in_places,
    )


def test_a_cdns_access_denied_page_on_the_portals_host_is_no_verdict_and_names_who_answered() -> None:
    """Once this was NO_ACCESS, final and never retried, though the next request served the PO."""
    state = _state(CDN_403)
    assert state.kind is PageKind.UNPROVEN
    assert state.detail == "acme.coupahost.com answered HTTP 403 Access Denied (not the portal's own page)"


def test_a_proxy_on_another_host_is_no_verdict_even_with_the_portals_markup() -> None:
    obs = replace(CDN_403, url="https://proxy.corp/blocked?url=x", portal_frame=True)
    state = _state(obs)
    assert state.kind is PageKind.UNPROVEN
    assert state.detail.startswith("proxy.corp answered HTTP 403 Access Denied")
    assert "not the portal's host" in state.detail


@pytest.mark.parametrize("status", [None, 200, 404])
def test_a_proxy_page_saying_not_found_without_the_portals_frame_is_no_verdict(status: int | None) -> None:
    obs = PageObservation(PO_URL, title="Page Not Found", http_status=status, error_texts=("Page Not Found",))
    assert classify(obs) is PageKind.UNPROVEN


@pytest.mark.parametrize("status", [403, 404, 410])
@pytest.mark.parametrize("frame", [False, True])
def test_a_bare_status_is_no_verdict(status: int, frame: bool) -> None:
    """No phrase, only a status: not the portal's word on the PO, whatever the markup."""
    state = _state(PageObservation(PO_URL, title="Coupa", http_status=status, portal_frame=frame))
    assert state.kind is PageKind.UNPROVEN
    assert state.detail.startswith(f"acme.coupahost.com answered HTTP {status} Coupa")


@pytest.mark.parametrize("status", [None, 200, 403, 404])
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Oops! We couldn't find what you wanted", PageKind.NOT_FOUND),
        ("You are not authorized to view this page", PageKind.NO_ACCESS),
        ("Você não tem permissão para acessar esta página.", PageKind.NO_ACCESS),
    ],
)
def test_the_portals_own_error_page_is_final(status: int | None, text: str, kind: PageKind) -> None:
    """Host, frame and phrase: Coupa's own error page, HTTP 200 or 403/404, is the verdict it says."""
    obs = PageObservation(PO_URL, title="Coupa", http_status=status, error_texts=(text,), portal_frame=True)
    state = _state(obs)
    assert (state.kind, state.detail) == (kind, text)


def test_the_portals_host_with_another_port_is_another_host() -> None:
    obs = PageObservation(
        "https://acme.coupahost.com:8443/order_headers/47310552",
        error_texts=("You are not authorized",),
        portal_frame=True,
    )
    assert classify(obs) is PageKind.UNPROVEN


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
        # Coupa's own sign-in, on the portal host (the default port written or not)
        ("https://acme.coupahost.com/sessions", True),
        ("https://acme.coupahost.com:443/sessions/new?sso=1", True),
        ("https://ACME.coupahost.com/Login", True),
        ("https://acme.coupahost.com/sso/saml/acs", True),
        # identity providers on their own hosts (and subdomains), whatever the path
        ("https://acme.okta.com/app/coupa/exk1/sso/saml", True),
        ("https://acme.okta.com/", True),
        ("https://login.windows.net/common/oauth2/authorize", True),
        ("https://accounts.google.com/o/saml2/idp?idpid=x", True),
        # self-hosted identity providers: known sign-in paths on any host
        ("https://sts.acme.com/adfs/ls/?SAMLRequest=x", True),
        ("https://idp.acme.com/idp/profile/SAML2/Redirect/SSO", True),
        ("https://kc.acme.com/auth/realms/acme/protocol/saml", True),
        ("https://idp.example.com/sso", True),
        # attachments and pages on other hosts are not sign-in ...
        ("https://acme-files.s3.amazonaws.com/po/47310552/invoice.pdf?X-Amz-Signature=abc", False),
        ("https://d111111abcdef8.cloudfront.net/attachments/1/login-guide.pdf", False),
        ("https://cdn.example.com/sso-guide.pdf", False),
        ("https://cdn.example.com/saml-overview.pdf", False),
        ("https://files.example.com/download?next=/login&name=sso.pdf", False),
        ("https://notokta.com/files/a.pdf", False),  # a host that only ends like an IdP's
        # ... nor are the portal's own pages whose names merely contain a sign-in word
        ("https://acme.coupahost.com/attachment_files/1/login.pdf", False),
        ("https://acme.coupahost.com/order_headers/1?return=/sessions/new", False),
        ("https://acme.coupahost.com/ssorter/1", False),
        ("https://acme.coupahost.com:8443/order_headers/1", False),  # another port: another host's page
        ("chrome-error://chromewebdata/", False),
        ("data:text/html,<form action='/login'>", False),
    ],
)
def test_sign_in_urls(url: str, expected: bool) -> None:
    assert is_sign_in_url(url, "acme.coupahost.com", SEL.sign_in_places) is expected


def test_the_decision_is_the_configured_data_not_a_built_in_list() -> None:
    places = SignInPlaces(
        portal_paths=("/my-login/",), sso_hosts=("idp.corp.example",), sso_paths=("/auth/",)
    )
    assert is_sign_in_url("https://acme.coupahost.com/my-login/x", "acme.coupahost.com", places)
    assert not is_sign_in_url("https://acme.coupahost.com/sessions/new", "acme.coupahost.com", places)
    assert is_sign_in_url("https://eu.idp.corp.example/x", "acme.coupahost.com", places)
    assert is_sign_in_url("https://other.example/auth/x", "acme.coupahost.com", places)
    assert not is_sign_in_url("https://login.microsoftonline.com/x", "acme.coupahost.com", places)


def test_a_po_whose_attachment_link_leaves_the_portal_is_not_sign_in() -> None:
    """Once any other host counted as sign-in: such a PO was requeued for ever (GUI) or ended every run."""
    obs = PageObservation(
        "https://acme-files.s3.amazonaws.com/po/47310552/a.pdf", title="PO #47310552", ready=True
    )
    assert classify(obs) is PageKind.PO


def test_the_demo_portals_sso_is_recognised_by_the_generic_rules() -> None:
    """The demo sends a signed-out browser to its identity provider on ``localhost``; no demo names needed."""
    assert not any("localhost" in h or "127.0.0.1" in h for h in SEL.sign_in_places.sso_hosts)
    running = start_portal(render_ms=0, sink=lambda *_: None)
    try:
        base_host = urlsplit(running.base_url).netloc
        for path in ("/", "/order_headers/10000001"):
            connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
            connection.request("GET", path)
            reply = connection.getresponse()
            reply.read()
            connection.close()
            assert reply.status == 302
            sso = urljoin(running.base_url + path, reply.headers["Location"])
            assert urlsplit(sso).hostname == "localhost"
            assert is_sign_in_url(sso, base_host, SEL.sign_in_places), sso
        assert not is_sign_in_url(running.base_url + "/order_headers/10000001", base_host, SEL.sign_in_places)
        file_url = running.base_url + "/attachment_files/10000001/0/download"
        assert not is_sign_in_url(file_url, base_host, SEL.sign_in_places)
    finally:
        running.stop()


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
    framed = PageObservation.from_dict({"url": PO_URL, "portal_frame": True})
    assert framed.portal_frame
