"""One worker's browser on a Selenium Grid 4: a ``webdriver.Remote`` session instead of a local browser on
a profile copy, signed in by the cookies carried from a local signed-in copy.

Everything the worker does with it is the local ``BrowserSession``'s (the portal, the page reads, the
HTTP route on its cookies through the Grid's CDP); only its start, its sign-in and its downloads differ:
the files are fetched back through the Grid's managed downloads (``grid_downloads.py``). A session the
Grid loses (its node killed, the Grid restarted) ends the worker like a dead browser: the controller
retries its PO on another session.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import urllib3.exceptions
from selenium import webdriver
from selenium.common.exceptions import InvalidSessionIdException, WebDriverException
from selenium.webdriver.chromium.remote_connection import ChromiumRemoteConnection
from selenium.webdriver.common.bidi.storage import BytesValue, PartialCookie
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.command import Command

from po_downloader.engine.browser.carried_cookies import CarriedSignIn
from po_downloader.engine.browser.download_routes import BEGIN_TIMEOUT
from po_downloader.engine.browser.grid_download_events import DownloadEvents, watch_downloads
from po_downloader.engine.browser.grid_downloads import GridDownloads
from po_downloader.engine.browser.launch import (
    BLOCK_ARGS,
    BLOCK_PREFS,
    BROWSER_NAMES,
    COMMON_ARGS,
    HEADLESS_ARGS,
    BrowserSpec,
    watch_mutations,
)
from po_downloader.engine.browser.portal import CoupaPortal
from po_downloader.engine.browser.selectors import Selectors
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.download_route import DownloadRoute
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.output.downloads import StagingDir

log = logging.getLogger(__name__)

# Selenium logs each command's body (a cookie's value among them) at DEBUG: never on a Grid worker.
_QUIET_LOGGERS = ("selenium.webdriver.remote", "selenium.webdriver.common.bidi", "websocket")
REACH_RETRY_SECONDS = 2.0
SESSION_LOST_EXIT = 3
"""The worker's exit code when the Grid lost its session: a worker death, its PO retried elsewhere."""


class GridError(PoDownloaderError):
    """The Grid refused a session or the carried sign-in did not take (kinds ``GRID_*``)."""


class GridSessionLost(SystemExit):
    """The Grid no longer has this worker's session (its node died, the Grid restarted).

    A ``SystemExit``: nothing in the PO's path may take it for one PO's failure and carry on with a
    session that is gone; the worker process ends (its clean-up still runs) and the controller retries
    the PO on a new session, as for any dead worker."""

    def __init__(self, detail: str) -> None:
        super().__init__(SESSION_LOST_EXIT)
        self.detail = detail


class _GridDriver(webdriver.Remote):
    """A remote Chromium/Edge session with CDP through the Grid (``goog/cdp/execute``), so the mutation
    watch and the HTTP route's cookies work as on a local browser; a lost session raises ``GridSessionLost``."""

    def execute_cdp_cmd(self, cmd: str, cmd_args: Mapping[str, Any]) -> Any:
        return self.execute("executeCdpCommand", {"cmd": cmd, "params": dict(cmd_args)})["value"]

    def execute(self, driver_command: Any, params: dict[str, Any] | None = None) -> Any:
        try:
            return super().execute(driver_command, params)
        except (InvalidSessionIdException, urllib3.exceptions.HTTPError, ConnectionError) as exc:
            if driver_command in (Command.QUIT, Command.NEW_SESSION):
                raise
            detail = type(exc).__name__
            log.warning("the Grid lost this worker's browser session (%s): the worker ends", detail)
            raise GridSessionLost(detail) from exc


def remote_options(spec: BrowserSpec) -> webdriver.ChromeOptions | webdriver.EdgeOptions:
    """Today's headless launch for a Grid node: the same switches and prefs, no profile and no binary (the
    node's stereotype names its browser), managed downloads and WebDriver BiDi asked for."""
    options = webdriver.EdgeOptions() if spec.kind == "edge" else webdriver.ChromeOptions()
    for arg in COMMON_ARGS + (HEADLESS_ARGS if spec.headless else ()) + BLOCK_ARGS + spec.extra_args:
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "plugins.always_open_pdf_externally": True,
            "profile.default_content_setting_values.automatic_downloads": 1,
            **BLOCK_PREFS,
        },
    )
    options.enable_downloads = True
    options.enable_bidi = True
    return options


