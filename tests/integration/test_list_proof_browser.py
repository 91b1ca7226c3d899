"""Lists proven without idle waiting, through a real Chromium started as a worker's (``launch``): the page's
own clock, a count the page states, a list handed over before it is proven, and the page resources a worker
never fetches (pictures, web fonts, media) while attachments named like them still arrive whole.

The pages come from a small server here, so each test scripts exactly when its items appear.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from po_downloader.engine import events as ev
from po_downloader.engine.browser.cdp_downloads import DownloadTracker
from po_downloader.engine.browser.download_routes import browser_routes
from po_downloader.engine.browser.launch import BrowserSpec, debugger_address, launch
from po_downloader.engine.browser.portal import CoupaPortal
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.models import ListVerdict, PoNumber, PoStatus, PoTask
from po_downloader.engine.output.downloads import StagingDir
from po_downloader.engine.run.fetch import FetchSettings, PoFetcher
from tests.helpers.chromium import chromium_options, needs_debian_chromium, start_chromium

pytestmark = [pytest.mark.browser, needs_debian_chromium]

SPEC = BrowserSpec("chromium", headless=True)
FILE_DELAY = 0.2
"""Seconds the server takes before each attachment's bytes, as a portal would."""

FILES = {
    "photo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
    "scan.jpg": b"\xff\xd8\xff\xe0" + b"jpeg" * 3000,
    "font.woff": b"wOFF" + b"\x00\x01" * 5000,
    "clip.mp4": b"\x00\x00\x00\x18ftypmp42" + b"m" * 20000,
    "a.pdf": b"%PDF-1.4 a " * 200,
    "b.pdf": b"%PDF-1.4 b " * 300,
    "c.pdf": b"%PDF-1.4 c " * 400,
}
TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".woff": "font/woff", ".mp4": "video/mp4"}

# number -> (heading, section attributes, items as (ms after load, name, carries its URL), first-HTML items)
PAGES: dict[str, tuple[str, str, list[tuple[int, str, bool]], list[tuple[str, bool]]]] = {
    # Attachments named like page resources, two click-only: all in the first HTML.
    "4001": (
        "Attachments",
        "",
        [],
        [("photo.png", True), ("scan.jpg", False), ("font.woff", True), ("clip.mp4", False)],
    ),
    # One item, then a second one 1.3 s later: after the first one's download, within its settle.
    "4002": ("Attachments", "", [(200, "a.pdf", True), (1500, "b.pdf", False)], []),
    # The page states three; they come one by one, the last 0.8 s after the second.
    "4003": ("Attachments (3)", "", [(200, "a.pdf", True), (400, "b.pdf", True), (1200, "c.pdf", True)], []),
    # A count attribute on the section; both items in the first HTML.
    "4004": ("Attachments", ' data-count="2"', [], [("a.pdf", True), ("b.pdf", False)]),
}


def _span(name: str, with_url: bool) -> str:
    url = f' data-url="/file/{name}"' if with_url else ""
    return (
        f'<span role="button" tabindex="0" aria-label="{name} file attachment" title="{name}" '
        f'class="attachment"{url} onclick="go(\'/file/{name}\')"><span>{name}</span></span>'
    )


