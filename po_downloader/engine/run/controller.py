"""The batch controller: starts worker processes, feeds them POs, turns their pipes into events.

It runs in one thread (the CLI's main thread, or a QThreadPool thread in the GUI) and waits on every
worker pipe and process sentinel at once with ``multiprocessing.connection.wait``. Other threads talk to
it only through its command methods, which queue a command and wake the loop. Events go to ``sink``.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from po_downloader.engine import events as ev
from po_downloader.engine.browser.profile import remove_copy
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from po_downloader.engine.run.governor import Governor, Reading, read_system
from po_downloader.engine.run.log_relay import replay
from po_downloader.engine.run.processes import ProcRef, RunMarker, end_processes, proc_ref, sweep_stale_runs
from po_downloader.engine.run.scheduler import Scheduler
from po_downloader.engine.run.worker import WorkerConfig, WorkOrder, worker_main
from po_downloader.engine.system.paths import AppDirs, private_dir

log = logging.getLogger(__name__)

Sink = Callable[[ev.Event], None]
STAGING_DIRNAME = ".po-downloader-staging"


@dataclass(frozen=True)
class BatchOptions:
    workers: int
    max_attempts: int = 3
    backoff_base: float = 2.0
    governor: bool = True
    pause_on_sign_in: bool = False
    """GUI: pause and wait for ``signed_in_again()``. CLI (False): end the batch and say so."""
    po_timeout: float = 900.0
    startup_timeout: float = 120.0
    max_start_failures: int = 3


@dataclass(frozen=True)
class BatchSummary:
    statuses: dict[str, PoStatus]
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


@dataclass
class _Handle:
    id: int
    process: mp.process.BaseProcess
    conn: Connection
    copy_dir: Path
    staging_dir: Path
    generation: int
    started: float
    state: str = "starting"  # starting → idle ⇄ busy; retiring (stop when idle); stopping
    task: PoTask | None = None
    task_started: float = 0.0
    ready: bool = False
    refs: list[ProcRef] = field(default_factory=list)
    last_error: str = ""

    @property
    def active(self) -> bool:
        return self.state in ("starting", "idle", "busy")


class BatchController:
    def __init__(
        self,
        config: WorkerConfig,
        pos: Iterable[PoNumber],
        sink: Sink,
        options: BatchOptions,
        dirs: AppDirs,
        *,
        readings: Callable[[], Reading] = read_system,
        governor: Governor | None = None,
        clock: Callable[[], float] = time.monotonic,
        worker_target: Callable[..., None] = worker_main,
    ) -> None:
        """``worker_target`` is the worker process's entry point: ``worker_main`` drives a browser; tests give
        a scripted stand-in with the same signature, so the state machine runs in seconds."""
        self.config = config
        self.worker_target = worker_target
        self.options = options
        self.dirs = dirs
        self.sink = sink
        self.readings = readings
        self.governor = governor or Governor()
        self.clock = clock
        self.scheduler = Scheduler(pos, max_attempts=options.max_attempts, backoff_base=options.backoff_base)
        self.run_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self._ctx = mp.get_context("spawn")
        self._commands: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._handles: dict[int, _Handle] = {}
        self._next_id = 1
        self._generation = 0
        self._requested = max(1, options.workers)
        self._limit: int | None = None
        self._paused = False
        self._stopping = False
        self._sign_in_blocked = False
        self._error = ""
        self._error_kind: ErrorKind | None = None
        self._error_details: dict[str, str] = {}
        self._start_failures = 0
        self._bytes = 0
        self._files = [0, 0]  # found, saved
        self._next_sample = 0.0
        self._marker: RunMarker | None = None
        self._profiles_dir = dirs.worker_profiles / self.run_id
        self._staging_dir = Path(config.download_root) / STAGING_DIRNAME / self.run_id

    # ---------------------------------------------------------------- commands (any thread)

    def _command(self, fn: Callable[[], None]) -> None:
        self._commands.put(fn)
        try:
            self._wake_w.send(None)
        except OSError:
            pass  # the loop has ended; the command is moot

    def set_workers(self, n: int) -> None:
        self._command(lambda: self._set_requested(n))

    def pause(self) -> None:
        self._command(lambda: self._set_paused(True))

    def resume(self) -> None:
        self._command(lambda: self._set_paused(False))

    def stop(self) -> None:
        """Cancel: no new PO starts, running ones are abandoned (their finished files stay)."""
        self._command(self._begin_stop)

    def signed_in_again(self) -> None:
        """The user signed in again: restart every worker on fresh profile copies and carry on."""
        self._command(self._restart_after_sign_in)

    # ---------------------------------------------------------------- the loop

    @property
    def target(self) -> int:
        return max(1, min(self._requested, self._limit or self._requested))

    def run(self) -> BatchSummary:
        started = self.clock()
        swept = sweep_stale_runs(self.dirs.runs)
        if swept.runs:
            log.info("cleaned up after %d crashed run(s): ended %s", swept.runs, swept.ended)
        me = proc_ref(os.getpid())
        assert me is not None, "this very process is running"
        self._marker = RunMarker.create(private_dir(self.dirs.runs), owner=me)
        # Recorded before any worker writes into them, so a crash of this process leaves nothing for good.
        self._marker.add_dir(self._profiles_dir)
        self._marker.add_dir(self._staging_dir)
        private_dir(self._profiles_dir)
        self._emit(ev.BatchStarted(0, self.scheduler.total, self.target))
        try:
            while not self._done():
                self._drain_commands()
                now = self.clock()
                self._govern(now)
                self._scale(now)
                self._dispatch(now)
                self._watchdog(now)
                self._wait_for_activity(self._wait_timeout(now))
        finally:
            self._shutdown()
        summary = self._summary(self.clock() - started)
        self._emit(
            ev.BatchFinished(
                0, summary.counts, summary.seconds, summary.total_bytes, summary.stopped, summary.error
            )
        )
        return summary

    def _done(self) -> bool:
        if self._error:
            return True
        busy = any(h.state == "busy" for h in self._handles.values())
        if self._stopping:
            return not busy
        if self._sign_in_blocked and not self.options.pause_on_sign_in:
            return not busy
        return self.scheduler.finished()

    def _wait_timeout(self, now: float) -> float:
        ready_in = self.scheduler.next_ready_in(now)
        return min(0.5, ready_in) if ready_in is not None else 0.5

    def _wait_for_activity(self, timeout: float) -> None:
        objects: list[Any] = [self._wake_r]
        for h in self._handles.values():
            objects += [h.conn, h.process.sentinel]
        for obj in wait(objects, timeout):
            if obj is self._wake_r:
                while self._wake_r.poll():
                    self._wake_r.recv()
                continue
            for h in list(self._handles.values()):
                if obj is h.conn:
                    self._read(h)
                elif obj == h.process.sentinel:
                    self._read(h)
                    self._on_exit(h)

    def _read(self, h: _Handle) -> None:
        try:
            while h.conn.poll():
                self._on_event(h, h.conn.recv())
        except (EOFError, OSError):
            pass  # the process is gone; its sentinel fires next

    def _drain_commands(self) -> None:
        while True:
            try:
                fn = self._commands.get_nowait()
            except queue.Empty:
                return
            fn()

    # ---------------------------------------------------------------- worker pool

    def _spawn(self, now: float) -> None:
        wid = self._next_id
        self._next_id += 1
        copy_dir = self._profiles_dir / f"w{wid}"
        staging = self._staging_dir / f"w{wid}"
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=self.worker_target,
            args=(wid, self.config, str(copy_dir), str(staging), child),
            name=f"po-worker-{wid}",
            daemon=True,
        )
        process.start()
        child.close()
        h = _Handle(wid, process, parent, copy_dir, staging, self._generation, now)
        if process.pid is not None and (ref := proc_ref(process.pid)):
            h.refs.append(ref)
            if self._marker is not None:
                self._marker.add_processes([ref])
        self._handles[wid] = h
        log.info("worker %d started (pid %s)", wid, process.pid)

    def _scale(self, now: float) -> None:
        if self._stopping or self._error:
            return
        current = [h for h in self._handles.values() if h.active and h.generation == self._generation]
        work_left = self.scheduler.pending + sum(1 for h in current if h.state == "busy")
        want = min(self.target, max(work_left, 0))
        if not self._sign_in_blocked:
            for _ in range(want - len(current)):
                self._spawn(now)
        excess = len(current) - want
        if excess <= 0:
            return
        # Retire idle workers first; busy ones finish their current PO and then stop.
        for h in sorted(current, key=lambda h: (h.state == "busy", -h.id))[:excess]:
            self._retire(h)

    def _retire(self, h: _Handle) -> None:
        if h.state == "busy":
            h.state = "retiring"
            return
        h.state = "stopping"
        try:
            h.conn.send(WorkOrder(None))
        except OSError:
            pass

    def _dispatch(self, now: float) -> None:
        if self._paused or self._stopping or self._sign_in_blocked:
            return
        idle = [h for h in self._handles.values() if h.state == "idle" and h.generation == self._generation]
        for h in idle:
            others = sum(1 for o in self._handles.values() if o.active and o.id != h.id)
            task = self.scheduler.take(h.id, now, other_workers=others)
            if task is None:
                continue
            h.state, h.task, h.task_started = "busy", task, now
            try:
                h.conn.send(WorkOrder(task))
            except OSError:
                log.warning("worker %d pipe closed before it got %s", h.id, task.po)

    def _watchdog(self, now: float) -> None:
        for h in list(self._handles.values()):
            stuck_task = h.state in ("busy", "retiring") and now - h.task_started > self.options.po_timeout
            stuck_start = h.state == "starting" and now - h.started > self.options.startup_timeout
            if stuck_task or stuck_start:
                h.last_error = "did not answer in time"
                log.warning("worker %d is stuck (%s); ending it", h.id, h.state)
                self._kill(h)

    def _kill(self, h: _Handle) -> None:
        end_processes(h.refs, timeout=5)

    def _on_exit(self, h: _Handle) -> None:
        now = self.clock()
        h.process.join(timeout=1)
        self._cleanup_worker(h)
        del self._handles[h.id]
        expected = h.state == "stopping" or self._stopping
        if h.task is not None:
            po = h.task.po
            reason = h.last_error or f"worker stopped unexpectedly (exit code {h.process.exitcode})"
            self._emit(ev.WorkerDied(h.id, h.process.exitcode, po.display))
            if self._stopping:
                return
            self._retry_or_fail(po, h.id, now, reason)
        elif expected:
            self._emit(ev.WorkerStopped(h.id))
        else:
            self._emit(ev.WorkerDied(h.id, h.process.exitcode))
            if not h.ready:
                self._start_failures += 1
                if self._start_failures >= self.options.max_start_failures and not self._sign_in_blocked:
                    detail = h.last_error or f"exit code {h.process.exitcode}"
                    if not self._error:
                        self._error = f"workers could not start: {detail}"
                        self._error_kind = ErrorKind.WORKERS_COULD_NOT_START
                        self._error_details = {"detail": detail}

    def _cleanup_worker(self, h: _Handle) -> None:
        """End the browser tree the worker started and delete its profile copy and staging folder."""
        end_processes(h.refs, timeout=5)
        for path in (h.copy_dir, h.staging_dir):
            remove_copy(path)

    # ---------------------------------------------------------------- events from workers

    def _on_event(self, h: _Handle, event: ev.Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, h, event)
        else:
            self._emit(event)

    def _on_processes(self, h: _Handle, event: ev.WorkerProcesses) -> None:
        refs = [r for pid in event.pids if (r := proc_ref(pid))]
        h.refs.extend(refs)
        if self._marker:
            self._marker.add_processes(refs)

    def _on_ready(self, h: _Handle, event: ev.WorkerReady) -> None:
        h.ready = True
        self._start_failures = 0
        if h.state == "starting":
            h.state = "idle"
        self._emit(event)

    def _on_error(self, h: _Handle, event: ev.WorkerError) -> None:
        h.last_error = event.message
        self._emit(event)
        if event.kind.needs_sign_in:
            self._block_for_sign_in(h, event.message, event.kind)
        elif event.kind.is_config:
            self._error, self._error_kind, self._error_details = event.message, event.kind, event.details

    def _on_log(self, h: _Handle, event: ev.WorkerLog) -> None:
        replay(event, h.process.pid)

    def _on_finished(self, h: _Handle, event: ev.PoFinished) -> None:
        task = h.task
        h.task = None
        if h.state == "busy":
            h.state = "idle"
        elif h.state == "retiring":
            self._retire(h)
        if task is None or task.po.display != event.po:
            log.warning("worker %d finished %s it was not given", h.id, event.po)
            return
        po = task.po
        if event.status is PoStatus.SIGN_IN_REQUIRED:
            self.scheduler.send_back(po)
            self._emit(event)
            self._block_for_sign_in(h, "Coupa asked to sign in again")
        elif event.retryable:
            self._retry_or_fail(po, h.id, self.clock(), event.message, event)
        else:
            self.scheduler.finish(po, event.status, event.message)
            self._count(event)
            self._emit(event)

    def _count(self, event: ev.PoFinished) -> None:
        self._bytes += event.size
        self._files[0] += event.found
        self._files[1] += event.downloaded

    def _retry_or_fail(
        self, po: PoNumber, worker: int, now: float, reason: str, event: ev.PoFinished | None = None
    ) -> None:
        attempt = self.scheduler.attempts(po)
        delay = self.scheduler.fail(po, worker, now, reason)
        if delay is not None:
            self._emit(ev.PoRetrying(worker, po.display, attempt + 1, delay, reason))
            return
        message = f"gave up after {attempt} attempt{'s' if attempt != 1 else ''}: {reason}"
        if event is not None:
            self._count(event)
            self._emit(
                ev.PoFinished(
                    **{**_fields(event), "status": PoStatus.FAILED, "message": message, "retryable": False}
                )
            )
        else:
            self._emit(ev.PoFinished(worker, po.display, PoStatus.FAILED, message=message))

    _handlers: dict[type, Callable[[BatchController, _Handle, Any], None]] = {
        ev.WorkerProcesses: _on_processes,
        ev.WorkerReady: _on_ready,
        ev.WorkerError: _on_error,
        ev.PoFinished: _on_finished,
        ev.WorkerLog: _on_log,
    }

    # ---------------------------------------------------------------- state changes

    def _set_requested(self, n: int) -> None:
        n = max(1, int(n))
        if n != self._requested:
            self._requested = n
            self._emit(ev.WorkerCountChanged(0, self.target, n, "set by user"))

    def _set_paused(self, paused: bool) -> None:
        if paused != self._paused:
            self._paused = paused
            self._emit(ev.BatchPaused(0, paused))

    def _begin_stop(self) -> None:
        if self._stopping:
            return
        self._stopping = True
        log.info("stopping: ending workers")
        for h in self._handles.values():
            if h.state == "busy" or h.state == "starting" or h.state == "retiring":
                h.state = "stopping"
                self._kill(h)
                h.process.terminate()
            else:
                self._retire(h)

    def _block_for_sign_in(
        self, h: _Handle, message: str, kind: ErrorKind = ErrorKind.SESSION_EXPIRED
    ) -> None:
        # A worker from before the user signed in again is only reporting its old, expired session.
        if self._sign_in_blocked or h.generation != self._generation:
            return
        self._sign_in_blocked = True
        self._emit(ev.SignInNeeded(0, message, kind))

    def _restart_after_sign_in(self) -> None:
        self._sign_in_blocked = False
        self._start_failures = 0
        self._generation += 1
        for h in list(self._handles.values()):
            if h.active:
                self._retire(h)

    def _govern(self, now: float) -> None:
        if not self.options.governor or now < self._next_sample:
            return
        self._next_sample = now + 1.0
        decision = self.governor.update(self.readings(), now, requested=self._requested)
        if decision.changed:
            self._limit = decision.limit
            log.info("governor: %s", decision.reason)
            self._emit(ev.WorkerCountChanged(0, self.target, self._requested, decision.reason))

    # ---------------------------------------------------------------- the end

    def _shutdown(self) -> None:
        for h in self._handles.values():
            if h.state in ("idle", "starting", "retiring"):
                self._retire(h)
        deadline = time.monotonic() + 15
        while self._handles and time.monotonic() < deadline:
            self._wait_for_activity(0.2)
        for h in list(self._handles.values()):
            log.warning("worker %d did not exit; ending it", h.id)
            h.process.terminate()
            h.process.join(timeout=3)
            if h.process.is_alive():
                h.process.kill()
                h.process.join(timeout=3)
            self._cleanup_worker(h)
            del self._handles[h.id]
        for path in (self._profiles_dir, self._staging_dir):
            remove_copy(path)
        try:
            self._staging_dir.parent.rmdir()  # only when no other run uses it
        except OSError:
            pass
        if self._marker:
            self._marker.close()
        self._wake_r.close()
        self._wake_w.close()

    def _summary(self, seconds: float) -> BatchSummary:
        statuses: dict[str, PoStatus] = {}
        leftover_status = PoStatus.SIGN_IN_REQUIRED if self._sign_in_blocked else PoStatus.PENDING
        why = (
            "not processed: Coupa needs you to sign in again"
            if self._sign_in_blocked
            else "not processed: " + (self._error or "the batch was stopped")
        )
        for po in self.scheduler.all_pos():
            status = self.scheduler.status(po)
            if not status.is_final:
                status = leftover_status
                self._emit(ev.PoFinished(0, po.display, status, message=why))
            statuses[po.digits] = status
        return BatchSummary(
            statuses,
            seconds,
            self._bytes,
            self._stopping,
            self._error,
            self._sign_in_blocked,
            files_found=self._files[0],
            files_saved=self._files[1],
            error_kind=self._error_kind,
            error_details=self._error_details,
        )

    def _emit(self, event: ev.Event) -> None:
        try:
            self.sink(event)
        except Exception:  # a broken sink must not strand the workers
            log.exception("event sink failed on %r", event)


def _fields(event: ev.PoFinished) -> dict[str, Any]:
    return {name: getattr(event, name) for name in event.__dataclass_fields__}
