"""Replay recorded demo-portal pages through the pure decisions (no browser).

``tests/data/pages/`` is written by ``python -m tests.helpers.record_pages``: what the portal module observed
on real pages of every variant, early (right after opening) and final (once it stopped waiting for the
attachments). The expectations here come from the demo catalog, never from the recording, so a recording
that drifted, or an engine that stopped waiting too soon, fails.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from po_downloader.demo_portal import VARIANTS, Variant, catalog
from po_downloader.demo_portal.variants import span_url
from po_downloader.engine.browser.attachment_wait import AttachmentsLook, WaitRules, decide
from po_downloader.engine.browser.page_state import PageKind, PageObservation, PagePhrases, classify_page
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.models import ListVerdict
from tests.helpers.record_pages import (
    DOCUMENTS,
    OBSERVATIONS,
    ORIGIN,
    PAGES_DIR,
    load_observations,
    page_file,
)

RECORDED = load_observations() if (PAGES_DIR / OBSERVATIONS).exists() else {}
NAMES = sorted(RECORDED)

_SELECTORS = load_selectors()
_PHRASES = PagePhrases(
    _SELECTORS.not_found_phrases, _SELECTORS.no_access_phrases, _SELECTORS.portal_error_phrases
)
_CATALOG_KIND = {
    catalog.PageKind.NOT_FOUND: PageKind.NOT_FOUND,
    catalog.PageKind.NOT_AUTHORIZED: PageKind.NO_ACCESS,
    catalog.PageKind.NOT_AUTHORIZED_PT: PageKind.NO_ACCESS,
    catalog.PageKind.SERVER_ERROR: PageKind.PORTAL_ERROR,
}


def _document(entry: dict[str, Any]) -> catalog.Document:
    number = entry["number"]
    return catalog.requisition(number) if entry["requisition"] else catalog.document(number)


def expected_kind(doc: catalog.Document) -> PageKind:
    if doc.page is catalog.PageKind.OK:
        return PageKind.REQUISITION if doc.is_requisition else PageKind.PO
    return _CATALOG_KIND[doc.page]


def expected_items(doc: catalog.Document, variant: Variant) -> Counter[str]:
    """The item keys the attachments scan must report (``kind|name|url``), from the catalog and variant.

    File spans carry their URL only when the variant gives span number *n* a URL attribute (else they are
    click-only); comment links always have an ``href``. URLs are absolute, on the recording's origin.
    """
    keys: list[str] = []
    files = [a for a in doc.attachments if a.kind != "comment"]
    for position, att in enumerate(files):
        attribute = variant.url_attribute(position)
        if attribute is None:
            keys.append(f"click|{att.name}|")
        else:
            value = span_url(attribute, att.url_path, ORIGIN)
            keys.append(f"url|{att.name}|{value if value.startswith(ORIGIN) else ORIGIN + value}")
    keys += [f"url|{a.name}|{ORIGIN}{a.url_path}" for a in doc.attachments if a.kind == "comment"]
    return Counter(keys)


def _classify(page: dict[str, Any], entry: dict[str, Any]):
    return classify_page(
        PageObservation.from_dict(page),
        digits=entry["number"],
        expect=PageKind.REQUISITION if entry["requisition"] else PageKind.PO,
        phrases=_PHRASES,
        base_host=urlparse(ORIGIN).netloc,
        sign_in=_SELECTORS.sign_in_places,
    )


DOCUMENT_PAGES = [n for n in NAMES if _document(RECORDED[n]).page is catalog.PageKind.OK]
ERROR_PAGES = [n for n in NAMES if n not in DOCUMENT_PAGES]


def test_recordings_exist_and_match_their_files() -> None:
    assert RECORDED, f"no {OBSERVATIONS} in {PAGES_DIR}: run python -m tests.helpers.record_pages"
    on_disk = {p.name for p in Path(PAGES_DIR).glob("*.html")}
    assert on_disk == set(RECORDED), "HTML files and observations.json disagree: re-record"
    for name, entry in RECORDED.items():
        assert name == page_file(entry["variant"], entry["number"])


def test_every_variant_is_recorded_with_every_document() -> None:
    wanted = {(number, requisition) for number, requisition in DOCUMENTS}
    by_variant: dict[str, set[tuple[str, bool]]] = {}
    for entry in RECORDED.values():
        by_variant.setdefault(entry["variant"], set()).add((entry["number"], entry["requisition"]))
    assert set(by_variant) == set(VARIANTS), "a variant without recordings (or a stale one): re-record"
    for variant, documents in by_variant.items():
        assert documents == wanted, f"{variant}: recorded documents differ from record_pages.DOCUMENTS"


def test_the_recordings_cover_every_outcome() -> None:
    kinds = {expected_kind(_document(e)) for e in RECORDED.values()}
    assert {PageKind.PO, PageKind.REQUISITION, PageKind.NOT_FOUND, PageKind.NO_ACCESS} <= kinds
    assert any(not _document(RECORDED[n]).attachments for n in DOCUMENT_PAGES), "no page without attachments"


@pytest.mark.parametrize("name", NAMES)
def test_final_page_is_classified_as_the_catalog_says(name: str) -> None:
    entry = RECORDED[name]
    state = _classify(entry["final"]["page"], entry)
    assert state.kind is expected_kind(_document(entry)), f"{name}: {state}"


@pytest.mark.parametrize("name", NAMES)
def test_early_page_is_already_classified_as_the_catalog_says(name: str) -> None:
    """``CoupaPortal.open`` returned on this look's page state, so it must already be the right one."""
    entry = RECORDED[name]
    state = _classify(entry["early"]["page"], entry)
    assert state.kind is expected_kind(_document(entry)), f"{name}: {state}"