def open_driver(grid_url: str, spec: BrowserSpec, *, timeout: float = 600.0) -> _GridDriver:
    """A session on the Grid; ``timeout`` covers the wait in the Grid's queue for a free slot."""
    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO))
    options = remote_options(spec)
    prefix = "ms" if spec.kind == "edge" else "goog"
    browser_name = "MicrosoftEdge" if spec.kind == "edge" else "chrome"
    deadline = time.monotonic() + timeout
    while True:
        executor = ChromiumRemoteConnection(
            grid_url,
            vendor_prefix=prefix,
            browser_name=browser_name,
            client_config=_client(grid_url, timeout),
        )
        try:
            return _GridDriver(command_executor=executor, options=options)
        except (urllib3.exceptions.HTTPError, ConnectionError) as exc:
            # The Grid is not there now (restarting, a network blip): wait for it as for a free slot.
            if time.monotonic() >= deadline:
                failure: Exception = exc
                break
            log.info("the Grid at %s does not answer (%s); trying again", grid_url, type(exc).__name__)
            time.sleep(REACH_RETRY_SECONDS)
        except WebDriverException as exc:
            failure = exc
            break
    text = (getattr(failure, "msg", None) or str(failure) or type(failure).__name__).strip().splitlines()[0]
    raise GridError(
        ErrorKind.GRID_SESSION_FAILED,
        f"the Grid at {grid_url} gave no {BROWSER_NAMES[spec.kind]} session: {text}",
        url=grid_url,
        detail=text,
    ) from failure


def _client(grid_url: str, timeout: float) -> ClientConfig:
    return ClientConfig(remote_server_addr=grid_url, keep_alive=True, timeout=int(timeout))


class RemoteSession(BrowserSession):
    """A ``BrowserSession`` whose browser runs on a Grid node: no local process, its downloads fetched
    back from the node."""

    def __init__(
        self,
        driver: _GridDriver,
        portal: CoupaPortal,
        grid_url: str,
        download_events: DownloadEvents | None = None,
    ) -> None:
        super().__init__(driver, portal)
        self.grid_url = grid_url
        self.remote = driver
        self.download_events = download_events

    @classmethod
    def open_remote(
        cls,
        grid_url: str,
        spec: BrowserSpec,
        selectors: Selectors,
        base_url: str,
        carried: CarriedSignIn,
        *,
        page_timeout: float = 30.0,
        attachment_timeout: float = 20.0,
        slot_timeout: float = 600.0,
    ) -> RemoteSession:
        """Open the session, carry the sign-in into it; ``GridError`` (nothing left open) when it cannot."""
        driver = open_driver(grid_url, spec, timeout=max(slot_timeout, page_timeout))
        try:
            if spec.cpu_throttle > 1:
                driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": spec.cpu_throttle})
            watch_mutations(driver)
            events = watch_downloads(driver)  # on the blank first page: before any site is opened
            carry_sign_in(driver, carried, base_url)
            portal = CoupaPortal(
                driver, selectors, base_url, page_timeout=page_timeout, attachment_timeout=attachment_timeout
            )
        except BaseException:
            _quit(driver)
            raise
        return cls(driver, portal, grid_url, events)

    def download_routes(
        self, staging: Path, *, stall_timeout: float, begin_timeout: float = BEGIN_TIMEOUT
    ) -> tuple[DownloadRoute, ...]:
        """The Grid's managed downloads: each attachment's file fetched from the node into ``staging``."""
        return (
            GridDownloads(
                self.portal,
                self.remote,
                StagingDir(staging),
                begin_timeout=begin_timeout,
                stall_timeout=stall_timeout,
                events=self.download_events,
            ),
        )

    def quit(self) -> None:
        _quit(self.remote)


def _quit(driver: _GridDriver) -> None:
    try:
        driver.quit()
    except (Exception, GridSessionLost) as exc:  # a Grid that is gone has nothing left to end
        log.debug("quitting the Grid session failed: %s", type(exc).__name__)


