"""Copying a profile for a worker: the sign-in travels, caches, locks and saved secrets do not, and the
source is only ever read."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from po_downloader.engine.browser.profile_copy import (
    ProfileCopyError,
    SourceProfile,
    browser_switches_to_exclude,
    copy_profile,
    keeps_indexed_db,
)

FileState = dict[str, tuple[bytes, int]]


def make_db(path: Path, rows: list[str], *, wal: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as conn:
        if wal:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (value TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [(row,) for row in rows])
        conn.commit()


def read_db(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        return [row[0] for row in conn.execute("SELECT value FROM t ORDER BY rowid")]


def write(path: Path, data: bytes = b"x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture
def user_data(tmp_path: Path) -> Path:
    """A Chromium-like User Data dir: a signed-in Default profile with caches and the running browser's locks."""
    root = tmp_path / "User Data"
    local_state = {"profile": {"info_cache": {"Default": {"name": "Person 1"}}}}
    write(root / "Local State", json.dumps(local_state).encode())
    (root / "SingletonLock").symlink_to("host-12345")
    (root / "SingletonCookie").symlink_to("987654")
    write(root / "lockfile", b"")
    write(root / "Crashpad" / "settings.dat")
    write(root / "GrShaderCache" / "data_0")
    profile = root / "Default"
    make_db(profile / "Cookies", ["sid=secret"])
    write(profile / "Cookies-journal", b"")
    make_db(profile / "Login Data", ["saved password"])
    write(profile / "Login Data-journal", b"")
    make_db(profile / "Login Data For Account", ["account password"])
    make_db(profile / "Web Data", ["card 4111"])
    write(profile / "Web Data-journal", b"")
    make_db(profile / "Extension Cookies", ["ext=1"])
    make_db(profile / "History", ["visited"])
    write(profile / "Preferences", b'{"profile": {"name": "Person 1"}}')
    write(profile / "Secure Preferences", b"{}")
    write(profile / "Local Storage" / "leveldb" / "CURRENT", b"MANIFEST-000001\n")
    write(profile / "Local Storage" / "leveldb" / "000003.log", b"local storage data")
    write(profile / "Local Storage" / "leveldb" / "LOCK", b"")
    write(profile / "Session Storage" / "000003.log", b"session data")
    write(profile / "IndexedDB" / "https_example.com_0.indexeddb.leveldb" / "000003.log", b"idb")
    write(profile / "Network" / "TransportSecurity", b"{}")
    write(profile / "Network" / "Cache" / "data_0", b"cache")
    write(profile / "Cache" / "Cache_Data" / "data_0", b"c" * 10_000)
    write(profile / "Code Cache" / "js" / "index", b"code")
    write(profile / "GPUCache" / "data_0", b"gpu")
    write(profile / "Service Worker" / "CacheStorage" / "x", b"sw")
    write(profile / "LOCK", b"")
    (profile / "Session Storage" / "outside").symlink_to(tmp_path)
    return root


EXPECTED_FILES = {
    "Local State",
    "Default/Cookies",
    "Default/Extension Cookies",
    "Default/Preferences",
    "Default/Secure Preferences",
    "Default/Local Storage/leveldb/CURRENT",
    "Default/Local Storage/leveldb/000003.log",
    "Default/Session Storage/000003.log",
    "Default/IndexedDB/https_example.com_0.indexeddb.leveldb/000003.log",
    "Default/Network/TransportSecurity",
}


def snapshot(root: Path) -> FileState:
    """Every file's bytes and mtime (symlinks by their target), to prove the source was only read."""
    state: FileState = {}
    for directory, _dirs, names in os.walk(root):
        for name in names:
            path = Path(directory, name)
            info = path.lstat()
            content = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            state[path.relative_to(root).as_posix()] = (content, info.st_mtime_ns)
    return state


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def test_copy_keeps_the_sign_in_and_leaves_caches_and_locks(user_data: Path, tmp_path: Path) -> None:
    before = snapshot(user_data)
    dest = tmp_path / "copies" / "worker-1"
    result = copy_profile(SourceProfile(user_data, own=True), dest)

    assert files_in(dest) == EXPECTED_FILES
    assert read_db(dest / "Default" / "Cookies") == ["sid=secret"]
    assert read_db(dest / "Default" / "Extension Cookies") == ["ext=1"]
    assert (
        dest / "Default" / "Local Storage" / "leveldb" / "000003.log"
    ).read_bytes() == b"local storage data"
    assert stat.S_IMODE(dest.stat().st_mode) == 0o700
    assert result.user_data_dir == dest
    assert result.profile_name == "Default"
    assert result.files == len(EXPECTED_FILES)
    assert result.bytes == sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    assert 0 < result.seconds < 5
    assert snapshot(user_data) == before


