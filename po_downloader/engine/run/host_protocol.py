"""What the window's process and the controller's process say to each other: frozen, picklable messages.

The controller runs in a process of its own (``controller_host.py``) so its work (pickling worker pipes,
the journal, the results sheet, replaying worker logs) never holds the window's interpreter. Commands go
one way (window → controller), events and the host's own news the other way, and nothing else crosses:
the window never touches the controller, a worker or a browser.

Window → controller: the batch's recipe (``run/handover.Handover``) when the process is spawned, then one
:data:`Command` per message. Controller → window: one tuple per message, a
batch of items in order, each an ``events.Event`` (for the window's sink) or one of the host messages
below (``Built``, ``HostLog``, ``Warned``, ``Ended``).
"""

from __future__ import annotations

import logging
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from po_downloader.engine.events import BatchSummary, WorkerLog
from po_downloader.engine.run.log_relay import as_event, handle_here, replay
from po_downloader.engine.system.logs import FROM_WORKER

# ---------------------------------------------------------------- window → controller


@dataclass(frozen=True, slots=True)
class SetWorkers:
    n: int


@dataclass(frozen=True, slots=True)
class Pause:
    pass


@dataclass(frozen=True, slots=True)
class Resume:
    pass


@dataclass(frozen=True, slots=True)
class Stop:
    """Also what the controller's process does when the window's process is gone (its pipe's end)."""


@dataclass(frozen=True, slots=True)
class SignedInAgain:
    pass


Command = SetWorkers | Pause | Resume | Stop | SignedInAgain


class Commanded(Protocol):
    """The controller's thread-safe command methods: all a command may call."""

    def set_workers(self, n: int) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def stop(self) -> None: ...
    def signed_in_again(self) -> None: ...


def apply(command: Command, controller: Commanded) -> None:
    """Hand ``command`` to the controller's method of the same meaning."""
    match command:
        case SetWorkers(n):
            controller.set_workers(n)
        case Pause():
            controller.pause()
        case Resume():
            controller.resume()
        case Stop():
            controller.stop()
        case SignedInAgain():
            controller.signed_in_again()
        case _:
            raise TypeError(f"not a controller command: {command!r}")


# ---------------------------------------------------------------- controller → window


@dataclass(frozen=True, slots=True)
class Built:
    """The controller is built (journal opened, every PO recorded): the window's "preparing" is over."""


@dataclass(frozen=True, slots=True)
class HostLog:
    """A log record of the controller's process, or of a worker it relayed (``from_worker``): the window's
    process writes it with its own handlers (its log file, its log panel), as it wrote them before."""

    record: WorkerLog
    pid: int
    from_worker: bool


@dataclass(frozen=True, slots=True)
class Warned:
    """The controller's ``on_warning`` (a locked results sheet, a journal that would not open): the
    window words it (``ui/error_text``)."""

    error: BaseException


@dataclass(frozen=True, slots=True)
class Ended:
    """The last message: how ``run`` ended (``summary``, or the ``error`` it raised, or the build's), and
    what the controller changed on the batch it was given, which the window keeps for a retry."""

    summary: BatchSummary | None
    error: BaseException | None = None
    journal_batch: int | None = None
    saved_to: Path | None = None
    """Where the results sheet was last written (its path, or a fallback file while it was locked). Its
    rows do not travel: a retry's process prepares them again from the journal (``run/handover``)."""


HostMessage = Built | HostLog | Warned | Ended


def portable(error: BaseException) -> BaseException:
    """``error`` if it pickles (``PoDownloaderError`` keeps its kind and details), else a ``RuntimeError``
    saying what it was: an error must reach the window even when its own type cannot travel."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def log_message(record: logging.LogRecord) -> HostLog:
    """The controller process's ``record`` as a message; one the controller replayed from a worker keeps
    that worker's id and PID."""
    worker = getattr(record, FROM_WORKER, None)
    return HostLog(as_event(record, worker or 0), record.process or 0, worker is not None)


def replay_host_log(message: HostLog) -> None:
    """Window side: write the record with this process's handlers. A worker's record is replayed as the
    controller replayed it (``FROM_WORKER`` set: the console leaves it out); the controller's own records
    are this app's own, as when the controller was a thread of this process."""
    if message.from_worker:
        replay(message.record, message.pid)
        return
    handle_here(message.record, "po-controller", message.pid, {})
