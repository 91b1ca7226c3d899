"""What a PO page's served HTML proves, read the way the browser's observer scripts read the rendered page.

``browser/page_scripts.py`` looks at the page after its scripts ran; this module looks at the HTML the
server sent, before any script: the same selectors, the same page-state rules (``browser/page_state``),
the same attachment scan. It is only *evidence*: the HTML proves a list when the attachments section is
there with every item's URL (never a click-only one), or with its explicit empty-state text, and nothing
on the page says it is still loading. Anything else (a spinner, a section a script fills later, a
click-only span, no section) proves nothing here, and the PO goes to the browser. Whether a tenant's
served pages show what its browser shows at all is checked against the browser before they are trusted
(``run/route_trust.py``).

Visibility is not known without the stylesheets: an element is taken as hidden only when the HTML itself
hides it (``hidden``, an inline ``display:none``/``visibility:hidden``); ``script``, ``style``,
``template`` and ``noscript`` content is never page text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from po_downloader.engine.browser.page_state import PageObservation
from po_downloader.engine.browser.selectors import Selectors
from po_downloader.engine.download_route import Attachment

_NOT_PAGE_TEXT = ("script", "style", "template", "noscript")
_HEADS = "h1,h2,h3,h4,h5,h6,legend,caption,summary,dt,[role=heading]"
_HIDDEN_STYLE = re.compile(r"(display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


def parse_html(text: str) -> BeautifulSoup:
    """The served document, without the parts a browser never shows as page text."""
    doc = BeautifulSoup(text, "html.parser")
    for tag in doc.find_all(_NOT_PAGE_TEXT):
        tag.decompose()
    return doc


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _select(root: Tag, css: str) -> list[Tag]:
    """Elements matching ``css``; a selector the parser cannot read matches nothing (as in the scripts)."""
    try:
        return list(root.select(css))
    except Exception:  # soupsieve's SelectorSyntaxError and friends: the page scripts skip it the same way
        return []


def _matches(el: Tag, css: str) -> bool:
    try:
        return bool(el.css.match(css))
    except Exception:
        return False


def _in_any(el: Tag, selectors: Iterable[str]) -> bool:
    node: Tag | None = el
    while isinstance(node, Tag):
        if any(_matches(node, s) for s in selectors):
            return True
        node = node.parent if isinstance(node.parent, Tag) else None
    return False


def _shown(el: Tag) -> bool:
    """Not hidden by the HTML itself (the stylesheets are not known here)."""
    node: Tag | None = el
    while isinstance(node, Tag) and node.name != "[document]":
        if node.has_attr("hidden") or _HIDDEN_STYLE.search(str(node.get("style") or "")):
            return False
        node = node.parent if isinstance(node.parent, Tag) else None
    return True


def browser_url(base: str, value: str) -> str:
    """``value`` resolved against ``base`` and escaped the way a browser's URL parser does, so a served
    list and a rendered one name the same URL the same way."""
    joined = urljoin(base, value.strip())
    parts = urlsplit(joined)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, query, ""))


# ---------------------------------------------------------------------------------------- the page's state


def observe_served(
    doc: BeautifulSoup,
    *,
    url: str,
    status: int | None,
    sel: Selectors,
    digits: str,
    requisition: bool = False,
) -> PageObservation:
    """The served page as ``OBSERVE_PAGE`` sees a rendered one: the page-state decision's input."""
    benign = sel.benign_containers
    errors: list[str] = []
    for css in sel.error_containers:
        for el in _select(doc, css):
            if len(errors) >= 40 or not _shown(el) or _in_any(el, benign):
                continue
            text = _norm(_text_without(el, benign))
            if text:
                errors.append(text[:400])
    headings = [
        _norm(el.get_text(" "))[:300]
        for el in _select(doc, "h1, h2, [role=heading]")
        if not _in_any(el, benign) and _norm(el.get_text(" "))
    ][:40]
    title = doc.title.get_text() if doc.title else ""
    return PageObservation(
        url=url,
        title=_norm(title),
        http_status=status,
        ready=True,
        headings=tuple(headings),
        error_texts=tuple(errors),
        identity_marker=any(_select(doc, s) for s in sel.identity_markers(digits, requisition=requisition)),
        sign_in_form=any(_select(doc, s) for s in sel.sign_in_form),
        portal_frame=any(_select(doc, s) for s in sel.portal_frame),
    )


