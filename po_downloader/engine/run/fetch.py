"""Working one PO in a worker: open its page, prove its attachments list, have a route fetch it, name the folder.

This module is the PO's decision (page -> verdict -> list -> place -> status); how the bytes come is a
``DownloadRoute``'s (``engine/download_route.py``), and the jobs around the decision have modules of their
own: the requisition follow-up (``requisition``), the PO's folder (``po_folder``), files an earlier run left
(``kept_files``), the ``FileSaved`` reports (``saved_files``) and the disk (``disk_checks``).

Each step reports an event through ``emit``; the outcome is always one ``AttemptEnded``, made by
:func:`attempt_ended` alone. Errors that concern one PO end that PO (retryable or not) and never the
worker. A full or read-only download disk is no PO's fault: ``DiskProblem`` is raised instead, and the PO
stays to do. Every status needs the page's evidence (``page_state``, ``attachment_wait``); where there is
none the PO fails and is retried.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from po_downloader.engine.browser.portal import (
    CoupaPortal,
    Listing,
    PageChanged,
    PortalTimeout,
    SignInLost,
)
from po_downloader.engine.download_route import Attachment, DownloadRoute, unlike_staged
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.events import (
    AttachmentsFound,
    AttemptEnded,
    DownloadProgress,
    Event,
    FileBytes,
    FileFailed,
    OnProgress,
    PoStarted,
    bytes_in,
)
from po_downloader.engine.models import KnownFile, ListVerdict, PoNumber, PoStatus, PoTask
from po_downloader.engine.outcome import NO_FACTS
from po_downloader.engine.output.downloads import DiskProblem, in_use, place_download
from po_downloader.engine.output.folders import (
    DEFAULT_LAYOUT,
    FolderLayout,
    PathTooLong,
    UnsafeFolder,
    check_staging_room,
    finalise_folder,
    folder_name_status,
)
from po_downloader.engine.output.naming import name_room
from po_downloader.engine.run.attempt_words import attempt_ended, attempt_words
from po_downloader.engine.run.disk_checks import disk_behind, raise_if_disk
from po_downloader.engine.run.kept_files import keep_known
from po_downloader.engine.run.lookahead import Lookahead
from po_downloader.engine.run.page_outcome import SIGN_IN_AGAIN, early_outcome
from po_downloader.engine.run.po_folder import adopt_earlier, holds_files, leave_unfinished, make_po_folder
from po_downloader.engine.run.po_page import PoPage
from po_downloader.engine.run.requisition import PO_SOURCE, RequisitionNote, requisition_fallback
from po_downloader.engine.run.saved_files import SavedFiles
from po_downloader.engine.run.served_check import page_view
from po_downloader.engine.run.served_reads import ServedReads
from po_downloader.engine.status import UNCONFIRMED, decide_outcome
from po_downloader.engine.system.paths import path_limit

__all__ = ["DiskProblem", "FetchSettings", "PoFetcher", "SignInLost", "attempt_ended"]

log = logging.getLogger(__name__)

Emit = Callable[[Event], None]
PROGRESS_EVERY = 0.5
"""Seconds between two byte-progress events of one PO: enough for a live table, cheap on the pipe."""
EXTRA_ROUNDS = 2
"""Late items the page shows after the downloads are fetched too, at most this many more rounds."""


@dataclass(frozen=True)
class FetchSettings:
    download_root: Path
    path_limit: int | None = field(default_factory=path_limit)
    """The longest full path the OS opens (Windows without long paths: 259); names are cut to fit it."""
    facts: bool = False
    """Read the order's facts from each PO's page (``--facts``) into its outcome."""
    folders: FolderLayout = DEFAULT_LAYOUT


@dataclass
class _Round:
    """What one pass over a list of attachments left on disk."""

    saved: list[Path] = field(default_factory=list)
    """New files placed in the PO folder."""
    on_disk: int = 0
    """Listed attachments whose bytes are in the folder (new files and identical duplicates)."""
    failures: list[tuple[str, str]] = field(default_factory=list)
    edited: list[tuple[str, str]] = field(default_factory=list)
    """Files the user changed, kept as they are, with the name of the portal's copy placed beside."""


