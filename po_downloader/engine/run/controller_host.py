"""The batch controller in a process of its own, for the window: its interpreter is not the window's.

A controller thread inside the window's process held the GIL while it pickled worker pipes, wrote the
journal and the results sheet and replayed worker logs: the window stalled 58-147 ms with a CPU to spare.
Here the window's side (:class:`ControllerProcess`) spawns a process (:func:`host_main`) that prepares the
window's batch again from its recipe (``run/handover``: the sheet's path and hash, not its 100 000 rows),
builds the controller with the window's factory and runs it. Events come back over one pipe in batches
(``host_protocol``), commands go over another.

The process is not a daemon (it starts the workers itself) and ends its workers when it ends, as the
controller always did. When the window's process goes, the command pipe reaches its end in the child, which
then stops the batch as Stop would: it ends only the workers it started. The CLI has no window to keep
responsive and runs the controller in its own main thread.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import multiprocessing as mp
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from po_downloader.engine import events as ev
from po_downloader.engine.errors import PoDownloaderError
from po_downloader.engine.events import BatchSummary
from po_downloader.engine.models import PoNumber
from po_downloader.engine.run.controller import BatchController
from po_downloader.engine.run.handover import Handover, handover_of
from po_downloader.engine.run.host_protocol import (
    Built,
    Command,
    Ended,
    HostLog,
    HostMessage,
    Stop,
    Warned,
    apply,
    log_message,
    portable,
    replay_host_log,
)
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.logs import quiet_chatty_loggers
from po_downloader.engine.system.paths import AppDirs

log = logging.getLogger(__name__)

SEND_EVERY_S = 0.03
"""How long the child gathers events before it sends them as one message: the window shows them on a
100 ms tick, and one message per burst costs the window's process one wake-up instead of dozens."""

Factory = Callable[..., BatchController]
"""``run/batch.make_controller``'s signature: ``(batch, dirs, options, sink, *, on_warning, pos)``."""

Preparer = Callable[[Handover, AppDirs], Any]
"""``run/batch.prepare_again``: the batch from its recipe, in the controller's process."""


class ControllerProcessDied(RuntimeError):
    """The controller's process ended without its last word (killed, out of memory)."""


# ---------------------------------------------------------------- the child


class _Outbox:
    """Child side: everything for the window goes through one queue, in order; a thread sends it in batches
    so the controller's loop never waits on the window."""

    _CLOSE = object()

    def __init__(self, conn: Connection, every_s: float = SEND_EVERY_S) -> None:
        self.conn = conn
        self.every_s = every_s
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._send_loop, name="po-host-outbox", daemon=True)
        self._thread.start()

    def put(self, item: ev.Event | HostMessage) -> None:
        self._queue.put(item)

    def warning(self, error: Exception) -> None:
        self.put(Warned(portable(error)))

    def close(self) -> None:
        """Send what is queued, then stop."""
        self._queue.put(self._CLOSE)
        self._thread.join(timeout=30)

    def _send_loop(self) -> None:
        gone = False  # the window's end is closed: nothing more can be told
        while True:
            items = [self._queue.get()]
            if items[0] is not self._CLOSE:
                time.sleep(self.every_s)
            while True:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            closing = any(item is self._CLOSE for item in items)
            batch = tuple(item for item in items if item is not self._CLOSE)
            if batch and not gone:
                try:
                    self.conn.send(batch)
                except (OSError, EOFError):
                    gone = True
            if closing:
                return


class _OutboxLogHandler(logging.Handler):
    def __init__(self, outbox: _Outbox) -> None:
        super().__init__()
        self.outbox = outbox

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.outbox.put(log_message(record))
        except Exception:
            self.handleError(record)


