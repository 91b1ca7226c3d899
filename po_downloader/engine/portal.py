"""The Coupa driver: opens PO pages, tells their states apart, finds and clicks attachments.

This module and ``browser.py`` are the only ones that know Selenium. Everything Coupa-specific comes from
the selectors data file, and every wait is on a condition (page classified, network and DOM quiet),
never a fixed sleep.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urljoin, urlparse

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    JavascriptException,
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from po_downloader.engine.selectors import Selectors

log = logging.getLogger(__name__)


class PageKind(StrEnum):
    PO = "PO"
    REQUISITION = "REQUISITION"
    SIGN_IN = "SIGN_IN"
    NOT_FOUND = "NOT_FOUND"
    NO_ACCESS = "NO_ACCESS"
    PORTAL_ERROR = "PORTAL_ERROR"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class PageState:
    kind: PageKind
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class FoundAttachment:
    name: str
    kind: str  # "file" (span button) or "link" (comment attachment)
    element: WebElement


# Installed before any page script runs, so requests the page starts itself are counted.
ACTIVITY_TRACKER = r"""
(() => {
  if (window.__pod) return;
  const s = window.__pod = {inflight: 0, last: performance.now()};
  const bump = () => { s.last = performance.now(); };
  const origFetch = window.fetch;
  if (origFetch) {
    window.fetch = function (...args) {
      s.inflight++; bump();
      return origFetch.apply(this, args).finally(() => { s.inflight--; bump(); });
    };
  }
  const origSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    s.inflight++; bump();
    this.addEventListener('loadend', () => { s.inflight--; bump(); });
    return origSend.apply(this, args);
  };
  new MutationObserver(bump).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""

# One round trip per poll: what kind of page is this?
CLASSIFY = r"""
const [containers, notFound, noAccess, portalErr, poMarkers, reqMarkers, signInForm] = arguments;
const text = (el) => (el.innerText || el.textContent || '').toLowerCase();
const any = (sels) => sels.some((s) => { try { return document.querySelector(s) !== null; } catch (e) { return false; } });
const matchIn = (phrases) => {
  for (const sel of containers) {
    let els; try { els = document.querySelectorAll(sel); } catch (e) { continue; }
    for (const el of els) {
      const t = text(el);
      const hit = phrases.find((p) => t.includes(p.toLowerCase()));
      if (hit) return (el.innerText || el.textContent || '').trim().slice(0, 200);
    }
  }
  return null;
};
const ready = document.readyState;
const isPo = any(poMarkers), isReq = any(reqMarkers);
if (!isPo && !isReq) {
  let m;
  if ((m = matchIn(notFound))) return ['NOT_FOUND', m, ready];
  if ((m = matchIn(noAccess))) return ['NO_ACCESS', m, ready];
  if ((m = matchIn(portalErr))) return ['PORTAL_ERROR', m, ready];
  const title = document.title || '';
  if (portalErr.some((p) => title.toLowerCase().includes(p.toLowerCase()))) return ['PORTAL_ERROR', title, ready];
  if (any(signInForm)) return ['SIGN_IN', 'sign-in form', ready];
}
if (isPo) return ['PO', '', ready];
if (isReq) return ['REQUISITION', '', ready];
return ['UNKNOWN', (document.title || '').slice(0, 200), ready];
"""

SETTLED = r"""
const [loading, quietMs] = arguments;
const s = window.__pod;
const busy = loading.some((sel) => {
  let els; try { els = document.querySelectorAll(sel); } catch (e) { return false; }
  return Array.from(els).some((el) => el.offsetParent !== null || el.getClientRects().length > 0);
});
if (document.readyState !== 'complete' || busy) return false;
if (!s) return true;
return s.inflight <= 0 && performance.now() - s.last >= quietMs;
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


class PortalTimeout(Exception):
    """The page never reached a recognisable state in time."""


class CoupaPortal:
    """Drives one browser through Coupa pages. Not thread-safe: one per worker."""

    def __init__(
        self,
        driver: WebDriver,
        selectors: Selectors,
        base_url: str,
        *,
        page_timeout: float = 30.0,
        attachment_timeout: float = 20.0,
        quiet_ms: int = 600,
    ) -> None:
        self.driver = driver
        self.sel = selectors
        self.base_url = base_url.rstrip("/")
        self.base_host = urlparse(self.base_url).netloc.lower()
        self.page_timeout = page_timeout
        self.attachment_timeout = attachment_timeout
        self.quiet_ms = quiet_ms
        self._tracker_installed = self._install_tracker()
        driver.set_page_load_timeout(page_timeout)

    def _install_tracker(self) -> bool:
        try:
            self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ACTIVITY_TRACKER})
            return True
        except (WebDriverException, AttributeError) as exc:  # e.g. a remote driver without CDP
            log.info("no CDP; network-quiet detection falls back to DOM checks: %s", exc)
            return False

    # ---------------------------------------------------------------- page states

    def is_sign_in_url(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https") and parsed.netloc.lower() != self.base_host:
            return True  # SSO identity providers live on other hosts
        low = url.lower()
        return any(p.lower() in low for p in self.sel.sign_in_url_patterns)

    def on_sign_in_page(self) -> bool:
        try:
            return self.is_sign_in_url(self.driver.current_url)
        except WebDriverException:
            return False

    def _classify(self) -> tuple[PageState, bool]:
        """The page's state, and whether the document has finished loading."""
        url = self.driver.current_url
        if self.is_sign_in_url(url):
            return PageState(PageKind.SIGN_IN, "redirected to sign-in", url), True
        kind, detail, ready = self.driver.execute_script(
            CLASSIFY,
            list(self.sel.error_containers),
            list(self.sel.not_found_phrases),
            list(self.sel.no_access_phrases),
            list(self.sel.portal_error_phrases),
            list(self.sel.po_page_markers),
            list(self.sel.requisition_page_markers),
            list(self.sel.sign_in_form),
        )
        return PageState(PageKind(kind), detail, url), ready == "complete"

    def open(self, url: str) -> PageState:
        """Navigate and wait until the page is recognisably one of the known states."""
        try:
            self.driver.get(url)
        except TimeoutException as exc:
            raise PortalTimeout(f"page did not load within {self.page_timeout:.0f} s: {url}") from exc
        deadline = time.monotonic() + self.page_timeout
        unknown_since: float | None = None
        while True:
            state, complete = self._classify()
            if state.kind is not PageKind.UNKNOWN:
                return state
            now = time.monotonic()
            if complete:
                # A complete page that is none of the known kinds: give its scripts a moment, then say so.
                unknown_since = unknown_since or now
                if now - unknown_since > min(5.0, self.page_timeout):
                    return PageState(PageKind.PORTAL_ERROR, f"unrecognised page: {state.detail!r}", state.url)
            if now > deadline:
                raise PortalTimeout(f"page did not settle within {self.page_timeout:.0f} s: {url}")
            time.sleep(0.1)

    def open_po(self, digits: str) -> PageState:
        return self.open(self.sel.po_page_url(self.base_url, digits))

    def check_signed_in(self) -> PageState:
        """Open the portal's start page: signed in unless it ends on the sign-in page."""
        try:
            self.driver.get(self.base_url + "/")
        except TimeoutException as exc:
            raise PortalTimeout(f"{self.base_url} did not answer within {self.page_timeout:.0f} s") from exc
        url = self.driver.current_url
        if self.is_sign_in_url(url):
            return PageState(PageKind.SIGN_IN, "redirected to sign-in", url)
        try:
            if any(self.driver.find_elements(By.CSS_SELECTOR, s) for s in self.sel.sign_in_form):
                return PageState(PageKind.SIGN_IN, "sign-in form shown", url)
        except WebDriverException:
            pass
        return PageState(PageKind.PO, "signed in", url)

    def wait_settled(self) -> bool:
        """Wait for late, script-rendered content: no loading indicator, no request, DOM quiet."""
        try:
            WebDriverWait(self.driver, self.attachment_timeout, poll_frequency=0.1).until(
                lambda d: d.execute_script(SETTLED, list(self.sel.loading_indicators), self.quiet_ms)
            )
            return True
        except TimeoutException:
            log.warning("page still busy after %.0f s; reading what is there", self.attachment_timeout)
            return False

    # ---------------------------------------------------------------- content

    def supplier(self) -> str:
        for css in self.sel.supplier_css:
            try:
                for el in self.driver.find_elements(By.CSS_SELECTOR, css):
                    text = (el.get_attribute("data-supplier-name") or el.text or "").strip()
                    if text:
                        return text
            except WebDriverException:
                continue
        for label in self.sel.supplier_labels:
            xpath = (
                f"//*[self::label or self::dt or self::th or self::span or self::div]"
                f"[normalize-space(text())={_xpath_literal(label)} or normalize-space(text())="
                f"{_xpath_literal(label + ':')}]/following-sibling::*[normalize-space()][1]"
            )
            for el in self.driver.find_elements(By.XPATH, xpath):
                if text := el.text.strip():
                    return text
        return ""

    def attachments(self) -> list[FoundAttachment]:
        found: list[FoundAttachment] = []
        seen: set[str] = set()
        suffix = self.sel.attachment_label_suffix.lower()
        for kind, selectors in (("file", self.sel.attachment_spans), ("link", self.sel.attachment_links)):
            for css in selectors:
                for el in self.driver.find_elements(By.CSS_SELECTOR, css):
                    if el.id in seen:
                        continue
                    seen.add(el.id)
                    found.append(FoundAttachment(_attachment_name(el, suffix, len(found) + 1), kind, el))
        return found

    def requisition_url(self) -> str | None:
        for css in self.sel.requisition_links:
            for el in self.driver.find_elements(By.CSS_SELECTOR, css):
                href = el.get_attribute("href")
                if href:
                    return urljoin(self.driver.current_url, href)
        return None

    # ---------------------------------------------------------------- clicking

    def click(self, element: WebElement) -> None:
        """Click like a person would, working around sticky toolbars and pop-ups that cover the target."""
        try:
            clear = self.driver.execute_script(CLICKABLE_AT_CENTRE, element)
            if not clear:
                self._dismiss_overlays()
            element.click()
            return
        except (ElementClickInterceptedException, ElementNotInteractableException):
            self._dismiss_overlays()
        except StaleElementReferenceException:
            raise
        try:
            element.click()
        except (ElementClickInterceptedException, ElementNotInteractableException):
            log.debug("native click still blocked; using a script click")
            self.driver.execute_script("arguments[0].click();", element)

    def _dismiss_overlays(self) -> None:
        for css in self.sel.modal_close_buttons:
            for button in self.driver.find_elements(By.CSS_SELECTOR, css):
                try:
                    if button.is_displayed():
                        button.click()
                except WebDriverException:
                    continue
        try:
            self.driver.execute_script(HIDE_OVERLAYS, list(self.sel.overlays))
        except JavascriptException as exc:
            log.debug("could not hide overlays: %s", exc)


def _xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    return "concat('" + "', \"'\", '".join(text.split("'")) + "')"


_SUFFIX_RE_CACHE: dict[str, re.Pattern[str]] = {}


def attachment_name_from_label(label: str, suffix: str) -> str:
    """``"Invoice 12.pdf file attachment"`` → ``"Invoice 12.pdf"`` (Coupa's aria-label form)."""
    pattern = _SUFFIX_RE_CACHE.setdefault(suffix, re.compile(r"\s*" + re.escape(suffix) + r"\s*$", re.I))
    return pattern.sub("", label).strip()


def _attachment_name(el: WebElement, suffix: str, index: int) -> str:
    for attr in ("aria-label", "title", "download"):
        value = (el.get_attribute(attr) or "").strip()
        if value:
            name = attachment_name_from_label(value, suffix) if attr == "aria-label" else value
            if name:
                return name
    text = (el.text or "").strip()
    if text:
        return text
    href = el.get_attribute("href") or ""
    tail = urlparse(href).path.rstrip("/").rsplit("/", 1)[-1]
    return tail or f"attachment_{index}"
