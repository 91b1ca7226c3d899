"""Starting a Chromium-family browser (Edge, Chrome, Chromium) on a profile copy, and nothing more.

Selenium lives in this package (``browser/``) only; ``session.py`` builds a worker's browser from here.
The driver comes from Selenium Manager unless a path is given, except for Debian-style Chromium whose
matching ``chromedriver`` sits on PATH next to it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from po_downloader.engine.browser.page_scripts import QUIET_MEDIA, WATCH_MUTATIONS
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.system.processes import ProcRef, descendants, end_processes, proc_ref

log = logging.getLogger(__name__)

BROWSER_NAMES = {"edge": "Microsoft Edge", "chrome": "Google Chrome", "chromium": "Chromium"}

# Quiet, deterministic start-up; none of these touch the profile's sign-in.
COMMON_ARGS = (
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
    # Memory (bench/memory.py): no spare renderer kept warm for a next site and no back-forward cache (the
    # engine never goes back), each a renderer process alive in every worker's browser for nothing.
    "--disable-features=SpareRendererForSitePerProcess,BackForwardCache",
)
# Headless, nothing is drawn on a screen: no software GPU either (SwiftShader cost ~12 MiB per worker).
HEADLESS_ARGS = ("--headless=new", "--disable-gpu", "--disable-software-rasterizer")
# A worker's browser never shows a page to anyone: what only a person needs (pictures, web fonts, sound and
# video) is not fetched. Attachments are downloads, not page resources, so these never touch them. Media
# needs page_scripts.QUIET_MEDIA too: autoplaying media loads whatever the autoplay policy says.
BLOCK_ARGS = (
    "--blink-settings=imagesEnabled=false",
    "--disable-remote-fonts",
    "--autoplay-policy=user-gesture-required",
)
BLOCK_PREFS = {"profile.managed_default_content_settings.images": 2}


class BrowserError(PoDownloaderError):
    """The browser or its driver could not start; ``kind.is_config`` when a setting must change."""


@dataclass(frozen=True)
class BrowserSpec:
    kind: str = "edge"
    headless: bool = True
    driver_path: str = ""
    binary_path: str = ""
    extra_args: tuple[str, ...] = field(default_factory=tuple)
    cpu_throttle: float = 1.0
    """Slow the page's CPU this many times (CDP ``Emulation.setCPUThrottlingRate``): a slow laptop, on
    purpose, so tests prove that no decision depends on the page being quick."""


def _candidates(kind: str) -> list[str]:
    if sys.platform.startswith("win"):
        roots = [os.environ.get(v, "") for v in ("PROGRAMFILES(X86)", "PROGRAMFILES", "LOCALAPPDATA")]
        rel = {
            "edge": r"Microsoft\Edge\Application\msedge.exe",
            "chrome": r"Google\Chrome\Application\chrome.exe",
            "chromium": r"Chromium\Application\chrome.exe",
        }[kind]
        return [str(Path(r) / rel) for r in roots if r]
    if sys.platform == "darwin":
        app = {"edge": "Microsoft Edge", "chrome": "Google Chrome", "chromium": "Chromium"}[kind]
        return [
            f"/Applications/{app}.app/Contents/MacOS/{app}",
            str(Path.home() / f"Applications/{app}.app/Contents/MacOS/{app}"),
        ]
    names = {
        "edge": ["microsoft-edge", "microsoft-edge-stable"],
        "chrome": ["google-chrome", "google-chrome-stable"],
        "chromium": ["chromium", "chromium-browser"],
    }[kind]
    return [p for n in names if (p := shutil.which(n))]


def find_browser(kind: str) -> str | None:
    """The browser's executable on this computer, or None."""
    return next((c for c in _candidates(kind) if Path(c).is_file()), None)


def installed_browsers() -> list[str]:
    return [k for k in BROWSER_NAMES if find_browser(k)]


def _driver_service(spec: BrowserSpec) -> webdriver.ChromeService | webdriver.EdgeService:
    service_cls = webdriver.EdgeService if spec.kind == "edge" else webdriver.ChromeService
    path = spec.driver_path
    if not path and spec.kind == "chromium":
        # A distribution's Chromium ships its own matching chromedriver; Selenium Manager cannot fetch one.
        path = shutil.which("chromedriver") or ""
    if path and not Path(path).is_file():
        raise BrowserError(ErrorKind.DRIVER_NOT_FOUND, f"driver not found: {path}", path=path)
    return service_cls(executable_path=path) if path else service_cls()


