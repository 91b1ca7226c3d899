"""The HTTP route names every file as the browser route does: a real Chromium downloads each awkward
Content-Disposition of ``tests/helpers/dispositions.py`` and its ``suggestedFilename`` (what the browser
route names files by) must be ``suggested_name``'s answer, and the table's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from po_downloader.engine.browser.cdp_downloads import DownloadTracker
from po_downloader.engine.browser.launch import debugger_address
from po_downloader.engine.browser.portal import START_DOWNLOAD
from po_downloader.engine.http.filename import suggested_name
from tests.helpers.chromium import chromium_options, needs_debian_chromium, start_chromium
from tests.helpers.dispositions import CASES
from tests.helpers.http_server import Reply, Script, serve

pytestmark = [pytest.mark.browser, needs_debian_chromium]


def routes() -> dict[str, Reply]:
    served = {
        "/page": Reply(
            200, (("Content-Type", "text/html; charset=utf-8"),), b"<!doctype html><title>p</title>"
        )
    }
    for header, path, _name in CASES:
        headers: tuple[tuple[str, bytes | str], ...] = (("Content-Type", "application/octet-stream"),)
        if header is not None:
            headers += (("Content-Disposition", header),)
        served[path] = Reply(200, headers, f"bytes of {path}".encode())
    return served


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[tuple[WebDriver, DownloadTracker, Script]]:
    options = chromium_options(tmp_path / "profile")
    options.add_experimental_option(
        "prefs", {"profile.default_content_setting_values.automatic_downloads": 1}
    )
    with serve(routes()) as script:
        driver = start_chromium(options)
        tracker = None
        try:
            tracker = DownloadTracker.connect(debugger_address(driver), tmp_path / "staging")
            driver.get(f"{script.base}/page")
            yield driver, tracker, script
        finally:
            if tracker is not None:
                tracker.close()
            driver.quit()


def test_suggested_name_is_chromiums_choice_for_every_header(
    browser: tuple[WebDriver, DownloadTracker, Script],
) -> None:
    driver, tracker, script = browser
    chromium: dict[str, str | None] = {}
    ours: dict[str, str] = {}
    table: dict[str, str] = {}
    for header, path, name in CASES:
        url = script.base + path
        info = None
        for _attempt in range(2):  # the browser's word, started as the browser route starts a download
            mark = tracker.mark()
            driver.execute_script(START_DOWNLOAD, url)
            info = tracker.wait_begin(mark, 15, lambda i, url=url: i.url == url)
            if info is not None:
                break
        chromium[path] = info.suggested_filename if info is not None else None
        ours[path] = suggested_name(header, url, windows=False)
        table[path] = name
    assert chromium == ours
    assert table == ours
    # The server saw every case asked for: none was answered from a cache.
    assert {path for _h, path, _n in CASES} <= set(script.paths())
