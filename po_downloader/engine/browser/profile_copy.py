"""Copying a source browser profile for a worker: the per-worker temporary copies the workers run on.

A worker never runs on the user's profile itself: two browsers cannot share one user-data-dir, and the
user's own browser may hold it. Each worker gets a selective copy that keeps the sign-in (cookies,
storage, Local State with the cookie key) and leaves out caches, which are large and slow to copy.
The source is only ever read: files are opened read-only and SQLite databases through ``mode=ro``.
A real Edge profile is mostly caches, other sites' data and extensions (about 1 GB is common): none of it
is copied, so a worker's copy stays a few hundred KiB and its start does not grow with the profile.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from ipaddress import ip_address
from pathlib import Path, PurePath, PurePosixPath
from urllib.parse import urlsplit

from po_downloader.engine.browser.profile_finder import LOCAL_STATE
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.system.removal import remove_tree

log = logging.getLogger(__name__)

# What keeps a sign-in, relative to the profile directory. Directories are copied whole, minus _SKIP.
# Saved passwords (Login Data, Login Data For Account) and autofill with payment cards (Web Data) are
# left out: a session signs in with its cookies and never needs them, and a copy in a temporary folder
# is one more place they could leak from. Their side files (-journal, -wal) travel only with them.
_PROFILE_FILES = (
    "Cookies",
    "Extension Cookies",
    "Preferences",
    "Secure Preferences",
)
_SECRET_DBS = frozenset({"Login Data", "Login Data For Account", "Web Data"})
"""Never copied, wherever they sit (the walked directories too): see above."""
_PROFILE_DIRS = ("Network", "Local Storage", "Session Storage", "IndexedDB")
_COOKIE_DBS = ("Cookies", "Network/Cookies")
_INDEXED_DB = "IndexedDB"
"""One folder per origin (``https_host_0.indexeddb.leveldb``, ``….indexeddb.blob``); other sites' (mail,
chat, office suites) run to hundreds of MB and never sign anyone in to the portal."""
# Locks of the running source browser (a copy that has them refuses to start) and caches.
_SKIP_NAMES = frozenset(
    {
        "lockfile",
        "LOCK",  # LevelDB's lock file; LevelDB creates it again, and Windows keeps it open exclusively
        "Cache",
        "Code Cache",
        "GPUCache",
        "ShaderCache",
        "GrShaderCache",
        "GraphiteDawnCache",
        "DawnGraphiteCache",
        "DawnWebGPUCache",
        "CacheStorage",
        "ScriptCache",
        "Service Worker",
        "Crashpad",
    }
)
_SKIP_PREFIXES = ("Singleton",)
# SQLite's side files travel with their database, never on their own; ``-shm`` is never copied.
_SQLITE_SIDECARS = ("-journal", "-wal", "-shm")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_BACKUP_POLL = 0.05


class ProfileCopyError(PoDownloaderError):
    """The copy cannot be used (no sign-in cookies, source missing...); ``kind`` says which."""


@dataclass(frozen=True)
class SourceProfile:
    """A profile to copy from. ``own`` is po-downloader's own sign-in profile, which chromedriver created;
    a user's real Edge/Chrome profile is ``own=False``."""

    user_data_dir: Path
    profile_name: str = "Default"
    own: bool = field(kw_only=True)

    @property
    def profile_dir(self) -> Path:
        return self.user_data_dir / self.profile_name


@dataclass(frozen=True)
class ProfileCopy:
    user_data_dir: Path
    profile_name: str
    files: int
    bytes: int
    seconds: float


def browser_switches_to_exclude(source: SourceProfile) -> list[str]:
    """Chromedriver switches to drop so a copy of ``source`` comes up signed in.

    A user's profile has its cookies sealed by the OS key store (Keychain, GNOME keyring); chromedriver's
    default ``--password-store=basic``/``--use-mock-keychain`` would hide that key and sign the copy out.
    """
    if source.own:
        return ["enable-automation"]
    return ["password-store", "use-mock-keychain", "enable-automation"]


def _skipped(name: str) -> bool:
    return (
        name in _SKIP_NAMES
        or name in _SECRET_DBS
        or name.startswith(_SKIP_PREFIXES)
        or name.endswith(_SQLITE_SIDECARS)
    )


