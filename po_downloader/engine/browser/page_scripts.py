"""The JavaScript the portal module runs in the page: it only *observes*; Python decides.

Each look is one round trip and returns plain data (and, when asked, the attachment elements), so the
decisions in ``page_state`` and ``attachment_wait`` can be tested on recorded observations. Two scripts
run at document start instead (``launch`` installs them): the mutation watch the looks read their page-side
quiet from, and, on a worker's browser, media kept off. The rest start downloads and click like a person.
"""

from __future__ import annotations

from typing import Any

from po_downloader.engine.browser.selectors import Selectors

WATCH_KEY = "__poDownloaderWatch"
"""The page-global name the mutation watch lives under (non-enumerable, so page scripts do not trip on it)."""

# Installed on every new document before the page's own scripts (CDP
# ``Page.addScriptToEvaluateOnNewDocument``): it records, by the page's own clock, when each node's subtree
# last changed and when each node was inserted, so a scan can ask "when did the attachments section last
# change" instead of measuring it between polls. WeakMaps: nothing is kept alive, nothing grows unbounded.
WATCH_MUTATIONS = (
    r"""
(() => {
  const KEY = '"""
    + WATCH_KEY
    + r"""';
  if (Object.prototype.hasOwnProperty.call(window, KEY)) return;
  const watch = {since: performance.now(), sub: new WeakMap(), ins: new WeakMap()};
  Object.defineProperty(window, KEY, {value: watch, enumerable: false});
  new MutationObserver((records) => {
    const t = performance.now();
    for (const m of records) {
      for (let n = m.target; n; n = n.parentNode) watch.sub.set(n, t);
      for (const n of m.addedNodes) watch.ins.set(n, t);
    }
  }).observe(document, {childList: true, subtree: true, characterData: true, attributes: true});
})();
"""
)

# Installed on a worker's browser before the page's own scripts: its media never loads or plays (no flag or
# content setting stops a <video autoplay>). Only page media: an attachment is a download, never an element.
QUIET_MEDIA = r"""
(() => {
  const off = (el) => { el.autoplay = false; el.preload = 'none'; };
  const sweep = (n) => {
    if (n.nodeType !== 1) return;
    if (n instanceof HTMLMediaElement) off(n);
    for (const m of n.querySelectorAll('video, audio')) off(m);
  };
  HTMLMediaElement.prototype.play = function () {
    return Promise.reject(new DOMException('media is off in this browser', 'NotAllowedError'));
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) sweep(n);
  }).observe(document, {childList: true, subtree: true});
})();
"""

# Shared helpers, prepended to each script.
_HELPERS = r"""
const q = (sel, root) => { try { return Array.from((root || document).querySelectorAll(sel)); } catch (e) { return []; } };
const norm = (t) => (t || '').replace(/\s+/g, ' ').trim();
const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
const inAny = (el, sels) => sels.some((s) => { try { return el.closest(s) !== null; } catch (e) { return false; } });
"""

# arguments: errorContainers, benignContainers, identityMarkers, signInForm, portalFrame
OBSERVE_PAGE = (
    _HELPERS
    + r"""
const [errSel, benignSel, identity, signInSel, frameSel] = arguments;
const withoutBenign = (el) => {
  if (!benignSel.some((s) => q(s, el).length)) return el.innerText || el.textContent || '';
  const copy = el.cloneNode(true);
  for (const s of benignSel) for (const b of q(s, copy)) b.remove();
  return copy.textContent || '';
};
const errors = [];
for (const s of errSel) {
  for (const el of q(s)) {
    if (errors.length >= 40 || !shown(el) || inAny(el, benignSel)) continue;
    const t = norm(withoutBenign(el));
    if (t) errors.push(t.slice(0, 400));
  }
}
const headings = q('h1, h2, [role="heading"]')
  .filter((el) => !inAny(el, benignSel))
  .map((el) => norm(el.textContent).slice(0, 300))
  .filter(Boolean)
  .slice(0, 40);
let status = null;
try {
  const nav = performance.getEntriesByType('navigation')[0];
  if (nav && nav.responseStatus) status = nav.responseStatus;
} catch (e) { /* older browsers: no status */ }
return {
  url: location.href,
  title: document.title || '',
  http_status: status,
  ready: document.readyState === 'complete',
  headings: headings,
  error_texts: errors,
  identity_marker: identity.some((s) => q(s).length > 0),
  sign_in_form: signInSel.some((s) => q(s).length > 0),
  portal_frame: frameSel.some((s) => q(s).length > 0),
};
"""
)