def _text_without(el: Tag, benign: Iterable[str]) -> str:
    parts = []
    for node in el.find_all(string=True):
        parent = node.parent
        if isinstance(parent, Tag) and parent is not el and _in_any_below(parent, el, benign):
            continue
        parts.append(str(node))
    return " ".join(parts)


def _in_any_below(node: Tag, top: Tag, selectors: Iterable[str]) -> bool:
    """``node`` or an ancestor up to (not including) ``top`` matches one of ``selectors``."""
    cur: Tag | None = node
    while isinstance(cur, Tag) and cur is not top:
        if any(_matches(cur, s) for s in selectors):
            return True
        cur = cur.parent if isinstance(cur.parent, Tag) else None
    return False


# ---------------------------------------------------------------------------------------- the attachments


@dataclass(frozen=True)
class ServedList:
    """What the served HTML says of the attachments: ``proof`` is "listed", "empty" or "" (nothing proven,
    ``why`` says what is missing: the PO goes to the browser)."""

    proof: str
    items: tuple[Attachment, ...] = ()
    empty_text: str = ""
    why: str = ""


def scan_served(doc: BeautifulSoup, page_url: str, sel: Selectors) -> ServedList:
    """The attachments the served HTML lists, and whether it proves that list final (see the module doc)."""
    roots = _section_roots(doc, sel)
    items = _candidates(doc, roots, sel)
    described = [_describe(el, i, page_url, sel) for i, el in enumerate(items)]
    busy = _loading(doc, sel, items)
    if busy:
        return ServedList("", why=f"the served page shows a loading indicator ({busy})")
    if not roots:
        return ServedList("", why="the served page has no attachments section")
    click_only = [d.name for d in described if d.kind != "url"]
    if click_only:
        return ServedList("", why=f"only a click starts {click_only[0]!r}")
    in_section = [el for el in items if any(r is el or _contains(r, el) for r in roots)]
    if in_section:
        return ServedList("listed", tuple(described))
    empty = _empty_text(roots, items, sel)
    if empty and not described:
        return ServedList("empty", empty_text=empty)
    if empty:
        return ServedList("listed", tuple(described))
    return ServedList("", why="the served attachments section is empty, without an empty-state text")


def _contains(root: Tag, el: Tag) -> bool:
    node = el.parent
    while isinstance(node, Tag):
        if node is root:
            return True
        node = node.parent
    return False


def _section_roots(doc: BeautifulSoup, sel: Selectors) -> list[Tag]:
    for css in sel.attachment_sections:
        found = [el for el in _select(doc, css) if not any(_matches(el, sp) for sp in sel.attachment_spans)]
        if found:
            return [found[0]]
    words = {h.lower() for h in sel.attachment_section_headings}
    for head in _select(doc, _HEADS):
        if _in_any(head, sel.benign_containers):
            continue
        text = re.sub(r"[\s:(),\d]+$", "", _norm(head.get_text(" ")).lower())
        if text in words:
            return _region_of(head)
    return []


def _region_of(head: Tag) -> list[Tag]:
    """The region a heading names, by the page script's rule (``SCAN_ATTACHMENTS``'s ``regionOf``)."""
    if head.name == "dt":
        out = [head]
        for sib in head.find_next_siblings():
            if sib.name == "dt":
                break
            out.append(sib)
        return out

    def others(box: Tag) -> bool:
        return any(
            o is not head and not _contains(head, o) and re.fullmatch(r"h[1-6]", o.name or "")
            for o in _select(box, _HEADS)
        )

    box = head.find_parent(["section", "fieldset", "article", "details"]) or next(
        (p for p in head.parents if p.get("role") in ("region", "group")), None
    )
    if box is not None and not others(box):
        return [box]
    parent = head.parent
    if isinstance(parent, Tag) and parent.name not in ("body", "[document]") and not others(parent):
        return [parent]
    out = [head]
    for sib in head.find_next_siblings():
        if any(_matches(sib, s) for s in _HEADS.split(",")) or _select(sib, "h1,h2,h3,h4,h5,h6"):
            break
        out.append(sib)
    return out


def _candidates(doc: BeautifulSoup, roots: list[Tag], sel: Selectors) -> list[Tag]:
    """Attachment candidates anywhere on the page, outermost only, in document order (as the scan)."""
    pool: dict[int, Tag] = {}
    for css in (*sel.attachment_spans, *sel.attachment_links):
        for el in _select(doc, css):
            pool[id(el)] = el
    for root in roots:
        for attr in sel.attachment_url_attributes:
            for el in _select(root, f"[{attr}]"):
                pool[id(el)] = el
    out = []
    for el in pool.values():
        if any(id(p) in pool for p in el.parents) or _in_any(el, sel.benign_containers):
            continue
        out.append(el)
    order = {id(el): n for n, el in enumerate(doc.find_all(True))}
    return sorted(out, key=lambda el: order.get(id(el), 0))