def _walk_files(directory: Path, rel: PurePosixPath) -> Iterator[tuple[Path, PurePosixPath]]:
    """Regular files under ``directory``, minus locks and caches; symlinks are never followed."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        log.warning("cannot list %s: %s", directory, exc)
        return
    for entry in entries:
        if _skipped(entry.name) or entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk_files(Path(entry.path), rel / entry.name)
        elif entry.is_file(follow_symlinks=False):
            yield Path(entry.path), rel / entry.name


def _site(host: str) -> str:
    """The registrable part we compare hosts by: an IP address as it is, a name by its last two labels
    (``acme.coupahost.com`` and ``supplier.coupahost.com`` are one site)."""
    host = host.lower().strip("[]")
    try:
        ip_address(host)
        return host
    except ValueError:
        return ".".join(host.rstrip(".").split(".")[-2:])


def _indexed_db_host(entry: str) -> str:
    """``https_acme.coupahost.com_0.indexeddb.leveldb`` → ``acme.coupahost.com`` ("" if not that shape)."""
    origin, found, _ = entry.partition(".indexeddb.")
    _scheme, _, host_port = origin.partition("_")
    host, _, _port = host_port.rpartition("_")
    return host if found else ""


def keeps_indexed_db(entry: str, portal_url: str) -> bool:
    """Whether the IndexedDB folder ``entry`` travels to a copy for ``portal_url`` ("" keeps every one)."""
    if not portal_url:
        return True
    host = _indexed_db_host(entry)
    return bool(host) and _site(host) == _site(urlsplit(portal_url).hostname or "")


def _planned_files(source: SourceProfile, portal_url: str = "") -> Iterator[tuple[Path, PurePosixPath]]:
    """Each source file to copy and its path relative to the copy's User Data directory."""
    local_state = source.user_data_dir / LOCAL_STATE
    if local_state.is_file():
        yield local_state, PurePosixPath(LOCAL_STATE)
    else:
        log.warning(
            "%s has no %s: cookies sealed with its key will not decrypt", source.user_data_dir, LOCAL_STATE
        )
    rel = PurePosixPath(source.profile_name)
    for name in _PROFILE_FILES:
        path = source.profile_dir / name
        if path.is_file() and not path.is_symlink():
            yield path, rel / name
    for name in _PROFILE_DIRS:
        path = source.profile_dir / name
        if not path.is_dir() or path.is_symlink():
            continue
        for src, dst in _walk_files(path, rel / name):
            if name != _INDEXED_DB or keeps_indexed_db(dst.parts[2], portal_url):
                yield src, dst


class _DatabaseLocked(Exception):
    pass


class _CopyFailed(Exception):
    pass


def _sqlite_header(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(100)
    except OSError:
        return b""


def _is_sqlite(header: bytes) -> bool:
    return len(header) == 100 and header.startswith(_SQLITE_MAGIC)


def _is_wal(header: bytes) -> bool:
    """Header bytes 18/19 are 2 for a WAL database."""
    return header[18] == 2 or header[19] == 2


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove_db(path: Path) -> None:
    for suffix in ("", *_SQLITE_SIDECARS):
        _sidecar(path, suffix).unlink(missing_ok=True)


def _backup(src: Path, dst: Path, timeout: float) -> None:
    """Copy a consistent snapshot through sqlite's backup API, giving up after ``timeout`` if locked.

    ``Connection.backup`` retries a locked source forever; raising from its progress callback is the only
    way out, so the callback enforces the deadline.
    """
    deadline = time.monotonic() + timeout

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (_SQLITE_BUSY, _SQLITE_LOCKED) and time.monotonic() >= deadline:
            raise _DatabaseLocked(f"{src} stayed locked for {timeout:g} s")

    uri = src.resolve().as_uri() + "?mode=ro"
    with (
        closing(sqlite3.connect(uri, uri=True, timeout=min(_BACKUP_POLL, timeout))) as source,
        closing(sqlite3.connect(dst)) as target,
    ):
        source.backup(target, pages=-1, progress=progress, sleep=_BACKUP_POLL)


def _plain_copy_db(src: Path, dst: Path, sidecars: tuple[str, ...]) -> None:
    """Copy the database file with the side files that hold its pending or committed changes.

    A copied hot journal is rolled back (and a WAL replayed) when the copy is first opened.
    """
    shutil.copyfile(src, dst)
    for suffix in sidecars:
        side = _sidecar(src, suffix)
        if side.is_file() and side.stat().st_size > 0:
            shutil.copyfile(side, _sidecar(dst, suffix))


def _verify_db(path: Path) -> None:
    """Open the copy (recovering it from the copied journal/WAL) and check it is a sound database."""
    try:
        with closing(sqlite3.connect(path, timeout=1.0)) as conn:
            row = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as exc:
        raise _CopyFailed(f"the copy of {path.name} is not a usable database: {exc}") from exc
    if row != ("ok",):
        raise _CopyFailed(f"the copy of {path.name} is damaged: {row}")


def _copy_sqlite(src: Path, dst: Path, header: bytes, timeout: float) -> None:
    if _is_wal(header):
        # Any connection to a WAL database writes its -shm (even read-only), so never open the source.
        _plain_copy_db(src, dst, ("-wal",))
        _verify_db(dst)
        return
    try:
        _backup(src, dst, timeout)
        _verify_db(dst)  # the backup API copies pages as they are, damage included
        return
    except _DatabaseLocked as exc:
        log.warning("%s; copying the file as it is", exc)
    except sqlite3.Error as exc:
        log.warning("%s could not be read through sqlite (%s); copying the file as it is", src, exc)
    _remove_db(dst)
    _plain_copy_db(src, dst, ("-journal", "-wal"))
    _verify_db(dst)


def _copy_one(src: Path, dst: Path, timeout: float) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    header = _sqlite_header(src)
    try:
        if _is_sqlite(header):
            _copy_sqlite(src, dst, header, timeout)
        else:
            shutil.copyfile(src, dst)
    except (_CopyFailed, OSError) as exc:
        _remove_db(dst)
        if isinstance(exc, _CopyFailed):
            raise
        raise _CopyFailed(f"{src} could not be copied: {exc}") from exc


def _prepare_dest(dest: Path) -> bool:
    """Create ``dest`` private (0700); return True if it was created here."""
    if dest.exists() or dest.is_symlink():
        if not dest.is_dir() or dest.is_symlink() or any(dest.iterdir()):
            raise ProfileCopyError(
                ErrorKind.PROFILE_COPY_TARGET_NOT_EMPTY,
                f"the profile copy target {dest} exists and is not an empty directory",
                path=dest,
            )
        created = False
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.mkdir(mode=0o700)
        created = True
    if os.name == "posix":
        dest.chmod(0o700)
    return created


def _tally(root: Path) -> tuple[int, int]:
    files = size = 0
    for directory, _dirs, names in os.walk(root):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(directory, name)).st_size
    return files, size


