"""What DevTools said about a browser's downloads, and when a wait for some of them is over: pure.

``cdp_downloads.DownloadTracker`` feeds ``DownloadBook`` the ``Browser.downloadWillBegin`` and
``Browser.downloadProgress`` events from its socket thread and asks ``DoneWatch`` whether to keep waiting;
neither touches a socket or a clock of its own, so their tests feed plain dicts and a fake clock.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from po_downloader.engine.events import FileBytes, bytes_in
from po_downloader.engine.system.display import url_for_record

log = logging.getLogger(__name__)

IN_PROGRESS = "inProgress"
COMPLETED = "completed"
CANCELED = "canceled"
STATES = frozenset((IN_PROGRESS, COMPLETED, CANCELED))
PARTIAL_SUFFIX = ".crdownload"
GIVE_UP_EVERY = 1.0
"""Seconds without progress between two calls of ``give_up``: asking may cost a WebDriver round trip."""
FORGOTTEN_KEPT = 1024
"""Forgotten downloads remembered by guid, so that their late events are dropped, not kept."""
MAX_EARLY = 64


@dataclass(frozen=True)
class DownloadInfo:
    guid: str
    url: str
    suggested_filename: str
    state: str
    """``inProgress``, ``completed`` or ``canceled``."""
    received_bytes: int
    total_bytes: int
    """0 when the server sent no length."""
    seq: int
    """Order in which ``downloadWillBegin`` arrived, from 1, per tracker."""
    path: Path
    """Where the file is: ``download_dir / guid``, or the ``filePath`` Chromium reported on completion."""

    @property
    def partial_path(self) -> Path:
        return self.path.with_name(self.path.name + PARTIAL_SUFFIX)


@dataclass(frozen=True)
class WaitOutcome:
    completed: tuple[DownloadInfo, ...]
    """Completed, and the file on disk has exactly ``received_bytes`` bytes."""
    canceled: tuple[DownloadInfo, ...]
    stalled: tuple[DownloadInfo, ...]
    """Not done when the wait ended: still in progress, or completed but not (yet) whole on disk."""
    interrupted: bool
    """``give_up()`` said stop, or the DevTools connection died (the browser is gone)."""


def _as_int(value: object, default: int) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


class DownloadBook:
    """What the DevTools events said so far about this browser's downloads.

    Pure bookkeeping with no lock of its own (the tracker holds one), so tests feed it plain dicts.
    """

    def __init__(self, download_dir: Path) -> None:
        self.download_dir = download_dir
        self._infos: dict[str, DownloadInfo] = {}
        """Known downloads in the order they began (dicts keep insertion order)."""
        self._seq = 0
        self._early: dict[str, Mapping[str, Any]] = {}
        self._forgotten: deque[str] = deque(maxlen=FORGOTTEN_KEPT)
        self._forgotten_set: set[str] = set()

    def __len__(self) -> int:
        """Records held: downloads plus progress events still waiting for their begin."""
        return len(self._infos) + len(self._early)

    @property
    def latest_seq(self) -> int:
        return self._seq

    def get(self, guid: str) -> DownloadInfo | None:
        return self._infos.get(guid)

    def all(self) -> tuple[DownloadInfo, ...]:
        return tuple(self._infos.values())

    def began_after(self, after: int) -> Iterator[DownloadInfo]:
        """Downloads that began after cursor ``after`` (a ``latest_seq`` taken earlier), in that order."""
        return (info for info in self._infos.values() if info.seq > after)

    def first_after(self, after: int) -> DownloadInfo | None:
        """The download that began first after cursor ``after`` (a ``latest_seq`` taken earlier)."""
        return next(self.began_after(after), None)

    def forget(self, guids: Collection[str]) -> None:
        """Drop these downloads' records: a worker lives for many POs, its bookkeeping must not grow.

        Their guids are remembered (a bounded number) so that an event arriving late is ignored.
        """
        for guid in guids:
            if self._infos.pop(guid, None) is None and self._early.pop(guid, None) is None:
                continue
            if len(self._forgotten) == self._forgotten.maxlen:
                self._forgotten_set.discard(self._forgotten[0])
            self._forgotten.append(guid)
            self._forgotten_set.add(guid)

    def apply(self, message: Mapping[str, Any]) -> bool:
        """Apply one DevTools message; True if a download's record changed."""
        params = message.get("params")
        if not isinstance(params, Mapping):
            return False
        method = message.get("method")
        if method == "Browser.downloadWillBegin":
            return self._begin(params)
        if method == "Browser.downloadProgress":
            return self._progress(params)
        return False

    def _begin(self, params: Mapping[str, Any]) -> bool:
        guid = params.get("guid")
        if not isinstance(guid, str) or not guid or guid in self._infos or guid in self._forgotten_set:
            return False
        self._seq += 1
        info = DownloadInfo(
            guid=guid,
            url=str(params.get("url") or ""),
            suggested_filename=str(params.get("suggestedFilename") or ""),
            state=IN_PROGRESS,
            received_bytes=0,
            total_bytes=0,
            seq=self._seq,
            path=self.download_dir / guid,
        )
        self._infos[guid] = info
        log.debug(
            "download %d began: %s as %r (%s)",
            info.seq,
            url_for_record(info.url),
            info.suggested_filename,
            guid,
        )
        early = self._early.pop(guid, None)
        if early is not None:
            self._progress(early)
        return True

    def _progress(self, params: Mapping[str, Any]) -> bool:
        guid = params.get("guid")
        if not isinstance(guid, str):
            return False
        info = self._infos.get(guid)
        if info is None:
            if guid in self._forgotten_set:
                return False  # a download already settled and forgotten
            # Not seen in this order so far, but a progress event must never be lost if it ever is.
            self._early.pop(guid, None)
            if len(self._early) >= MAX_EARLY:
                self._early.pop(next(iter(self._early)))
            self._early[guid] = params
            return False
        if info.state != IN_PROGRESS:
            return False  # completed and canceled are final
        state = params.get("state")
        if state not in STATES:
            log.warning("download %s: unknown state %r ignored", guid, state)
            state = info.state
        path = info.path
        file_path = params.get("filePath")
        if state == COMPLETED and isinstance(file_path, str) and file_path:
            path = Path(file_path)
            if path != info.path:
                log.warning(
                    "download %s was saved as %s, not in %s: another DevTools client changed the "
                    "download behaviour",
                    guid,
                    path,
                    info.path.parent,
                )
        new = replace(
            info,
            state=state,
            received_bytes=_as_int(params.get("receivedBytes"), info.received_bytes),
            total_bytes=_as_int(params.get("totalBytes"), info.total_bytes),
            path=path,
        )
        if new == info:
            return False
        self._infos[guid] = new
        if state != IN_PROGRESS:
            log.debug("download %d %s: %d bytes at %s", new.seq, state, new.received_bytes, new.path)
        return True