def build_options(
    spec: BrowserSpec,
    *,
    user_data_dir: Path,
    profile_name: str,
    download_dir: Path | None,
    exclude_switches: list[str],
) -> webdriver.ChromeOptions | webdriver.EdgeOptions:
    options = webdriver.EdgeOptions() if spec.kind == "edge" else webdriver.ChromeOptions()
    binary = spec.binary_path or find_browser(spec.kind)
    if not binary:
        raise BrowserError(
            ErrorKind.BROWSER_NOT_INSTALLED,
            f"{BROWSER_NAMES[spec.kind]} was not found on this computer: install it or choose another browser",
            browser=BROWSER_NAMES[spec.kind],
        )
    options.binary_location = binary
    options.add_argument(f"--user-data-dir={user_data_dir}")
    options.add_argument(f"--profile-directory={profile_name}")
    blocking = BLOCK_ARGS if download_dir is not None else ()  # not in the sign-in window a person uses
    for arg in COMMON_ARGS + (HEADLESS_ARGS if spec.headless else ()) + blocking + spec.extra_args:
        options.add_argument(arg)
    if sys.platform.startswith("linux") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to run as root with its sandbox.
    options.add_experimental_option("excludeSwitches", exclude_switches)
    if download_dir is None:
        return options
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "plugins.always_open_pdf_externally": True,
            # Without this only the first of several script-started downloads from one page arrives.
            "profile.default_content_setting_values.automatic_downloads": 1,
            **BLOCK_PREFS,
        },
    )
    return options


def launch(
    spec: BrowserSpec,
    *,
    user_data_dir: Path,
    profile_name: str,
    download_dir: Path | None,
    exclude_switches: list[str],
) -> WebDriver:
    """Start the browser; a locked or broken profile is an error, never a silent profile-less run."""
    options = build_options(
        spec,
        user_data_dir=user_data_dir,
        profile_name=profile_name,
        download_dir=download_dir,
        exclude_switches=exclude_switches,
    )
    service = _driver_service(spec)
    try:
        driver: WebDriver
        if isinstance(options, webdriver.EdgeOptions) and isinstance(service, webdriver.EdgeService):
            driver = webdriver.Edge(options=options, service=service)
        elif isinstance(options, webdriver.ChromeOptions) and isinstance(service, webdriver.ChromeService):
            driver = webdriver.Chrome(options=options, service=service)
        else:  # pragma: no cover - build_options and _driver_service choose by the same spec.kind
            raise BrowserError(
                ErrorKind.BROWSER_DRIVER_MISMATCH,
                f"mismatched driver and options for {spec.kind}",
                browser=BROWSER_NAMES[spec.kind],
            )
    except WebDriverException as exc:
        text = (exc.msg or str(exc)).strip().splitlines()[0] if (exc.msg or str(exc)).strip() else repr(exc)
        if "already in use" in text:
            raise BrowserError(
                ErrorKind.PROFILE_IN_USE,
                f"the profile copy {user_data_dir} is in use by another browser",
                path=user_data_dir,
            ) from exc
        raise BrowserError(
            ErrorKind.BROWSER_START_FAILED,
            f"could not start {BROWSER_NAMES[spec.kind]}: {text}",
            browser=BROWSER_NAMES[spec.kind],
            detail=text,
        ) from exc
    prepare_tab(driver, spec, worker=download_dir is not None)
    return driver


def prepare_tab(driver: WebDriver, spec: BrowserSpec, *, worker: bool = True) -> None:
    """What every tab of ours gets before its first page (these CDP settings are the tab's, not the
    browser's): the CPU slowdown a test asked for, the mutation watch, and on a worker's browser media off.
    ``launch`` applies it to the first tab, ``next_tab`` to the second."""
    if spec.cpu_throttle > 1:
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": spec.cpu_throttle})
    watch_mutations(driver)
    if worker:
        _quiet_media(driver)


