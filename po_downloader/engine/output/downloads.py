"""Knowing when downloads are really on disk, and placing them in the PO's folder.

A click that "worked" proves nothing (the old tool counted clicks). A file counts once the browser has
renamed it from its in-progress name in the worker's staging folder; then it is moved, under a safe and
unique name, into the PO's folder. A download that makes no progress for ``stall_timeout`` seconds fails
alone, and its late arrival is ignored so it cannot be mistaken for a later PO's file.
"""

from __future__ import annotations

import errno
import filecmp
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.events import FileBytes, OnProgress
from po_downloader.engine.output.naming import fit_component, in_name_family, safe_component, unique_path
from po_downloader.engine.system.units import human_bytes

log = logging.getLogger(__name__)

IN_PROGRESS_SUFFIXES = (".crdownload", ".partial", ".download", ".tmp")


def is_in_progress(name: str) -> bool:
    """Browsers write into hidden temp files (``.org.chromium.Chromium.XXXX``) and ``*.crdownload`` first;
    they never save a finished download under a leading dot, so every dot-file is unfinished."""
    return name.startswith(".") or name.lower().endswith(IN_PROGRESS_SUFFIXES)


def final_name_of(in_progress: str) -> str:
    for suffix in IN_PROGRESS_SUFFIXES:
        if in_progress.lower().endswith(suffix):
            return in_progress[: -len(suffix)]
    return in_progress


@dataclass
class WaitResult:
    arrived: list[Path]
    stalled: list[str]
    """In-progress names still there when the wait gave up."""
    interrupted: bool = False
    """``give_up`` said to stop (e.g. the browser was sent to the sign-in page)."""


@dataclass
class StagingDir:
    """The folder the browser downloads into; one per worker, emptied after every PO."""

    path: Path
    ignored: set[str] = field(default_factory=set)

    def _scan(self) -> tuple[dict[str, int], dict[str, int]]:
        complete: dict[str, int] = {}
        pending: dict[str, int] = {}
        try:
            entries = list(os.scandir(self.path))
        except FileNotFoundError:
            return complete, pending
        for entry in entries:
            if not entry.is_file() or entry.name in self.ignored:
                continue
            try:
                size = entry.stat().st_size
            except FileNotFoundError:
                continue  # renamed between scandir and stat: seen on the next poll
            (pending if is_in_progress(entry.name) else complete)[entry.name] = size
        return complete, pending

    def wait(
        self,
        expected: int,
        *,
        stall_timeout: float,
        poll: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        on_progress: OnProgress | None = None,
        give_up: Callable[[], bool] | None = None,
    ) -> WaitResult:
        """Wait until ``expected`` complete files are here and none is in progress, or progress stalls.

        ``give_up`` is asked after each second without progress: a click that led to a sign-in page
        instead of a download will never arrive, and waiting out the stall timeout would only cost time.
        """
        last_change = clock()
        last_seen: tuple[frozenset[str], tuple[tuple[str, int], ...]] | None = None
        while True:
            complete, pending = self._scan()
            seen = (frozenset(complete), tuple(sorted(pending.items())))
            if seen != last_seen:
                last_seen = seen
                last_change = clock()
                if on_progress:
                    on_progress(tuple(FileBytes(n, b) for n, b in sorted({**complete, **pending}.items())))
            if len(complete) >= expected and not pending:
                return WaitResult(sorted(self.path / n for n in complete), [])
            quiet = clock() - last_change
            if quiet > stall_timeout:
                return WaitResult(sorted(self.path / n for n in complete), sorted(pending))
            if give_up is not None and quiet >= 1.0 and give_up():
                return WaitResult(sorted(self.path / n for n in complete), sorted(pending), interrupted=True)
            sleep(poll)

    def begin(self) -> None:
        """Start of a PO: whatever is already here belongs to an earlier, failed attempt.

        Only what is here now (and what it may still turn into) is ignored from now on: an abandoned
        download the browser has since dropped must not hide a later PO's file of the same name.
        """
        self.ignored.clear()
        try:
            self.abandon(entry.name for entry in os.scandir(self.path))
        except FileNotFoundError:
            pass

    def abandon(self, names: Iterable[str]) -> None:
        """Never count these (or what they become) later: they belong to a failed download."""
        for name in names:
            self.ignored.add(name)
            self.ignored.add(final_name_of(name))