def file_size(path: Path) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def landed(info: DownloadInfo, size_of: Callable[[Path], int | None] = file_size) -> bool:
    """Completed, and all its bytes are in the file (the event may come before the disk agrees)."""
    return info.state == COMPLETED and size_of(info.path) == info.received_bytes


class Verdict(Enum):
    WAIT = "wait"
    DONE = "done"
    STALLED = "stalled"
    ASK = "ask"
    """Time to ask ``give_up()``: another second passed without progress."""


@dataclass(frozen=True)
class Look:
    verdict: Verdict
    changed: bool
    received: int
    """Bytes received so far by the downloads waited for (reported, or in the partial file if more)."""
    files: tuple[FileBytes, ...] = ()
    """The same, download by download."""


class DoneWatch:
    """Decides, from successive looks at some downloads, whether the wait is over; the clock is injected.

    Progress is any change of state, reported bytes or bytes on disk of any of them: the events come
    about twice a second, the partial file grows in between.
    """

    def __init__(
        self,
        guids: Sequence[str],
        *,
        stall_timeout: float,
        clock: Callable[[], float] = time.monotonic,
        size_of: Callable[[Path], int | None] = file_size,
        give_up_every: float = GIVE_UP_EVERY,
    ) -> None:
        self.guids = tuple(dict.fromkeys(guids))
        self._stall_timeout = stall_timeout
        self._clock = clock
        self._size_of = size_of
        self._give_up_every = give_up_every
        self._last_change = self._last_ask = clock()
        self._seen: tuple[object, ...] | None = None

    def look(self, infos: Mapping[str, DownloadInfo]) -> Look:
        now = self._clock()
        seen: list[object] = []
        files: list[FileBytes] = []
        pending = False
        for guid in self.guids:
            info = infos[guid]
            on_disk = self._size_of(info.path if info.state == COMPLETED else info.partial_path)
            seen.append((info.state, info.received_bytes, on_disk))
            # Events lag the partial file by up to half a second; the larger of the two is the truth.
            partial = (on_disk or 0) if info.state == IN_PROGRESS else 0
            name = info.suggested_filename or info.guid
            files.append(FileBytes(name, max(info.received_bytes, partial), info.total_bytes or None))
            if info.state == IN_PROGRESS or (info.state == COMPLETED and on_disk != info.received_bytes):
                pending = True
        changed = tuple(seen) != self._seen
        if changed:
            self._seen = tuple(seen)
            self._last_change = self._last_ask = now
        if not pending:
            verdict = Verdict.DONE
        elif now - self._last_change >= self._stall_timeout:
            verdict = Verdict.STALLED
        elif now - self._last_ask >= self._give_up_every:
            self._last_ask = now
            verdict = Verdict.ASK
        else:
            verdict = Verdict.WAIT
        return Look(verdict, changed, bytes_in(files), tuple(files))

    def outcome(self, infos: Mapping[str, DownloadInfo], *, interrupted: bool) -> WaitOutcome:
        completed: list[DownloadInfo] = []
        canceled: list[DownloadInfo] = []
        stalled: list[DownloadInfo] = []
        for guid in self.guids:
            info = infos[guid]
            if info.state == CANCELED:
                canceled.append(info)
            elif landed(info, self._size_of):
                completed.append(info)
            else:
                stalled.append(info)
        return WaitOutcome(tuple(completed), tuple(canceled), tuple(stalled), interrupted)