def page_html(number: str) -> bytes:
    heading, attributes, later, first = PAGES[number]
    script = (
        "function go(u){var a=document.createElement('a');a.href=u;document.body.appendChild(a);a.click();"
        "a.remove()}\n"
        "function add(n,u){var box=document.createElement('div');box.innerHTML=SPAN[n];"
        "document.getElementById('attachments_list').appendChild(box.firstChild)}\n"
        f"var SPAN={json.dumps({name: _span(name, url) for _, name, url in later})};\n"
        "window.addEventListener('load',function(){"
        + "".join(f"setTimeout(function(){{add({json.dumps(name)})}},{ms});" for ms, name, _ in later)
        + "});"
    )
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        f"<title>PO #{number} - Coupa</title>"
        "<style>@font-face{font-family:Brand;src:url(/font/brand.woff) format('woff')}"
        "body{font-family:Brand,sans-serif}</style></head><body>"
        f'<div id="top_nav"><a href="/order_headers">Orders</a></div><h1>Purchase Order #{number}</h1>'
        f'<div data-order-header-id="{number}"></div>'
        '<span data-supplier-name="Proof Co.">Proof Co.</span>'
        '<img src="/img/logo.png" alt="logo" width="20" height="20">'
        '<video src="/media/intro.mp4" autoplay muted playsinline></video>'
        f'<section class="attachments-section" id="attachments_section"{attributes}><h2>{heading}</h2>'
        f'<div class="attachments" id="attachments_list">{"".join(_span(n, u) for n, u in first)}</div>'
        f"</section><script>{script}</script></body></html>"
    ).encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    hits: list[str]


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        kind, _, name = self.path.strip("/").partition("/")
        if kind == "order_headers" and name in PAGES:
            self._send(200, "text/html; charset=utf-8", page_html(name))
        elif kind == "file" and name in FILES:
            time.sleep(FILE_DELAY)
            ctype = TYPES.get(Path(name).suffix, "application/pdf")
            self._send(200, ctype, FILES[name], f'attachment; filename="{name}"')
        elif kind in ("img", "font", "media"):
            self._send(200, "application/octet-stream", b"x" * 64)
        else:
            self._send(404, "text/plain", b"not here")

    def _send(self, status: int, ctype: str, body: bytes, disposition: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if disposition:
            self.send_header("Content-Disposition", disposition)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server(("127.0.0.1", 0), Handler)
    srv.hits = []
    thread = threading.Thread(target=srv.serve_forever, name="list-proof-pages", daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def origin(server: Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def worker(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebDriver, Path]]:
    """A browser started the way a worker's is: a download folder, so the worker's blocking applies."""
    tmp = tmp_path_factory.mktemp("list-proof")
    staging = tmp / "staging"
    staging.mkdir()
    driver = launch(
        SPEC, user_data_dir=tmp / "profile", profile_name="Default", download_dir=staging, exclude_switches=[]
    )
    try:
        yield driver, staging
    finally:
        driver.quit()


def fetch(worker: tuple[WebDriver, Path], server: Server, number: str, root: Path) -> ev.AttemptEnded:
    driver, staging = worker
    portal = CoupaPortal(driver, load_selectors(), origin(server))
    address = debugger_address(driver)
    assert address, "a local Chromium always has a DevTools address"
    tracker = DownloadTracker.connect(address, staging)
    try:
        routes = browser_routes(portal, StagingDir(staging), tracker, begin_timeout=10.0, stall_timeout=10.0)
        fetcher = PoFetcher(1, portal, staging, FetchSettings(root), routes)
        return fetcher.fetch(PoTask(PoNumber(number)), lambda event: None)
    finally:
        tracker.close()


def saved(ended: ev.AttemptEnded) -> dict[str, bytes]:
    folder = Path(ended.outcome.folder)
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_attachments_named_like_page_resources_arrive_whole_while_the_page_resources_are_not_fetched(
    worker: tuple[WebDriver, Path], server: Server, tmp_path: Path
) -> None:
    ended = fetch(worker, server, "4001", tmp_path / "root")
    assert ended.outcome.status is PoStatus.COMPLETED, ended.outcome.message
    names = ("photo.png", "scan.jpg", "font.woff", "clip.mp4")
    assert saved(ended) == {n: FILES[n] for n in names}
    assert not [h for h in server.hits if h.startswith(("/img/", "/font/", "/media/"))], server.hits


def test_an_item_drawn_after_the_list_looked_complete_is_fetched_before_the_status(
    worker: tuple[WebDriver, Path], server: Server, tmp_path: Path
) -> None:
    """b.pdf comes 1.3 s after a.pdf: after a.pdf's download, before the list could have settled."""
    ended = fetch(worker, server, "4002", tmp_path / "root")
    assert ended.outcome.status is PoStatus.COMPLETED, ended.outcome.message
    assert (ended.outcome.found, ended.outcome.downloaded) == (2, 2)
    assert saved(ended) == {"a.pdf": FILES["a.pdf"], "b.pdf": FILES["b.pdf"]}


def test_a_stated_count_is_final_only_once_every_item_is_shown(
    worker: tuple[WebDriver, Path], server: Server
) -> None:
    portal = CoupaPortal(worker[0], load_selectors(), origin(server))
    portal.open_po("4003")
    listing = portal.wait_attachments()
    assert listing.verdict is ListVerdict.LISTED
    assert [a.name for a in listing.items] == ["a.pdf", "b.pdf", "c.pdf"]
    assert portal._scan(False)["stated"] == 3


def test_a_stated_count_attribute_is_read_and_proves_the_list(
    worker: tuple[WebDriver, Path], server: Server, tmp_path: Path
) -> None:
    portal = CoupaPortal(worker[0], load_selectors(), origin(server))
    portal.open_po("4004")
    assert portal._scan(False)["stated"] == 2
    listing = portal.wait_listing()
    assert (listing.verdict, listing.provisional) == (ListVerdict.LISTED, False)
    assert [a.name for a in listing.items] == ["a.pdf", "b.pdf"]


def test_the_page_clock_is_reported_with_the_watch_and_the_looks_measure_without_it(
    worker: tuple[WebDriver, Path], server: Server
) -> None:
    watched = CoupaPortal(worker[0], load_selectors(), origin(server))
    watched.open_po("4002")
    assert isinstance(watched._scan(False).get("quiet_ms"), int | float)
    with tempfile.TemporaryDirectory(prefix="list-proof-plain-") as profile:
        driver = start_chromium(chromium_options(profile))  # not through launch: no watch installed
        try:
            plain = CoupaPortal(driver, load_selectors(), origin(server))
            plain.open_po("4002")
            assert "quiet_ms" not in plain._scan(False)
            listing = plain.wait_attachments()
            assert [a.name for a in listing.items] == ["a.pdf", "b.pdf"]
        finally:
            driver.quit()
