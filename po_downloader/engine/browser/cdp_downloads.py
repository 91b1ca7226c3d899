"""Knowing which click started which download, and when its bytes are all on disk, from DevTools events.

Watching the staging folder cannot tell two files of the same name apart, nor which click made a file,
and Chromium cannot even create ``NAME.crdownload`` for names of 245+ bytes. With
``Browser.setDownloadBehavior {behavior: "allowAndName", eventsEnabled: true}`` Chromium instead saves
each download as ``<downloadPath>/<guid>`` (``<guid>.crdownload`` while in progress) and reports
``Browser.downloadWillBegin`` (guid, url, suggested file name) and ``Browser.downloadProgress`` (bytes,
state; ``filePath`` once completed); the caller names the final file itself.

Selenium's CDP helpers cannot receive events as they happen, so this module opens its own websocket to
the browser target (``http://<debuggerAddress>/json/version``); chromedriver stays connected too. It has
no Selenium import: ``launch.debugger_address(driver)`` supplies the address. This module is the socket
and its reader thread; what the events mean is ``download_book`` (and which attachment a download is
``download_pairing``), pure and tested without a socket.

What Chromium 156 + chromedriver 156 do (``tests/integration/test_cdp_downloads_browser.py``):

* chromedriver does not set a download behaviour of its own with ``--headless=new``, with or without the
  ``download.default_directory`` pref, so ours stays in force for the whole session and every tab.
* The behaviour is one per browser context, last setter wins: if any client (``driver.execute_cdp_cmd``
  with ``Page``/``Browser.setDownloadBehavior``, another tracker) sets it, files go there under their
  suggested names while events still reach us. ``DownloadInfo.path`` follows the ``filePath`` of the
  completed event, so it is right either way; ``set_download_dir`` puts ours back.
* When a client that set a behaviour disconnects, Chromium resets the behaviour to the profile's default
  (the ``download.default_directory`` pref, suggested names) for everyone: close the tracker only when the
  browser's downloads no longer matter, and never run two trackers on one browser.
* A download cut off by the server is retried by Chromium itself (five more GETs within ~0.5 s), then
  reported ``canceled``, like one canceled on purpose: ``receivedBytes`` 0, the partial file deleted,
  sometimes only just after the event. A server that just stops sending stays ``inProgress`` until the
  stall timeout. A clean ``driver.quit()`` cancels downloads in
  progress; a killed browser just drops the connection (waits then end ``interrupted``).
* ``downloadProgress`` comes about every 0.5 s, often repeating itself; ``downloadWillBegin`` comes once
  the response headers are in (~75 ms after a click here); the download folder is created if missing.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

import websocket

from po_downloader.engine.browser.download_book import (
    IN_PROGRESS,
    DoneWatch,
    DownloadBook,
    DownloadInfo,
    Verdict,
    WaitOutcome,
)
from po_downloader.engine.events import OnProgress
from po_downloader.engine.system.display import url_for_record

log = logging.getLogger(__name__)


class CdpUnavailable(Exception):
    """No DevTools address, no connection, or the browser refused or did not answer a command."""


def _split_address(address: str) -> tuple[str, int]:
    host, sep, port = address.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit():
        raise CdpUnavailable(f"not a DevTools address: {address!r}")
    return host, int(port)


def _open_socket(host: str, port: int, timeout: float) -> socket.socket:
    """A direct TCP connection, never through an ``http_proxy`` from the environment.

    ``localhost`` is tried as 127.0.0.1 first: Chromium listens on IPv4 only, and a refused ``::1``
    costs seconds on Windows.
    """
    hosts = ["127.0.0.1", host] if host == "localhost" else [host]
    error: OSError | None = None
    for name in hosts:
        try:
            sock = socket.create_connection((name, port), timeout=timeout)
        except OSError as exc:
            error = exc
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise CdpUnavailable(f"cannot connect to DevTools at {host}:{port}: {error}")


def browser_websocket_url(address: str, *, timeout: float = 5.0) -> str:
    """The browser target's websocket URL, from ``/json/version`` on the DevTools address."""
    host, port = _split_address(address)
    if host == "localhost":
        host = "127.0.0.1"
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # DevTools is local: no proxy
    try:
        with opener.open(f"http://{netloc}/json/version", timeout=timeout) as response:
            version = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as exc:  # URLError and socket timeouts are OSErrors
        raise CdpUnavailable(f"no DevTools endpoint at {address}: {exc}") from exc
    url = version.get("webSocketDebuggerUrl") if isinstance(version, dict) else None
    if not isinstance(url, str) or not url.startswith("ws"):
        raise CdpUnavailable(f"DevTools at {address} reported no browser websocket")
    return url


