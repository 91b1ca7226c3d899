"""The PO's facts (``--facts``): the selectors' rules, the pure last steps, and the served HTML's read.

The rendered page's read (``READ_FACTS``) is the same rule in the browser; the browser tests
(``tests/integration/test_po_facts_browser.py``) check both routes give the page's facts.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from po_downloader.cli import messages
from po_downloader.demo_portal import VARIANTS, Variant
from po_downloader.demo_portal.catalog import demo_po_numbers, document
from po_downloader.demo_portal.facts import demo_facts
from po_downloader.demo_portal.pages import po_page
from po_downloader.engine.browser.po_facts import (
    LONGEST,
    FactRule,
    finish_facts,
    label_key,
    rules_for_script,
)
from po_downloader.engine.browser.selectors import SelectorsError, load_selectors
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.http.served_facts import _Index, served_facts
from po_downloader.engine.http.served_page import parse_html
from po_downloader.engine.outcome import FACT_NAMES, NO_FACTS, PoFacts

SEL = load_selectors()

# Coupa's "General Info" block as tenants draw it: label/value pairs in several markups.
COUPA_PO = """
<html><body class="order_headers show">
<div id="top_nav"><span class="user-name">Demo Buyer</span></div>
<section class="order-summary"><h2>General Info</h2>
  <div class="field"><span class="label">PO Number</span><span class="value">4500123</span></div>
  <div class="field"><span class="label">Status</span><span class="value">Issued</span></div>
  <div class="field"><span class="label">Created:</span>
      <span class="value">  03/13/2025 </span></div>
  <dl><dt>Requested By</dt><dd>Ana  Souza</dd></dl>
  <table><tr><th>Payment Terms</th><td>Net 45</td></tr></table>
  <div class="field"><label>Total</label><span>12,345.60 <abbr>EUR</abbr></span><span>x</span></div>
  <div class="field"><span class="label">Company</span><span class="value"></span>
      <span class="value">ACME Brasil Ltda</span></div>
  <div class="field"><span class="label">Requisition Number</span><span class="value">None</span></div>
  <span id="order_header_supplier_number">SUP-0042</span>
</section>
<section class="lines"><table><tr><th>Item</th><th>Status</th></tr>
  <tr><td>Chair</td><td><span class="status">Received</span></td></tr></table></section>
