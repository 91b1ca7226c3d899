"""The Coupa driver: opens PO pages, observes their state and attachments, starts downloads.

Selenium stays in this package (``browser/``): the errors a caller must tell apart leave it as ours
(``PageChanged``, ``StartFailed``, ``PortalTimeout``, ``SignInLost``). It observes (one script per look,
``page_scripts``) and leaves every decision to pure functions: what kind of page this is
(``page_state``) and when its attachments list is final (``attachment_wait``). Everything
Coupa-specific comes from the selectors data file; every wait is on a condition, never a fixed sleep.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar
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

from po_downloader.engine.browser.attachment_wait import (
    AttachmentsLook,
    AttachmentsWait,
    WaitRules,
    complete_looking,
)
from po_downloader.engine.browser.page_scripts import (
    CLICKABLE_AT_CENTRE,
    HIDE_OVERLAYS,
    OBSERVE_PAGE,
    SCAN_ATTACHMENTS,
    START_DOWNLOAD,
    scan_config,
)
from po_downloader.engine.browser.page_state import (
    PageKind,
    PageObservation,
    PageState,
    is_sign_in_url,
)
from po_downloader.engine.browser.po_facts import LABEL_TAGS, READ_FACTS, finish_facts, rules_for_script
from po_downloader.engine.browser.selectors import Selectors
from po_downloader.engine.download_route import Attachment
from po_downloader.engine.models import ListVerdict
from po_downloader.engine.outcome import PoFacts

__all__ = [
    "BrowserCommandFailed",
    "CoupaPortal",
    "Listing",
    "PageChanged",
    "PageKind",
    "PageState",
    "PortalTimeout",
    "SignInLost",
    "StartFailed",
]

log = logging.getLogger(__name__)
POLL_SECONDS = 0.15


class SignInLost(Exception):
    """The session expired while a PO was being read or downloaded (the page went to sign-in)."""


@dataclass(frozen=True)
class Listing:
    """The attachments of one page once the page has said its last word about them."""

    verdict: ListVerdict
    reason: str
    items: tuple[Attachment, ...] = ()
    retry_helps: bool = True
    """False for an UNCONFIRMED list the portal itself made final (the requisition that may hold the files
    is, by the portal's own page, not there or not ours): the PO fails without retries in this batch."""
    provisional: bool = False
    """Complete-looking (items in the section, nothing loading) but not yet proven: fetch it, then ask
    ``confirm_listing`` for the final list. No status is ever decided on a provisional list."""


class PortalTimeout(Exception):
    """The page never reached a recognisable state in time."""


class BrowserCommandFailed(Exception):
    """The browser refused a command on the page; ``kind`` is its own error's name, for messages."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


class PageChanged(BrowserCommandFailed):
    """An element being read or clicked left the page (it was drawn again): start reading over."""


class StartFailed(BrowserCommandFailed):
    """One attachment could not be started (its click or script failed); the others may still work."""


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _selenium_errors_as_ours(
    refused: type[BrowserCommandFailed] | None,
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Selenium's exceptions leave the portal as ours: a stale element is always ``PageChanged``; any other
    refusal is ``refused`` where given (starting an attachment), else it stays Selenium's."""

    def decorate(method: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(method)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                return method(*args, **kwargs)
            except StaleElementReferenceException as exc:
                raise PageChanged(type(exc).__name__, exc.msg or "") from exc
            except WebDriverException as exc:
                if refused is None:
                    raise
                raise refused(type(exc).__name__, exc.msg or "") from exc

        return wrapper

    return decorate


_page_changed_as_ours = _selenium_errors_as_ours(None)
_start_errors_as_ours = _selenium_errors_as_ours(StartFailed)


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
        wait_rules: WaitRules | None = None,
    ) -> None:
        self.driver = driver
        self.sel = selectors
        self.base_url = base_url.rstrip("/")
        self.base_host = urlparse(self.base_url).netloc.lower()
        self.page_timeout = page_timeout
        self.wait_rules = wait_rules or WaitRules(cap=max(attachment_timeout, WaitRules.empty_window + 2))
        self._elements: dict[int, WebElement] = {}
        """The listed attachments' elements on the page shown now, by ``Attachment.handle``."""
        self._handles = 0
        self._pending: AttachmentsWait | None = None
        """The wait behind the last provisional list on the page shown now, for ``confirm_listing``."""
        driver.set_page_load_timeout(page_timeout)

    # ---------------------------------------------------------------- page states

    @property
    def url(self) -> str:
        """The address the browser shows now."""
        return str(self.driver.current_url)

    def is_sign_in_url(self, url: str) -> bool:
        return is_sign_in_url(url, self.base_host, self.sel.sign_in_places)

    def on_sign_in_page(self) -> bool:
        try:
            return self.is_sign_in_url(self.driver.current_url)
        except WebDriverException:
            return False

    def observe(self, digits: str, *, requisition: bool = False) -> PageObservation:
        """One look at the page: everything the page-state decision needs."""
        raw = self.driver.execute_script(
            OBSERVE_PAGE,
            list(self.sel.error_containers),
            list(self.sel.benign_containers),
            self.sel.identity_markers(digits, requisition=requisition),
            list(self.sel.sign_in_form),
            list(self.sel.portal_frame),
        )
        return PageObservation.from_dict(raw)

    def classify(self, obs: PageObservation, digits: str, *, requisition: bool = False) -> PageState:
        return self.sel.classify(obs, digits, self.base_host, requisition=requisition)

    def open(self, url: str, digits: str, *, requisition: bool = False, shown: bool = False) -> PageState:
        """Navigate and look until the page proves what it is; a page that never does is a portal error.
        ``shown``: the tab already holds the page (loaded ahead, ``next_tab``): looked at by the same rules."""
        self._elements.clear()  # the last page's attachments cannot be started on this one
        self._pending = None
        try:
            if not shown:
                self.driver.get(url)
        except TimeoutException as exc:
            raise PortalTimeout(f"page did not load within {self.page_timeout:.0f} s: {url}") from exc
        deadline = time.monotonic() + self.page_timeout
        unknown_since: float | None = None
        while True:
            current = self.driver.current_url
            if self.is_sign_in_url(current):
                return PageState(PageKind.SIGN_IN, "redirected to sign-in", current)
            failed = ""
            try:
                obs = self.observe(digits, requisition=requisition)
            except JavascriptException as exc:
                # Navigating away mid-script, or a script error: a look that proved nothing. It must not
                # skip the deadline below, or a page whose script always throws holds the worker for good.
                log.debug("observe failed: %s", exc)
                failed = f" (the page's script failed: {exc.msg or type(exc).__name__})"
            else:
                state = self.classify(obs, digits, requisition=requisition)
                if state.kind is not PageKind.UNKNOWN:
                    return state
            now = time.monotonic()
            if not failed and obs.ready:
                # A complete page that names no known state: give its scripts a moment, then say so.
                unknown_since = unknown_since or now
                if now - unknown_since > min(5.0, self.page_timeout):
                    return PageState(PageKind.PORTAL_ERROR, f"unrecognised page: {state.detail!r}", state.url)
            if now > deadline:
                raise PortalTimeout(f"page did not settle within {self.page_timeout:.0f} s: {url}{failed}")
            time.sleep(POLL_SECONDS)

    def open_po(self, digits: str) -> PageState:
        return self.open(self.sel.po_page_url(self.base_url, digits), digits)

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

    # ---------------------------------------------------------------- attachments

    def _scan(self, want_elements: bool) -> dict[str, Any]:
        try:
            raw: dict[str, Any] = self.driver.execute_script(
                SCAN_ATTACHMENTS, scan_config(self.sel), want_elements
            )
        except (JavascriptException, StaleElementReferenceException):
            if self.on_sign_in_page():
                raise SignInLost from None
            raise
        if self.is_sign_in_url(str(raw.get("url", ""))):
            raise SignInLost
        return raw

    def look(self) -> AttachmentsLook:
        return AttachmentsLook.from_dict(self._scan(False))

    @_page_changed_as_ours
    def wait_attachments(self) -> Listing:
        """Look at the attachments until the page proves its list final (or empty), or give up honestly.

        Raises ``SignInLost`` when the page is sent to sign-in meanwhile (e.g. its data request got 401).
        """
        return self._watch(AttachmentsWait(self.wait_rules, time.monotonic()), provisional=False)

    @_page_changed_as_ours
    def wait_listing(self) -> Listing:
        """Like ``wait_attachments``, but hands over a complete-looking list at once as ``provisional``, so
        its downloads overlap the settle; ``confirm_listing`` then says the final word."""
        self._pending = None
        return self._watch(AttachmentsWait(self.wait_rules, time.monotonic()), provisional=True)

    @_page_changed_as_ours
    def confirm_listing(self) -> Listing:
        """The final list behind the last provisional one: the section unchanged for the settle since its
        last change (often already true once the downloads are done), else the wait goes on, with a cap
        of its own, from what was seen before."""
        wait, self._pending = self._pending, None
        if wait is None:  # another page was opened since: its list is not the one to confirm
            raise PageChanged("not on this page", "the provisional list's page is no longer shown")
        wait.resume(time.monotonic())
        return self._watch(wait, provisional=False)

    def _watch(self, wait: AttachmentsWait, *, provisional: bool) -> Listing:
        while True:
            raw: dict[str, Any] | None = None
            try:
                look = self.look()
                decision = wait.observe(look, time.monotonic())
                early = provisional and decision.verdict is ListVerdict.WAIT and complete_looking(look)
                if decision.verdict is ListVerdict.LISTED or early:
                    raw = self._scan(True)
            except JavascriptException as exc:
                # A script error is an observation like any other: the cap still holds (never a watchdog),
                # whether the look or the final read with the elements threw.
                log.debug("attachments scan failed: %s", exc)
                decision = wait.unreadable(
                    f"the page's script failed: {exc.msg or type(exc).__name__}", time.monotonic()
                )
                early = False
            if decision.verdict is ListVerdict.WAIT and not early:
                time.sleep(POLL_SECONDS)
                continue
            if decision.verdict not in (ListVerdict.LISTED, ListVerdict.WAIT):
                return Listing(decision.verdict, decision.reason)
            if raw is None or tuple(raw["items"]) != look.items:
                continue  # changed between the last look and this read: keep watching
            if raw.get("skipped"):
                log.info("skipped malformed attachment URL attribute(s) %s: clicked instead", raw["skipped"])
            if early:
                self._pending = wait
            return Listing(ListVerdict.LISTED, "", self._found(raw), provisional=early)

    @_page_changed_as_ours
    def listed_now(self) -> tuple[Attachment, ...]:
        """The attachments the page lists at this moment (a last look after the downloads)."""
        return self._found(self._scan(True))

    def _found(self, raw: dict[str, Any]) -> tuple[Attachment, ...]:
        """The listed attachments as plain values; their elements stay here, found again by handle."""
        found = []
        for d, element in zip(raw["described"], raw["elements"], strict=True):
            self._handles += 1
            self._elements[self._handles] = element
            found.append(Attachment(d["name"], d["kind"], d["url"], d["key"], self._handles))
        return tuple(found)

    @_page_changed_as_ours
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

    def facts(self) -> PoFacts:
        """The order's facts as the page shows them now (``browser/po_facts``), in one script call."""
        try:
            raw = self.driver.execute_script(
                READ_FACTS, rules_for_script(self.sel.facts), ",".join(LABEL_TAGS)
            )
        except JavascriptException as exc:  # a page script can break ours: then no facts, never no PO
            log.info("the page's facts could not be read: %s", exc.msg or type(exc).__name__)
            raw = {}
        return finish_facts(raw if isinstance(raw, dict) else {}, self.sel.fact_blanks)

    @_page_changed_as_ours
    def requisition_url(self) -> str | None:
        """The link to this PO's own requisition: one that ends in a number (not the requisitions list)."""
        for css in self.sel.requisition_links:
            for el in self.driver.find_elements(By.CSS_SELECTOR, css):
                href = el.get_attribute("href")
                if href and re.search(r"/\d+/?(?:[?#].*)?$", href):
                    return urljoin(self.driver.current_url, href)
        return None

    @_start_errors_as_ours
    def start(self, att: Attachment) -> None:
        """Start one attachment's download: through its URL when the DOM has one, else by clicking it."""
        if att.url:
            self.driver.execute_script(START_DOWNLOAD, att.url)
        else:
            self._click(self._element(att))

    # ---------------------------------------------------------------- clicking

    @_start_errors_as_ours
    def click(self, att: Attachment) -> None:
        """Click the attachment's element (the fallback when its URL started nothing)."""
        self._click(self._element(att))

    def _element(self, att: Attachment) -> WebElement:
        element = self._elements.get(att.handle)
        if element is None:  # listed on a page since left: like a stale element, the page changed
            raise PageChanged("not on this page", f"{att.name} was listed on a page no longer shown")
        return element

    def _click(self, element: WebElement) -> None:
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
