"""The browser's own download routes: it starts each attachment (its URL, else a click) and saves the file.

``TrackedDownloads`` (route ``"browser"``) knows from DevTools events which start began which download
and when its bytes are whole; ``WatchedFolder`` (route ``"folder"``) is the fallback where DevTools is
unavailable: it starts everything, watches the staging folder and pairs arrivals by name. Both report
through the seam (``engine/download_route.py``), so ``run/`` never sees an element nor a download guid.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from po_downloader.engine.browser.cdp_downloads import DownloadTracker
from po_downloader.engine.browser.download_book import DownloadInfo
from po_downloader.engine.browser.download_pairing import Pairing, Wanted, url_key
from po_downloader.engine.browser.portal import BrowserCommandFailed, CoupaPortal, StartFailed
from po_downloader.engine.download_route import (
    Attachment,
    DownloadRoute,
    Fetched,
    Missing,
    NotFetched,
    RouteRound,
)
from po_downloader.engine.events import OnProgress
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.downloads import StagingDir, match_arrivals

log = logging.getLogger(__name__)

BEGIN_TIMEOUT = 10.0
"""Seconds a started attachment may take to begin its download before it counts as "started nothing"."""


def browser_routes(
    portal: CoupaPortal,
    staging: StagingDir,
    tracker: DownloadTracker | None,
    *,
    begin_timeout: float = BEGIN_TIMEOUT,
    stall_timeout: float,
) -> tuple[DownloadRoute, ...]:
    """The browser's routes in the order to try them: tracked while DevTools answers, else the folder."""
    folder = WatchedFolder(portal, staging, stall_timeout=stall_timeout)
    if tracker is None:
        return (folder,)
    tracked = TrackedDownloads(portal, tracker, begin_timeout=begin_timeout, stall_timeout=stall_timeout)
    return (tracked, folder)


class TrackedDownloads:
    """Start each attachment and wait for *its* download to begin, then wait for all to finish.

    A download counts for an attachment only when ``Pairing`` says it is that attachment's own: a
    download that begins late (after the click fallback started the same file again) is never taken
    for the next attachment's file. Downloads no attachment claims are dropped when the round ends.
    """

    name = "browser"

    def __init__(
        self,
        portal: CoupaPortal,
        tracker: DownloadTracker,
        *,
        begin_timeout: float = BEGIN_TIMEOUT,
        stall_timeout: float,
    ) -> None:
        self.portal = portal
        self.tracker = tracker
        self.begin_timeout = begin_timeout
        self.stall_timeout = stall_timeout
        self._pairing = Pairing()
        """Which download is which attachment's, across POs (a late download may outlive its PO)."""

    def usable(self) -> bool:
        return self.tracker.alive

    def fetch(self, po: PoNumber, items: Sequence[Attachment], on_progress: OnProgress) -> RouteRound:
        tracker = self.tracker
        missed: list[NotFetched] = []
        begun: list[tuple[Attachment, str]] = []
        claimed: set[str] = set()
        urls = {url_key(a.url) for a in items if a.url}
        first_mark = tracker.mark()
        page_url = self.portal.url
        unbegun: list[Attachment] = []

        def own(att: Attachment) -> Callable[[DownloadInfo], bool]:
            wanted = Wanted.of(att.url, att.name)
            others = urls - {wanted.url}
            return lambda info: info.guid not in claimed and self._pairing.is_own(info, wanted, others)

        try:
            for index, att in enumerate(items):
                mark = tracker.mark()
                try:
                    self.portal.start(att)
                    info = tracker.wait_begin(mark, self.begin_timeout, own(att))
                    if info is None:  # it may still begin, late: never to be taken for another's
                        self._pairing.orphan(Wanted.of(att.url, att.name))
                    if info is None and att.url:
                        log.info("%s: %s did not download from its URL; clicking it instead", po, att.name)
                        self.portal.click(att)
                        info = tracker.wait_begin(mark, self.begin_timeout, own(att))
                except StartFailed as exc:
                    why = f"could not start the download ({exc.kind})"
                    missed.append(NotFetched(att, Missing.NOT_STARTED, why))
                    continue
                if info is None:
                    if self.portal.on_sign_in_page():
                        return self._collect(begun, missed, on_progress, interrupted=True)
                    unbegun.append(att)
                    if self.portal.url != page_url:
                        why = "the page went elsewhere before it could be started"
                        missed += [NotFetched(rest, Missing.PAGE_LEFT, why) for rest in items[index + 1 :]]
                        break
                    continue
                claimed.add(info.guid)
                begun.append((att, info.guid))
            for att in unbegun:  # its own download may have begun while later ones were started
                info = tracker.wait_begin(first_mark, 0, own(att))
                if info is None:
                    missed.append(NotFetched(att, Missing.STARTED_NOTHING, "clicking it started no download"))
                    continue
                log.info("%s: %s began its download late; it is still its own", po, att.name)
                claimed.add(info.guid)
                begun.append((att, info.guid))
            return self._collect(begun, missed, on_progress, interrupted=False)
        except Exception:  # not on SystemExit: a stopping worker must not wait on the browser
            self._end_round(set())  # nothing of this round is placed: drop and forget it all
            raise

    def _end_round(self, keep: set[str]) -> None:
        for info in self.tracker.end_round(keep):
            self._pairing.dropped(info)

    def _collect(
        self,
        begun: list[tuple[Attachment, str]],
        missed: list[NotFetched],
        on_progress: OnProgress,
        *,
        interrupted: bool,
    ) -> RouteRound:
        tracker = self.tracker
        outcome = tracker.wait_done(
            [guid for _, guid in begun],
            stall_timeout=self.stall_timeout,
            give_up=self.portal.on_sign_in_page,
            on_progress=on_progress,
        )
        completed = {i.guid: i for i in outcome.completed}
        stalled = {i.guid for i in outcome.stalled}
        fetched: list[Fetched] = []
        signed_out: set[str] = set()
        for att, guid in begun:
            info = completed.get(guid)
            if info is not None and self.portal.is_sign_in_url(info.url):
                # The portal sent its sign-in page instead of the file (the session ended between the
                # list and the download): that page is no attachment's, and the attempt ends unproven.
                log.warning("%s: the sign-in page came instead of the file; the session ended", att.name)
                signed_out.add(guid)
                missed.append(NotFetched(att, Missing.NEVER_ARRIVED, "the portal asked to sign in again"))
            elif info is not None:
                name = (
                    info.suggested_filename if info.suggested_filename not in ("", "download") else att.name
                )
                fetched.append(Fetched(att, info.path, name, size=info.received_bytes, url=att.url))
            elif guid in stalled:
                tracker.cancel(guid)
                why = f"no progress for {self.stall_timeout:.0f} s"
                missed.append(NotFetched(att, Missing.STALLED, why))
            else:
                dropped = tracker.info(guid)
                needed = dropped.total_bytes if dropped is not None else 0
                why = "the browser cancelled the download"
                missed.append(NotFetched(att, Missing.CANCELLED, why, needed=needed))
        self._end_round({guid for _, guid in begun} - signed_out)
        return RouteRound(
            tuple(fetched), tuple(missed), interrupted or outcome.interrupted or bool(signed_out)
        )


