"""Working one PO in a worker: open its page, prove its attachments list, download it, name the folder.

Each step reports an event through ``emit``; the outcome is always one ``AttemptEnded``. Errors that
concern one PO end that PO (retryable or not) and never the worker. A full or read-only download disk is
no PO's fault: ``DiskProblem`` is raised instead, and the PO stays to do. Every status needs the page's
evidence (``page_state``, ``attachment_wait``); where there is none the PO fails and is retried.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from po_downloader.engine.browser.attachment_wait import ListVerdict
from po_downloader.engine.browser.cdp_downloads import DownloadInfo, DownloadTracker, Pairing, Wanted, url_key
from po_downloader.engine.browser.portal import (
    BrowserCommandFailed,
    CoupaPortal,
    FoundAttachment,
    Listing,
    PageChanged,
    PageKind,
    PageState,
    PortalTimeout,
    SignInLost,
    StartFailed,
)
from po_downloader.engine.events import (
    AttachmentsFound,
    AttemptEnded,
    DownloadProgress,
    Event,
    FileFailed,
    FileSaved,
    PoStarted,
)
from po_downloader.engine.models import KnownFile, PoNumber, PoStatus, PoTask
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.downloads import (
    LOW_SPACE,
    DiskProblem,
    StagingDir,
    disk_problem,
    in_use,
    match_arrivals,
    place_download,
)
from po_downloader.engine.output.folders import (
    PathTooLong,
    UnsafeFolder,
    adopt_folder,
    check_staging_room,
    earlier_folders,
    finalise_folder,
    folder_name_status,
    folder_status,
    make_work_folder,
)
from po_downloader.engine.output.naming import fit_component, in_name_family, name_room
from po_downloader.engine.run.resume import drop_changed, match_known, shared_paths, still_there, users_copy
from po_downloader.engine.status import UNCONFIRMED, decide_outcome
from po_downloader.engine.system.display import url_for_record
from po_downloader.engine.system.hashing import sha256_file
from po_downloader.engine.system.paths import path_limit

__all__ = ["DiskProblem", "FetchSettings", "PoFetcher", "SignInLost"]

log = logging.getLogger(__name__)

Emit = Callable[[Event], None]
SIGN_IN_AGAIN = "Coupa asked to sign in again"
BEGIN_TIMEOUT = 10.0
"""Seconds a started attachment may take to begin its download before it counts as "started nothing"."""
PROGRESS_EVERY = 0.5
"""Seconds between two byte-progress events of one PO: enough for a live table, cheap on the pipe."""
EXTRA_ROUNDS = 2
"""Late items the page shows after the downloads are fetched too, at most this many more rounds."""


@dataclass(frozen=True)
class FetchSettings:
    download_root: Path
    download_timeout: float
    begin_timeout: float = BEGIN_TIMEOUT
    """Seconds a started attachment may take to begin its download (``BEGIN_TIMEOUT``; tests shorten it)."""
    path_limit: int | None = field(default_factory=path_limit)
    """The longest full path the OS opens (Windows without long paths: 259); names are cut to fit it."""


@dataclass
class _Round:
    """What one pass over a list of attachments left on disk."""

    saved: list[Path] = field(default_factory=list)
    """New files placed in the PO folder."""
    on_disk: int = 0
    """Listed attachments whose bytes are in the folder (new files and identical duplicates)."""
    failures: list[tuple[str, str]] = field(default_factory=list)
    disk: DiskProblem | None = None
    """The disk is why a download was dropped: the attempt ends without a verdict, the batch stops."""
    notes: list[str] = field(default_factory=list)
    """What the PO's message must tell besides failures (a file the user changed, kept beside)."""


@dataclass
class _Kept:
    """Attachments whose files an earlier run left in the folder (resume): not downloaded again."""

    fetched: list[FoundAttachment] = field(default_factory=list)
    round: _Round = field(default_factory=_Round)
    edited: list[tuple[FoundAttachment, str]] = field(default_factory=list)
    """Attachments whose file the user changed since it was saved: fetched again, saved beside it."""