class _CommandGate:
    """Commands that come while the controller is built wait, then reach it in order before it runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[Command] = []
        self._controller: BatchController | None = None

    def give(self, command: Command) -> None:
        with self._lock:
            if self._controller is None:
                self._waiting.append(command)
            else:
                apply(command, self._controller)

    def attach(self, controller: BatchController) -> None:
        with self._lock:
            for command in self._waiting:
                apply(command, controller)
            self._waiting = []
            self._controller = controller


def _read_commands(conn: Connection, gate: _CommandGate) -> None:
    """Until the window's end of the pipe closes: it closed it, or its process is gone. Either way the
    batch stops as Stop stops it: workers end, what they finished stays."""
    while True:
        try:
            command = conn.recv()
        except (EOFError, OSError):
            break
        gate.give(command)
    gate.give(Stop())


def host_main(
    factory: Factory,
    prepare: Preparer,
    handover: Handover,
    dirs: AppDirs,
    options: BatchOptions,
    pos: Sequence[PoNumber] | None,
    commands: Connection,
    out: Connection,
    log_level: int,
) -> None:
    """The controller's process: prepare the batch, build the controller, run it, say how it ended
    (``Ended``), exit."""
    outbox = _Outbox(out)
    logging.basicConfig(level=log_level, handlers=[_OutboxLogHandler(outbox)], force=True)
    quiet_chatty_loggers()
    gate = _CommandGate()
    threading.Thread(
        target=_read_commands, args=(commands, gate), name="po-host-commands", daemon=True
    ).start()
    batch: Any = None
    try:
        started = time.perf_counter()
        with _collector_paused():  # 100 000 rows' objects: no full collection over them while they are made
            batch = prepare(handover, dirs)
            prepared = time.perf_counter()
            controller = factory(batch, dirs, options, outbox.put, on_warning=outbox.warning, pos=pos)
        log.info(
            "batch prepared again from %s in %.1f s, its controller built in %.1f s",
            handover.input_path.name,
            prepared - started,
            time.perf_counter() - prepared,
        )
        outbox.put(Built())
        gate.attach(controller)
        summary = controller.run()
        ended = Ended(summary, None, batch.journal_batch, _saved_to(batch))
    except BaseException as exc:
        if isinstance(exc, PoDownloaderError):  # a user-facing problem: the window words it
            log.info("the batch controller ended with %s: %s", exc.kind, exc)
        else:
            log.exception("the batch controller failed")
        ended = Ended(None, portable(exc), getattr(batch, "journal_batch", None), _saved_to(batch))
    outbox.put(ended)
    outbox.close()


def _saved_to(batch: object) -> Path | None:
    results = getattr(batch, "results", None)
    return getattr(results, "saved_to", None)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cycle collector off while the batch and its controller are built, then what they made frozen
    (never scanned again): their objects live as long as this process."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


# ---------------------------------------------------------------- the window's side


class ControllerProcess:
    """One batch's controller process, seen from the window's process.

    Two ways to use it. The window reads on its GUI thread, a tick's worth at a time (:meth:`read`), while
    a pool thread spawns the process and waits for its end (:meth:`start_and_wait`): no other thread of the
    window's process then holds the interpreter during a batch (a reading thread the OS left waiting for a
    CPU while it held the GIL stalled the window as the controller's thread did). :meth:`run` does it all on
    the calling thread, handing each event to ``sink`` (tests, tools). :meth:`send` may be called from any
    thread at any time, before the process runs too.
    """

    def __init__(
        self,
        factory: Factory,
        batch: Any,
        dirs: AppDirs,
        options: BatchOptions,
        sink: Callable[[ev.Event], None] = lambda _event: None,
        *,
        prepare: Preparer,
        pos: Sequence[PoNumber] | None = None,
        on_built: Callable[[], None] = lambda: None,
        on_warning: Callable[[BaseException], None] = lambda exc: log.warning("%s", exc),
    ) -> None:
        self.factory = factory
        self.prepare = prepare
        self.batch = batch
        self.dirs = dirs
        self.options = options
        self.sink = sink
        self.pos = pos
        self.on_built = on_built
        self.on_warning = on_warning
        self._ctx = mp.get_context("spawn")
        self._commands_r, self._commands_w = self._ctx.Pipe(duplex=False)
        self._out_r, self._out_w = self._ctx.Pipe(duplex=False)
        self._send_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._heard_all = threading.Event()
        self._ended: Ended | None = None
        self.process: mp.process.BaseProcess | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    @property
    def over(self) -> bool:
        """Everything the process said has been read (it ended, or never started and never will)."""
        return self._heard_all.is_set()

    def send(self, command: Command) -> None:
        """Queue ``command`` for the controller; moot (dropped) once its process is over."""
        with self._send_lock:
            try:
                self._commands_w.send(command)
            except (OSError, ValueError):
                pass

    def close(self) -> None:
        """Close the window's end of the command pipe: the controller stops and its process ends."""
        with self._send_lock:
            self._commands_w.close()

    def start(self) -> None:
        """Spawn the process with the batch's recipe (it waits for the child to import and read it: call
        it off the GUI thread)."""
        self.process = self._ctx.Process(
            target=host_main,
            args=(
                self.factory,
                self.prepare,
                handover_of(self.batch),
                self.dirs,
                self.options,
                self.pos,
                self._commands_r,
                self._out_w,
                logging.getLogger().getEffectiveLevel(),
            ),
            name="po-controller",
            daemon=False,  # it starts the worker processes: a daemon may not have children
        )
        atexit.register(self.close)  # this process exiting ends the batch, not waits for it
        try:
            self.process.start()
        except BaseException:
            self._heard_all.set()  # nothing will ever come
            atexit.unregister(self.close)
            raise
        finally:
            self._commands_r.close()
            self._out_w.close()
        log.info("the batch controller runs in process %s", self.process.pid)

    def read(self, budget_s: float | None = None) -> list[ev.Event]:
        """What the process said since the last call, never waiting for more: its events, in order (host
        messages are handled here: logs written, warnings and "built" told). Stops after ``budget_s``
        seconds (None: everything there is). One reader at a time; a second caller gets nothing."""
        if not self._read_lock.acquire(blocking=False):
            return []
        try:
            return self._read(budget_s)
        finally:
            self._read_lock.release()

    def _read(self, budget_s: float | None) -> list[ev.Event]:
        events: list[ev.Event] = []
        deadline = None if budget_s is None else time.perf_counter() + budget_s
        while not self._heard_all.is_set():
            try:
                if not self._out_r.poll(0):
                    break
                items = self._out_r.recv()
            except (EOFError, OSError):
                self._out_r.close()
                self._heard_all.set()
                break
            for item in items:
                if isinstance(item, ev.Event):
                    events.append(item)
                else:
                    self._hear(item)
            if deadline is not None and time.perf_counter() >= deadline:
                break
        return events

    def _hear(self, item: HostMessage) -> None:
        if isinstance(item, HostLog):
            replay_host_log(item)
        elif isinstance(item, Warned):
            self.on_warning(item.error)
        elif isinstance(item, Built):
            self.on_built()
        elif isinstance(item, Ended):
            self._ended = item

    def start_and_wait(self, reader_grace_s: float = 10.0) -> BatchSummary:
        """Spawn the process, wait for it to end and for its last word to be read (by :meth:`read` on
        another thread; after ``reader_grace_s`` this thread reads the rest itself), then finish."""
        self.start()
        assert self.process is not None
        self.process.join()
        if not self._heard_all.wait(reader_grace_s):
            with self._read_lock:
                while not self._heard_all.is_set():  # its events are lost to no one: they go to sink
                    for event in self._read(None):
                        self.sink(event)
        return self._finish()

    def run(self) -> BatchSummary:
        """Spawn the process and read what it says on this thread, each event to ``sink``, until it ends."""
        self.start()
        try:
            while not self._heard_all.is_set():
                wait([self._out_r], timeout=1.0)
                for event in self.read():
                    self.sink(event)
        finally:
            self.close()  # moot once it ended; if reading failed, it stops the batch rather than orphan it
        return self._finish()

    def _finish(self) -> BatchSummary:
        """The batch keeps what the controller changed on it (its journal batch, where its results sheet
        went), as when it ran in this process; then its summary, or the error it ended with."""
        assert self.process is not None
        self.close()
        self.process.join()
        atexit.unregister(self.close)
        ended = self._ended
        if ended is None:
            raise ControllerProcessDied(
                f"the batch controller's process ended unexpectedly (exit code {self.process.exitcode})"
            )
        if ended.journal_batch is not None:
            self.batch.journal_batch = ended.journal_batch
        if ended.saved_to is not None:
            self.batch.results.saved_to = ended.saved_to
        if ended.error is not None:
            raise ended.error
        if ended.summary is None:
            raise ControllerProcessDied("the batch controller ended without a summary")
        return ended.summary
