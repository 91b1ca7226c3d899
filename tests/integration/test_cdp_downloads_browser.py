"""A real Chromium names its downloads by guid and reports each click's own download over DevTools."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from po_downloader.engine.browser.cdp_downloads import DownloadTracker
from po_downloader.engine.browser.download_book import COMPLETED, IN_PROGRESS
from po_downloader.engine.browser.launch import debugger_address
from po_downloader.engine.events import FileBytes, bytes_in
from tests.helpers.chromium import chromium_options, needs_debian_chromium, start_chromium

pytestmark = [pytest.mark.browser, needs_debian_chromium]


def long_name(size: int = 250) -> str:
    """Accented Portuguese words padded to exactly ``size`` UTF-8 bytes, ``.pdf`` included."""
    words = "Relatório de execução orçamentária e conciliação das notas fiscais do exercício "
    stem = ""
    while len((stem + words).encode()) <= size - 4:
        stem += words
    stem += "x" * (size - 4 - len(stem.encode()))
    name = stem + ".pdf"
    assert len(name.encode()) == size
    return name


@dataclass(frozen=True)
class File:
    name: str
    body: bytes
    mode: str = "whole"  # whole | slow (1.5 s trickle, no Content-Length) | stall (never finishes) | cut


FILES = {
    "long": File(long_name(), b"%PDF-1.4 long name " * 1000),
    "plain": File("Pedido de compra nº 4711 – anexo (cópia).pdf", b"%PDF-1.4 plain " * 300),
    "zero": File("vazio.txt", b""),
    "dup1": File("fatura.pdf", b"%PDF-1.4 first of two " * 100),
    "dup2": File("fatura.pdf", b"%PDF-1.4 second of two " * 100),
    "slow": File("grande.bin", bytes(range(256)) * (8 * 1024), "slow"),  # 2 MiB
    "stall": File("travado.bin", b"s" * (1024 * 1024), "stall"),
    "cut": File("cortado.bin", b"c" * (1024 * 1024), "cut"),
}
NORMAL = ("long", "plain", "zero", "dup1", "dup2", "slow")


def page_html() -> bytes:
    buttons = "".join(f'<button id="b-{key}" onclick="go(\'/file/{key}\')">{key}</button>' for key in FILES)
    return (
        "<!doctype html><meta charset=utf-8><title>downloads</title>"
        "<script>function go(h,d){var a=document.createElement('a');a.href=h;if(d)a.download='';"
        "document.body.appendChild(a);a.click();a.remove()}</script>"
        f"{buttons}"
        "<button id=\"both\" onclick=\"go('/file/dup1',1);go('/file/plain',1)\">both</button>"
        '<button id="noop" onclick="void 0">nothing</button>'
    ).encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True
    stop: threading.Event

    def handle_error(self, request, client_address) -> None:
        pass  # the browser hangs up on canceled downloads; that is expected here


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/page":
            body = page_html()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        file = FILES.get(self.path.removeprefix("/file/"))
        if file is None:
            self.send_error(404)
            return
        self.send_response(200)
        pdf = file.name.endswith(".pdf")
        self.send_header("Content-Type", "application/pdf" if pdf else "application/octet-stream")
        self.send_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(file.name, safe='')}")
        if file.mode != "slow":
            self.send_header("Content-Length", str(len(file.body)))
        self.end_headers()
        if file.mode == "whole":
            self.wfile.write(file.body)
        elif file.mode == "slow":
            chunks = 15
            step = len(file.body) // chunks
            for i in range(chunks):
                self.wfile.write(file.body[i * step : (i + 1) * step if i < chunks - 1 else None])
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self.wfile.write(file.body[: 64 * 1024])
            self.wfile.flush()
            if file.mode == "stall":
                self.server.stop.wait(60)
            self.close_connection = True  # "cut": hang up with most of the promised bytes unsent


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.stop = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, name="downloads-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@dataclass
class Session:
    driver: WebDriver
    tracker: DownloadTracker
    staging: Path
    pref_dir: Path | None
    url: str

    def click(self, key: str) -> None:
        self.driver.find_element(By.ID, f"b-{key}" if key in FILES else key).click()


def start_browser(tmp_path: Path, pref_dir: Path | None) -> WebDriver:
    options = chromium_options(tmp_path / "profile")
    prefs: dict[str, object] = {"profile.default_content_setting_values.automatic_downloads": 1}
    if pref_dir is not None:
        prefs |= {"download.default_directory": str(pref_dir), "download.prompt_for_download": False}
    options.add_experimental_option("prefs", prefs)
    return start_chromium(options)


@pytest.fixture(params=["no-pref", "default-directory-pref"])
def session(request: pytest.FixtureRequest, server: str, tmp_path: Path) -> Iterator[Session]:
    """One browser with a tracker; half the runs also set chromedriver's download directory pref."""
    staging = tmp_path / "staging"
    staging.mkdir()
    pref_dir = None
    if request.param == "default-directory-pref":
        pref_dir = tmp_path / "pref-downloads"
        pref_dir.mkdir()
    driver = start_browser(tmp_path, pref_dir)
    tracker = None
    try:
        address = debugger_address(driver)
        assert address, driver.capabilities
        tracker = DownloadTracker.connect(address, staging)
        driver.get(f"{server}/page")
        yield Session(driver, tracker, staging, pref_dir, server)
    finally:
        if tracker is not None:
            tracker.close()
        driver.quit()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_each_click_gets_its_own_complete_download(session: Session) -> None:
    tracker = session.tracker
    begun = {}
    for key in NORMAL:
        cursor = tracker.mark()
        session.click(key)
        info = tracker.wait_begin(cursor, timeout=10)
        assert info is not None, key
        assert info.seq == cursor + 1
        assert info.suggested_filename == FILES[key].name  # RFC 5987 decoded exactly, 250 bytes too
        assert info.url == f"{session.url}/file/{key}"
        assert info.path == session.staging / info.guid
        begun[key] = info
    assert len(FILES["long"].name.encode()) == 250
    assert begun["dup1"].guid != begun["dup2"].guid
    assert begun["dup1"].suggested_filename == begun["dup2"].suggested_filename

    reports: list[tuple[FileBytes, ...]] = []
    outcome = tracker.wait_done(
        [i.guid for i in begun.values()], stall_timeout=10, on_progress=reports.append
    )
    seen = [bytes_in(files) for files in reports]
    assert not outcome.stalled and not outcome.canceled and not outcome.interrupted
    assert [i.guid for i in outcome.completed] == [i.guid for i in begun.values()]
    for key, info in zip(NORMAL, outcome.completed, strict=True):
        assert info.state == COMPLETED
        assert info.path == session.staging / info.guid
        data = info.path.read_bytes()
        assert sha(data) == sha(FILES[key].body), key
        assert info.received_bytes == len(FILES[key].body)
    by_key = dict(zip(NORMAL, outcome.completed, strict=True))
    assert by_key["zero"].path.stat().st_size == 0
    assert by_key["slow"].total_bytes == len(FILES["slow"].body), "unknown until complete, then known"
    assert by_key["plain"].total_bytes == len(FILES["plain"].body)
    assert by_key["dup1"].path.read_bytes() != by_key["dup2"].path.read_bytes()
    assert seen == sorted(seen) and seen[-1] == sum(len(FILES[k].body) for k in NORMAL)
    assert sorted(p.name for p in session.staging.iterdir()) == sorted(i.guid for i in outcome.completed)
    if session.pref_dir is not None:
        assert list(session.pref_dir.iterdir()) == [], "chromedriver's download directory did not win"