class PoFetcher:
    """Fetches POs one after another with one browser; owns the worker's staging folder.

    ``tracker`` (CDP download events) names each click's own file; without it, the folder route
    (``StagingDir``) watches the staging folder and pairs arrivals by name.
    """

    def __init__(
        self,
        worker: int,
        portal: CoupaPortal,
        staging: StagingDir,
        settings: FetchSettings,
        tracker: DownloadTracker | None = None,
    ) -> None:
        self.worker = worker
        self.portal = portal
        self.staging = staging
        self.settings = settings
        self.tracker = tracker
        self._known: list[KnownFile] = []
        """The current PO's files from an earlier run not yet matched to an attachment."""
        self._told: set[Path] = set()
        """Files of the current PO already reported with ``FileSaved``: each is told once."""
        self._pairing = Pairing()
        """Which download is which attachment's, across POs (a late download may outlive its PO)."""
        self._room: int | None = None
        """What the path budget leaves for a file name in the current PO's folder (None: no limit)."""

    def fetch(self, task: PoTask, emit: Emit) -> AttemptEnded:
        po = task.po
        url = self.portal.sel.po_page_url(self.portal.base_url, po.digits)
        emit(PoStarted(self.worker, po, task.attempt, url))

        def finished(status: PoStatus, message: str = "", **kw: Any) -> AttemptEnded:
            return AttemptEnded(self.worker, po, PoOutcome(status, message=message, url=url), **kw)

        try:
            state = self.portal.open_po(po.digits)
            early = _early_outcome(state)
            if early is not None:
                status, message, retryable = early
                reached = state.url if status is PoStatus.SIGN_IN_REQUIRED else ""
                return finished(status, message, retryable=retryable, reached=reached)
            return self._work(task, url, emit)
        except PortalTimeout as exc:
            return finished(PoStatus.FAILED, str(exc), retryable=True)
        except SignInLost:
            return finished(
                PoStatus.SIGN_IN_REQUIRED, SIGN_IN_AGAIN, retryable=True, reached=_where_now(self.portal)
            )
        except PageChanged:
            return finished(
                PoStatus.FAILED, "the page changed while its attachments were read", retryable=True
            )

    def _work(self, task: PoTask, url: str, emit: Emit) -> AttemptEnded:
        po = task.po
        listing = self.portal.wait_attachments()
        supplier = self.portal.supplier()
        source = "PO"
        note = ""
        if listing.verdict is ListVerdict.EMPTY:
            listing, source, note = self._requisition_fallback(listing)
        if listing.verdict is ListVerdict.UNCONFIRMED:
            reason = f"{UNCONFIRMED}: {listing.reason}" if listing.reason else UNCONFIRMED
            return AttemptEnded(
                self.worker,
                po,
                PoOutcome(PoStatus.FAILED, supplier=supplier, message=reason, url=url),
                retryable=listing.retry_helps,
            )

        try:
            check_staging_room(self.staging.path, self.settings.download_root, self.settings.path_limit)
            folder = make_work_folder(
                self.settings.download_root, supplier, po.display, self.settings.path_limit
            )
        except (UnsafeFolder, PathTooLong) as exc:  # a planted link, a root too deep: a retry cannot help
            return AttemptEnded(
                self.worker,
                po,
                PoOutcome(PoStatus.FAILED, supplier=supplier, message=str(exc), url=url),
                retryable=False,
            )
        except OSError as exc:
            self._raise_if_disk(Path(self.settings.download_root), exc)
            raise
        # Worked before: add to that folder, never a "(2)" beside it (a PO that lists nothing now
        # leaves the earlier files where they are, under the status they were saved with).
        before: list[PoStatus] = []  # the statuses the adopted folders were named with
        for earlier in earlier_folders(folder, po.display, task.folder) if listing.items else ():
            named = folder_status(earlier, po.display)
            if adopt_folder(earlier, folder, self.settings.download_root) and named is not None:
                before.append(named)
        self._known = list(task.known)
        self._told = set()
        self._room = name_room(folder.parent, po.display, self.settings.path_limit)
        try:
            return self._fill(po, url, listing, supplier, source, note, folder, emit, before)
        except (SignInLost, PageChanged, PortalTimeout, DiskProblem):
            # The attempt ends without a verdict: files that arrived stay for the next attempt, but a
            # folder with nothing in it is not left behind as if the PO had been worked, and a finished
            # folder taken over gets its name back (its earlier status is still true for its files).
            if before and _holds_files(folder):
                with contextlib.suppress(OSError):
                    finalise_folder(folder, po.display, folder_name_status(before, PoStatus.FAILED))
            _drop_if_empty(folder, self.settings.download_root)
            raise

    def _fill(
        self,
        po: PoNumber,
        url: str,
        listing: Listing,
        supplier: str,
        source: str,
        note: str,
        folder: Path,
        emit: Emit,
        before: list[PoStatus],
    ) -> AttemptEnded:
        """Download what the list names into ``folder``, then the late arrivals; the attempt's verdict.

        ``before``: the statuses of the earlier folders taken over; a worse verdict now leaves the folder
        under the better earlier name (:func:`folder_name_status`)."""
        items = list(listing.items)
        emit(AttachmentsFound(self.worker, po, supplier, tuple(a.name for a in items), source, str(folder)))
        result = self._download(po, items, folder, source, emit)
        done = Counter(a.key for a in items)
        for _ in range(EXTRA_ROUNDS if items else 0):
            late = _new_items(self.portal.listed_now(), done)
            if not late:
                break
            log.info("%s: %d more attachment(s) appeared after the first downloads", po, len(late))
            emit(
                AttachmentsFound(self.worker, po, supplier, tuple(a.name for a in late), source, str(folder))
            )
            more = self._download(po, late, folder, source, emit)
            result.saved += more.saved
            result.on_disk += more.on_disk
            result.failures += more.failures
            result.notes += more.notes
            items += late
            done.update(a.key for a in late)

        status = decide_outcome(listing.verdict, len(items), result.on_disk)
        size = sum(p.stat().st_size for p in result.saved)
        named = folder_name_status(before, status) if _holds_files(folder) else status
        if named is not status:
            self._tell_earlier_files(po, items, folder, source, emit)
        try:
            final = finalise_folder(folder, po.display, named)
        except OSError as exc:  # the files stay in the work folder, whole, for the next run
            self._raise_if_disk(folder, exc)
            if not in_use(exc):
                raise
            return AttemptEnded(  # still held after the retries: the next attempt renames it
                self.worker,
                po,
                PoOutcome(
                    PoStatus.FAILED,
                    supplier=supplier,
                    folder=str(folder),
                    message=f"{folder.name} could not be renamed: another program holds a file in it ({exc})",
                    url=url,
                ),
                retryable=True,
            )
        if named is not status:  # where the good files are, now that the folder has its final name
            result.notes.append(f"the files saved before stay in {final}")
        message = "; ".join([*(f"{n}: {why}" for n, why in result.failures), *result.notes])
        if note:
            message = f"{note}. {message}".strip(". ").strip()
        if status is PoStatus.PARTIAL:
            message = f"missing {len(items) - result.on_disk} of {len(items)}: {message}"
        return AttemptEnded(
            self.worker,
            po,
            PoOutcome(
                status,
                supplier=supplier,
                folder=str(final),
                found=len(items),
                downloaded=result.on_disk,
                size=size,
                names=tuple(p.name for p in result.saved),
                message=message,
                url=url,
            ),
        )

    def _tell_earlier_files(
        self, po: PoNumber, items: list[FoundAttachment], folder: Path, source: str, emit: Emit
    ) -> None:
        """Report the files an earlier run left in a folder that keeps its better name after a worse
        re-run (the journal that knew them may be lost): they are still this PO's files, so this batch's
        journal and manifest list them, hashed as they are now, instead of a manifest without them.
        Only files named as a listed attachment's are (a note the user put there is not a PO's file)."""
        names = [fit_component(a.name, self._room) for a in items]
        for path in sorted(folder.iterdir()):
            if path in self._told or path.is_symlink() or not path.is_file():
                continue
            if not any(in_name_family(path.name, n, self._room) for n in names):
                continue
            self._tell(po, path, source, emit, url=self.portal.url)

    def _tell(
        self,
        po: PoNumber,
        path: Path,
        source: str,
        emit: Emit,
        *,
        url: str,
        size: int | None = None,
        sha256: str = "",
    ) -> None:
        """Report one of the PO's files with ``FileSaved`` (the journal and manifest list it), once.
        ``size`` and ``sha256`` are read from the disk unless the journal already vouched for them."""
        self._told.add(path)
        emit(
            FileSaved(
                self.worker,
                po,
                path.name,
                str(path),
                path.stat().st_size if size is None else size,
                source,
                sha256=sha256 or sha256_file(path),
                url=url,
            )
        )

    def _requisition_fallback(self, listing: Listing) -> tuple[Listing, str, str]:
        """The PO proved empty: its requisition may hold the files. Returns listing, source and a note.

        A requisition the portal says is not found or not ours is no proof that there is nothing to fetch:
        the files may be on it. The list stays UNCONFIRMED (the PO fails, naming the requisition and why),
        without retries (the portal's own page said so), and "Retry failed" can try it once access is given.
        """
        req_url = self.portal.requisition_url()
        if not req_url:
            return listing, "PO", ""
        match = re.search(r"(\d+)/?(?:[?#].*)?$", req_url)
        req_digits = match.group(1) if match else ""
        state = self.portal.open(req_url, req_digits, requisition=True)
        label = f"requisition {req_digits or req_url}"
        match state.kind:
            case PageKind.REQUISITION | PageKind.PO:
                req = self.portal.wait_attachments()
                if req.verdict is ListVerdict.LISTED:
                    return req, label, f"attachments taken from {label}"
                if req.verdict is ListVerdict.EMPTY:
                    return req, "PO", f"no attachments on the PO or on {label}"
                return Listing(ListVerdict.UNCONFIRMED, f"{label}: {req.reason}"), "PO", ""
            case PageKind.SIGN_IN:
                raise SignInLost
            case PageKind.NOT_FOUND | PageKind.NO_ACCESS:
                why = "not found" if state.kind is PageKind.NOT_FOUND else "no access"
                reason = f"the PO lists none and {label} is not reachable ({why}: {state.detail})"
                return Listing(ListVerdict.UNCONFIRMED, reason, retry_helps=False), "PO", ""
            case _:
                return Listing(ListVerdict.UNCONFIRMED, f"{label}: {state.detail or state.kind}"), "PO", ""

    # ---------------------------------------------------------------- the disk

    def _disk(self, written: Path, *, error: OSError | None = None, needed: int = 0) -> DiskProblem | None:
        return disk_problem(self.settings.download_root, written, error=error, needed=needed)

    def _raise_if_disk(self, written: Path, error: OSError) -> None:
        """A write that failed because the disk is full or read-only ends the attempt without a verdict."""
        problem = self._disk(written, error=error)
        if problem is not None:
            raise problem from error

    # ---------------------------------------------------------------- downloads

    def _download(
        self, po: PoNumber, items: list[FoundAttachment], folder: Path, source: str, emit: Emit
    ) -> _Round:
        if not items:
            return _Round()
        kept = self._keep_known(po, items, folder, source, emit)
        items = [a for a in items if not any(a is k for k in kept.fetched)]
        if not items:
            return kept.round
        if self.tracker is not None and self.tracker.alive:
            staged, result, interrupted = self._download_cdp(po, items, emit)
        else:
            staged, result, interrupted = self._download_by_folder(po, items, emit)
        for att, path, name in staged:
            try:
                placed = place_download(path, folder, name, self._room)
            except OSError as exc:  # the file stays in staging, never half in the PO folder
                self._raise_if_disk(folder, exc)
                raise
            result.on_disk += 1
            edited = next((n for a, n in kept.edited if a is att), None)
            if edited is not None:
                result.notes.append(
                    f"{edited} changed since it was saved: kept as it is, "
                    f"the portal's copy is {placed.path.name}"
                )
            if placed.duplicate:
                log.info("%s: %s is the same file as %s; kept once", po, att.name, placed.path.name)
                if placed.path in self._told:
                    continue
                # The copy an earlier run left: still this PO's file, so this batch's journal lists it.
            result.saved.append(placed.path)
            self._tell(po, placed.path, source, emit, url=att.url or self.portal.url)
        if result.disk is not None:
            raise result.disk  # what did arrive is placed above and stays for the next run
        if interrupted:
            raise SignInLost  # what did arrive stays in the work folder for the retry
        for name, reason in result.failures:
            emit(FileFailed(self.worker, po, name, reason))
        result.saved = kept.round.saved + result.saved
        result.on_disk += kept.round.on_disk
        return result

    def _keep_known(
        self, po: PoNumber, items: list[FoundAttachment], folder: Path, source: str, emit: Emit
    ) -> _Kept:
        """Attachments an earlier run already saved here, bytes checked: counted, told, not fetched."""
        kept = _Kept()
        shared = shared_paths(att.url for att in items)
        for att in items if self._known else ():
            url = "" if url_for_record(att.url) in shared else att.url  # by name: the path cannot tell
            known = match_known(att.name, url, self._known, self._room)
            if known is None:
                continue
            path = still_there(known, folder)
            if path is None:
                mine = users_copy(known, folder)
                if mine is not None:  # the user's file now: it stays, the portal's copy goes beside it
                    log.info("%s: %s changed since it was saved; kept, fetched again beside it", po, mine)
                    kept.edited.append((att, mine.name))
                else:
                    drop_changed(known, folder)  # torn in a crashed work folder: fetched again instead
                continue
            log.info("%s: %s is already here with the same bytes; not downloaded again", po, path.name)
            kept.fetched.append(att)
            kept.round.saved.append(path)
            kept.round.on_disk += 1
            self._tell(
                po,
                path,
                source,
                emit,
                url=known.url or att.url or self.portal.url,
                size=known.size,
                sha256=known.sha256,
            )
        return kept

    def _download_cdp(
        self, po: PoNumber, items: list[FoundAttachment], emit: Emit
    ) -> tuple[list[tuple[FoundAttachment, Path, str]], _Round, bool]:
        """Start each attachment and wait for *its* download to begin, then wait for all to finish.

        A download counts for an attachment only when ``Pairing`` says it is that attachment's own: a
        download that begins late (after the click fallback started the same file again) is never taken
        for the next attachment's file. Downloads no attachment claims are dropped when the round ends.
        """
        tracker = self.tracker
        assert tracker is not None
        result = _Round()
        begun: list[tuple[FoundAttachment, str]] = []
        claimed: set[str] = set()
        urls = {url_key(a.url) for a in items if a.url}
        first_mark = tracker.mark()
        page_url = self.portal.url
        unbegun: list[FoundAttachment] = []

        def own(att: FoundAttachment) -> Callable[[DownloadInfo], bool]:
            wanted = Wanted.of(att.url, att.name)
            others = urls - {wanted.url}
            return lambda info: info.guid not in claimed and self._pairing.is_own(info, wanted, others)

        try:
            for index, att in enumerate(items):
                mark = tracker.mark()
                timeout = self.settings.begin_timeout
                try:
                    self.portal.start(att)
                    info = tracker.wait_begin(mark, timeout, own(att))
                    if info is None:  # it may still begin, late: never to be taken for another's
                        self._pairing.orphan(Wanted.of(att.url, att.name))
                    if info is None and att.url:
                        log.info("%s: %s did not download from its URL; clicking it instead", po, att.name)
                        self.portal.click(att.element)
                        info = tracker.wait_begin(mark, timeout, own(att))
                except StartFailed as exc:
                    result.failures.append((att.name, f"could not start the download ({exc.kind})"))
                    continue
                if info is None:
                    if self.portal.on_sign_in_page():
                        return self._collect(po, begun, result, emit, interrupted=True)
                    unbegun.append(att)
                    if self.portal.url != page_url:
                        for rest in items[index + 1 :]:
                            result.failures.append(
                                (rest.name, "the page went elsewhere before it could be started")
                            )
                        break
                    continue
                claimed.add(info.guid)
                begun.append((att, info.guid))
            for att in unbegun:  # its own download may have begun while later ones were started
                info = tracker.wait_begin(first_mark, 0, own(att))
                if info is None:
                    result.failures.append((att.name, "clicking it started no download"))
                    continue
                log.info("%s: %s began its download late; it is still its own", po, att.name)
                claimed.add(info.guid)
                begun.append((att, info.guid))
            return self._collect(po, begun, result, emit, interrupted=False)
        except Exception:  # not on SystemExit: a stopping worker must not wait on the browser
            self._end_round(set())  # nothing of this round is placed: drop and forget it all
            raise

    def _end_round(self, keep: set[str]) -> None:
        tracker = self.tracker
        assert tracker is not None
        for info in tracker.end_round(keep):
            self._pairing.dropped(info)

    def _collect(
        self,
        po: PoNumber,
        begun: list[tuple[FoundAttachment, str]],
        result: _Round,
        emit: Emit,
        *,
        interrupted: bool,
    ) -> tuple[list[tuple[FoundAttachment, Path, str]], _Round, bool]:
        tracker = self.tracker
        assert tracker is not None
        last = [0.0]

        def progress(received: int) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY:
                last[0] = now
                emit(DownloadProgress(self.worker, po, received))

        outcome = tracker.wait_done(
            [guid for _, guid in begun],
            stall_timeout=self.settings.download_timeout,
            give_up=self.portal.on_sign_in_page,
            on_progress=progress,
        )
        completed = {i.guid: i for i in outcome.completed}
        stalled = {i.guid for i in outcome.stalled}
        staged: list[tuple[FoundAttachment, Path, str]] = []
        for att, guid in begun:
            info = completed.get(guid)
            if info is not None:
                name = (
                    info.suggested_filename if info.suggested_filename not in ("", "download") else att.name
                )
                staged.append((att, info.path, name))
            elif guid in stalled:
                tracker.cancel(guid)
                result.failures.append((att.name, f"no progress for {self.settings.download_timeout:.0f} s"))
            else:
                result.failures.append((att.name, "the browser cancelled the download"))
                dropped = tracker.info(guid)
                needed = dropped.total_bytes if dropped is not None and dropped.total_bytes else LOW_SPACE
                result.disk = result.disk or self._disk(self.staging.path, needed=needed)
        self._end_round({guid for _, guid in begun})
        return staged, result, interrupted or outcome.interrupted

    def _download_by_folder(
        self, po: PoNumber, items: list[FoundAttachment], emit: Emit
    ) -> tuple[list[tuple[FoundAttachment, Path, str]], _Round, bool]:
        """Fallback without CDP: click everything, watch the staging folder, pair files by name."""
        result = _Round()
        self.staging.begin()
        clicked: list[FoundAttachment] = []
        for att in items:
            try:
                self.portal.start(att)
                clicked.append(att)
            except BrowserCommandFailed as exc:  # a stale element too: this route carries on without it
                result.failures.append((att.name, f"could not click ({exc.kind})"))
        wait = self.staging.wait(
            len(clicked), stall_timeout=self.settings.download_timeout, give_up=self.portal.on_sign_in_page
        )
        if wait.stalled:
            self.staging.abandon(wait.stalled)
        pairs, missing = match_arrivals([a.name for a in clicked], [p.name for p in wait.arrived])
        by_name: dict[str, list[FoundAttachment]] = {}
        for att in clicked:
            by_name.setdefault(att.name, []).append(att)
        staged = [
            (by_name[expected].pop(0), self.staging.path / arrived, arrived) for expected, arrived in pairs
        ]
        reason = (
            f"no progress for {self.settings.download_timeout:.0f} s" if wait.stalled else "never arrived"
        )
        result.failures += [(name, reason) for name in missing]
        if missing:
            result.disk = self._disk(self.staging.path, needed=LOW_SPACE)
        return staged, result, wait.interrupted


