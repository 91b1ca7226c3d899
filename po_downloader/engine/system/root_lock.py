"""One batch per download root at a time, held by an OS file lock so a killed holder never blocks.

Two batches on one root would both pick a PO's ``__WORK`` folder, rename it, sweep each other's staging
files and number each other's downloads ``name (2).pdf``. So a batch takes its root's lock before any
worker starts and gives it back at the end; a second batch is refused at once with the first one named.

The lock is ``fcntl.flock`` (POSIX) or ``msvcrt.locking`` (Windows): the OS drops it when the holding
process dies, SIGKILL and power loss included, so there is no stale lock to clean up and no PID to trust.
The file lives in the app's data dir (``root-locks/<hash of the resolved root>.lock``), not in the root:
the download root is the user's folder (every file in it is a download; the manifest lists them all), it
may be a network share where OS locks are unreliable, and the app's own dir is private and always local.
Both front ends of one user share that dir, so the window and the CLI see each other's locks. The file
records the holder (input sheet, PID with its start, since when) for the refusal message; it is never
deleted, because deleting a lock file races with a process about to lock it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.system.processes import NATIVE_CLOCK, ProcRef, is_alive, proc_ref

log = logging.getLogger(__name__)

LOCKS_DIRNAME = "root-locks"
_WINDOWS_LOCK_OFFSET = 1 << 30
"""Windows locks are mandatory byte ranges: lock one byte far past the holder record so others can read it."""
_BUSY_ERRNOS = frozenset({errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK, getattr(errno, "EDEADLOCK", -1)})
_READ_TRIES = 20
_READ_PAUSE = 0.05


@dataclass(frozen=True, slots=True)
class RootHolder:
    """Which batch holds a root, as written in its lock file."""

    root: str
    input: str
    """The sheet the holding batch works ("" when it was given POs, not a sheet)."""
    pid: int
    start: float
    """The holder's process start (``processes.ProcRef.start``), so the PID names one process only."""
    clock: str
    started_at: str
    """When it took the root: ISO 8601, UTC."""

    def since(self) -> str:
        """``started_at`` as local time, for people."""
        try:
            moment = datetime.fromisoformat(self.started_at)
        except ValueError:
            return self.started_at or "?"
        return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class RootBusyError(PoDownloaderError):
    """Another batch holds the download root; ``holder`` says which (None if it had not written it yet)."""

    holder: RootHolder | None = None

    def __init__(self, root: Path, holder: RootHolder | None) -> None:
        details: dict[str, str] = {"root": str(root)}
        if holder is not None:
            details.update(input=holder.input or "?", pid=str(holder.pid), since=holder.since())
        who = (
            f"{holder.input or 'a batch'} (pid {holder.pid}, since {holder.since()})"
            if holder
            else "another batch"
        )
        super().__init__(ErrorKind.ROOT_BUSY, f"the download folder {root} is in use by {who}")
        self.details = details
        self.holder = holder


def locks_dir(data_dir: Path) -> Path:
    return data_dir / LOCKS_DIRNAME


def lock_file(data_dir: Path, root: Path) -> Path:
    """The lock of ``root``: one per resolved folder, case-folded where the file system is (Windows)."""
    key = os.path.normcase(str(Path(root).resolve()))
    return locks_dir(data_dir) / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.lock"


def _try_lock(fd: int) -> bool:
    """Lock ``fd`` without waiting; False if another open file holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _BUSY_ERRNOS:
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _parse(data: bytes) -> RootHolder | None:
    try:
        raw: Any = json.loads(data.decode("utf-8"))
        return RootHolder(
            str(raw["root"]),
            str(raw["input"]),
            int(raw["pid"]),
            float(raw["start"]),
            str(raw["clock"]),
            str(raw["started_at"]),
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def read_holder(path: Path) -> RootHolder | None:
    """The holder recorded in ``path``; waits briefly for one that has just locked and not yet written."""
    for _ in range(_READ_TRIES):
        try:
            holder = _parse(path.read_bytes())
        except OSError:
            holder = None
        if holder is not None:
            return holder
        time.sleep(_READ_PAUSE)
    return None


def busy_holder(root: Path, data_dir: Path) -> RootHolder | None:
    """Who holds ``root`` now: a probe before resuming, because resuming the batch that is running (the
    same sheet started twice) would rewrite its journal rows and results.

    It reads the holder's record and asks whether that very process (PID and start time) still runs; it
    never takes the lock, even for an instant, since a batch starting at that instant would be refused.
    A holder clears its record when it lets go, and a killed holder is not alive: both read as free.
    """
    try:
        holder = _parse(lock_file(data_dir, root).read_bytes())
    except OSError:
        return None
    if holder is None or not is_alive(ProcRef(holder.pid, holder.start, holder.clock)):
        return None
    return holder


class RootLock:
    """The held lock of one download root; ``release()`` (or leaving the ``with`` block) gives it back."""

    def __init__(self, path: Path, fd: int, holder: RootHolder) -> None:
        self.path = path
        self.holder = holder
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, root: Path, data_dir: Path, *, input_path: str = "") -> RootLock:
        """Take ``root``'s lock at once or raise :class:`RootBusyError` naming the batch that holds it."""
        path = lock_file(data_dir, root)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        try:
            locked = _try_lock(fd)
        except BaseException:
            os.close(fd)
            raise
        if not locked:
            os.close(fd)
            raise RootBusyError(Path(root), read_holder(path))
        me = proc_ref(os.getpid())
        holder = RootHolder(
            str(Path(root).resolve()),
            input_path,
            os.getpid(),
            me.start if me else 0.0,
            me.clock if me else NATIVE_CLOCK,
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
        lock = cls(path, fd, holder)
        try:
            lock._write(holder)
        except OSError as exc:  # the lock holds; only the message for a second batch is poorer
            log.warning("could not record the holder of %s: %s", path, exc)
        log.info("download folder %s locked for %s", holder.root, input_path or "this batch")
        return lock

    def _write(self, holder: RootHolder) -> None:
        assert self._fd is not None
        data = json.dumps(asdict(holder), indent=1).encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.write(self._fd, data)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the root back; releasing twice is harmless. The file stays (see the module docstring)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)  # no holder any more: a probe (``busy_holder``) reads it as free
        except OSError as exc:
            log.info("clearing the holder of %s: %s", self.path, exc)
        try:
            _unlock(fd)
        except OSError as exc:  # closing the file releases it anyway
            log.info("unlocking %s: %s", self.path, exc)
        finally:
            os.close(fd)

    def __enter__(self) -> RootLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