# arguments: config object (scan_config), wantElements
SCAN_ATTACHMENTS = (
    _HELPERS
    + r"""
const [cfg, wantElements] = arguments;
const HEADS = 'h1,h2,h3,h4,h5,h6,legend,caption,summary,dt,[role="heading"]';
const headingWords = cfg.headings.map((h) => h.toLowerCase());

// The attachments section: a configured container, else the region a heading "Attachments" names.
const isHeadingFor = (h) => headingWords.includes(norm(h.textContent).toLowerCase().replace(/[\s:(),\d]+$/, ''));
const regionOf = (h) => {
  if (h.tagName === 'DT') {
    const out = [h];
    for (let n = h.nextElementSibling; n && n.tagName !== 'DT'; n = n.nextElementSibling) out.push(n);
    return out;
  }
  const others = (box) => q(HEADS, box).some((o) => o !== h && !h.contains(o) && /^H[1-6]$/.test(o.tagName));
  let box = h.closest('section, fieldset, article, details, [role="region"], [role="group"]');
  if (box && !others(box)) return [box];
  box = h.parentElement;
  if (box && box !== document.body && !others(box)) return [box];
  const out = [h];
  for (let n = h.nextElementSibling; n; n = n.nextElementSibling) {
    if (n.matches(HEADS) || q('h1,h2,h3,h4,h5,h6', n).length) break;
    out.push(n);
  }
  return out;
};
let roots = [];
for (const s of cfg.sections) {
  const found = q(s).filter((el) => !cfg.spans.some((sp) => { try { return el.matches(sp); } catch (e) { return false; } }));
  if (found.length) { roots = [found[0]]; break; }
}
if (!roots.length) {
  const h = q(HEADS).find((el) => !inAny(el, cfg.benign) && isHeadingFor(el));
  if (h) roots = regionOf(h);
}
const inRoots = (el) => roots.some((r) => r === el || r.contains(el));

// Attachment candidates anywhere on the page, outermost element only, in document order.
// A value the browser cannot read as a URL is skipped (and reported), never a script error: one
// malformed attribute must not blind the whole scan (the element is still clicked like a click-only one).
const skipped = [];
const urlOf = (el) => {
  for (const a of cfg.urlAttrs) {
    const v = el.getAttribute(a);
    if (!v || /^\s*(javascript:|#)/i.test(v)) continue;
    try { return new URL(v, document.baseURI).href; } catch (e) { skipped.push(a + '=' + v.slice(0, 200)); }
  }
  const href = el.tagName === 'A' ? el.getAttribute('href') : null;
  if (href && !/^\s*(javascript:|#)/i.test(href)) return el.href;
  return '';
};
const pool = new Set();
for (const s of cfg.spans.concat(cfg.links)) for (const el of q(s)) pool.add(el);
for (const r of roots) for (const a of cfg.urlAttrs) for (const el of q('[' + a + ']', r)) pool.add(el);
const items = [];
for (const el of pool) {
  let p = el.parentElement, inner = false;
  while (p) { if (pool.has(p)) { inner = true; break; } p = p.parentElement; }
  if (!inner && !inAny(el, cfg.benign)) items.push(el);
}
items.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
const suffix = new RegExp('\\s*' + cfg.suffix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s*$', 'i');
const described = items.map((el, i) => {
  let url = urlOf(el);
  if (!url) { const inner = cfg.links.map((s) => q(s, el)[0]).find(Boolean); if (inner) url = urlOf(inner); }
  let name = '';
  for (const attr of ['aria-label', 'title', 'download']) {
    const v = norm(el.getAttribute(attr));
    if (v) { name = attr === 'aria-label' ? v.replace(suffix, '').trim() : v; if (name) break; }
  }
  if (!name) name = norm(el.innerText || el.textContent);
  if (!name && url) { try { name = decodeURIComponent(new URL(url).pathname.replace(/\/+$/, '').split('/').pop()); } catch (e) { name = ''; } }
  if (!name) name = 'attachment_' + (i + 1);
  const kind = url ? 'url' : 'click';
  return {name: name, kind: kind, url: url, key: kind + '|' + name + '|' + url};
});
const isItem = (el) => items.some((it) => it === el || it.contains(el));

// Loading state and explicit empty state, inside the section (or the whole page without one).
const scope = roots.length ? roots : [document.body];
let busy = false;
for (const r of scope) {
  if (r.matches && cfg.loading.some((s) => { try { return r.matches(s); } catch (e) { return false; } }) && shown(r)) busy = true;
  for (const s of cfg.loading) for (const el of q(s, r)) if (!busy && shown(el) && !isItem(el)) busy = true;
}
const loadingWords = cfg.loadingPhrases.map((p) => p.toLowerCase());
const emptyWords = cfg.emptyPhrases.map((p) => p.toLowerCase().replace(/[.!]+$/, ''));
const emptyAnywhere = emptyWords.filter((p) => p.includes(' '));
let emptyText = '';
for (const r of scope) {
  const walker = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const t = norm(node.nodeValue).toLowerCase();
    if (!t) continue;
    const el = node.parentElement;
    if (!el || isItem(el) || !shown(el) || inAny(el, cfg.benign)) continue;
    if (roots.length && !busy && loadingWords.some((w) => t.startsWith(w))) busy = true;
    const words = roots.length ? emptyWords : emptyAnywhere;
    const whole = norm(el.textContent).toLowerCase().replace(/[.!]+$/, '');
    if (!emptyText && words.includes(whole)) emptyText = norm(el.textContent);
  }
}
if (roots.length && !emptyText) {
  for (const r of roots) for (const s of cfg.emptySelectors) for (const el of q(s, r)) {
    if (!emptyText && shown(el) && !isItem(el) && norm(el.textContent)) emptyText = norm(el.textContent);
  }
}
// The count the page states for its list: a count attribute on the section or its heading, or a
// heading "Attachments (3)". null when the page states none.
let stated = null;
const countOf = (v) => (v !== null && /^\s*\d+\s*$/.test(v) ? parseInt(v, 10) : null);
const heads = [];
for (const r of roots) { if (r.matches(HEADS)) heads.push(r); for (const h of q(HEADS, r)) heads.push(h); }
for (const el of roots.concat(heads)) for (const a of cfg.countAttrs) {
  if (stated === null) stated = countOf(el.getAttribute(a));
}
for (const h of heads) {
  if (stated !== null) break;
  const m = norm(h.textContent).toLowerCase().match(/^(.*?)\s*\(\s*(\d+)\s*\)/);
  if (m && headingWords.includes(m[1])) stated = parseInt(m[2], 10);
}

// Page-clock milliseconds since the section or any listed item last changed, by the mutation watch
// (absent without it, or without a section: the caller then measures quiet between its own looks).
const watch = window['"""
    + WATCH_KEY
    + r"""'];
let quietMs = null;
if (watch && roots.length) {
  const lastOf = (el) => {
    let t = watch.sub.get(el) || watch.since;
    for (let n = el; n; n = n.parentNode) { const i = watch.ins.get(n); if (i !== undefined && i > t) t = i; }
    return t;
  };
  let last = watch.since;
  for (const el of roots.concat(items)) last = Math.max(last, lastOf(el));
  quietMs = Math.max(0, performance.now() - last);
}

let hash = 0;
const sig = roots.map((r) => {
  const t = r.textContent || '';
  for (let i = 0; i < t.length; i++) hash = (hash * 31 + t.charCodeAt(i)) | 0;
  return t.length + ':' + r.getElementsByTagName('*').length;
}).join(',') + '#' + hash;
const out = {
  url: location.href,
  section: roots.length > 0,
  busy: busy,
  empty_text: emptyText.slice(0, 200),
  items: described.map((d) => d.key),
  in_section: items.filter(inRoots).length,
  signature: roots.length ? sig : '',
  stated: stated,
};
if (quietMs !== null) out.quiet_ms = quietMs;
if (skipped.length) out.skipped = Array.from(new Set(skipped));
if (wantElements) { out.elements = items; out.described = described; }
return out;
"""
)