def _new_items(now: tuple[FoundAttachment, ...], done: Counter[str]) -> list[FoundAttachment]:
    """Items listed now beyond those already worked (by key, counting repeats)."""
    seen: Counter[str] = Counter()
    late = []
    for att in now:
        seen[att.key] += 1
        if seen[att.key] > done[att.key]:
            late.append(att)
    return late


def _holds_files(folder: Path) -> bool:
    """Whether ``folder`` has any file in it (a folder with nothing in it promises nothing)."""
    try:
        with os.scandir(folder) as entries:
            return any(entry.is_file(follow_symlinks=False) for entry in entries)
    except OSError:
        return False


def _drop_if_empty(folder: Path, root: Path) -> None:
    """Remove ``folder`` and then its supplier folder if they are empty (never ``root`` itself)."""
    for path in (folder, folder.parent):
        if path == root:
            return
        try:
            path.rmdir()  # only succeeds when empty: nothing that arrived is ever removed
        except OSError:
            return


def _where_now(portal: CoupaPortal) -> str:
    """The browser's address, for a message; "" when the browser cannot tell (it may be gone)."""
    try:
        return portal.url
    except Exception:  # a dead browser: the attempt is already over, the address is only a detail
        return ""


def _early_outcome(state: PageState) -> tuple[PoStatus, str, bool] | None:
    """Status, message and retryability for a page that is not a PO page; None for a PO page."""
    match state.kind:
        case PageKind.PO | PageKind.REQUISITION:
            return None
        case PageKind.SIGN_IN:
            return PoStatus.SIGN_IN_REQUIRED, SIGN_IN_AGAIN, True
        case PageKind.NOT_FOUND:
            return PoStatus.PO_NOT_FOUND, f"Coupa: {state.detail}" if state.detail else "PO not found", False
        case PageKind.NO_ACCESS:
            return PoStatus.NO_ACCESS, f"Coupa: {state.detail}" if state.detail else "not authorised", False
        case PageKind.UNPROVEN:  # a proxy's, a CDN's or a bare status: the next request may serve the PO
            return PoStatus.FAILED, state.detail or "an error page that is not Coupa's", True
        case _:
            return PoStatus.FAILED, f"portal error: {state.detail or state.kind}", True