class DownloadTracker:
    """One DevTools connection to a browser that names its downloads by guid and reports on each.

    A daemon thread reads events into a ``DownloadBook``; callers wait on a condition. If the socket dies
    (browser gone) ``alive`` turns False and every wait returns at once instead of hanging.
    """

    def __init__(self, ws: websocket.WebSocket, download_dir: Path, *, timeout: float) -> None:
        """Use ``connect``; this only wires up an already open websocket."""
        self._ws = ws
        self._timeout = timeout
        self._cond = threading.Condition(threading.Lock())
        self._send_lock = threading.Lock()
        self._book = DownloadBook(_absolute(download_dir))
        self._waiting: set[int] = set()
        self._replies: dict[int, dict[str, Any]] = {}
        self._next_id = 0
        self._alive = True
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, name="cdp-downloads", daemon=True)

    @classmethod
    def connect(cls, debugger_address: str, download_dir: Path, *, timeout: float = 5.0) -> DownloadTracker:
        """Connect, and have the browser save downloads as ``download_dir/<guid>`` with events on."""
        if not debugger_address:
            raise CdpUnavailable("the driver reported no DevTools address")
        started = time.monotonic()
        url = browser_websocket_url(debugger_address, timeout=timeout)
        host, port = _split_address(debugger_address)
        sock = _open_socket(host, port, timeout)
        try:
            # Chromium refuses websocket handshakes that carry a foreign Origin header.
            ws = websocket.create_connection(url, socket=sock, suppress_origin=True, timeout=timeout)
        except (OSError, websocket.WebSocketException) as exc:
            sock.close()
            raise CdpUnavailable(
                f"DevTools websocket handshake with {debugger_address} failed: {exc}"
            ) from exc
        ws.settimeout(None)  # the reader blocks until an event or close(); commands time out on the condition
        tracker = cls(ws, download_dir, timeout=timeout)
        tracker._reader.start()
        try:
            tracker.set_download_dir(download_dir)
        except CdpUnavailable:
            tracker.close()
            raise
        log.debug(
            "DevTools download tracking on %s in %.0f ms",
            debugger_address,
            (time.monotonic() - started) * 1000,
        )
        return tracker

    def __enter__(self) -> DownloadTracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        with self._cond:
            return self._alive

    def set_download_dir(self, path: Path) -> None:
        """(Re)assert our behaviour for ``path``: also the cure after another client changed it."""
        path = _absolute(path)
        self._command(
            "Browser.setDownloadBehavior",
            {"behavior": "allowAndName", "downloadPath": str(path), "eventsEnabled": True},
        )
        with self._cond:
            self._book.download_dir = path

    def mark(self) -> int:
        """A cursor to pass to ``wait_begin``: take it before the click."""
        with self._cond:
            return self._book.latest_seq

    def wait_begin(
        self, after: int, timeout: float, accept: Callable[[DownloadInfo], bool] | None = None
    ) -> DownloadInfo | None:
        """The first download that began after cursor ``after`` and that ``accept`` takes (any, without
        it), or None if none began within ``timeout``. ``accept`` runs under the lock: keep it pure.

        For a click that starts several downloads, call again with ``after=info.seq``. Chromium reports a
        download once the response headers are in, so ``timeout`` must cover the server's response time.
        """
        found: list[DownloadInfo] = []

        def taken() -> bool:
            first = next((i for i in self._book.began_after(after) if accept is None or accept(i)), None)
            if first is not None:
                found.append(first)
            return first is not None or not self._alive

        with self._cond:
            self._cond.wait_for(taken, timeout)
            return found[0] if found else None

    def info(self, guid: str) -> DownloadInfo | None:
        with self._cond:
            return self._book.get(guid)

    def wait_done(
        self,
        guids: Sequence[str],
        *,
        stall_timeout: float,
        give_up: Callable[[], bool] | None = None,
        on_progress: OnProgress | None = None,
        poll: float = 0.1,
    ) -> WaitOutcome:
        """Wait until each download is completed (whole on disk) or canceled, or progress stalls.

        ``give_up`` is asked after each second without progress (a click that led to a sign-in page will
        never finish). ``on_progress`` gets the bytes received so far whenever that number changes. Both
        run outside the lock, so they may call Selenium. A guid that never began here is a ValueError.
        """
        with self._cond:
            unknown = [guid for guid in guids if self._book.get(guid) is None]
        if unknown:
            raise ValueError(f"no such download: {', '.join(unknown)}")
        watch = DoneWatch(guids, stall_timeout=stall_timeout)
        reported: int | None = None
        while True:
            with self._cond:
                infos = {guid: self._book.get(guid) for guid in watch.guids}
                alive = self._alive
            known: dict[str, DownloadInfo] = {g: i for g, i in infos.items() if i is not None}
            look = watch.look(known)
            if on_progress is not None and look.received != reported:
                reported = look.received
                on_progress(look.files)
            if look.verdict is Verdict.DONE:
                return watch.outcome(known, interrupted=False)
            if not alive:
                log.info("DevTools connection lost while waiting for %d download(s)", len(watch.guids))
                return watch.outcome(known, interrupted=True)
            if look.verdict is Verdict.STALLED:
                return watch.outcome(known, interrupted=False)
            if look.verdict is Verdict.ASK and give_up is not None and give_up():
                return watch.outcome(known, interrupted=True)
            with self._cond:
                self._cond.wait(poll)  # an event wakes us early

    def __len__(self) -> int:
        """Records held (see ``DownloadBook.__len__``): bounded when each PO ends with ``end_round``."""
        with self._cond:
            return len(self._book)

    def end_round(self, keep: Collection[str]) -> tuple[DownloadInfo, ...]:
        """A PO's downloads are settled: drop every download not in ``keep``, forget them all.

        A dropped download still in progress is cancelled; one that completed into our folder (named by
        its guid, so never a file the user or another program named) is deleted. Those in ``keep`` are
        the caller's: their files stay where ``DownloadInfo.path`` says. Returns the dropped ones.
        """
        with self._cond:
            infos = self._book.all()
        dropped = tuple(info for info in infos if info.guid not in keep)
        for info in dropped:
            if info.state == IN_PROGRESS:
                self.cancel(info.guid)
            if info.path.name == info.guid:
                for path in (info.path, info.partial_path):
                    try:
                        path.unlink(missing_ok=True)
                    except OSError as exc:  # the browser may still hold it (Windows): staging is ours
                        log.debug("could not remove dropped download %s: %s", path, exc)
            log.info(
                "dropped download %r from %s: no attachment is credited with it",
                info.suggested_filename,
                url_for_record(info.url),
            )
        with self._cond:
            self._book.forget([info.guid for info in infos])
        return dropped

    def cancel(self, guid: str) -> None:
        """Ask the browser to drop a download (best effort: it may have finished or gone meanwhile)."""
        try:
            self._command("Browser.cancelDownload", {"guid": guid})
        except CdpUnavailable as exc:
            log.debug("cancel of download %s: %s", guid, exc)

    def close(self) -> None:
        """Disconnect; Chromium then resets the download behaviour to the profile's default."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
        try:
            with self._send_lock:
                self._ws.send_close()
        except (OSError, websocket.WebSocketException):
            pass
        self._ws.abort()  # wakes the reader out of recv()
        if self._reader.is_alive() and self._reader is not threading.current_thread():
            self._reader.join(timeout=1.0)
        self._ws.shutdown()
        self._mark_dead("closed")

    def _command(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            if not self._alive:
                raise CdpUnavailable(f"{method}: the DevTools connection is closed")
            self._next_id += 1
            command_id = self._next_id
            self._waiting.add(command_id)
        try:
            try:
                with self._send_lock:
                    self._ws.send(json.dumps({"id": command_id, "method": method, "params": params}))
            except (OSError, websocket.WebSocketException) as exc:
                self._mark_dead(f"send failed: {exc}")
                raise CdpUnavailable(f"{method}: {exc}") from exc
            with self._cond:
                self._cond.wait_for(lambda: command_id in self._replies or not self._alive, self._timeout)
                reply = self._replies.pop(command_id, None)
        finally:
            with self._cond:
                self._waiting.discard(command_id)
        if reply is None:
            if not self.alive:
                raise CdpUnavailable(f"{method}: the DevTools connection closed")
            raise CdpUnavailable(f"{method}: no reply within {self._timeout:g} s")
        error = reply.get("error")
        if error is not None:
            message = error.get("message") if isinstance(error, dict) else error
            raise CdpUnavailable(f"{method} refused: {message}")
        result = reply.get("result")
        return result if isinstance(result, dict) else {}

    def _read_loop(self) -> None:
        reason = "the browser closed the DevTools connection"
        try:
            while True:
                raw = self._ws.recv()
                if not raw:
                    break  # close frame
                self._dispatch(raw)
        except (OSError, websocket.WebSocketException) as exc:
            reason = f"DevTools connection lost: {exc or type(exc).__name__}"
        except Exception:
            log.exception("DevTools reader failed")
            reason = "DevTools reader failed"
        finally:
            self._mark_dead(reason)

    def _dispatch(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            log.warning("DevTools sent a message that is not JSON (%d bytes)", len(raw))
            return
        if not isinstance(message, dict):
            return
        with self._cond:
            command_id = message.get("id")
            if command_id is not None:
                if isinstance(command_id, int) and command_id in self._waiting:
                    self._replies[command_id] = message
                    self._cond.notify_all()
            elif self._book.apply(message):
                self._cond.notify_all()

    def _mark_dead(self, reason: str) -> None:
        with self._cond:
            if not self._alive:
                return
            self._alive = False
            closing = self._closed
            self._cond.notify_all()
        if closing:
            log.debug("DevTools download tracking stopped")
        else:
            log.warning("%s", reason)


def _absolute(path: Path) -> Path:
    """Chromium resolves a relative download path against its own working directory, not ours."""
    return Path(os.path.abspath(path))
