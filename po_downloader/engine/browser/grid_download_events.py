"""What a remote browser says of each of its downloads (WebDriver BiDi through the Grid): the URL it came
from, the name the site suggested for it, and how it ended.

The node's listing holds names only, and a name proves nothing: a sign-in page served for an attachment's
URL lands as ``SSO.html`` like any file. The local route knows each download's URL from DevTools events;
on a Grid the same proof comes from BiDi's ``browsingContext.downloadWillBegin``/``downloadEnd``, which
pass through the Grid's websocket. The browser is also told (DevTools ``Browser.setDownloadBehavior``
``allowAndName`` through the Grid) to save each download under its id, as the local route does: Chromium
cannot create ``NAME.crdownload`` for a name of 245+ bytes and cancels it, so a long attachment name
would never land on the node. The node's folder (for that command) is read from a tiny probe download.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.bidi.session import Session

log = logging.getLogger(__name__)

WILL_BEGIN = "browsingContext.downloadWillBegin"
END = "browsingContext.downloadEnd"
PROBE_NAME = "po-downloader-probe.bin"
_PROBE = (
    "const a = document.createElement('a'); a.href = 'data:application/octet-stream,probe';"
    "a.download = arguments[0]; (document.body || document.documentElement).appendChild(a);"
    "a.click(); a.remove();"
)


@dataclass(frozen=True)
class NodeDownload:
    """One download of the remote browser: ``status`` is "" while it runs, then "complete" or "canceled";
    ``file_path`` is its file's path on the node (named by its id once downloads are named by id)."""

    id: str
    url: str
    suggested_filename: str
    status: str = ""
    file_path: str = ""

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.file_path).name if self.file_path else ""


def read_event(method: str, params: Mapping[str, Any], known: NodeDownload | None) -> NodeDownload | None:
    """The download as one BiDi event leaves it (pure); None for an event that names no download."""
    download_id = str(params.get("download") or "")
    if not download_id:
        return None
    url = str(params.get("url") or (known.url if known else ""))
    if method == WILL_BEGIN:
        name = str(params.get("suggestedFilename") or "")
        return NodeDownload(download_id, url, name, file_path=known.file_path if known else "")
    if method == END:
        filepath = str(params.get("filepath") or "")
        base = known or NodeDownload(download_id, url, "")
        return replace(
            base,
            url=url,
            status=str(params.get("status") or "canceled"),
            file_path=filepath or base.file_path,
        )
    return None


class _Listen:
    """What Selenium's BiDi websocket needs to route one event to us: its name and a reader of its params."""

    def __init__(self, method: str) -> None:
        self.event_class = method

    def from_json(self, params: dict[str, Any]) -> dict[str, Any]:
        return params


class DownloadEvents:
    """The remote browser's downloads as its BiDi events told them (written by the websocket's thread)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[str, NodeDownload] = {}
        self.clock = clock
        self.sleep = sleep

    def record(self, method: str, params: Mapping[str, Any]) -> None:
        download_id = str(params.get("download") or "")
        with self._lock:
            got = read_event(method, params, self._by_id.get(download_id))
            if got is not None:
                self._by_id[got.id] = got

    def ended_as(self, file_name: str) -> NodeDownload | None:
        """The ended download whose file on the node is ``file_name``."""
        with self._lock:
            for download in self._by_id.values():
                if download.status and file_name in (download.file_name, download.id):
                    return download
        return None

    def wait_end(self, file_name: str, timeout: float) -> NodeDownload | None:
        """The ended download of ``file_name``: its end event may come a moment after the file is whole."""
        deadline = self.clock() + timeout
        while True:
            got = self.ended_as(file_name)
            if got is not None or self.clock() >= deadline:
                return got
            self.sleep(0.05)

    def forget(self) -> None:
        with self._lock:
            self._by_id.clear()


def watch_downloads(driver: Any, *, timeout: float = 10.0) -> DownloadEvents | None:
    """Listen to the remote browser's download events and have it name its downloads by id; None (the route
    then reads the node's names alone) where the session offers no BiDi or the browser would not."""
    if not driver.capabilities.get("webSocketUrl"):
        return None
    events = DownloadEvents()
    try:
        driver.browsing_context  # noqa: B018 - opens the session's BiDi websocket
        connection = driver._websocket_connection
        Session(connection).subscribe([WILL_BEGIN, END])
        for method in (WILL_BEGIN, END):
            connection.add_callback(_Listen(method), lambda params, m=method: events.record(m, params))
        driver.execute_script(_PROBE, PROBE_NAME)
        probe = events.wait_end(PROBE_NAME, timeout)
        folder = _folder_of(probe)
        if folder is None:
            log.info("the Grid browser's probe download did not land: its downloads keep their names")
            return None
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior",
            {"behavior": "allowAndName", "downloadPath": folder, "eventsEnabled": True},
        )
        driver.delete_downloadable_files()
    except (WebDriverException, OSError, ValueError, KeyError, AttributeError) as exc:
        log.info("the Grid browser's download events are not available (%s)", type(exc).__name__)
        return None
    events.forget()
    return events


def _folder_of(probe: NodeDownload | None) -> str | None:
    """The node's download folder, from the probe's file (None unless it landed under its own name)."""
    if probe is None or probe.status != "complete" or probe.file_name != PROBE_NAME:
        return None
    return str(PurePosixPath(probe.file_path).parent)
