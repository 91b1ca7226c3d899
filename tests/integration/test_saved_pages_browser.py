"""The saved pages, opened again in headless Chromium, still give the recorded FINAL observations.

``tests/unit/test_saved_pages.py`` replays the recorded observations through the pure decisions; this test
proves the extraction scripts (``page_scripts``) still see exactly those observations on the saved DOM, so
the two together cover page → observation → decision. The pages are served from a local ``http.server``
that puts its own origin where the recording wrote ``record_pages.ORIGIN``. ``url`` and ``http_status``
are not compared: they name the saved file and its plain 200, not the portal's URL and status.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from po_downloader.engine.browser.attachment_wait import AttachmentsLook
from po_downloader.engine.browser.page_state import PageObservation
from po_downloader.engine.browser.portal import CoupaPortal
from po_downloader.engine.browser.selectors import load_selectors
from tests.helpers.chromium import chromium_options, start_chromium
from tests.helpers.record_pages import OBSERVATIONS, ORIGIN, PAGES_DIR, load_observations, localise

pytestmark = pytest.mark.browser

RECORDED = load_observations() if (PAGES_DIR / OBSERVATIONS).exists() else {}
NAMES = sorted(RECORDED)


class _SavedPages(http.server.SimpleHTTPRequestHandler):
    """Serves ``PAGES_DIR`` read-only; HTML gets this server's origin in place of the recording's."""

    def __init__(self, *args, origin: str, **kwargs) -> None:
        self._origin = origin
        super().__init__(*args, directory=str(PAGES_DIR), **kwargs)

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.suffix != ".html" or not path.is_file():
            super().do_GET()
            return
        body = path.read_text(encoding="utf-8").replace(ORIGIN, self._origin).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SavedPages)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    server.RequestHandlerClass = functools.partial(_SavedPages, origin=origin)  # type: ignore[assignment]
    thread = threading.Thread(target=server.serve_forever, name="saved-pages", daemon=True)
    thread.start()
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def portal(served: str) -> Iterator[CoupaPortal]:
    with tempfile.TemporaryDirectory(prefix="saved-pages-profile-") as profile:
        driver = start_chromium(chromium_options(profile))
        try:
            yield CoupaPortal(driver, load_selectors(), served, page_timeout=15.0)
        finally:
            driver.quit()


def _without_url_and_status(obs: PageObservation) -> PageObservation:
    return dataclasses.replace(obs, url="", http_status=None)


def test_there_are_saved_pages() -> None:
    assert NAMES, f"no {OBSERVATIONS} in {PAGES_DIR}: run python -m tests.helpers.record_pages"


@pytest.mark.parametrize("name", NAMES)
def test_saved_page_gives_the_recorded_final_observations(
    portal: CoupaPortal, served: str, name: str
) -> None:
    entry = RECORDED[name]
    number, requisition = entry["number"], entry["requisition"]
    portal.driver.get(f"{served}/{name}")
    assert portal.driver.execute_script("return document.readyState") == "complete"

    seen_page = portal.observe(number, requisition=requisition)
    seen_look = portal._scan(False)
    assert seen_look["url"] == f"{served}/{name}", "not the saved page (a script navigated away?)"

    recorded_page = PageObservation.from_dict(entry["final"]["page"])
    assert _without_url_and_status(seen_page) == _without_url_and_status(recorded_page)
    recorded_look = AttachmentsLook.from_dict(entry["final"]["look"])
    assert AttachmentsLook.from_dict(localise(seen_look, served)) == recorded_look