class PoFetcher:
    """Fetches POs one after another with one browser; ``routes`` fetch the files, in order of preference
    (the first ``usable`` one takes each round), into the worker's ``staging`` folder.

    With ``served`` (the served pages and the HTTP route on the browser's session), a PO whose task
    carries an ``HttpPlan`` is read from its served page first: a verdict the batch trusts is decided
    there, the same way, and its files fetched over HTTP; any other PO is worked by the browser as
    always, its read compared with the served one where that proved anything."""

    def __init__(
        self,
        worker: int,
        portal: CoupaPortal,
        staging: Path,
        settings: FetchSettings,
        routes: Sequence[DownloadRoute],
        *,
        served: ServedReads | None = None,
        lookahead: Lookahead | None = None,
    ) -> None:
        if not routes:
            raise ValueError("a PoFetcher needs at least one download route")
        self.worker = worker
        self.portal = portal
        self.staging = staging
        self.settings = settings
        self.routes = tuple(routes)
        self._known: list[KnownFile] = []
        """The current PO's files from an earlier run not yet matched to an attachment."""
        self._files: SavedFiles | None = None
        """The current PO's files already reported with ``FileSaved``: each is told once."""
        self._room: int | None = None
        """What the path budget leaves for a file name in the current PO's folder (None: no limit)."""
        self._taken: list[str] = []
        """The routes the current PO's downloads took, in order (the outcome's "route")."""
        self.served = served
        self._page: PoPage = portal
        """Who reads the current PO's page: the browser, or its served HTML when that decides it."""
        self._routes: tuple[DownloadRoute, ...] = self.routes
        self.lookahead = lookahead
        """The browser's spare tab, where the next PO's page loads while this one is worked."""

    def _ended(self, po: PoNumber, status: PoStatus, **fields: Any) -> AttemptEnded:
        fields.setdefault("facts", self._facts)
        return attempt_ended(self.worker, po, status, route="+".join(self._taken), **fields)

    def fetch(self, task: PoTask, emit: Emit, ahead: PoNumber | None = None) -> AttemptEnded:
        """Work ``task``; ``ahead`` (the PO reserved to follow) loads in the spare tab meanwhile."""
        po = task.po
        url = self.portal.sel.po_page_url(self.portal.base_url, po.digits)
        self._taken, self._facts = [], NO_FACTS
        self._page, self._routes = self.portal, self.routes
        emit(PoStarted(self.worker, po, task.attempt, url))

        def finished(status: PoStatus, message: str = "", **kw: Any) -> AttemptEnded:
            return self._ended(po, status, message=message, url=url, **kw)

        served = self.served
        try:
            shown = self.lookahead.open_po(po.digits) if self.lookahead is not None else None
            if shown is not None:  # loaded ahead: the browser's page, no served read to compare with it
                state = shown
                if served is not None:
                    served.expect = None
            elif served is not None and served.decides(task, emit):
                self._page, self._routes = served.page, (served.route,)
                self._taken = [served.route.name]  # the route of its verdict, even with no file to fetch
                state = served.page.open_po(po.digits)
            else:
                state = self.portal.open_po(po.digits)
                if served is not None:
                    served.browser_opened(po, state, emit)
            if self.lookahead is not None:
                checking = served is not None and served.expect is not None
                self.lookahead.after_open(
                    ahead, state, by_browser=self._page is self.portal, checking=checking
                )
            early = early_outcome(state)
            if early is not None:
                reached = state.url if early.status is PoStatus.SIGN_IN_REQUIRED else ""
                worded = {"kind": early.kind, "details": early.details} if early.kind else {}
                return finished(
                    early.status, early.message, retryable=early.retryable, reached=reached, **worded
                )
            return self._work(task, url, emit)
        except PortalTimeout as exc:
            detail = {"detail": str(exc)}
            return finished(
                PoStatus.FAILED, str(exc), retryable=True, kind=ErrorKind.PORTAL_TIMEOUT, details=detail
            )
        except SignInLost:
            return finished(
                PoStatus.SIGN_IN_REQUIRED, SIGN_IN_AGAIN, retryable=True, reached=_where_now(self.portal)
            )
        except PageChanged:
            return finished(
                PoStatus.FAILED,
                "the page changed while its attachments were read",
                retryable=True,
                kind=ErrorKind.PAGE_CHANGED,
            )

    def _work(self, task: PoTask, url: str, emit: Emit) -> AttemptEnded:
        po = task.po
        root = self.settings.download_root
        page = self._page
        # A list checked against the served one must be the page's final word, never a provisional one.
        checking = self.served is not None and self.served.expect is not None
        listing = page.wait_attachments() if checking else page.wait_listing()
        supplier = page.supplier()
        self._facts = page.facts() if self.settings.facts else NO_FACTS  # before a requisition is opened
        source = PO_SOURCE
        note: RequisitionNote | None = None
        if listing.verdict is ListVerdict.EMPTY:
            listing, source, note = requisition_fallback(page, listing)
        if self.served is not None and listing.verdict in (ListVerdict.LISTED, ListVerdict.EMPTY):
            self.served.check(po, page_view(listing.verdict.name, listing.items, supplier, source), emit)
        if listing.verdict is ListVerdict.UNCONFIRMED:
            reason = f"{UNCONFIRMED}: {listing.reason}" if listing.reason else UNCONFIRMED
            return self._ended(
                po,
                PoStatus.FAILED,
                supplier=supplier,
                message=reason,
                kind=ErrorKind.LIST_UNCONFIRMED,
                details={"detail": listing.reason},
                url=url,
                retryable=listing.retry_helps,
            )

        try:
            check_staging_room(self.staging, root, self.settings.path_limit)
            folder = make_po_folder(root, supplier, task, self.settings.path_limit, self.settings.folders)
        except (UnsafeFolder, PathTooLong) as exc:  # a planted link, a root too deep: a retry cannot help
            return self._ended(
                po,
                PoStatus.FAILED,
                supplier=supplier,
                message=str(exc),
                kind=exc.kind,
                details=exc.details,
                url=url,
                retryable=False,
            )
        except OSError as exc:
            raise_if_disk(root, Path(root), exc)
            raise
        # Worked before: add to that folder (a PO that lists nothing now leaves the earlier files where
        # they are, under the status they were saved with). ``before``: the statuses they were named with.
        before = adopt_earlier(folder, po.display, task.folder, root) if listing.items else []
        self._known = list(task.known)
        self._files = SavedFiles(self.worker, po, source, emit)
        self._room = name_room(folder.parent, po.display, self.settings.path_limit)
        try:
            return self._fill(po, url, listing, supplier, note, folder, emit, before)
        except (SignInLost, PageChanged, PortalTimeout, DiskProblem):
            leave_unfinished(folder, po.display, before, root)
            raise

    def _fill(
        self,
        po: PoNumber,
        url: str,
        listing: Listing,
        supplier: str,
        note: RequisitionNote | None,
        folder: Path,
        emit: Emit,
        before: list[PoStatus],
    ) -> AttemptEnded:
        """Download what the list names into ``folder``, then the late arrivals; the attempt's verdict.

        ``before``: the statuses of the earlier folders taken over; a worse verdict now leaves the folder
        under the better earlier name (:func:`folder_name_status`)."""
        files = self._files
        assert files is not None
        source = files.source
        items = list(listing.items)
        emit(AttachmentsFound(self.worker, po, supplier, tuple(a.name for a in items), source, str(folder)))
        result = self._download(po, items, folder, emit)
        done = Counter(a.key for a in items)
        if listing.provisional:  # fetched while the page settled; the status waits for its final list
            confirmed = self._page.confirm_listing()
            gone = _new_items(items, Counter(a.key for a in confirmed.items))
            if confirmed.verdict is not ListVerdict.LISTED or gone:
                why = confirmed.reason or ", ".join(a.name for a in gone) + " left the list"
                log.info("%s: the list that looked complete did not hold: %s", po, why)
                raise PageChanged("list changed", f"the list that looked complete did not hold: {why}")
            items += self._late(po, supplier, _new_items(confirmed.items, done), folder, emit, result)
            done = Counter(a.key for a in items)
        for _ in range(EXTRA_ROUNDS if items else 0):
            late = self._late(po, supplier, _new_items(self._page.listed_now(), done), folder, emit, result)
            if not late:
                break
            items += late
            done.update(a.key for a in late)

        status = decide_outcome(listing.verdict, len(items), result.on_disk)
        size = sum(p.stat().st_size for p in result.saved)
        named = folder_name_status(before, status) if holds_files(folder) else status
        if named is not status:
            files.tell_earlier([a.name for a in items], folder, self._room, url=self._page.url)
        try:
            final = finalise_folder(folder, po.display, named)
        except OSError as exc:  # the files stay in the work folder, whole, for the next run
            raise_if_disk(self.settings.download_root, folder, exc)
            if not in_use(exc):
                raise
            return self._ended(  # still held after the retries: the next attempt renames it
                po,
                PoStatus.FAILED,
                supplier=supplier,
                folder=str(folder),
                message=f"{folder.name} could not be renamed: another program holds a file in it ({exc})",
                kind=ErrorKind.FOLDER_HELD,
                details={"name": folder.name, "detail": str(exc)},
                url=url,
                retryable=True,
            )
        kept_in = str(final) if named is not status else ""  # where the good files are, under its final name
        words = attempt_words(
            status, len(items), result.on_disk, result.failures, result.edited, kept_in, note
        )
        return self._ended(
            po,
            status,
            kind=words.kind,
            details=words.details,
            supplier=supplier,
            folder=str(final),
            found=len(items),
            downloaded=result.on_disk,
            names=tuple(p.name for p in result.saved),
            message=words.message,
            url=url,
            size=size,
        )

    def _late(
        self, po: PoNumber, supplier: str, late: list[Attachment], folder: Path, emit: Emit, result: _Round
    ) -> list[Attachment]:
        """Fetch items the page listed after the first downloads, adding what they left to ``result``."""
        files = self._files
        if not late or files is None:
            return late
        log.info("%s: %d more attachment(s) appeared after the first downloads", po, len(late))
        emit(
            AttachmentsFound(
                self.worker, po, supplier, tuple(a.name for a in late), files.source, str(folder)
            )
        )
        more = self._download(po, late, folder, emit)
        result.saved += more.saved
        result.on_disk += more.on_disk
        result.failures += more.failures
        result.edited += more.edited
        return late

    # ---------------------------------------------------------------- one round of downloads

    def _download(self, po: PoNumber, items: list[Attachment], folder: Path, emit: Emit) -> _Round:
        """Fetch ``items`` through the first usable route and place each file in ``folder``."""
        files = self._files
        assert files is not None
        if not items:
            return _Round()
        kept = keep_known(po, items, folder, self._known, self._room, files, lambda: self._page.url)
        items = [a for a in items if not any(a is k for k in kept.fetched)]
        if not items:
            return _Round(saved=list(kept.saved), on_disk=len(kept.saved))
        route = next(r for r in (*self._routes, *self.routes) if r.usable())
        if route.name not in self._taken:
            self._taken.append(route.name)
        fetched = route.fetch(po, items, self._progress(po, emit))
        # Asked before anything is placed, as the browser left the staging disk.
        disk = disk_behind(self.settings.download_root, self.staging, fetched.missed)
        result = _Round(failures=[(miss.attachment.name, miss.reason) for miss in fetched.missed])
        for got in fetched.fetched:
            att = got.attachment
            unlike = unlike_staged(got)
            if unlike:  # the route's word and the disk disagree: no status is promised on this file
                log.warning("%s: %s is not whole in staging (%s); not placed", po, att.name, unlike)
                with contextlib.suppress(OSError):
                    got.path.unlink()
                result.failures.append((att.name, f"incomplete download ({unlike})"))
                continue
            try:
                placed = place_download(got.path, folder, got.name, self._room)
            except OSError as exc:  # the file stays in staging, never half in the PO folder
                raise_if_disk(self.settings.download_root, folder, exc)
                raise
            result.on_disk += 1
            edited = kept.edited_name(att)
            if edited is not None:
                result.edited.append((edited, placed.path.name))
            if placed.duplicate:
                log.info("%s: %s is the same file as %s; kept once", po, att.name, placed.path.name)
                if placed.path in files.told:
                    continue
                # The copy an earlier run left: still this PO's file, so this batch's journal lists it.
            result.saved.append(placed.path)
            files.tell(placed.path, url=got.url or self._page.url)
        if disk is not None:
            raise disk  # what did arrive is placed above and stays for the next run
        if fetched.interrupted:
            raise SignInLost  # what did arrive stays in the work folder for the retry
        for name, reason in result.failures:
            emit(FileFailed(self.worker, po, name, reason))
        result.saved = kept.saved + result.saved
        result.on_disk += len(kept.saved)
        return result

    def _progress(self, po: PoNumber, emit: Emit) -> OnProgress:
        """Bytes received so far, as ``DownloadProgress`` at most every ``PROGRESS_EVERY`` seconds."""
        last = [0.0]

        def progress(files: tuple[FileBytes, ...]) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY:
                last[0] = now
                emit(DownloadProgress(self.worker, po, bytes_in(files), files))

        return progress


def _new_items(now: Sequence[Attachment], done: Counter[str]) -> list[Attachment]:
    """Items listed now beyond those already worked (by key, counting repeats)."""
    seen: Counter[str] = Counter()
    late = []
    for att in now:
        seen[att.key] += 1
        if seen[att.key] > done[att.key]:
            late.append(att)
    return late


def _where_now(portal: CoupaPortal) -> str:
    """The browser's address, for a message; "" when the browser cannot tell (it may be gone)."""
    try:
        return portal.url
    except Exception:  # a dead browser: the attempt is already over, the address is only a detail
        return ""
