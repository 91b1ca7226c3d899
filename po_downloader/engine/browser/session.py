"""One worker's browser: a private profile copy, the browser on it, its portal, its download tracker.

The worker process (``run/worker.py``) holds a ``BrowserSession`` and never sees Selenium: starting,
the PIDs to record, the download routes (DevTools download events, else the folder) and quitting all
happen here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver

from po_downloader.engine.browser.cdp_downloads import CdpUnavailable, DownloadTracker
from po_downloader.engine.browser.download_routes import BEGIN_TIMEOUT, browser_routes
from po_downloader.engine.browser.launch import (
    BrowserSpec,
    debugger_address,
    driver_processes,
    launch,
    prepare_tab,
)
from po_downloader.engine.browser.next_tab import NextTab
from po_downloader.engine.browser.portal import CoupaPortal
from po_downloader.engine.browser.profile_copy import SourceProfile, browser_switches_to_exclude, copy_profile
from po_downloader.engine.browser.selectors import Selectors
from po_downloader.engine.download_route import DownloadRoute
from po_downloader.engine.output.downloads import StagingDir
from po_downloader.engine.system.processes import end_processes

log = logging.getLogger(__name__)


def launch_on_copy(
    spec: BrowserSpec, source: SourceProfile, copy_dir: Path, download_dir: Path | None, portal_url: str = ""
) -> WebDriver:
    """A private copy of the source profile, and a browser on it: the source itself is never opened."""
    copy = copy_profile(source, copy_dir, portal_url=portal_url)
    return launch(
        spec,
        user_data_dir=copy.user_data_dir,
        profile_name=copy.profile_name,
        download_dir=download_dir,
        exclude_switches=browser_switches_to_exclude(source),
    )


class BrowserSession:
    """A browser started on a copy of ``source`` and driven through ``portal``; ``quit`` ends all of it.

    ``open`` raises ``ProfileCopyError`` or ``BrowserError`` (from the copy and the launch) and leaves
    nothing running when it does.
    """

    def __init__(self, driver: WebDriver, portal: CoupaPortal, spec: BrowserSpec | None = None) -> None:
        """Use ``open``; this only wraps a driver that already runs (``spec``: how it was launched)."""
        self._driver = driver
        self.portal = portal
        self.spec = spec or BrowserSpec()
        self.processes = tuple(driver_processes(driver))
        """The driver and browser processes as started, with their identities: what a crash must not leave."""
        self.pids = tuple(ref.pid for ref in self.processes)
        """Their PIDs, as the worker reports them to the controller."""
        self.tracker: DownloadTracker | None = None

    @classmethod
    def open(
        cls,
        spec: BrowserSpec,
        source: SourceProfile,
        copy_dir: Path,
        download_dir: Path | None,
        selectors: Selectors,
        base_url: str,
        *,
        page_timeout: float = 30.0,
        attachment_timeout: float = 20.0,
    ) -> BrowserSession:
        driver = launch_on_copy(spec, source, copy_dir, download_dir, base_url)
        try:
            portal = CoupaPortal(
                driver,
                selectors,
                base_url,
                page_timeout=page_timeout,
                attachment_timeout=attachment_timeout,
            )
        except BaseException:
            _quit(driver)
            raise
        return cls(driver, portal, spec)

    def download_routes(
        self, staging: Path, *, stall_timeout: float, begin_timeout: float = BEGIN_TIMEOUT
    ) -> tuple[DownloadRoute, ...]:
        """This browser's download routes into ``staging``: DevTools-tracked where it answers, else the folder."""
        tracker = self.track_downloads(staging)
        return browser_routes(
            self.portal,
            StagingDir(staging),
            tracker,
            begin_timeout=begin_timeout,
            stall_timeout=stall_timeout,
        )

    def track_downloads(self, download_dir: Path) -> DownloadTracker | None:
        """CDP download events (each click's own file, our own names); None means the folder-watching route."""
        address = debugger_address(self._driver)
        if not address:
            log.warning("no DevTools address for this browser: downloads fall back to watching the folder")
            return None
        try:
            self.tracker = DownloadTracker.connect(address, download_dir)
        except CdpUnavailable as exc:
            log.warning(
                "CDP download events unavailable (%s): downloads fall back to watching the folder", exc
            )
            return None
        return self.tracker

    def next_tab(self) -> NextTab | None:
        """The spare tab the next PO's page loads in while this one is worked; None without DevTools (a
        remote session): each page is then loaded in its turn, as before."""
        address = debugger_address(self._driver)
        if not address:
            return None
        return NextTab(self.portal, address, lambda: prepare_tab(self._driver, self.spec))

    def cookies(self) -> list[dict[str, Any]]:
        """Every cookie of the running browser, HttpOnly ones included (CDP ``Network.getAllCookies``): the
        signed-in session handed to the HTTP route. Never logged, never written anywhere."""
        answer = self._driver.execute_cdp_cmd("Network.getAllCookies", {})
        return list(answer.get("cookies", [])) if isinstance(answer, dict) else []

    def set_cookies(self, cookies: Sequence[Mapping[str, Any]]) -> None:
        """Set cookies the portal set over HTTP in the running browser (CDP ``Network.setCookie``'s
        parameters, HttpOnly ones too, scoped by their ``url``/``domain`` and ``path``), so the browser and
        the HTTP route stay on one session; one whose ``expires`` is past is deleted, as a ``Set-Cookie``
        that expires it deletes it. Never logged: a refusal names the cookie, never its value."""
        now = time.time()
        for cookie in cookies:
            expires = cookie.get("expires")
            try:
                if isinstance(expires, int | float) and expires <= now:
                    self._driver.execute_cdp_cmd("Network.deleteCookies", _deletion(cookie))
                    continue
                answer = self._driver.execute_cdp_cmd("Network.setCookie", dict(cookie))
                why = "success: false" if isinstance(answer, dict) and answer.get("success") is False else ""
            except WebDriverException as exc:  # its text is the browser's; keep even that out of the log
                why = type(exc).__name__
            if why:
                log.warning(
                    "the browser refused cookie %r the portal set over HTTP (%s)", cookie.get("name"), why
                )

    def user_agent(self) -> str:
        """The browser's own User-Agent: the HTTP route says the same, as some portals tie a session to it."""
        try:
            return str(self._driver.execute_script("return navigator.userAgent") or "")
        except WebDriverException:
            return ""

    def quit(self) -> None:
        """Disconnect the tracker, quit the browser and end every process it started (never raises)."""
        if self.tracker is not None:
            self.tracker.close()
            self.tracker = None
        _quit(self._driver)


def _deletion(cookie: Mapping[str, Any]) -> dict[str, Any]:
    """``Network.deleteCookies``' parameters for exactly this cookie: its name, path and domain as the
    browser stores it (a host-only cookie's is its bare host, a domain cookie's starts with a dot)."""
    domain = cookie.get("domain") or urlsplit(str(cookie.get("url", ""))).hostname or ""
    return {"name": cookie.get("name", ""), "domain": domain, "path": cookie.get("path") or "/"}


def _quit(driver: WebDriver) -> None:
    refs = driver_processes(driver)
    try:
        driver.quit()
    except Exception as exc:
        log.debug("driver.quit failed: %s", exc)
    end_processes(refs, timeout=5)