<script>document.write("<span class='label'>Currency</span><span>XXX</span>")</script>
<div class="history"><span class="when">2025-03-10</span><span class="what">Created</span></div>
</body></html>
"""


def facts_of(html: str) -> PoFacts:
    return served_facts(parse_html(html), SEL)


# --- the selectors file ------------------------------------------------------------------------------


def test_every_fact_has_a_rule_from_the_bundled_file_in_the_results_order() -> None:
    assert tuple(rule.name for rule in SEL.facts) == FACT_NAMES
    assert all(rule.css and rule.labels for rule in SEL.facts)  # Coupa's ids and its words, both
    assert "None" in SEL.fact_blanks


def test_a_tenant_adapts_one_fact_and_keeps_the_others(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"facts": {"company_labels": ["Chart of Accounts"]}}), encoding="utf-8")
    sel = load_selectors(user)
    company = next(rule for rule in sel.facts if rule.name == "company")
    assert company.labels == ("Chart of Accounts",)
    assert company.css == next(rule for rule in SEL.facts if rule.name == "company").css
    assert [r for r in sel.facts if r.name != "company"] == [r for r in SEL.facts if r.name != "company"]
    page = (
        "<div><span>Chart of Accounts</span><span>ACME US</span></div><div><span>Company</span><b>X</b></div>"
    )
    assert served_facts(parse_html(page), sel).company == "ACME US"


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ({"facts": {"total_css": "#total"}}, "facts.total_css"),  # a bare string, not a list
        ({"facts": {"requester_labels": ["Requester", ""]}}, "facts.requester_labels"),
        ({"facts": ["Status"]}, "facts"),
    ],
)
def test_a_malformed_facts_key_is_refused_naming_it(tmp_path: Path, override: dict, key: str) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps(override), encoding="utf-8")
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert (caught.value.kind, caught.value.details["key"]) == (ErrorKind.SELECTORS_BAD_VALUE, key)
    assert key in messages.error_message(caught.value)


def test_an_unknown_fact_key_is_refused(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"facts": {"cost_centre_labels": ["Cost Center"]}}), encoding="utf-8")
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert caught.value.kind is ErrorKind.SELECTORS_UNKNOWN_KEYS
    assert "facts.cost_centre_labels" in caught.value.details["keys"]


# --- the pure last steps -----------------------------------------------------------------------------


def test_labels_match_letter_case_and_a_trailing_colon_aside() -> None:
    assert label_key("  Payment   Terms : ") == label_key("payment terms") == "payment terms"
    assert rules_for_script([FactRule("total", ("#t",), ("Total:",))]) == [
        {"name": "total", "css": ["#t"], "labels": ["total"]}
    ]


def test_text_is_collapsed_and_a_shown_no_value_is_blank() -> None:
    raw = {"po_status": " Issued\n ", "requisition": "None", "requester": "—", "company": "n/a"}
    facts = finish_facts(raw, ("None", "—", "N/A"))
    assert (facts.po_status, facts.requisition, facts.requester, facts.company) == ("Issued", "", "", "")


def test_a_fact_longer_than_a_fact_is_blank_and_unknown_names_are_ignored() -> None:
    facts = finish_facts({"company": "x" * (LONGEST + 1), "cost_centre": "CC1", "total": 5})
    assert facts == NO_FACTS


@pytest.mark.parametrize(
    ("total", "currency", "expected"),
    [
        ("1,234.56 USD", "", ("1,234.56", "USD")),  # the code shown with the total gives the currency
        ("USD 1,234.56", "", ("1,234.56", "USD")),
        ("1.234,56 BRL", "BRL", ("1.234,56", "BRL")),  # both say the same: said once
        ("1,234.56 USD", "EUR", ("1,234.56 USD", "EUR")),  # they disagree: both stay as shown
        ("1,234.56", "", ("1,234.56", "")),  # no currency shown: none guessed
        ("$1,234.56", "", ("$1,234.56", "")),
        ("Net USD", "", ("Net USD", "")),  # no amount: not a total with a code
    ],
)
def test_a_total_shown_with_its_currency_code(total: str, currency: str, expected: tuple[str, str]) -> None:
    facts = finish_facts({"total": total, "currency": currency})
    assert (facts.total, facts.currency) == expected


def test_facts_keep_only_what_was_shown_and_come_back_by_name() -> None:
    facts = PoFacts(po_status="Issued", total="10.00")
    assert facts.shown() == {"po_status": "Issued", "total": "10.00"}
    assert PoFacts.of({**facts.shown(), "other": "x", "created": 3}) == facts
    assert NO_FACTS.shown() == {}


# --- the served HTML -----------------------------------------------------------------------------------


def test_the_served_page_gives_each_fact_by_its_label_or_selector() -> None:
    assert facts_of(COUPA_PO) == PoFacts(
        po_status="Issued",  # the summary's, not the lines table's heading
        total="12,345.60",
        currency="EUR",  # shown with the total; the script's "Currency" is no page text
        supplier_number="SUP-0042",  # by Coupa's id
        company="ACME Brasil Ltda",  # the first following sibling with text
        payment_term="Net 45",  # a table's th/td
        created="03/13/2025",  # "Created:", not the history's "Created" (nothing follows it)
        requester="Ana Souza",  # a dl's dt/dd
        requisition="",  # shown as "None"
    )


def test_a_css_selector_wins_over_a_label() -> None:
    page = '<div><span>Status</span><span>Issued</span></div><span id="order_header_status">Closed</span>'
    assert facts_of(page).po_status == "Closed"


def test_a_page_that_shows_no_facts_gives_blanks_never_an_error() -> None:
    assert facts_of("<html><body><h1>Oops! We couldn't find what you wanted</h1></body></html>") == NO_FACTS
    assert facts_of("") == NO_FACTS
    refused = FactRule("po_status", ("div[",), ("Status",))  # a selector the parser cannot read
    sel = dataclasses.replace(SEL, facts=(refused,))
    assert served_facts(parse_html("<div><span>Status</span><i>Open</i></div>"), sel).po_status == "Open"


# --- the demo portal's pages -------------------------------------------------------------------------


@pytest.mark.parametrize("variant", list(VARIANTS.values()), ids=list(VARIANTS))
def test_every_demo_variant_shows_each_pos_facts_and_leaves_some_out(variant: Variant) -> None:
    numbers = demo_po_numbers(6)  # 10000003 and 10000006 have a requisition, 10000005 no company
    for digits in numbers:
        doc = document(digits)
        shown = demo_facts(digits, doc.requisition, variant.lang)
        assert served_facts(parse_html(po_page(doc, variant)), SEL) == PoFacts(**dataclasses.asdict(shown))
    facts = [demo_facts(d, document(d).requisition, variant.lang) for d in numbers]
    assert {bool(f.requisition) for f in facts} == {True, False}
    assert {bool(f.company) for f in facts} == {True, False}
    assert len({f.total for f in facts}) == len(numbers)  # each page its own facts


TRICKY = """
<div id="Main" class="box order_header"><span id="order_header_status" class="po-status x">Issued</span>
<span class="x" data-testid="po-total">12.00 USD</span><span class="x x" title="#order_header_status">t</span>
<section class="supplier-info"><div class="supplier"><span>Acme</span></div></section>
<a href="/attachments/1/download" class="file">f</a><span class="po-status y">Other</span></div>
"""


@pytest.mark.parametrize(
    "css",
    [
        "#order_header_status",
        "#main",  # ids letter case aside in the index; soupsieve decides
        "#Main",
        ".po-status",
        "span.po-status.y",
        ".x",  # one element listed twice in its class
        "[data-testid='po-total']",
        "[DATA-TESTID]",
        "[title='#order_header_status']",  # an id in a value is no id
        "span:not(.po-status)",
        "#order_header_status, .y",
        "section div[class*='supplier'] span",
        "a[href*='/attachments/'][href*='download']",
        "div > span.x + span",
        "span#order_header_status[class~='x']",
        "#order\\_header_status",
        "span",
        "div[",  # unreadable: nothing
    ],
)
def test_the_indexed_read_matches_what_soupsieve_matches_on_the_whole_tree(css: str) -> None:
    doc = parse_html(TRICKY)
    index = _Index(doc, [css], [])
    try:
        expected = doc.select(css)
    except Exception:
        expected = []
    assert [id(el) for el in index.matching(css)] == [id(el) for el in expected]