# arguments: url. Starts a download through a link, as a person following it would.
START_DOWNLOAD = r"""
const a = document.createElement('a');
a.href = arguments[0];
a.setAttribute('download', '');
a.style.display = 'none';
document.body.appendChild(a);
a.click();
a.remove();
"""

CLICKABLE_AT_CENTRE = r"""
const el = arguments[0];
el.scrollIntoView({block: 'center', inline: 'center'});
const r = el.getBoundingClientRect();
const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
return hit === el || el.contains(hit);
"""

HIDE_OVERLAYS = r"""
for (const sel of arguments[0]) {
  let els; try { els = document.querySelectorAll(sel); } catch (e) { continue; }
  for (const el of els) el.style.setProperty('visibility', 'hidden', 'important');
}
"""


def scan_config(s: Selectors) -> dict[str, Any]:
    """What ``SCAN_ATTACHMENTS`` looks for, from the selectors data: its first argument."""
    return {
        "sections": list(s.attachment_sections),
        "headings": list(s.attachment_section_headings),
        "spans": list(s.attachment_spans),
        "links": list(s.attachment_links),
        "urlAttrs": list(s.attachment_url_attributes),
        "countAttrs": list(s.attachment_count_attributes),
        "loading": list(s.loading_indicators),
        "loadingPhrases": list(s.loading_phrases),
        "emptySelectors": list(s.empty_state_selectors),
        "emptyPhrases": list(s.empty_state_phrases),
        "benign": list(s.benign_containers),
        "suffix": s.attachment_label_suffix,
    }