def _url_of(el: Tag, page_url: str, sel: Selectors) -> str:
    for attr in sel.attachment_url_attributes:
        value = el.get(attr)
        if not isinstance(value, str) or not value.strip() or re.match(r"^\s*(javascript:|#)", value, re.I):
            continue
        try:
            return browser_url(page_url, value)
        except ValueError:
            continue  # the scan skips a value the browser cannot read as a URL, and clicks instead
    href = el.get("href") if el.name == "a" else None
    if isinstance(href, str) and not re.match(r"^\s*(javascript:|#)", href, re.I):
        return browser_url(page_url, href)
    return ""


def _describe(el: Tag, index: int, page_url: str, sel: Selectors) -> Attachment:
    url = _url_of(el, page_url, sel)
    if not url:
        for css in sel.attachment_links:
            inner = _select(el, css)
            if inner:
                url = _url_of(inner[0], page_url, sel)
                break
    suffix = re.compile(r"\s*" + re.escape(sel.attachment_label_suffix) + r"\s*$", re.I)
    name = ""
    for attr in ("aria-label", "title", "download"):
        value = _norm(str(el.get(attr) or ""))
        if value:
            name = suffix.sub("", value).strip() if attr == "aria-label" else value
            if name:
                break
    if not name:
        name = _norm(el.get_text(" "))
    if not name and url:
        name = unquote(urlsplit(url).path.rstrip("/").split("/")[-1])
    if not name:
        name = f"attachment_{index + 1}"
    kind = "url" if url else "click"
    return Attachment(name, kind, url, f"{kind}|{name}|{url}")


def _is_item(el: Tag, items: list[Tag]) -> bool:
    return any(it is el or _contains(it, el) for it in items)


def _loading(doc: BeautifulSoup, sel: Selectors, items: list[Tag]) -> str:
    """The first loading indicator anywhere on the page (a served page proves nothing while any part of
    it, comments and requisition included, is still to come), "" when none."""
    for css in sel.loading_indicators:
        for el in _select(doc, css):
            if _shown(el) and not _is_item(el, items) and not _in_any(el, sel.benign_containers):
                return css
    return ""


def _empty_text(roots: list[Tag], items: list[Tag], sel: Selectors) -> str:
    words = {p.lower().rstrip(".!") for p in sel.empty_state_phrases}
    for root in roots:
        for node in root.find_all(string=True):
            el = node.parent
            if not isinstance(el, Tag) or _is_item(el, items) or not _shown(el):
                continue
            if _in_any(el, sel.benign_containers) or not _norm(str(node)):
                continue
            whole = _norm(el.get_text(" "))
            if whole.lower().rstrip(".!") in words:
                return whole
    for root in roots:
        for css in sel.empty_state_selectors:
            for el in _select(root, css):
                if _shown(el) and not _is_item(el, items) and _norm(el.get_text(" ")):
                    return _norm(el.get_text(" "))
    return ""


# ---------------------------------------------------------------------------------------- other facts


def served_supplier(doc: BeautifulSoup, sel: Selectors) -> str:
    """The supplier's name, found as ``CoupaPortal.supplier`` finds it on the rendered page."""
    for css in sel.supplier_css:
        for el in _select(doc, css):
            text = _norm(str(el.get("data-supplier-name") or "")) or _norm(el.get_text(" "))
            if text:
                return text
    labels = {lab for label in sel.supplier_labels for lab in (label, label + ":")}
    for el in doc.find_all(["label", "dt", "th", "span", "div"]):
        own = _norm("".join(str(s) for s in el.find_all(string=True, recursive=False)))
        if own not in labels:
            continue
        for sib in el.find_next_siblings():
            if text := _norm(sib.get_text(" ")):
                return text
    return ""


def served_requisition_url(doc: BeautifulSoup, page_url: str, sel: Selectors) -> str | None:
    """The link to the PO's own requisition (one that ends in a number), as the browser resolves it."""
    for css in sel.requisition_links:
        for el in _select(doc, css):
            href = el.get("href")
            if isinstance(href, str) and re.search(r"/\d+/?(?:[?#].*)?$", href):
                return browser_url(page_url, href)
    return None