# What pads a real Edge profile to a GB: caches, other sites' data, models, extensions. None of it signs in.
PADDING = (
    "Cache/Cache_Data/f_000001",
    "Code Cache/js/index-dir/the-real-index",
    "Code Cache/wasm/f_000001",
    "GPUCache/data_1",
    "DawnWebGPUCache/data_0",
    "Service Worker/CacheStorage/3b1f/0a9c/f_000001",
    "Service Worker/ScriptCache/f_000001",
    "Service Worker/Database/000003.log",
    "IndexedDB/https_outlook.office.com_0.indexeddb.leveldb/000005.ldb",
    "IndexedDB/https_teams.microsoft.com_0.indexeddb.blob/1/00/a",
    "File System/000/p/00/00000000",
    "optimization_guide_model_store/26/E6DC4029/model.tflite",
    "Extensions/ghbmnnjooekpmoecnnnilnnbdlolhkhi/1.0.0_0/main.js",
    "WebStorage/1/IndexedDB/indexeddb.leveldb/000003.log",
    "shared_proto_db/000003.log",
    "blob_storage/5d1c/0",
    "Sessions/Session_13300000000000000",
    "History",
)


def test_a_real_sized_profiles_padding_stays_behind(user_data: Path, tmp_path: Path) -> None:
    """Caches, other sites' storage, models and extensions are not copied; the portal's site's IndexedDB is."""
    profile = user_data / "Default"
    for rel in PADDING:
        write(profile / rel, b"p" * 100_000)
    portal_idb = "IndexedDB/https_acme.coupahost.com_0.indexeddb.leveldb/000003.log"
    sibling_idb = "IndexedDB/https_supplier.coupahost.com_0.indexeddb.blob/1/00/b"
    write(profile / portal_idb, b"coupa")
    write(profile / sibling_idb, b"coupa blob")

    dest = tmp_path / "copy"
    result = copy_profile(SourceProfile(user_data, own=True), dest, portal_url="https://acme.coupahost.com/")

    expected = EXPECTED_FILES - {"Default/IndexedDB/https_example.com_0.indexeddb.leveldb/000003.log"}
    assert files_in(dest) == expected | {f"Default/{portal_idb}", f"Default/{sibling_idb}"}
    assert result.bytes < 100_000  # the padding is 1.8 MB; the sign-in about 17 KB


@pytest.mark.parametrize(
    ("entry", "portal", "kept"),
    [
        ("https_acme.coupahost.com_0.indexeddb.leveldb", "https://acme.coupahost.com", True),
        ("https_acme.coupahost.com_0.indexeddb.blob", "https://ACME.coupahost.com:443/x", True),
        ("https_sso.coupahost.com_0.indexeddb.leveldb", "https://acme.coupahost.com", True),
        ("http_127.0.0.1_8123.indexeddb.leveldb", "http://127.0.0.1:8123", True),
        ("http_127.0.0.2_8123.indexeddb.leveldb", "http://127.0.0.1:8123", False),
        ("https_outlook.office.com_0.indexeddb.leveldb", "https://acme.coupahost.com", False),
        ("https_coupahost.com.evil.net_0.indexeddb.leveldb", "https://acme.coupahost.com", False),
        ("not-an-origin", "https://acme.coupahost.com", False),
        ("https_outlook.office.com_0.indexeddb.leveldb", "", True),
    ],
)
def test_indexed_db_travels_only_for_the_portals_site(entry: str, portal: str, kept: bool) -> None:
    assert keeps_indexed_db(entry, portal) is kept


