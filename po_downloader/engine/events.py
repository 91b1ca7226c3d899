"""Typed, picklable messages that flow from workers (and the controller) to the UI/CLI.

Workers send only these dataclasses over their pipe; Selenium objects never cross it.
Every event names its worker (``worker``; 0 for the controller) and, where it concerns a PO,
its display form (``po``) so sinks can route it to a row without extra state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus


@dataclass(frozen=True, slots=True)
class Event:
    worker: int


# --- worker → controller -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkerReady(Event):
    """The worker's profile copy is made, its browser runs and the copy is signed in."""

    pid: int
    browser_pids: tuple[int, ...] = ()
    startup_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class WorkerProcesses(Event):
    """PIDs the worker started (driver and browser), recorded so a crash never leaves them behind."""

    pids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PoStarted(Event):
    po: str
    attempt: int
    url: str


@dataclass(frozen=True, slots=True)
class AttachmentsFound(Event):
    po: str
    supplier: str
    names: tuple[str, ...]
    source: str = "PO"
    folder: str = ""


@dataclass(frozen=True, slots=True)
class DownloadProgress(Event):
    """Bytes received so far by the downloads a PO has in flight (from the browser's own events)."""

    po: str
    received: int


@dataclass(frozen=True, slots=True)
class FileSaved(Event):
    po: str
    name: str
    path: str
    size: int
    source: str = "PO"


@dataclass(frozen=True, slots=True)
class FileFailed(Event):
    po: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class PoFinished(Event):
    """Final word of one attempt. ``status`` SIGN_IN_REQUIRED or a retryable FAILED may be retried."""

    po: str
    status: PoStatus
    supplier: str = ""
    folder: str = ""
    found: int = 0
    downloaded: int = 0
    names: tuple[str, ...] = ()
    message: str = ""
    url: str = ""
    retryable: bool = False
    size: int = 0


@dataclass(frozen=True, slots=True)
class WorkerError(Event):
    """The worker cannot go on and is exiting. ``kind`` (and ``details``) say why, for the edges to word;
    ``kind.needs_sign_in`` pauses the batch for a sign-in, ``kind.is_config`` ends it at once.
    ``message`` is the English developer text, for logs."""

    message: str
    kind: ErrorKind
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Heartbeat(Event):
    po: str = ""


@dataclass(frozen=True, slots=True)
class WorkerLog(Event):
    """One log record of a worker, written by the controller's process: one writer per log file."""

    logger: str
    level: int
    message: str
    """Already formatted with its arguments, which may not pickle."""
    created: float
    """``time.time()`` when the worker logged it."""
    exc_text: str = ""
    """The formatted traceback (and stack), if the record had one."""


# --- controller → sinks --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchStarted(Event):
    total: int
    workers: int


@dataclass(frozen=True, slots=True)
class WorkerDied(Event):
    exitcode: int | None
    po: str = ""


@dataclass(frozen=True, slots=True)
class WorkerStopped(Event):
    """A worker exited as asked (fewer workers wanted, batch over, restart after sign-in)."""


@dataclass(frozen=True, slots=True)
class PoRetrying(Event):
    po: str
    attempt: int
    delay: float
    reason: str


@dataclass(frozen=True, slots=True)
class WorkerCountChanged(Event):
    """Target worker count changed: by the user, or by the resource governor (``reason`` says why)."""

    target: int
    requested: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SignInNeeded(Event):
    """Workers met the sign-in page: dispatch is paused until the user signs in again.

    ``kind``: NOT_SIGNED_IN (a fresh copy of the profile is signed out) or SESSION_EXPIRED (mid-batch)."""

    message: str
    kind: ErrorKind = ErrorKind.SESSION_EXPIRED


@dataclass(frozen=True, slots=True)
class BatchPaused(Event):
    paused: bool


@dataclass(frozen=True, slots=True)
class BatchFinished(Event):
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    total_bytes: int = 0
    stopped: bool = False
    error: str = ""