def _check_source(source: SourceProfile) -> None:
    if source.profile_name in ("", ".", "..") or PurePath(source.profile_name).name != source.profile_name:
        raise ProfileCopyError(
            ErrorKind.PROFILE_NAME_INVALID,
            f"not a profile directory name: {source.profile_name!r}",
            name=source.profile_name,
        )
    if not source.profile_dir.is_dir():
        raise ProfileCopyError(
            ErrorKind.PROFILE_NOT_FOUND,
            f"browser profile not found: {source.profile_dir}",
            path=source.profile_dir,
        )
    if not any((source.profile_dir / name).is_file() for name in _COOKIE_DBS):
        raise ProfileCopyError(
            ErrorKind.PROFILE_NO_COOKIES,
            f"the profile {source.profile_dir} has no Cookies database: "
            "sign in once with it, then close the browser",
            path=source.profile_dir,
        )


def _copy_all(source: SourceProfile, dest: Path, timeout: float, portal_url: str) -> None:
    essential = {PurePosixPath(source.profile_name, name) for name in _COOKIE_DBS}
    for src, rel in _planned_files(source, portal_url):
        try:
            _copy_one(src, dest.joinpath(*rel.parts), timeout)
        except _CopyFailed as exc:
            if rel in essential:
                raise ProfileCopyError(
                    ErrorKind.PROFILE_COOKIES_LOCKED,
                    f"could not copy the sign-in cookies ({exc}); "
                    "close the browser that uses this profile and try again",
                    detail=exc,
                ) from exc
            log.warning("skipped %s in the profile copy: %s", rel, exc)
    if not any(dest.joinpath(*rel.parts).is_file() for rel in essential):
        raise ProfileCopyError(
            ErrorKind.PROFILE_COPY_NO_COOKIES,
            f"the copy of {source.profile_dir} has no Cookies database",
            path=source.profile_dir,
        )


def copy_profile(
    source: SourceProfile, dest: Path, *, sqlite_timeout: float = 10.0, portal_url: str = ""
) -> ProfileCopy:
    """Make a signed-in, cache-free copy of ``source`` in ``dest`` (a new or empty directory, made 0700).

    With ``portal_url`` only the portal's site's IndexedDB travels (a worker visits nothing else).
    A database the running browser keeps locked is waited for up to ``sqlite_timeout`` seconds, then copied
    as a plain file; one that cannot be copied is skipped, except the Cookies, whose loss raises
    ``ProfileCopyError`` (and leaves no partial copy behind).
    """
    started = time.monotonic()
    _check_source(source)
    created = _prepare_dest(dest)
    try:
        _copy_all(source, dest, sqlite_timeout, portal_url)
    except BaseException:
        _discard(dest, keep_root=not created)
        raise
    files, size = _tally(dest)
    seconds = time.monotonic() - started
    log.info(
        "copied profile %s to %s: %d files, %d bytes, %.3f s", source.profile_dir, dest, files, size, seconds
    )
    return ProfileCopy(dest, source.profile_name, files, size, seconds)


def _discard(dest: Path, *, keep_root: bool) -> None:
    try:
        if keep_root:
            for child in dest.iterdir():
                remove_tree(child)
        else:
            remove_tree(dest)
    except OSError as exc:
        log.warning("could not clean up the failed profile copy %s: %s", dest, exc)
