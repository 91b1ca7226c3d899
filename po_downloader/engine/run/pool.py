"""The worker processes of one batch: spawn, hand over work, retire, kill, watch, shut down, clean up.

Processes and their temporary folders only; which PO goes where, retries and the sign-in gate are the
controller's. Crash safety lives here too: every worker PID and folder is recorded in the run marker before
it can matter, so the next start ends and removes what a crashed run left behind.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, ClassVar

import psutil

from po_downloader.engine import events as ev
from po_downloader.engine.http.rate import RateLimit, SharedBucket
from po_downloader.engine.models import PoNumber, PoTask, RouteMode
from po_downloader.engine.run.priority import lower_priority
from po_downloader.engine.run.worker import WorkerConfig, WorkOrder
from po_downloader.engine.system.paths import private_dir
from po_downloader.engine.system.processes import ProcRef, end_processes, proc_ref
from po_downloader.engine.system.removal import remove_tree
from po_downloader.engine.system.run_markers import RunMarker, sweep_stale_runs

log = logging.getLogger(__name__)

OnEvent = Callable[["WorkerHandle", ev.Event], None]
OnExit = Callable[["WorkerHandle"], None]


@dataclass(frozen=True)
class PoolTimeouts:
    po: float = 900.0
    """A busy worker that has not ended its attempt by then is ended (slow progress, a stuck page)."""
    startup: float = 120.0
    """A worker not ready by then (profile copy, browser start, sign-in check) is ended."""
    heartbeat: float = 30.0
    """A started worker silent this long (its heartbeat thread beats every 2 s) is frozen and ended."""


@dataclass
class WorkerHandle:
    """One worker process as the pool sees it. Which PO it holds is the scheduler's record, not this."""

    id: int
    process: mp.process.BaseProcess
    conn: Connection
    copy_dir: Path
    staging_dir: Path
    generation: int
    started: float
    state: str = "starting"  # starting → idle ⇄ busy; retiring (stop when idle); stopping
    busy_since: float = 0.0
    last_heard: float = 0.0
    ready: bool = False
    refs: list[ProcRef] = field(default_factory=list)
    last_error: str = ""

    @property
    def active(self) -> bool:
        return self.state in ("starting", "idle", "busy")


