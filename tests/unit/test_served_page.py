"""What a served page proves, read from the demo portal's own HTML and from hand-made pages: the served
variant proves its lists; every page a script finishes proves nothing, so its PO goes to the browser."""

from __future__ import annotations

import dataclasses

import pytest

from po_downloader.demo_portal import catalog, pages
from po_downloader.demo_portal.variants import VARIANTS
from po_downloader.engine.browser.page_state import PageKind, PagePhrases, classify_page
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.http.served_page import (
    browser_url,
    observe_served,
    parse_html,
    scan_served,
    served_requisition_url,
    served_supplier,
)

SEL = load_selectors()
ORIGIN = "http://127.0.0.1:8111"
SERVED = VARIANTS["served"]


def _scan(html: str, url: str = ORIGIN + "/order_headers/10000001"):
    return scan_served(parse_html(html), url, SEL)


def _kind(html: str, digits: str, status: int = 200) -> PageKind:
    url = f"{ORIGIN}/order_headers/{digits}"
    obs = observe_served(parse_html(html), url=url, status=status, sel=SEL, digits=digits)
    phrases = PagePhrases(SEL.not_found_phrases, SEL.no_access_phrases, SEL.portal_error_phrases)
    return classify_page(
        obs,
        digits=digits,
        expect=PageKind.PO,
        phrases=phrases,
        base_host="127.0.0.1:8111",
        sign_in=SEL.sign_in_places,
    ).kind


def test_a_served_po_page_proves_its_list_with_every_url_and_name() -> None:
    doc = catalog.document("20000007")  # two files and a comment link, all named Invoice.pdf
    scan = _scan(pages.po_page(doc, SERVED, ORIGIN))
    assert scan.proof == "listed", scan.why
    assert [a.name for a in scan.items] == ["Invoice.pdf", "Invoice.pdf", "Invoice.pdf"]
    assert all(a.kind == "url" and a.url.startswith(ORIGIN + "/") for a in scan.items)
    assert len({a.url for a in scan.items}) == 3
    assert _kind(pages.po_page(doc, SERVED, ORIGIN), "20000007") is PageKind.PO


def test_a_served_page_without_attachments_proves_empty_only_by_its_empty_state_text() -> None:
    doc = catalog.document("20000005")
    scan = _scan(pages.po_page(doc, SERVED, ORIGIN))
    assert (scan.proof, scan.empty_text) == ("empty", "No attachments")
    silent = dataclasses.replace(SERVED, empty_state=False)
    scan = _scan(pages.po_page(doc, silent, ORIGIN))
    assert scan.proof == "" and "without an empty-state text" in scan.why


@pytest.mark.parametrize("name", ["classic", "timer", "data-url", "gap", "pt-br"])
def test_a_page_a_script_finishes_proves_nothing(name: str) -> None:
    doc = catalog.document("20000007")
    scan = _scan(pages.po_page(doc, VARIANTS[name], ORIGIN))
    assert scan.proof == "" and scan.why


def test_a_click_only_span_sends_the_po_to_the_browser() -> None:
    doc = catalog.document("20000007")
    scan = _scan(pages.po_page(doc, VARIANTS["immediate"], ORIGIN))  # mixed: odd spans are click-only
    assert scan.proof == "" and "only a click starts" in scan.why


def test_a_loading_indicator_anywhere_proves_nothing_but_one_the_html_hides_does_not_count() -> None:
    section = (
        '<section id="attachments_section"><h2>Attachments</h2><div>'
        '<span role="button" aria-label="a.pdf file attachment" data-url="/f/1">a.pdf</span></div></section>'
    )
    assert _scan(section).proof == "listed"
    busy = section + '<section class="comments"><div class="spinner"></div></section>'
    assert "loading" in _scan(busy).why
    hidden = section + '<div class="spinner" style="display: none"></div><div class="loading" hidden></div>'
    assert _scan(hidden).proof == "listed"


def test_script_and_template_content_is_never_page_text() -> None:
    html = (
        '<section id="attachments_section"><h2>Attachments</h2>'
        '<template><span role="button" aria-label="t.pdf file attachment" data-url="/t">t</span></template>'
        "<script>document.write('<span class=none>No attachments</span>')</script></section>"
    )
    scan = _scan(html)
    assert scan.items == () and scan.proof == ""


def test_served_error_pages_are_classified_by_the_browsers_rules() -> None:
    nf = pages.not_found_page(SERVED, document_page=True)
    assert _kind(nf, "20000001", status=404) is PageKind.NOT_FOUND
    na = pages.not_authorized_page(variant=SERVED)
    assert _kind(na, "20000002", status=403) is PageKind.NO_ACCESS
    # The same words on a page without the portal's frame (a proxy's) prove nothing.
    assert _kind("<html><title>Access Denied</title><h1>Access Denied</h1></html>", "1", 403) is (
        PageKind.UNPROVEN
    )
    # A page that names no PO (a home page after a lost session, say) is no PO page: the browser decides.
    assert _kind(pages.home_page(SERVED), "20000007") is PageKind.UNKNOWN


def test_supplier_and_requisition_link_as_the_browser_reads_them() -> None:
    doc = catalog.document("20000006")
    html = parse_html(pages.po_page(doc, SERVED, ORIGIN))
    url = ORIGIN + "/order_headers/20000006"
    assert served_supplier(html, SEL) == "Tailspin Toys"
    assert served_requisition_url(html, url, SEL) == ORIGIN + "/requisition_headers/30000006"
    dl = parse_html(
        "<dl><dt>Supplier No.</dt><dd>77</dd><dt>Supplier</dt><dd><a href='/s/1'>Åsgård AB</a></dd></dl>"
    )
    assert served_supplier(dl, SEL) == "Åsgård AB"


def test_urls_are_escaped_as_a_browser_escapes_them() -> None:
    assert browser_url(ORIGIN + "/a/b", "files/Nota fiscal.pdf?x=1 2") == (
        ORIGIN + "/a/files/Nota%20fiscal.pdf?x=1%202"
    )
    assert browser_url(ORIGIN + "/", "/f/Fatura_Março.pdf") == ORIGIN + "/f/Fatura_Mar%C3%A7o.pdf"
    assert browser_url(ORIGIN + "/", "HTTP://Example.COM/x%20y") == "http://example.com/x%20y"