def test_stalled_download_is_reported_then_canceled(session: Session) -> None:
    tracker = session.tracker
    cursor = tracker.mark()
    session.click("stall")
    info = tracker.wait_begin(cursor, timeout=10)
    assert info is not None and info.suggested_filename == "travado.bin"
    # When a stall is declared is the download book's rule, proven on a scripted clock
    # (tests/unit/test_download_book.py); here: the browser's own stalled download is the one reported.
    outcome = tracker.wait_done([info.guid], stall_timeout=2.0)
    assert [i.guid for i in outcome.stalled] == [info.guid] and not outcome.interrupted
    assert outcome.stalled[0].state == IN_PROGRESS

    tracker.cancel(info.guid)
    outcome = tracker.wait_done([info.guid], stall_timeout=10)
    assert [i.guid for i in outcome.canceled] == [info.guid]
    deadline = time.monotonic() + 5
    while info.partial_path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the canceled event may come before the partial file is deleted
    assert not info.path.exists() and not info.partial_path.exists()
    tracker.cancel(info.guid)  # again, and for a guid the browser never had: best effort, no error
    tracker.cancel("00000000-0000-0000-0000-000000000000")


def test_download_cut_off_by_the_server_is_canceled(session: Session) -> None:
    """Chromium retries a cut-off download on its own, then gives it up as canceled: no stall wait."""
    cursor = session.tracker.mark()
    session.click("cut")
    info = session.tracker.wait_begin(cursor, timeout=10)
    assert info is not None
    # A stall timeout beyond the test's own limit: only the browser's verdict can end this wait.
    outcome = session.tracker.wait_done([info.guid], stall_timeout=3600)
    assert [i.guid for i in outcome.canceled] == [info.guid] and not outcome.stalled


def test_click_that_starts_nothing(session: Session) -> None:
    cursor = session.tracker.mark()
    session.click("noop")
    assert session.tracker.wait_begin(cursor, timeout=1.5) is None  # (a wait past it would hang the test)


