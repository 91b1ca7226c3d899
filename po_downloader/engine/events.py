"""Typed, picklable messages: worker → controller, and controller → sinks (terminal, results sheet, window).

Workers send only these dataclasses over their pipe; Selenium objects never cross it. Every event names its
worker (``worker``; 0 for the controller). Every event about one PO carries that PO as a ``PoNumber``, so
sinks route it to a row by value and nobody parses a display string back.

Who sends what: a worker ends each attempt with one ``AttemptEnded`` (it may say ``retryable``); only the
controller decides what that means for the batch and tells sinks with exactly one of ``PoFinished`` (the
final word), ``PoRetrying`` (another attempt after a pause), ``PoRequeued`` (sent back without spending an
attempt) or, when the batch ends first, ``PoLeftOver``. ``BatchFinished`` carries the batch's one summary.
``AttemptEnded`` and ``PoFinished`` carry the PO's :class:`PoOutcome` as it is, never copied field by field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome

# --- bytes in flight, file by file ---------------------------------------------------------------------
# Every route reports its downloads in flight file by file (``OnProgress``); the PO's byte count is their sum.


@dataclass(frozen=True, slots=True)
class FileBytes:
    """One download in flight: its name as the route knows it, bytes so far, and the length if announced."""

    name: str
    received: int
    total: int | None = None


OnProgress = Callable[[tuple[FileBytes, ...]], None]
"""What a route's downloads report while they run: each file in flight with its bytes so far."""


def bytes_in(files: Iterable[FileBytes]) -> int:
    """The bytes received so far by ``files``, all together."""
    return sum(f.received for f in files)


def fan_out(*sinks: Callable[[Event], None]) -> Callable[[Event], None]:
    """One sink that hands each event to ``sinks`` in turn (the results, the journal, the face)."""

    def sink(event: Event) -> None:
        for s in sinks:
            s(event)

    return sink


@dataclass(frozen=True, slots=True)
class Event:
    worker: int


@dataclass(frozen=True, slots=True)
class PoEvent(Event):
    """An event about one PO: sinks route it by ``po``."""

    po: PoNumber


# --- worker → controller (the controller handles these; the PO progress ones go on to sinks) ----------


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
class Heartbeat(Event):
    """ "This process still runs", from a thread of its own: a worker that stops beating is frozen
    (stopped, deadlocked, swapped to death) and the watchdog ends it long before the per-PO timeout."""


@dataclass(frozen=True, slots=True)
class PoStarted(PoEvent):
    attempt: int
    url: str


@dataclass(frozen=True, slots=True)
class AttachmentsFound(PoEvent):
    supplier: str
    names: tuple[str, ...]
    source: str = "PO"
    folder: str = ""


@dataclass(frozen=True, slots=True)
class DownloadProgress(PoEvent):
    """Bytes received so far by the downloads a PO has in flight (the browser's own download events, or
    the HTTP route's count, the Grid's); ``files`` splits them by file."""

    received: int
    files: tuple[FileBytes, ...] = ()


@dataclass(frozen=True, slots=True)
class FileSaved(PoEvent):
    """One file is on disk with all its bytes: the worker hashed it there (the journal and the manifest
    record the hash); ``url`` is the attachment's own address, or the page that listed it."""

    name: str
    path: str
    size: int
    source: str = "PO"
    sha256: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class FileFailed(PoEvent):
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class AttemptEnded(PoEvent):
    """A worker's last word on one attempt. ``retryable`` is for the controller only: it decides whether
    the attempt becomes the PO's final outcome, a retry or a requeue; sinks never see this event."""

    outcome: PoOutcome
    retryable: bool = False
    reached: str = ""
    """Where the browser was sent instead of the PO (a sign-in page), when that ended the attempt."""


class ProbeResult(StrEnum):
    """What a PO's served page turned out to be worth, against the browser where it was checked."""

    AGREED = "agreed"
    """The browser's page gave the same verdict, list and supplier."""
    DISAGREED = "disagreed"
    UNPROVABLE = "unprovable"
    """The served page proved nothing (a spinner, a click-only span, no section): the browser decided."""
    DECIDED = "decided"
    """A trusted verdict: the served page decided the PO alone."""


@dataclass(frozen=True, slots=True)
class HttpProbe(PoEvent):
    """Worker → controller: what the HTTP route made of one PO's page; the controller's trust follows it."""

    result: ProbeResult
    verdict: str = ""
    """The served page's verdict (``LISTED``, ``EMPTY``, ``NOT_FOUND``, ``NO_ACCESS``), "" when none."""
    detail: str = ""
    """What differed, or why nothing was proven (page words only: no cookie ever reaches an event)."""