def match_arrivals(expected: list[str], arrived: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Pair expected attachment names with files that arrived; return pairs and the names that did not.

    Browsers rename files (unsafe characters, ``name (1).pdf`` for duplicates), so exact names pair first,
    then names that agree case-insensitively or once made safe, then what is left in order.
    """
    remaining = list(arrived)
    pairs: list[tuple[str, str]] = []
    unmatched = list(expected)
    keys: tuple[Callable[[str], str], ...] = (
        lambda n: n,
        str.casefold,
        lambda n: safe_component(n).casefold(),
    )
    for key in keys:
        still = []
        for name in unmatched:
            hit = next((a for a in remaining if key(a) == key(name)), None)
            if hit is None:
                still.append(name)
            else:
                remaining.remove(hit)
                pairs.append((name, hit))
        unmatched = still
    while unmatched and remaining:
        pairs.append((unmatched.pop(0), remaining.pop(0)))
    return pairs, unmatched


@dataclass(frozen=True)
class Placed:
    path: Path
    duplicate: bool
    """An identical file of that name was already in the folder; the new copy was dropped."""


def place_download(staged: Path, folder: Path, name: str, max_len: int | None = None) -> Placed:
    """Move a complete download into ``folder`` as a safe ``name``; never overwrite, never save twice.

    The same file offered twice (an attachment span and a comment link), or left by an interrupted attempt,
    has identical bytes under the same name (or its ``name (2)`` form): it is kept once. A different file
    with the same name gets the next free ``name (n)``. ``max_len``: what the path budget leaves for the
    name (:func:`~po_downloader.engine.output.naming.name_room`); its stem is cut, its extension kept.
    """
    safe = fit_component(name, max_len)
    size = staged.stat().st_size
    for existing in same_name_family(folder, safe, max_len):
        if same_file(existing, staged):  # one file under two spellings (a case-insensitive disk)
            return Placed(existing, duplicate=True)
        if existing.stat().st_size == size and filecmp.cmp(existing, staged, shallow=False):
            staged.unlink()
            return Placed(existing, duplicate=True)
    target = unique_path(folder, safe, max_len)
    _move(staged, target)
    return Placed(target, duplicate=False)


IN_USE_WINERRORS = frozenset({5, 32, 33})
"""ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: on Windows a rename or move fails
with these while another program holds the file or a file in the folder (an antivirus scanning a new
download, a PDF the user opened from ``__WORK``, the search indexer). They pass within seconds."""
IN_USE_DELAYS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0)
"""Seconds between tries of a rename that met a file in use: about 8 s in all before it fails."""


def in_use(exc: OSError) -> bool:
    """The error is Windows saying another program holds the file (retry), not a real refusal."""
    return isinstance(exc, PermissionError) and getattr(exc, "winerror", None) in IN_USE_WINERRORS


def retry_in_use(
    op: Callable[[], None],
    *,
    delays: Iterable[float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> None:
    """Run a rename or move ``op``; while Windows says a file is in use by another program, wait and try
    again with backoff (:data:`IN_USE_DELAYS`), then let the last error go. Any other error is raised at
    once: only a sharing violation passes by itself."""
    sleep = sleep or time.sleep
    for delay in (*(IN_USE_DELAYS if delays is None else delays), None):
        try:
            op()
            return
        except OSError as exc:
            if delay is None or not in_use(exc):
                raise
            log.info("a file is in use by another program (%s); trying again in %.2f s", exc, delay)
            sleep(delay)


def same_file(a: Path, b: Path) -> bool:
    """``a`` and ``b`` are one file or folder on disk, however they are spelled.

    Windows and macOS disks ignore case (``ACME/PO1__WORK`` is ``Acme/PO1__WORK``), so comparing paths as
    text calls one folder two and "merges" it into itself, deleting each file as its own duplicate.
    Identity (device and inode, ``os.path.samefile``) is what the disk says; a path that is not there
    is nobody's twin.
    """
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _move(staged: Path, target: Path) -> None:
    """Rename when staging and the PO folder share a disk (the usual case: staging lies under the root).

    Across disks (a folder under the root mounted from elsewhere) the bytes are copied beside the target
    under an unfinished name (a dot-file, never counted) and renamed once whole, so a disk that fills
    mid-copy leaves no short file looking complete; the staged file stays until the copy is in place.
    """
    try:
        retry_in_use(lambda: os.replace(staged, target))
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    partial = target.with_name(f".{target.name}.partial")
    try:
        shutil.copyfile(staged, partial)
        retry_in_use(lambda: os.replace(partial, target))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    staged.unlink()


def same_name_family(folder: Path, name: str, max_len: int | None = None) -> list[Path]:
    """Files in ``folder`` named ``name`` or ``name (n)``, compared as Windows and macOS compare names
    (``name_key``: case and normalisation form ignored).

    A symbolic link is never one of them: comparing through it would read, and count as saved, a file
    outside the folder.
    """
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(
        Path(e.path)
        for e in entries
        if e.is_file(follow_symlinks=False) and in_name_family(e.name, name, max_len)
    )


# ---------------------------------------------------------------- the disk itself

FULL_ERRNOS = frozenset(n for n in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if n is not None)
READ_ONLY_ERRNOS = frozenset({errno.EROFS})
LOW_SPACE = 1024 * 1024
"""Free bytes under which a dropped download of unknown size is put down to a full disk."""


class DiskProblem(PoDownloaderError):
    """The download disk takes no more (full, or read-only): no PO's fault, and every worker would meet it,
    so the batch stops and the PO in hand stays to do instead of being failed."""


def disk_problem(
    root: Path, written: Path, *, error: OSError | None = None, needed: int = 0
) -> DiskProblem | None:
    """Whether the disk is why writing under ``written`` failed, or why the browser dropped a download.

    ``error`` is the failed write's own error, when there is one; without it (the browser only says a
    download was cancelled) the disk is asked: read-only, or less free than the ``needed`` bytes (the
    whole file: the browser deletes what it had written). The message names ``root``, the user's folder,
    or the folder written when that is a disk of its own (mounted under the root).
    """
    code = error.errno if error is not None else None
    where = _existing(written)
    if where is not None and not _same_disk(where, root):
        root = _mount_point(where)
    if code in READ_ONLY_ERRNOS or (code is None and where is not None and _read_only(where)):
        return DiskProblem(
            ErrorKind.DISK_READ_ONLY, f"the download folder {root} is on a read-only disk", path=root
        )
    free = _free(where) if where is not None else None
    if code in FULL_ERRNOS or (code is None and free is not None and free < max(needed, 1)):
        left = human_bytes(free) if free is not None else "?"
        return DiskProblem(
            ErrorKind.DISK_FULL, f"the download folder {root} is full ({left} free)", path=root, free=left
        )
    return None


def _existing(path: Path) -> Path | None:
    """``path`` or its nearest existing parent (a folder of a PO that was never made)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None


def _same_disk(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_dev == b.stat().st_dev
    except OSError:
        return True


def _mount_point(path: Path) -> Path:
    """The topmost folder above ``path`` on the same disk."""
    while path.parent != path and _same_disk(path.parent, path):
        path = path.parent
    return path


def _read_only(path: Path) -> bool:
    if hasattr(os, "statvfs"):
        try:
            return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
        except OSError:
            return False
    return not os.access(path, os.W_OK)  # Windows: the read-only attribute of the folder or drive


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None