@pytest.mark.parametrize("name", DOCUMENT_PAGES)
def test_final_look_lists_the_catalog_attachments(name: str) -> None:
    entry = RECORDED[name]
    doc = _document(entry)
    look = AttachmentsLook.from_dict(entry["final"]["look"])
    decision = decide(look, quiet=60, rules=WaitRules())
    want = expected_items(doc, VARIANTS[entry["variant"]])
    if doc.attachments:
        assert decision.verdict is ListVerdict.LISTED, f"{name}: {decision}; expected {len(want)} items"
        assert len(look.items) == len(doc.attachments), f"{name}: {look.items}"
        assert Counter(look.items) == want
    else:
        assert decision.verdict is ListVerdict.EMPTY, f"{name}: {decision}"
        assert look.items == ()


@pytest.mark.parametrize("name", DOCUMENT_PAGES)
def test_early_look_is_never_taken_for_the_final_list(name: str) -> None:
    """Right after opening, "nothing yet" must not pass for "nothing", nor a partial list for the list.

    An early verdict may only be the truth: a page whose first HTML says "No attachments" (and has none) is
    proven empty at once since issue 16; one that shows nothing yet is not."""
    entry = RECORDED[name]
    doc = _document(entry)
    look = AttachmentsLook.from_dict(entry["early"]["look"])
    decision = decide(look, quiet=0.5, rules=WaitRules())
    complete = bool(doc.attachments) and Counter(look.items) == expected_items(
        doc, VARIANTS[entry["variant"]]
    )
    allowed = {ListVerdict.WAIT, ListVerdict.LISTED} if complete else {ListVerdict.WAIT}
    if not doc.attachments and look.empty_text:
        allowed.add(ListVerdict.EMPTY)
    assert decision.verdict in allowed, f"{name}: {decision} on an early look with {len(look.items)} items"


@pytest.mark.parametrize("name", ERROR_PAGES)
def test_error_page_lists_no_attachments(name: str) -> None:
    entry = RECORDED[name]
    look = AttachmentsLook.from_dict(entry["final"]["look"])
    assert look.items == ()
    assert decide(look, quiet=60, rules=WaitRules()).verdict is not ListVerdict.LISTED
