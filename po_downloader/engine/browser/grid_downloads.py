"""The ``"grid"`` route: a remote browser downloads each attachment on its Grid node, and the file comes back
through the Grid's managed downloads (``se:downloadsEnabled``) before the session can end.

The node only lists file names, so a file is tied to its attachment by order, never by a guess: the node's
folder is emptied, one attachment is started, and the one file that then appears is that attachment's. An
attachment that starts nothing in time ends the round for the ones after it (its download might still
begin and would be taken for the next one's); they stay missing for the retry, and for a while after
such a start a file is taken only under its attachment's own name. Emptying the node also ends a stalled
download: Chromium cannot finish a file whose partial file is gone. Sizes and hashes are of the bytes as
they land in staging; ``run/fetch.py`` checks them against the disk as for every route.

Where the session offers BiDi (``grid_download_events.py``), each file is also tied to the download the
browser reported: the URL it came from (a sign-in page served instead of the file is no attachment's, and
the round ends as "sign in again", as on the local route) and the name the site suggested (the node saves
it under the download's id, so a name with no room for Chromium's ``.crdownload`` still lands). Without
BiDi the node's names are all there is, as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from selenium.common.exceptions import WebDriverException

from po_downloader.engine.browser.grid_download_events import DownloadEvents, NodeDownload
from po_downloader.engine.browser.portal import CoupaPortal, StartFailed
from po_downloader.engine.download_route import Attachment, Fetched, Missing, NotFetched, RouteRound
from po_downloader.engine.events import FileBytes, OnProgress
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.downloads import StagingDir

log = logging.getLogger(__name__)

IN_PROGRESS = (".crdownload", ".tmp", ".part")
POLL_SECONDS = 0.2
ORPHAN_BEGINS = 3
"""An attachment that started nothing may still begin this many begin-timeouts later."""
END_EVENT_WAIT = 5.0
"""Seconds the browser's end event of a whole file may lag behind the node's listing."""
_NUMBERED = re.compile(r" \(\d+\)(?=\.[^.]*$|$)")


class ManagedDownloads(Protocol):
    """What the route needs of a remote session (Selenium's ``WebDriver`` with ``enable_downloads``)."""

    def get_downloadable_files(self) -> list[str]: ...

    def download_file(self, file_name: str, target_directory: str) -> None: ...

    def delete_downloadable_files(self) -> None: ...


def same_name(arrived: str, listed: str) -> bool:
    """Whether a file the node saved is plainly the listed attachment's by name (Chromium's ``x (1).pdf``
    numbering and letter case aside): the only way left to tell files apart while an orphan may land."""
    return _NUMBERED.sub("", arrived).casefold() == _NUMBERED.sub("", listed).casefold()


def arrival(names: Sequence[str]) -> tuple[str, ...] | None:
    """The node's listing read: None while nothing began, ``()`` while a download is in progress, else the
    complete files (pure: the route's one rule for "this download is whole")."""
    if not names:
        return None
    if any(n.endswith(IN_PROGRESS) for n in names):
        return ()
    return tuple(names)


class GridDownloads:
    """Start one attachment at a time on the node, fetch its one file back into staging, empty the node."""

    name = "grid"

    def __init__(
        self,
        portal: CoupaPortal,
        driver: ManagedDownloads,
        staging: StagingDir,
        *,
        begin_timeout: float,
        stall_timeout: float,
        events: DownloadEvents | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.portal = portal
        self.events = events
        """The browser's own word on each download (its URL, its name); None where BiDi is not offered."""
        self.driver = driver
        self.staging = staging
        self.begin_timeout = begin_timeout
        self.stall_timeout = stall_timeout
        self.clock = clock
        self.sleep = sleep
        self._orphan_until = float("-inf")
        """Until then a download started earlier that began nothing may still land on the node."""

    def usable(self) -> bool:
        return True

    def fetch(self, po: PoNumber, items: Sequence[Attachment], on_progress: OnProgress) -> RouteRound:
        fetched: list[Fetched] = []
        missed: list[NotFetched] = []
        landed: list[FileBytes] = []  # a Grid node tells a file only once whole
        self.driver.delete_downloadable_files()  # empty: what appears next is the next start's
        if self.events is not None:
            self.events.forget()  # the ends of emptied files: none may be taken for this round's
        try:
            for index, att in enumerate(items):
                try:
                    names = self._start_and_wait(po, att)
                except StartFailed as exc:
                    missed.append(
                        NotFetched(att, Missing.NOT_STARTED, f"could not start the download ({exc.kind})")
                    )
                    continue
                if isinstance(names, NotFetched):
                    if names.kind is Missing.STARTED_NOTHING:
                        self._orphan_until = self.clock() + ORPHAN_BEGINS * self.begin_timeout
                    if self.portal.on_sign_in_page():
                        rest = [
                            NotFetched(a, Missing.NEVER_ARRIVED, "the portal asked to sign in again")
                            for a in items[index:]
                        ]
                        return RouteRound(tuple(fetched), tuple(missed + rest), interrupted=True)
                    why = "an earlier attachment's download may still begin: not taken for this one's"
                    missed.append(names)
                    missed += [NotFetched(a, Missing.STARTED_NOTHING, why) for a in items[index + 1 :]]
                    break
                if len(names) != 1:
                    why = f"{len(names)} files arrived for one attachment: none is taken for its own"
                    missed.append(NotFetched(att, Missing.NEVER_ARRIVED, why))
                    self.driver.delete_downloadable_files()
                    continue
                source = self._source(att, names[0])
                if isinstance(source, NotFetched):
                    missed.append(source)
                    self.driver.delete_downloadable_files()
                    continue
                if source is not None and self.portal.is_sign_in_url(source.url):
                    # The portal sent its sign-in page instead of the file (the session ended between
                    # the list and the download): that page is no attachment's; the attempt ends unproven.
                    log.warning("%s: the sign-in page came instead of the file; the session ended", att.name)
                    self.driver.delete_downloadable_files()
                    rest = [
                        NotFetched(a, Missing.NEVER_ARRIVED, "the portal asked to sign in again")
                        for a in items[index:]
                    ]
                    return RouteRound(tuple(fetched), tuple(missed + rest), interrupted=True)
                named = source.suggested_filename if source is not None else names[0]
                if self.clock() < self._orphan_until and not _is_own(att, named, source):
                    why = f"{named!r} arrived while an earlier download may still begin: not taken for it"
                    missed.append(NotFetched(att, Missing.NEVER_ARRIVED, why))
                    self.driver.delete_downloadable_files()
                    continue
                got = self._bring_back(att, names[0], named)
                self.driver.delete_downloadable_files()
                if isinstance(got, NotFetched):
                    missed.append(got)
                    continue
                fetched.append(got)
                landed.append(FileBytes(got.name, got.size or 0, got.size))
                on_progress(tuple(landed))
        except BaseException:  # the seam's promise: a raising round leaves nothing in staging
            for got in fetched:
                _remove(got.path)
            raise
        return RouteRound(tuple(fetched), tuple(missed))

    def _start_and_wait(self, po: PoNumber, att: Attachment) -> tuple[str, ...] | NotFetched:
        """The complete files the start of ``att`` left on the node (its URL, else a click)."""
        self.portal.start(att)
        names = self._wait(self.begin_timeout)
        if names is None and att.url:
            log.info("%s: %s did not download from its URL; clicking it instead", po, att.name)
            self.portal.click(att)
            names = self._wait(self.begin_timeout)
        if names is None:
            return NotFetched(att, Missing.STARTED_NOTHING, "clicking it started no download")
        if names == ():
            names = self._wait(self.stall_timeout, begun=True)
        if not names:
            self.driver.delete_downloadable_files()
            return NotFetched(
                att, Missing.STALLED, f"not whole on the Grid node after {self.stall_timeout:.0f} s"
            )
        return names

    def _wait(self, timeout: float, *, begun: bool = False) -> tuple[str, ...] | None:
        """Poll the node: the complete files once there are some and none is in progress; ``()`` when the
        download began but is not whole by ``timeout``; None when nothing began at all."""
        deadline = self.clock() + timeout
        seen: tuple[str, ...] | None = () if begun else None
        while True:
            state = arrival(self.driver.get_downloadable_files())
            if state:
                return state
            if state == ():
                seen = ()
            if self.clock() >= deadline:
                return seen
            self.sleep(POLL_SECONDS)

    def _source(self, att: Attachment, file_name: str) -> NodeDownload | NotFetched | None:
        """The browser's account of the node's file (None without BiDi): a whole file it does not account
        for, or one it says did not complete, is not taken."""
        if self.events is None:
            return None
        source = self.events.wait_end(file_name, END_EVENT_WAIT)
        if source is None or source.status != "complete":
            why = f"the browser did not say where {file_name!r} came from: not taken"
            return NotFetched(att, Missing.NEVER_ARRIVED, why)
        return source

    def _bring_back(self, att: Attachment, name: str, named: str) -> Fetched | NotFetched:
        """Fetch the node's file into a private folder of staging, then beside it under a private name (two
        attachments of one PO may share a name); size and SHA-256 of the bytes that landed."""
        token = secrets.token_hex(8)
        landing = self.staging.path / f".grid-{token}.d"
        landing.mkdir()
        staged = self.staging.path / f".grid-{token}"
        try:
            try:
                self.driver.download_file(name, str(landing))
            except (WebDriverException, ValueError) as exc:  # a refused or broken transfer, not the disk
                why = f"the Grid node did not hand the file over ({type(exc).__name__})"
                return NotFetched(att, Missing.NEVER_ARRIVED, why)
            arrived = [p for p in landing.iterdir() if p.is_file()]
            if len(arrived) != 1:
                return NotFetched(
                    att, Missing.NEVER_ARRIVED, f"the Grid node sent {len(arrived)} files for one"
                )
            os.replace(arrived[0], staged)
        finally:
            shutil.rmtree(landing, ignore_errors=True)
        size, digest = _measure(staged)
        return Fetched(
            att,
            staged,
            named if named not in ("", "download") else att.name,
            size=size,
            sha256=digest,
            url=att.url,
        )


def _is_own(att: Attachment, named: str, source: NodeDownload | None) -> bool:
    """Whether a file is plainly ``att``'s own while an orphan may land: its URL (when the browser said it)
    or its name."""
    if source is not None and att.url and source.url == att.url:
        return True
    return same_name(named, att.name)


def _measure(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