class WatchedFolder:
    """Fallback without DevTools: start everything, watch the staging folder, pair files by name."""

    name = "folder"

    def __init__(self, portal: CoupaPortal, staging: StagingDir, *, stall_timeout: float) -> None:
        self.portal = portal
        self.staging = staging
        self.stall_timeout = stall_timeout

    def usable(self) -> bool:
        return True

    def fetch(self, po: PoNumber, items: Sequence[Attachment], on_progress: OnProgress) -> RouteRound:
        missed: list[NotFetched] = []
        self.staging.begin()
        clicked: list[Attachment] = []
        for att in items:
            try:
                self.portal.start(att)
                clicked.append(att)
            except BrowserCommandFailed as exc:  # a stale element too: this route carries on without it
                missed.append(NotFetched(att, Missing.NOT_STARTED, f"could not click ({exc.kind})"))
        wait = self.staging.wait(
            len(clicked), stall_timeout=self.stall_timeout, give_up=self.portal.on_sign_in_page
        )
        if wait.stalled:
            self.staging.abandon(wait.stalled)
        pairs, missing = match_arrivals([a.name for a in clicked], [p.name for p in wait.arrived])
        by_name: dict[str, list[Attachment]] = {}
        for att in clicked:
            by_name.setdefault(att.name, []).append(att)
        fetched = [
            Fetched(att, self.staging.path / arrived, arrived, url=att.url)
            for expected, arrived in pairs
            for att in [by_name[expected].pop(0)]
        ]
        kind = Missing.STALLED if wait.stalled else Missing.NEVER_ARRIVED
        why = f"no progress for {self.stall_timeout:.0f} s" if wait.stalled else "never arrived"
        # A file that never arrived may be one the disk had no room for (0: how much is unknown).
        missed += [NotFetched(by_name[name].pop(0), kind, why, needed=0) for name in missing]
        return RouteRound(tuple(fetched), tuple(missed), wait.interrupted)
