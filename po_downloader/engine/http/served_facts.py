"""The PO's facts from the served HTML, by ``browser/po_facts``' rule as its script applies it to the
rendered page: each fact's CSS selectors in order, then its labels in order.

A PO page of a real tenant is a few hundred KB, and soupsieve walks the whole tree in Python for every
selector: ~30 selectors took seconds per PO. So the tree is walked once, indexing its elements by id,
class and attribute name (and the label elements by their own text); each selector is then tried only on
the elements its last part names (``#id``, ``.class``, ``[attr]``), in document order, and still matched
whole by soupsieve. A selector that names none of them is matched on the whole tree, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bs4 import BeautifulSoup, NavigableString, Tag

from po_downloader.engine.browser.po_facts import LABEL_TAGS, finish_facts, label_key, norm
from po_downloader.engine.browser.selectors import Selectors
from po_downloader.engine.outcome import PoFacts

_LAST_PART = re.compile(r"""(?:[^\s>+~\[\]"']|\[[^\]]*\]|"[^"]*"|'[^']*')+$""")
"""The last compound of a selector: what follows its last combinator outside brackets and quotes."""
_BRACKETS = re.compile(r"\[[^\]]*\]")
_ID = re.compile(r"#([A-Za-z_][\w-]*)(?![\w\\-])")
_ATTRIBUTE = re.compile(r"\[\s*([A-Za-z_][\w:-]*)")
_CLASS = re.compile(r"\.([A-Za-z_][\w-]*)(?![\w\\-])")


class _Index:
    """One walk of the document: the elements the selectors' last parts name (by id, class or attribute
    name, letter case aside: a superset of what soupsieve matches) and the label elements by own text."""

    def __init__(self, doc: BeautifulSoup, selectors: Iterable[str], labels: Iterable[str]) -> None:
        self.doc = doc
        self.keys = {css: _key(css) for css in selectors}
        wanted: dict[str, set[str]] = {"id": set(), "class": set(), "attribute": set()}
        for key in self.keys.values():
            if key is not None:
                wanted[key[0]].add(key[1])
        self.named: dict[tuple[str, str], list[Tag]] = {}
        self.labels: dict[str, list[Tag]] = {}
        wanted_labels = set(labels)
        for el in doc.find_all(True):
            for name, value in el.attrs.items():
                if (name := name.lower()) in wanted["attribute"]:
                    self.named.setdefault(("attribute", name), []).append(el)
                if name == "id" and isinstance(value, str) and value.lower() in wanted["id"]:
                    self.named.setdefault(("id", value.lower()), []).append(el)
                elif name == "class":
                    for token in value if isinstance(value, list) else str(value).split():
                        if token.lower() in wanted["class"]:
                            self.named.setdefault(("class", token.lower()), []).append(el)
            if el.name in LABEL_TAGS:
                own = "".join(str(s) for s in el.children if type(s) is NavigableString)  # no comments
                if (own_key := label_key(own)) in wanted_labels:
                    self.labels.setdefault(own_key, []).append(el)

    def matching(self, css: str) -> Iterator[Tag]:
        """The elements ``css`` matches, in document order; none when soupsieve cannot read it."""
        key = self.keys.get(css, _key(css))
        try:
            if key is None:
                yield from self.doc.select(css)
                return
            seen: set[int] = set()
            for el in self.named.get(key, []):
                if id(el) not in seen and el.css.match(css):
                    seen.add(id(el))
                    yield el
        except (
            Exception
        ):  # soupsieve's SelectorSyntaxError and friends: the page script skips it the same way
            return


def _key(css: str) -> tuple[str, str] | None:
    """What an element must have for ``css`` to match it, by its last part: ``("id", name)``,
    ``("attribute", name)`` or ``("class", name)``; None: any element may (a list of selectors, a function
    such as ``:not(...)``, an escape or a namespace: matched on the whole tree)."""
    last = _LAST_PART.search(css.strip())
    if last is None or any(c in css for c in ",(\\|"):
        return None
    part = last.group(0)
    outside = _BRACKETS.sub("", part)  # an id or a class, not a value in quotes
    if found := _ID.search(outside):
        return ("id", found[1].lower())
    if found := _ATTRIBUTE.search(part):
        return ("attribute", found[1].lower())
    if found := _CLASS.search(outside):
        return ("class", found[1].lower())
    return None


def served_facts(doc: BeautifulSoup, sel: Selectors) -> PoFacts:
    """The order's facts as the served HTML shows them (blank where it shows none)."""
    index = _Index(
        doc,
        (css for rule in sel.facts for css in rule.css),
        (label_key(label) for rule in sel.facts for label in rule.labels),
    )
    raw: dict[str, str] = {}
    for rule in sel.facts:
        found = (norm(el.get_text(" ")) for css in rule.css for el in index.matching(css))
        by_label = (
            norm(sib.get_text(" "))
            for label in rule.labels
            for el in index.labels.get(label_key(label), ())
            for sib in el.find_next_siblings()
        )
        raw[rule.name] = next((text for text in found if text), "") or next((t for t in by_label if t), "")
    return finish_facts(raw, sel.fact_blanks)