def test_one_click_two_downloads_in_order(session: Session) -> None:
    tracker = session.tracker
    cursor = tracker.mark()
    session.click("both")
    first = tracker.wait_begin(cursor, timeout=10)
    assert first is not None
    second = tracker.wait_begin(first.seq, timeout=10)
    assert second is not None and second.guid != first.guid
    assert {first.suggested_filename, second.suggested_filename} == {FILES["dup1"].name, FILES["plain"].name}
    outcome = tracker.wait_done([first.guid, second.guid], stall_timeout=10)
    assert len(outcome.completed) == 2
    assert tracker.wait_begin(second.seq, timeout=0.5) is None


def test_behaviour_holds_in_new_tabs_and_new_folders(session: Session) -> None:
    """chromedriver sets no download behaviour of its own on new tabs, with or without the pref."""
    session.driver.switch_to.new_window("tab")
    session.driver.get(f"{session.url}/page")
    cursor = session.tracker.mark()
    session.click("plain")
    info = session.tracker.wait_begin(cursor, timeout=10)
    assert info is not None
    assert (
        session.tracker.wait_done([info.guid], stall_timeout=10).completed[0].path
        == session.staging / info.guid
    )

    other = session.staging.parent / "second-staging"
    other.mkdir()
    session.tracker.set_download_dir(other)
    cursor = session.tracker.mark()
    session.click("dup2")
    info = session.tracker.wait_begin(cursor, timeout=10)
    assert info is not None and info.path == other / info.guid
    done = session.tracker.wait_done([info.guid], stall_timeout=10).completed
    assert done and done[0].path.read_bytes() == FILES["dup2"].body


@pytest.mark.expect_log(
    "po_downloader.engine.browser.download_book",
    r"download \S+ was saved as .*elsewhere.*another DevTools client changed the download behaviour",
)
def test_another_client_overriding_behaviour_is_seen_and_undone(session: Session) -> None:
    """The behaviour is per browser, last setter wins; the completed event says where the file went."""
    elsewhere = session.staging.parent / "elsewhere"
    elsewhere.mkdir()
    session.driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(elsewhere)}
    )
    cursor = session.tracker.mark()
    session.click("plain")
    info = session.tracker.wait_begin(cursor, timeout=10)
    assert info is not None
    done = session.tracker.wait_done([info.guid], stall_timeout=10).completed
    assert done and done[0].path == elsewhere / FILES["plain"].name
    assert done[0].path.read_bytes() == FILES["plain"].body

    session.tracker.set_download_dir(session.staging)
    cursor = session.tracker.mark()
    session.click("plain")
    info = session.tracker.wait_begin(cursor, timeout=10)
    assert info is not None
    done = session.tracker.wait_done([info.guid], stall_timeout=10).completed
    assert done and done[0].path == session.staging / info.guid


def kill_browser(driver: WebDriver) -> None:
    """SIGKILL the browser chromedriver started (by its PID, never by name): a crash, not a quit."""
    for child in psutil.Process(driver.service.process.pid).children():  # type: ignore[attr-defined]
        child.kill()


@pytest.mark.parametrize("how", ["quit", "kill"])
@pytest.mark.expect_log("po_downloader.engine.browser.cdp_downloads", r"DevTools connection lost")
def test_browser_gone_ends_waits(server: str, tmp_path: Path, how: str) -> None:
    driver = start_browser(tmp_path, None)
    tracker = None
    ender = threading.Timer(
        0.5, driver.quit if how == "quit" else kill_browser, args=() if how == "quit" else (driver,)
    )
    try:
        address = debugger_address(driver)
        assert address
        tracker = DownloadTracker.connect(address, tmp_path)
        driver.get(f"{server}/page")
        driver.find_element(By.ID, "b-stall").click()
        info = tracker.wait_begin(0, timeout=10)
        assert info is not None
        ender.start()
        # A stall timeout beyond the test's own limit: the wait can only end with the browser.
        outcome = tracker.wait_done([info.guid], stall_timeout=3600)
        assert not outcome.completed
        if how == "quit":
            # A clean quit cancels downloads in progress before the connection goes.
            assert [i.guid for i in outcome.canceled + outcome.stalled] == [info.guid]
        else:
            assert outcome.interrupted and [i.guid for i in outcome.stalled] == [info.guid]
        ender.join()
        deadline = time.monotonic() + 10
        while tracker.alive and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not tracker.alive
        # A timeout beyond the test's own limit: it returns only because the tracker is gone.
        assert tracker.wait_begin(tracker.mark(), timeout=3600) is None
    finally:
        if tracker is not None:
            tracker.close()
        ender.cancel()
        ender.join()
        try:
            driver.quit()
        except WebDriverException:
            pass  # already quit, or the browser was killed