def watch_mutations(driver: WebDriver) -> bool:
    """Install the page scripts' mutation watch on every document this browser opens from now on, so a
    list's settle is counted from its last change as the page saw it; False (looks then measure it) when
    the driver has no DevTools (a remote Grid session, an old driver)."""
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_MUTATIONS})
    except (AttributeError, WebDriverException) as exc:
        log.info("no mutation watch on this browser (%s): quiet is measured between looks", exc)
        return False
    return True


def _quiet_media(driver: WebDriver) -> None:
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": QUIET_MEDIA})
    except (AttributeError, WebDriverException) as exc:
        log.info("page media stays on in this browser (%s)", exc)


def driver_processes(driver: WebDriver) -> list[ProcRef]:
    """The driver process and every browser process under it: what this worker must end."""
    process = getattr(getattr(driver, "service", None), "process", None)
    ref = proc_ref(process.pid) if process is not None else None
    return [ref, *descendants(ref)] if ref else []


@contextmanager
def own_profile_browser(spec: BrowserSpec, user_data_dir: Path) -> Iterator[WebDriver]:
    """A browser straight on one of the app's own profiles (never a user's), quit cleanly afterwards."""
    driver = launch(
        spec,
        user_data_dir=user_data_dir,
        profile_name="Default",
        download_dir=None,
        exclude_switches=["enable-automation"],
    )
    refs = driver_processes(driver)
    try:
        yield driver
    finally:
        _quit_quietly(driver)
        end_processes(refs)


def _window_open(driver: WebDriver) -> bool:
    try:
        return bool(driver.window_handles)
    except WebDriverException:
        return False


def interactive_sign_in(spec: BrowserSpec, user_data_dir: Path, url: str, *, timeout: float = 1800) -> None:
    """Open a visible browser on the app's own profile at ``url`` and return once the user closes it.

    Quitting cleanly matters: the browser writes new cookies to disk only on exit (or ~30 s later).
    """
    visible = BrowserSpec(spec.kind, False, spec.driver_path, spec.binary_path, spec.extra_args)
    with own_profile_browser(visible, user_data_dir) as driver:
        driver.get(url)
        deadline = time.monotonic() + timeout
        while _window_open(driver) and time.monotonic() < deadline:
            time.sleep(0.5)  # a person is signing in; there is no condition to wait on but the window


def scripted_sign_in(
    spec: BrowserSpec,
    user_data_dir: Path,
    url: str,
    fields: dict[str, str],
    submit: str,
    *,
    timeout: float = 30,
) -> str:
    """Fill a sign-in form (CSS selector → text) and submit it; returns the URL signed in to.

    For the bundled demo portal and tests: real Coupa SSO is done by a person with ``interactive_sign_in``.
    """
    with own_profile_browser(spec, user_data_dir) as driver:
        driver.get(url)
        first = next(iter(fields))
        WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, first)))
        for css, text in fields.items():
            element = driver.find_element(By.CSS_SELECTOR, css)
            element.clear()
            element.send_keys(text)
        driver.find_element(By.CSS_SELECTOR, submit).click()
        host = urlparse(url).netloc
        WebDriverWait(driver, timeout).until(lambda d: urlparse(d.current_url).netloc == host)
        return driver.current_url


def _quit_quietly(driver: WebDriver) -> None:
    try:
        driver.quit()
    except WebDriverException as exc:
        log.debug("quit failed: %s", exc)


def debugger_address(driver: WebDriver) -> str | None:
    """The DevTools address chromedriver/msedgedriver opened for this browser (None on a remote Grid session or an old driver).

    ``cdp_downloads`` connects there itself; on a Grid the address would be on another machine.
    """
    if not isinstance(driver, webdriver.Chrome | webdriver.Edge):
        return None
    capabilities = getattr(driver, "capabilities", None) or {}
    local_hosts = {"localhost", "127.0.0.1", "::1"}
    for key in ("goog:chromeOptions", "ms:edgeOptions"):
        options = capabilities.get(key)
        address = options.get("debuggerAddress") if isinstance(options, dict) else None
        if isinstance(address, str) and address.rpartition(":")[0].strip("[]") in local_hosts:
            return address
    return None