def test_saved_passwords_and_cards_are_never_copied(user_data: Path, tmp_path: Path) -> None:
    """Login Data (passwords) and Web Data (autofill, cards) are not needed to sign in: no copy has them,
    nor their side files, even where a walked folder holds one."""
    write(user_data / "Default" / "Network" / "Login Data", b"a stray one")
    dest = tmp_path / "copy"
    copy_profile(SourceProfile(user_data, own=True), dest)
    copied = {Path(p).name for p in files_in(dest)}
    for secret in ("Login Data", "Login Data For Account", "Web Data"):
        assert not {n for n in copied if n.startswith(secret)}, copied
    assert read_db(dest / "Default" / "Cookies") == ["sid=secret"]


def test_copy_into_existing_empty_dir_is_made_private(user_data: Path, tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir(mode=0o755)
    dest.chmod(0o755)
    copy_profile(SourceProfile(user_data, own=True), dest)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o700
    assert "Default/Cookies" in files_in(dest)


def test_copy_refuses_a_non_empty_destination(user_data: Path, tmp_path: Path) -> None:
    dest = tmp_path / "busy"
    write(dest / "keep.txt", b"mine")
    with pytest.raises(ProfileCopyError, match="not an empty directory"):
        copy_profile(SourceProfile(user_data, own=True), dest)
    assert (dest / "keep.txt").read_bytes() == b"mine"


@pytest.mark.expect_log(
    "po_downloader.engine.browser.profile_copy",
    r"has no Local State: cookies sealed with its key will not decrypt",
)
def test_cookies_under_network_are_enough(tmp_path: Path) -> None:
    root = tmp_path / "User Data"
    make_db(root / "Profile 2" / "Network" / "Cookies", ["edge cookie"])
    write(root / "Profile 2" / "Network" / "Cookies-journal", b"")
    dest = tmp_path / "copy"
    copy_profile(SourceProfile(root, "Profile 2", own=False), dest)
    assert files_in(dest) == {"Profile 2/Network/Cookies"}
    assert read_db(dest / "Profile 2" / "Network" / "Cookies") == ["edge cookie"]


def test_missing_cookies_is_a_clear_error(user_data: Path, tmp_path: Path) -> None:
    (user_data / "Default" / "Cookies").unlink()
    with pytest.raises(ProfileCopyError, match="no Cookies database"):
        copy_profile(SourceProfile(user_data, own=True), tmp_path / "copy")
    assert not (tmp_path / "copy").exists()


def test_missing_profile_is_a_clear_error(user_data: Path, tmp_path: Path) -> None:
    with pytest.raises(ProfileCopyError, match="profile not found"):
        copy_profile(SourceProfile(user_data, "Profile 7", own=False), tmp_path / "copy")
    with pytest.raises(ProfileCopyError, match="not a profile directory name"):
        copy_profile(SourceProfile(user_data, "../Default", own=False), tmp_path / "copy")


def test_damaged_cookies_raise_and_leave_no_partial_copy(user_data: Path, tmp_path: Path) -> None:
    cookies = user_data / "Default" / "Cookies"
    cookies.write_bytes(cookies.read_bytes()[:100] + b"\xff" * 4000)
    dest = tmp_path / "copy"
    with pytest.raises(ProfileCopyError, match="sign-in cookies"):
        copy_profile(SourceProfile(user_data, own=True), dest)
    assert not dest.exists()


@pytest.fixture
def locked_extension_cookies(user_data: Path) -> Iterator[sqlite3.Connection]:
    """Extension Cookies held the way a running browser holds it: an exclusive lock that never ends."""
    conn = sqlite3.connect(user_data / "Default" / "Extension Cookies", isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


@pytest.mark.expect_log(
    "po_downloader.engine.browser.profile_copy",
    r"Extension Cookies stayed locked for .*; copying the file as it is",
)
def test_locked_database_does_not_hang_the_copy(
    user_data: Path,
    tmp_path: Path,
    locked_extension_cookies: sqlite3.Connection,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="po_downloader.engine.browser.profile_copy")
    started = time.monotonic()
    copy_profile(SourceProfile(user_data, own=True), tmp_path / "copy", sqlite_timeout=0.3)
    assert time.monotonic() - started < 3
    locked = [r.getMessage() for r in caplog.records if "Extension Cookies" in r.getMessage()]
    assert locked and "locked" in locked[0]
    # POSIX locks are advisory: the fallback plain copy is a sound database with the committed rows.
    assert read_db(tmp_path / "copy" / "Default" / "Extension Cookies") == ["ext=1"]
    assert read_db(tmp_path / "copy" / "Default" / "Cookies") == ["sid=secret"]


@pytest.mark.expect_log(
    "po_downloader.engine.browser.profile_copy", r"Cookies stayed locked for .*; copying the file as it is"
)
def test_locked_cookies_fall_back_to_a_plain_copy(user_data: Path, tmp_path: Path) -> None:
    with closing(sqlite3.connect(user_data / "Default" / "Cookies", isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        copy_profile(SourceProfile(user_data, own=True), tmp_path / "copy", sqlite_timeout=0.3)
        assert time.monotonic() - started < 3
        holder.execute("ROLLBACK")
    assert read_db(tmp_path / "copy" / "Default" / "Cookies") == ["sid=secret"]


@pytest.mark.expect_log(
    "po_downloader.engine.browser.profile_copy",
    r"Extension Cookies could not be read through sqlite .*; copying the file as it is",
)
def test_hot_journal_is_rolled_back_in_the_copy_not_in_the_source(user_data: Path, tmp_path: Path) -> None:
    """A browser that crashed mid-write leaves a hot journal; the copy must come out consistent."""
    db = user_data / "Default" / "Extension Cookies"
    staging = tmp_path / "staging"
    staging.mkdir()
    with closing(sqlite3.connect(db, isolation_level=None)) as writer:
        writer.execute("PRAGMA cache_size=1")  # spill the transaction to the file before it commits
        writer.execute("BEGIN")
        writer.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 500)
        for suffix in ("", "-journal"):
            write(staging / f"Extension Cookies{suffix}", Path(f"{db}{suffix}").read_bytes())
        writer.execute("ROLLBACK")
    for suffix in ("", "-journal"):
        write(Path(f"{db}{suffix}"), (staging / f"Extension Cookies{suffix}").read_bytes())
    before = snapshot(user_data)

    copy_profile(SourceProfile(user_data, own=True), tmp_path / "copy")

    assert read_db(tmp_path / "copy" / "Default" / "Extension Cookies") == ["ext=1"]
    assert not (tmp_path / "copy" / "Default" / "Extension Cookies-journal").exists()
    assert snapshot(user_data) == before


def test_wal_database_is_copied_with_its_log_without_opening_the_source(
    user_data: Path, tmp_path: Path
) -> None:
    db = user_data / "Default" / "Extension Cookies"
    db.unlink()
    make_db(db, ["checkpointed"], wal=True)
    with closing(sqlite3.connect(db)) as writer:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute("INSERT INTO t VALUES ('only in the wal')")
        writer.commit()
        assert Path(f"{db}-wal").stat().st_size > 0
        before = snapshot(user_data)

        copy_profile(SourceProfile(user_data, own=True), tmp_path / "copy")

        assert snapshot(user_data) == before
    assert read_db(tmp_path / "copy" / "Default" / "Extension Cookies") == ["checkpointed", "only in the wal"]


@pytest.mark.expect_log(
    "po_downloader.engine.browser.profile_copy", r"skipped Default/Extension Cookies in the profile copy"
)
def test_unreadable_non_essential_file_is_skipped(
    user_data: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    damaged = user_data / "Default" / "Extension Cookies"
    damaged.write_bytes(damaged.read_bytes()[:100] + b"\xff" * 4000)
    caplog.set_level(logging.WARNING, logger="po_downloader.engine.browser.profile_copy")
    copy_profile(SourceProfile(user_data, own=True), tmp_path / "copy")
    assert "Default/Extension Cookies" not in files_in(tmp_path / "copy")
    assert "Default/Cookies" in files_in(tmp_path / "copy")
    assert any("skipped Default/Extension Cookies" in r.getMessage() for r in caplog.records)


def test_switches_keep_the_os_key_store_for_real_profiles(tmp_path: Path) -> None:
    real = SourceProfile(tmp_path, "Default", own=False)
    own = SourceProfile(tmp_path, own=True)
    assert sorted(browser_switches_to_exclude(real)) == [
        "enable-automation",
        "password-store",
        "use-mock-keychain",
    ]
    assert browser_switches_to_exclude(own) == ["enable-automation"]