@dataclass(frozen=True, slots=True)
class WorkerError(Event):
    """The worker cannot go on and is exiting. ``kind`` (and ``details``) say why, for the edges to word;
    ``kind.needs_sign_in`` pauses the batch for a sign-in, ``kind.is_config`` ends it at once.
    ``message`` is the English developer text, for logs."""

    message: str
    kind: ErrorKind
    details: dict[str, str] = field(default_factory=dict)


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
    po: PoNumber | None = None
    """The PO it was working, if any."""


@dataclass(frozen=True, slots=True)
class WorkerStopped(Event):
    """A worker exited as asked (fewer workers wanted, batch over, restart after sign-in)."""


@dataclass(frozen=True, slots=True)
class PoFinished(PoEvent):
    """The batch's final word on one PO (sent once per PO per batch); ``worker`` did the last attempt."""

    outcome: PoOutcome

    def __post_init__(self) -> None:
        if not self.outcome.status.is_final:
            raise ValueError(f"{self.outcome.status} is not a final outcome: send PoRequeued or PoLeftOver")


@dataclass(frozen=True, slots=True)
class PoRetrying(PoEvent):
    """The attempt failed in a way worth another try: attempt number ``attempt`` starts in ``delay`` s.
    ``reason`` is the English for logs; ``kind`` and ``details``, when the attempt had a kind, are for the
    edges to word it."""

    attempt: int
    delay: float
    reason: str
    kind: ErrorKind | None = None
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PoRequeued(PoEvent):
    """Sent back to the front of the queue without spending an attempt: not the PO's fault (the session
    expired). ``status`` is what it waits in (SIGN_IN_REQUIRED), ``reason`` says why."""

    status: PoStatus
    reason: str


@dataclass(frozen=True, slots=True)
class PoLeftOver(PoEvent):
    """The batch ended before this PO got a verdict: ``status`` PENDING (stopped, an error) or
    SIGN_IN_REQUIRED (the session expired); ``reason`` says which. What an earlier attempt counted is void."""

    status: PoStatus
    reason: str


@dataclass(frozen=True, slots=True)
class GroupSkipped(Event):
    """The breaker stopped sending a group (``run/breaker.py``): its last ``count`` POs all ended ``way``
    (a ``FailureWay``), so ``skipped`` of its POs not yet sent end SKIPPED. ``column`` "" : the whole batch."""

    column: str
    group: str
    way: str
    count: int
    skipped: int


@dataclass(frozen=True, slots=True)
class WorkerCountChanged(Event):
    """Target worker count changed: by the user, or by the resource governor (``reason`` says why)."""

    target: int
    requested: int
    reason: str = ""
    """English, for the log and the CLI; a translated window words ``cause`` and ``percent`` instead."""
    cause: str = ""
    """The governor's: "cpu" or "memory" (too busy), "recovering", "back"; "" set by the user."""
    percent: float = 0.0


@dataclass(frozen=True, slots=True)
class SignInNeeded(Event):
    """Workers met the sign-in page: dispatch is paused until the user signs in again.

    ``kind``: NOT_SIGNED_IN (a fresh copy of the profile is signed out) or SESSION_EXPIRED (mid-batch)."""

    message: str
    kind: ErrorKind = ErrorKind.SESSION_EXPIRED
    details: dict[str, str] = field(default_factory=dict)
    """What the edges need to word ``kind`` (a Grid's address, the page a sign-in led to)."""


@dataclass(frozen=True, slots=True)
class BatchPaused(Event):
    paused: bool


@dataclass(frozen=True, slots=True)
class BatchProgress(Event):
    """The controller's running tally, sent after each final outcome: the one place POs and bytes are counted."""

    done: int
    failed: int
    left: int
    total_bytes: int


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """How a batch ended: one per batch, carried by ``BatchFinished`` (and returned by the controller's ``run``)."""

    statuses: dict[str, PoStatus]
    """Every PO of the batch (by digits) with its final status, or PENDING/SIGN_IN_REQUIRED if left over."""
    seconds: float
    total_bytes: int
    stopped: bool = False
    error: str = ""
    sign_in_required: bool = False
    files_found: int = 0
    """Attachments the pages listed, over every PO that reached a verdict."""
    files_saved: int = 0
    """Of those, the ones whose bytes are on disk."""
    error_kind: ErrorKind | None = None
    """What ``error`` is, for the front ends to word (``error`` itself is English, for logs)."""
    error_details: dict[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for status in self.statuses.values():
            out[status.value] = out.get(status.value, 0) + 1
        return out


@dataclass(frozen=True, slots=True)
class BatchFinished(Event):
    """The batch is over (workers gone, results written): the last event of every batch."""

    summary: BatchSummary