class WorkerPool:
    def __init__(
        self,
        target: Callable[..., None],
        config: WorkerConfig,
        *,
        runs_dir: Path,
        profiles_dir: Path,
        staging_dir: Path,
        timeouts: PoolTimeouts,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``target`` is the worker process's entry point (``worker_main``, or a scripted stand-in)."""
        self.target = target
        self.config = config
        self.runs_dir = runs_dir
        self.profiles_dir = profiles_dir
        self.staging_dir = staging_dir
        self.timeouts = timeouts
        self.clock = clock
        self.handles: dict[int, WorkerHandle] = {}
        self._ctx = mp.get_context("spawn")
        if config.route_mode != RouteMode.BROWSER and config.http_bucket is None:
            # One ceiling for the whole batch's HTTP requests, shared by every worker it spawns.
            self.config = replace(config, http_bucket=SharedBucket.create(self._ctx, RateLimit()))
        self._next_id = 1
        self._marker: RunMarker | None = None

    # ---------------------------------------------------------------- life of the pool

    def open(self) -> None:
        """Clean up after crashed runs, then record this run's folders before any worker writes into them."""
        swept = sweep_stale_runs(self.runs_dir)
        if swept.runs:
            log.info("cleaned up after %d crashed run(s): ended %s", swept.runs, swept.ended)
        me = proc_ref(os.getpid())
        assert me is not None, "this very process is running"
        self._marker = RunMarker.create(private_dir(self.runs_dir), owner=me)
        self._marker.add_dir(self.profiles_dir)
        self._marker.add_dir(self.staging_dir)
        private_dir(self.profiles_dir)

    def shutdown(self, on_event: OnEvent, on_exit: OnExit) -> None:
        """Ask every worker to exit, end those that do not, and remove every folder the run made."""
        for h in self.handles.values():
            if h.state in ("idle", "starting", "retiring"):
                self.retire(h)
        deadline = time.monotonic() + 15
        while self.handles and time.monotonic() < deadline:
            self.wait(0.2, (), on_event, on_exit)
        for h in list(self.handles.values()):
            log.warning("worker %d did not exit; ending it", h.id)
            h.process.terminate()
            h.process.join(timeout=3)
            if h.process.is_alive():
                h.process.kill()
                h.process.join(timeout=3)
            self._cleanup(h)
            del self.handles[h.id]
        removed = [_remove(path) for path in (self.profiles_dir, self.staging_dir)]
        try:
            self.staging_dir.parent.rmdir()  # only when no other run uses it
        except OSError:
            pass
        if self._marker and all(removed):
            self._marker.close()  # else it stays: the next start's sweep removes what is left

    # ---------------------------------------------------------------- workers

    def spawn(self, now: float, generation: int) -> WorkerHandle:
        wid = self._next_id
        self._next_id += 1
        copy_dir = self.profiles_dir / f"w{wid}"
        staging = self.staging_dir / f"w{wid}"
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=self.target,
            args=(wid, self.config, str(copy_dir), str(staging), child),
            name=f"po-worker-{wid}",
            daemon=True,
        )
        try:
            process.start()
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        if process.pid is not None:
            lower_priority(process.pid)  # before it imports anything: the window keeps the CPU it needs
        h = WorkerHandle(wid, process, parent, copy_dir, staging, generation, now)
        if process.pid is not None and (ref := proc_ref(process.pid)):
            h.refs.append(ref)
            if self._marker is not None:
                self._marker.add_processes([ref])
        self.handles[wid] = h
        log.info("worker %d started (pid %s)", wid, process.pid)
        return h

    def pids(self) -> list[int]:
        """The worker processes still here: the roots of our own process trees (the governor's "ours")."""
        return [pid for h in self.handles.values() if (pid := h.process.pid) is not None]

    def of_generation(self, generation: int) -> list[WorkerHandle]:
        """Workers still wanted (not retiring or stopping) of this sign-in generation."""
        return [h for h in self.handles.values() if h.active and h.generation == generation]

    def assign(self, h: WorkerHandle, task: PoTask, now: float, ahead: PoNumber | None = None) -> None:
        """Send ``task``, and ``ahead``: the PO reserved to follow it, whose page the worker may load."""
        h.state, h.busy_since = "busy", now
        try:
            h.conn.send(WorkOrder(task, ahead))
        except OSError:
            log.warning("worker %d pipe closed before it got %s", h.id, task.po)

    def attempt_over(self, h: WorkerHandle) -> None:
        """The worker ended its attempt: it takes the next PO, or stops if it was asked to retire."""
        if h.state == "busy":
            h.state = "idle"
        elif h.state == "retiring":
            self.retire(h)

    def retire(self, h: WorkerHandle) -> None:
        """Stop when idle: a busy worker finishes its current PO first."""
        if h.state == "busy":
            h.state = "retiring"
            return
        h.state = "stopping"
        try:
            h.conn.send(WorkOrder(None))
        except OSError:
            pass

    def stop_all(self) -> None:
        """Cancel: end working and starting workers now, let idle ones exit."""
        for h in self.handles.values():
            if h.state in ("busy", "starting", "retiring"):
                h.state = "stopping"
                self.kill(h)
                h.process.terminate()
            else:
                self.retire(h)

    def kill(self, h: WorkerHandle) -> None:
        end_processes(h.refs, timeout=5)

    def watchdog(self, now: float) -> None:
        """End workers that stopped beating, are stuck on one PO, or never got ready."""
        for h in list(self.handles.values()):
            why = self._stuck(h, now)
            if why:
                h.last_error = why
                log.warning("worker %d %s (%s); ending it", h.id, why, h.state)
                _resume(h)
                self.kill(h)

    def next_deadline(self) -> float | None:
        """The earliest moment the watchdog could find a worker stuck (the mirror of ``_stuck``), None
        when no worker is watched; the controller sleeps no longer than that."""
        times = []
        for h in self.handles.values():
            if h.state == "starting":
                times.append(h.started + self.timeouts.startup)
            if h.state in ("busy", "retiring"):
                times.append(h.busy_since + self.timeouts.po)
            if h.ready and h.state != "stopping":
                times.append(h.last_heard + self.timeouts.heartbeat)
        return min(times, default=None)

    def _stuck(self, h: WorkerHandle, now: float) -> str:
        if h.state == "starting":
            return "did not answer in time" if now - h.started > self.timeouts.startup else ""
        if h.state in ("busy", "retiring") and now - h.busy_since > self.timeouts.po:
            return "did not answer in time"
        silent = now - h.last_heard > self.timeouts.heartbeat
        # Beats still in the pipe mean this loop was slow to read, not that the worker froze.
        if h.ready and h.state != "stopping" and silent and not _has_data(h.conn):
            return f"stopped responding (no heartbeat for {now - h.last_heard:.0f} s)"
        return ""

    # ---------------------------------------------------------------- pipes

    def wait(
        self, timeout: float, extra: Sequence[Connection], on_event: OnEvent, on_exit: OnExit
    ) -> list[Connection]:
        """Wait for any worker pipe, worker exit or ``extra`` connection; hand worker events to ``on_event``
        and ended workers (cleaned up and removed) to ``on_exit``. Returns the ``extra`` ones ready."""
        objects: list[Any] = list(extra)
        for h in self.handles.values():
            objects += [h.conn, h.process.sentinel]
        ready = wait(objects, timeout)
        woken = [c for c in extra if c in ready]
        for obj in ready:
            for h in list(self.handles.values()):
                if obj is h.conn:
                    self._read(h, on_event)
                elif obj == h.process.sentinel:
                    self._read(h, on_event)
                    self._exited(h, on_exit)
        return woken

    def _read(self, h: WorkerHandle, on_event: OnEvent) -> None:
        try:
            while h.conn.poll():
                event = h.conn.recv()
                h.last_heard = self.clock()
                if not self._own(h, event):
                    on_event(h, event)
        except (EOFError, OSError):
            pass  # the process is gone; its sentinel fires next

    def _own(self, h: WorkerHandle, event: ev.Event) -> bool:
        """Events about the processes themselves; True when nobody else needs them."""
        handler = self._handlers.get(type(event))
        return handler(self, h, event) if handler is not None else False

    def _on_heartbeat(self, h: WorkerHandle, event: ev.Heartbeat) -> bool:
        return True  # being heard is all it says

    def _on_processes(self, h: WorkerHandle, event: ev.WorkerProcesses) -> bool:
        refs = [r for pid in event.pids if (r := proc_ref(pid))]
        h.refs.extend(refs)
        if self._marker:
            self._marker.add_processes(refs)
        return True

    def _on_ready(self, h: WorkerHandle, event: ev.WorkerReady) -> bool:
        h.ready = True
        if h.state == "starting":
            h.state = "idle"
        return False  # the controller and the sinks want it too

    _handlers: ClassVar[dict[type, Callable[[WorkerPool, WorkerHandle, Any], bool]]] = {
        ev.Heartbeat: _on_heartbeat,
        ev.WorkerProcesses: _on_processes,
        ev.WorkerReady: _on_ready,
    }

    def _exited(self, h: WorkerHandle, on_exit: OnExit) -> None:
        h.process.join(timeout=1)
        self._cleanup(h)
        self.handles.pop(h.id, None)
        on_exit(h)

    def _cleanup(self, h: WorkerHandle) -> None:
        """End the browser tree the worker started and delete its profile copy and staging folder."""
        end_processes(h.refs, timeout=5)
        for path in (h.copy_dir, h.staging_dir):
            _remove(path)


def _remove(path: Path) -> bool:
    """Remove one of the run's folders; False if it cannot be removed now. Never fatal: a file still held
    (antivirus, an indexer, a browser slow to exit on Windows) must not end the batch. The folder lies
    under one the run marker records, so the next start's sweep removes it."""
    try:
        remove_tree(path)
        return True
    except OSError as exc:
        log.warning("could not remove %s (%s); it is left for the next clean-up", path, exc)
        return False


def _has_data(conn: Connection) -> bool:
    try:
        return conn.poll()
    except (EOFError, OSError):
        return True  # closed: its exit is reported through the sentinel, not as a freeze


def _resume(h: WorkerHandle) -> None:
    """A stopped (SIGSTOP, suspended) process cannot act on terminate: let it run so it ends cleanly,
    browser included, instead of waiting out the kill timeout. Harmless for a running one."""
    if h.process.pid is None:
        return
    try:
        psutil.Process(h.process.pid).resume()
    except psutil.Error:
        pass
