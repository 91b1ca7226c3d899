"""Stand-ins for DevTools: the events Chromium sends, a socket that answers like it, a fake clock and disk."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from po_downloader.engine.browser.cdp_downloads import DownloadTracker
from po_downloader.engine.browser.download_book import IN_PROGRESS


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeDisk:
    def __init__(self) -> None:
        self.sizes: dict[Path, int] = {}

    def __call__(self, path: Path) -> int | None:
        return self.sizes.get(path)


def begin(guid: str, name: str = "a.pdf", url: str = "http://x/f") -> dict:
    return {
        "method": "Browser.downloadWillBegin",
        "params": {"frameId": "F", "guid": guid, "url": url, "suggestedFilename": name},
    }


def progress(guid: str, received: int, total: int = 100, state: str = IN_PROGRESS, **extra: object) -> dict:
    params = {"guid": guid, "receivedBytes": received, "totalBytes": total, "state": state, **extra}
    return {"method": "Browser.downloadProgress", "params": params}


class FakeSocket:
    """Answers commands like Chromium and lets the test push events or kill the connection."""

    def __init__(self, refuse: str | None = None) -> None:
        self.refuse = refuse
        self.sent: list[dict] = []
        self._inbox: list[str] = []
        self._cond = threading.Condition()
        self._dead = False

    def push(self, message: dict) -> None:
        with self._cond:
            self._inbox.append(json.dumps(message))
            self._cond.notify_all()

    def die(self) -> None:
        with self._cond:
            self._dead = True
            self._cond.notify_all()

    def send(self, payload: str) -> None:
        message = json.loads(payload)
        self.sent.append(message)
        if message["method"] == self.refuse:
            self.push({"id": message["id"], "error": {"code": -32000, "message": "nope"}})
        else:
            self.push({"id": message["id"], "result": {}})

    def recv(self) -> str:
        with self._cond:
            self._cond.wait_for(lambda: self._inbox or self._dead)
            if self._inbox:
                return self._inbox.pop(0)
            raise ConnectionResetError("gone")

    def send_close(self) -> None:
        pass

    def abort(self) -> None:
        self.die()

    def shutdown(self) -> None:
        pass


def fake_tracker(sock: FakeSocket, tmp_path: Path) -> DownloadTracker:
    tracker = DownloadTracker(sock, tmp_path, timeout=1.0)  # type: ignore[arg-type]
    tracker._reader.start()
    tracker.set_download_dir(tmp_path)
    return tracker