def carry_sign_in(driver: _GridDriver, carried: CarriedSignIn, base_url: str) -> str:
    """Set the carried cookies in the remote browser before its first page: WebDriver BiDi
    ``storage.setCookie`` where the session offers BiDi (no navigation needed), else each cookie's own
    site is opened and ``add_cookie`` sets it there. Returns the way taken ("bidi", "webdriver", "")."""
    if not carried:
        return ""
    if driver.capabilities.get("webSocketUrl"):
        try:
            for cookie in carried.cookies:
                driver.storage.set_cookie(cookie=_bidi_cookie(cookie))
            return "bidi"
        except (WebDriverException, OSError, ValueError, KeyError) as exc:
            log.info(
                "BiDi could not set the carried cookies (%s): setting them page by page", type(exc).__name__
            )
    portal = urlsplit(base_url)
    host = (portal.hostname or "").lower()
    sites: dict[str, list[Mapping[str, Any]]] = {}
    for cookie in carried.cookies:
        domain = str(cookie.get("domain", "")).lstrip(".").lower()
        # The portal's own and its parent domains' cookies are set on the portal's site (its port too); a
        # sign-in provider's on its own.
        on_portal = host == domain or host.endswith("." + domain)
        sites.setdefault(
            f"{portal.scheme}://{portal.netloc}" if on_portal else f"https://{domain}", []
        ).append(cookie)
    for origin, cookies in sites.items():
        if not _on_a_page_of(driver, origin):
            log.warning("the Grid browser found no page of %s to set its cookies on", origin)
            continue
        for cookie in cookies:
            try:
                driver.add_cookie(_webdriver_cookie(cookie))
            except WebDriverException as exc:  # named, never its value
                log.warning(
                    "the Grid browser refused carried cookie %r (%s)", cookie.get("name"), type(exc).__name__
                )
    return "webdriver"


_SMALL_PAGES = ("/robots.txt", "/favicon.ico", "/")
"""Documents that stay on their host: a signed-out site's root may send the browser to sign in elsewhere,
and ``add_cookie`` sets a host-only cookie on whatever host the document is on (an error page takes none)."""


def _on_a_page_of(driver: _GridDriver, origin: str) -> bool:
    """Open a document of ``origin`` that can take its cookies (a probe cookie is set and removed)."""
    want = (urlsplit(origin).hostname or "").lower()
    for path in _SMALL_PAGES:
        try:
            driver.get(origin + path)
            if (urlsplit(driver.current_url).hostname or "").lower() != want:
                continue
            driver.add_cookie({"name": "po_downloader_probe", "value": "1", "path": path})
            driver.delete_cookie("po_downloader_probe")
            return True
        except WebDriverException:
            continue
    return False


def _bidi_cookie(cookie: Mapping[str, Any]) -> PartialCookie:
    expires = cookie.get("expires")
    same_site = str(cookie.get("sameSite") or "").lower()
    return PartialCookie(
        name=str(cookie["name"]),
        value=BytesValue(BytesValue.TYPE_STRING, str(cookie.get("value", ""))),
        domain=str(cookie.get("domain", "")),
        path=str(cookie.get("path") or "/"),
        http_only=bool(cookie.get("httpOnly")),
        secure=bool(cookie.get("secure")),
        same_site=same_site if same_site in ("strict", "lax", "none") else None,
        expiry=int(expires) if isinstance(expires, int | float) and expires > time.time() else None,
    )


def _webdriver_cookie(cookie: Mapping[str, Any]) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "name": str(cookie["name"]),
        "value": str(cookie.get("value", "")),
        "path": str(cookie.get("path") or "/"),
        "secure": bool(cookie.get("secure")),
        "httpOnly": bool(cookie.get("httpOnly")),
    }
    if str(cookie.get("domain", "")).startswith("."):
        shaped["domain"] = str(cookie["domain"])
    expires = cookie.get("expires")
    if isinstance(expires, int | float) and expires > time.time():
        shaped["expiry"] = int(expires)
    same_site = str(cookie.get("sameSite") or "")
    if same_site in ("Strict", "Lax", "None"):
        shaped["sameSite"] = same_site
    return shaped
