"""A real Chromium signs in on a source profile; browsers started on two copies of it are still signed in."""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from po_downloader.engine.browser.profile_copy import SourceProfile, browser_switches_to_exclude, copy_profile
from po_downloader.engine.system.processes import ProcRef, descendants, end_processes, is_alive, proc_ref
from tests.helpers.chromium import chromium_options, needs_debian_chromium, start_chromium

pytestmark = [pytest.mark.browser, needs_debian_chromium]


@dataclass
class SignInServer:
    """Sets a persistent session cookie and a localStorage value on /signin; records every Cookie header."""

    token: str
    seen: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def cookies_for(self, path: str) -> list[str]:
        with self.lock:
            return [cookie for seen_path, cookie in self.seen if seen_path == path]


def handler_for(state: SignInServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with state.lock:
                state.seen.append((self.path, self.headers.get("Cookie", "")))
            if self.path == "/favicon.ico":
                self.send_error(404)
                return
            script = ""
            self.send_response(200)
            if self.path == "/signin":
                self.send_header("Set-Cookie", f"session={state.token}; Max-Age=86400; Path=/; HttpOnly")
                script = f"<script>localStorage.setItem('session', '{state.token}')</script>"
            body = f"<!doctype html><title>portal</title><p>{self.path}</p>{script}".encode()
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[SignInServer]:
    state = SignInServer(token=uuid.uuid4().hex)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, name="sign-in-server", daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@dataclass
class Browsers:
    """Starts browsers and remembers chromedriver and every process below it, to prove none is left."""

    refs: list[ProcRef] = field(default_factory=list)

    def start(self, user_data_dir: Path, source: SourceProfile) -> WebDriver:
        options = chromium_options(user_data_dir)
        options.add_argument(f"--profile-directory={source.profile_name}")
        options.add_experimental_option("excludeSwitches", browser_switches_to_exclude(source))
        driver = start_chromium(options)
        assert len(self.track(driver)) > 2, "chromedriver should have started a browser with helpers"
        return driver

    def track(self, driver: WebDriver) -> list[ProcRef]:
        """Remember chromedriver and every process now below it (renderers come and go with pages)."""
        driver_ref = proc_ref(driver.service.process.pid)
        assert driver_ref is not None
        tree = [driver_ref, *descendants(driver_ref)]
        self.refs.extend(ref for ref in tree if ref not in self.refs)
        return tree

    def quit(self, driver: WebDriver) -> None:
        self.track(driver)
        driver.quit()

    def alive(self) -> list[ProcRef]:
        return [ref for ref in self.refs if is_alive(ref)]


@pytest.fixture
def browsers() -> Iterator[Browsers]:
    tracker = Browsers()
    yield tracker
    end_processes(tracker.refs, timeout=5)  # only matters when a test failed half-way


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    state = {}
    for directory, _dirs, names in os.walk(root):
        for name in names:
            path = Path(directory, name)
            info = path.lstat()
            content = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            state[path.relative_to(root).as_posix()] = (hashlib.sha256(content).hexdigest(), info.st_mtime_ns)
    return state


def test_copies_of_a_signed_in_profile_stay_signed_in(
    tmp_path: Path, server: SignInServer, browsers: Browsers
) -> None:
    source = SourceProfile(tmp_path / "source", "Default", own=True)
    signer = browsers.start(source.user_data_dir, source)
    signer.get(server.url("/signin"))
    assert signer.execute_script("return localStorage.getItem('session')") == server.token
    signer.get(server.url("/after-signin"))
    assert server.cookies_for("/after-signin") == [f"session={server.token}"]
    browsers.quit(signer)  # a clean quit writes the cookies to disk
    assert wait_until(lambda: not browsers.alive()), f"left running: {browsers.alive()}"

    before = snapshot(source.user_data_dir)
    copies = [copy_profile(source, tmp_path / "copies" / f"w{n}", sqlite_timeout=2.0) for n in (1, 2)]
    assert snapshot(source.user_data_dir) == before
    for result in copies:
        assert (result.user_data_dir / "Default" / "Cookies").is_file()
        assert not list(result.user_data_dir.rglob("Singleton*"))
        assert not (result.user_data_dir / "Default" / "Cache").exists()

    workers = [browsers.start(result.user_data_dir, source) for result in copies]
    for number, worker in enumerate(workers, start=1):
        worker.get(server.url(f"/work/{number}"))
        assert server.cookies_for(f"/work/{number}") == [f"session={server.token}"]
        assert worker.execute_script("return localStorage.getItem('session')") == server.token

    for worker in workers:
        browsers.quit(worker)
    assert wait_until(lambda: not browsers.alive()), f"left running: {browsers.alive()}"
    assert snapshot(source.user_data_dir) == before


IDB_PUT = """
const [token, done] = arguments;
const open = indexedDB.open('portal', 1);
open.onupgradeneeded = () => open.result.createObjectStore('kv');
open.onsuccess = () => {
  const tx = open.result.transaction('kv', 'readwrite');
  tx.objectStore('kv').put(token, 'session');
  tx.oncomplete = () => { open.result.close(); done(true); };
};
open.onerror = () => done(false);
"""
IDB_GET = """
const done = arguments[0];
const open = indexedDB.open('portal', 1);
open.onupgradeneeded = () => open.result.createObjectStore('kv');
open.onsuccess = () => {
  const get = open.result.transaction('kv').objectStore('kv').get('session');
  get.onsuccess = () => done(get.result === undefined ? null : get.result);
};
open.onerror = () => done(null);
"""


def test_a_copy_for_the_portal_keeps_its_indexed_db_and_leaves_other_sites(
    tmp_path: Path, server: SignInServer, browsers: Browsers
) -> None:
    """A real profile's other sites' IndexedDB (mail, chat: hundreds of MB) stays behind; the portal's own
    travels, and the browser on the copy reads it back, still signed in."""
    source = SourceProfile(tmp_path / "source", "Default", own=True)
    signer = browsers.start(source.user_data_dir, source)
    signer.get(server.url("/signin"))
    assert signer.execute_async_script(IDB_PUT, server.token) is True
    browsers.quit(signer)
    assert wait_until(lambda: not browsers.alive()), f"left running: {browsers.alive()}"
    other = source.profile_dir / "IndexedDB" / "https_outlook.office.com_0.indexeddb.leveldb"
    other.mkdir(parents=True)
    (other / "000005.ldb").write_bytes(b"mail" * 1000)

    result = copy_profile(source, tmp_path / "copy", portal_url=server.url("/"))

    kept = {p.name for p in (result.user_data_dir / "Default" / "IndexedDB").iterdir()}
    assert kept and all(name.startswith(f"http_127.0.0.1_{server.port}.") for name in kept), kept
    worker = browsers.start(result.user_data_dir, source)
    worker.get(server.url("/work/idb"))
    assert server.cookies_for("/work/idb") == [f"session={server.token}"]
    assert worker.execute_async_script(IDB_GET) == server.token
    browsers.quit(worker)
    assert wait_until(lambda: not browsers.alive()), f"left running: {browsers.alive()}"
