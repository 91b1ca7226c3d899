"""The facts a PO's page shows (``--facts``): status, total and currency, supplier number, company, payment
term, created date, requester, requisition number. One rule for the browser's rendered page and the served
HTML (``http/served_facts``), so a PO shows the same facts whichever route read it.

Where each fact is comes from the selectors file (``facts``: for each fact CSS selectors, then the labels
the page puts before it), so a tenant adapts it without a release. A fact is read from the page load the
PO is decided on, never from another navigation. The rule: the first element a fact's CSS selector
matches whose text is not empty; else the first element whose own text is one of its labels (``Status``,
``Status:``; letter case aside), and the text of its first following sibling that has any. What the page
shows is kept as it shows it; a fact the page does not show, or shows as no value ("None", "—"), is
blank: never guessed.

The rendered page is read by :data:`READ_FACTS` in one script call (one round trip, however many facts
and labels), which mirrors :func:`label_key` and the text rule below; :func:`finish_facts` then applies
the same last steps to both routes' raw texts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from po_downloader.engine.outcome import FACT_NAMES, PoFacts

LABEL_TAGS = ("label", "dt", "th", "td", "span", "div", "strong")
"""Elements whose own text may be a fact's label (the served read and :data:`READ_FACTS` use the same)."""
LONGEST = 300
"""A fact longer than this is not a fact: the rule caught a block of the page (it stays blank)."""
_CODE_AT_END = re.compile(r"^(?P<amount>.*?\d.*?)\s+(?P<code>[A-Z]{3})$")
_CODE_AT_START = re.compile(r"^(?P<code>[A-Z]{3})\s+(?P<amount>.*?\d.*)$")


@dataclass(frozen=True, slots=True)
class FactRule:
    """Where one fact is on the page: ``css`` tried first, in order; then ``labels``, in order."""

    name: str
    css: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


def norm(text: str | None) -> str:
    """Whitespace collapsed, as both routes compare text."""
    return " ".join((text or "").split())


def label_key(text: str) -> str:
    """What a label is matched by: its text collapsed and lower-cased, a trailing colon dropped."""
    key = norm(text).lower()
    return key[:-1].rstrip() if key.endswith(":") else key


def rules_for_script(rules: Sequence[FactRule]) -> list[dict[str, object]]:
    """The rules as :data:`READ_FACTS` takes them (labels already keyed)."""
    return [{"name": r.name, "css": list(r.css), "labels": [label_key(x) for x in r.labels]} for r in rules]


def finish_facts(raw: Mapping[str, object], no_value: Sequence[str] = ()) -> PoFacts:
    """The PO's facts from what each rule found on the page.

    Text is collapsed; a value the page shows as no value (``no_value``, letter case aside) or longer than
    :data:`LONGEST` is blank. A total shown with its currency code ("1,234.56 USD") gives the currency
    when the page shows none elsewhere, and loses the code when both say the same; when they disagree the
    total stays as shown."""
    blanks = {label_key(p) for p in no_value}
    found: dict[str, str] = {}
    for name in FACT_NAMES:
        value = raw.get(name)
        text = norm(value) if isinstance(value, str) else ""
        if len(text) > LONGEST or label_key(text) in blanks:
            text = ""
        found[name] = text
    match = _CODE_AT_END.match(found["total"]) or _CODE_AT_START.match(found["total"])
    if match and found["currency"] in ("", match["code"]):
        found["total"], found["currency"] = match["amount"].strip(), match["code"]
    return PoFacts(**found)


READ_FACTS = r"""
const rules = arguments[0];
const SKIP = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);
const norm = s => (s || "").split(/\s+/).filter(Boolean).join(" ");
const key = s => { const k = norm(s).toLowerCase(); return k.endsWith(":") ? k.slice(0, -1).trimEnd() : k; };
const text = el => {
  const parts = [];
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!SKIP.has(n.parentNode.nodeName)) parts.push(n.data);
  }
  return norm(parts.join(" "));
};
const wanted = new Set(rules.flatMap(rule => rule.labels));
const own = new Map();
for (const el of document.querySelectorAll(arguments[1])) {
  let t = "";
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 3) t += c.data;
  if (!t) continue;
  const k = key(t);
  if (!wanted.has(k)) continue;
  if (!own.has(k)) own.set(k, []);
  own.get(k).push(el);
}
const out = {};
for (const rule of rules) {
  let value = "";
  for (const css of rule.css) {
    let found = [];
    try { found = document.querySelectorAll(css); } catch (e) { continue; }
    for (const el of found) { value = text(el); if (value) break; }
    if (value) break;
  }
  for (const label of value ? [] : rule.labels) {
    for (const el of own.get(label) || []) {
      for (let s = el.nextElementSibling; s && !value; s = s.nextElementSibling) value = text(s);
      if (value) break;
    }
    if (value) break;
  }
  out[rule.name] = value;
}
return out;
"""
"""The rendered page's raw facts, by the module's rule: ``arguments[0]`` is :func:`rules_for_script`'s
list, ``arguments[1]`` the label elements (:data:`LABEL_TAGS` joined)."""
