"""The batch controller: feeds POs to the worker pool and turns what workers report into the batch's events.

It runs in one thread (the CLI's, or the window's controller process: ``controller_host``) and waits on
every worker pipe and process sentinel at once (``WorkerPool.wait``). Other threads talk to it only through
its command methods, which queue a command and wake the loop; events go to ``sink``. The worker processes
(spawn, retire, kill, watchdog, clean-up) are the pool's; the batch logic is here."""

from __future__ import annotations

import logging
import queue
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from multiprocessing.connection import Pipe
from pathlib import Path
from typing import Any, ClassVar

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.events import BatchSummary
from po_downloader.engine.models import PoNumber, PoStatus, RouteMode
from po_downloader.engine.outcome import GAVE_UP_AFTER, PoOutcome
from po_downloader.engine.run.attempt_words import worker_died
from po_downloader.engine.run.breaker import Breaker
from po_downloader.engine.run.deadlines import backoff_deadline, loop_timeout
from po_downloader.engine.run.governor import Governor, OthersLoad, Reading
from po_downloader.engine.run.grid_batch import CookieSource, carry_again
from po_downloader.engine.run.log_relay import replay
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.run.page_outcome import own_sign_in_page
from po_downloader.engine.run.pool import PoolTimeouts, WorkerHandle, WorkerPool
from po_downloader.engine.run.resume import PriorWork, with_prior
from po_downloader.engine.run.root_checks import STAGING_DIRNAME, Refusal, check_staging, lock_root
from po_downloader.engine.run.route_trust import RouteTrust
from po_downloader.engine.run.scheduler import Scheduler
from po_downloader.engine.run.tally import Tally
from po_downloader.engine.run.worker import WorkerConfig, worker_main
from po_downloader.engine.status import backoff_delay
from po_downloader.engine.system.paths import AppDirs
from po_downloader.engine.system.root_lock import RootLock

__all__ = ["BatchController", "BatchSummary", "Sink"]

log = logging.getLogger(__name__)

Sink = Callable[[ev.Event], None]


class BatchController:
    def __init__(
        self,
        config: WorkerConfig,
        pos: Iterable[PoNumber],
        sink: Sink,
        options: BatchOptions,
        dirs: AppDirs,
        *,
        readings: Callable[[], Reading] | None = None,
        governor: Governor | None = None,
        clock: Callable[[], float] = time.monotonic,
        worker_target: Callable[..., None] = worker_main,
        prior: Mapping[str, PriorWork] | None = None,
        kept: Mapping[str, PoStatus] | None = None,
        source: str = "",
        breaker: Breaker | None = None,
        cookie_source: CookieSource | None = None,
    ) -> None:
        """``worker_target`` is the worker process's entry point: ``worker_main`` drives a browser; tests give
        a scripted stand-in with the same signature, so the state machine runs in seconds. ``prior``: what
        earlier runs left for each PO (by digits), handed to the worker with the PO (resume). ``source``
        (the input sheet) names this batch to a second one refused on the same download root. ``kept``: the
        POs (by digits) a resumed batch keeps from its earlier run, with their status: the summary speaks
        for the whole sheet, so both faces print it as it is."""
        self.prior: Mapping[str, PriorWork] = prior or {}
        self.kept: Mapping[str, PoStatus] = kept or {}
        self.breaker = breaker or Breaker(0)
        self.config = config
        self.options = options
        self.dirs = dirs
        self.sink = sink
        self.governor = governor or Governor()
        self.clock = clock
        self.source = source
        self.cookie_source = cookie_source  # on a Grid: reads the sign-in again once the user signed in again
        self.scheduler = Scheduler(pos, max_attempts=options.max_attempts, backoff_base=options.backoff_base)
        self.run_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self.pool = WorkerPool(
            worker_target,
            config,
            runs_dir=dirs.runs,
            profiles_dir=dirs.worker_profiles / self.run_id,
            staging_dir=Path(config.download_root) / STAGING_DIRNAME / self.run_id,
            timeouts=PoolTimeouts(options.po_timeout, options.startup_timeout, options.heartbeat_timeout),
            clock=clock,
        )
        self.readings = readings or OthersLoad(self.pool.pids)  # other programs' CPU: ours never counts
        self._commands: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._wake_r, self._wake_w = Pipe(duplex=False)
        self._generation = 0
        self._requested = max(1, options.workers)
        self._limit: int | None = None
        self._paused = False
        self._stopping = False
        self._sign_in_blocked = False
        self._error: Refusal | None = None
        self._start_failures = 0
        self._next_start = 0.0
        self._tally = Tally(self.scheduler.total)
        self._next_sample = 0.0
        self.trust = RouteTrust(RouteMode(config.route_mode))
        """Whether served pages may decide POs in this batch: what each task's ``HttpPlan`` says."""
        self._ahead = options.lookahead and config.route_mode != RouteMode.HTTP  # HTTP loads no page ahead

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
        """Work the batch to its end; the summary is also the last event (``BatchFinished``)."""
        started = self.clock()
        try:
            root = Path(self.config.download_root)
            root_lock = lock_root(root, self.dirs.data, self.source)
            try:
                self._error = root_lock if isinstance(root_lock, Refusal) else check_staging(root)
                if not self._error:
                    self._work()
            finally:
                if isinstance(root_lock, RootLock):
                    root_lock.release()  # before BatchFinished: whoever hears it may start the next batch
        finally:
            self._wake_r.close()
            self._wake_w.close()
        summary = self._summary(self.clock() - started)
        self._emit(ev.BatchFinished(0, summary))
        return summary

    def _work(self) -> None:
        self.pool.open()
        self._emit(ev.BatchStarted(0, self.scheduler.total, self.target))
        try:
            while not self._done():
                self._drain_commands()
                now = self.clock()
                self._govern(now)
                self._scale(now)
                self._dispatch(now)
                self.pool.watchdog(now)
                self._wait_for_activity(self._wait_timeout(now))
        finally:
            self.pool.shutdown(self._on_event, self._on_exit)

    def _done(self) -> bool:
        if self._error:
            return True
        busy = any(h.state == "busy" for h in self.pool.handles.values())
        if self._stopping:
            return not busy
        if self._sign_in_blocked and not self.options.pause_on_sign_in:
            return not busy
        return self.scheduler.finished()

    def _wait_timeout(self, now: float) -> float:
        """Until the clock can next change something; workers and commands wake the loop themselves."""
        idle = any(h.state == "idle" for h in self.pool.of_generation(self._generation))
        handing_out = not (self._paused or self._stopping or self._sign_in_blocked)
        ready = self.scheduler.next_backoff_end(now)
        backoff = backoff_deadline(ready, worker_free=idle, handing_out=handing_out)
        sample = self._next_sample if self.options.governor else None
        return loop_timeout(now, [backoff, self.pool.next_deadline(), sample, self._next_start])

    def _wait_for_activity(self, timeout: float) -> None:
        if self.pool.wait(timeout, [self._wake_r], self._on_event, self._on_exit):
            while self._wake_r.poll():
                self._wake_r.recv()

    def _drain_commands(self) -> None:
        while True:
            try:
                fn = self._commands.get_nowait()
            except queue.Empty:
                return
            fn()

    # ---------------------------------------------------------------- how many workers, and what they do

    def _scale(self, now: float) -> None:
        if self._stopping or self._error:
            return
        current = self.pool.of_generation(self._generation)
        work_left = self.scheduler.pending + sum(1 for h in current if h.state == "busy")
        want = min(self.target, max(work_left, 0))
        if not self._sign_in_blocked and now >= self._next_start:
            for _ in range(want - len(current)):
                if not self._spawn(now):
                    break
        excess = len(current) - want
        if excess <= 0:
            return
        # Retire idle workers first; busy ones finish their current PO and then stop.
        for h in sorted(current, key=lambda h: (h.state == "busy", -h.id))[:excess]:
            self.pool.retire(h)

    def _spawn(self, now: float) -> bool:
        try:
            self.pool.spawn(now, self._generation)
            return True
        except Exception as exc:  # no process to be had now (memory, handles): a failed start, not the end
            log.warning("a worker could not be started: %s", exc)
            self._start_failed(now, str(exc))
            return False

    def _start_failed(self, now: float, detail: str) -> None:
        """Try again after a growing pause; end the batch only when no worker at all gets going."""
        self._start_failures += 1
        self._next_start = now + backoff_delay(self._start_failures, self.options.backoff_base)
        running = any(h.ready for h in self.pool.of_generation(self._generation))
        if self._start_failures < self.options.max_start_failures or running or self._sign_in_blocked:
            return
        if not self._error:
            message = f"workers could not start: {detail}"
            self._error = Refusal(message, ErrorKind.WORKERS_COULD_NOT_START, {"detail": detail})

    def _dispatch(self, now: float) -> None:
        """Idle workers get a PO and the next one reserved (its page loads meanwhile); the reservations of
        workers not handed work (stopped, paused, signed out, retired, gone) go back to the queue first."""
        current = self.pool.of_generation(self._generation)
        handing_out = not (self._paused or self._stopping or self._sign_in_blocked)
        self.scheduler.keep_reservations(h.id for h in current if handing_out)
        idle = {h.id: h for h in current if h.state == "idle" and handing_out}
        active = [o.id for o in self.pool.handles.values() if o.active]
        lookahead = self._ahead and not self.trust.lists_over_http()  # a page HTTP decides needs no tab
        for wid, task, ahead in self.scheduler.hand_out(list(idle), active, now, ahead=lookahead):
            plan = self.trust.plan()
            self.pool.assign(idle[wid], replace(with_prior(task, self.prior), http=plan), now, ahead)

    def _on_exit(self, h: WorkerHandle) -> None:
        expected = h.state == "stopping" or self._stopping
        po = self.scheduler.held_by(h.id)
        if po is not None and (self._stopping or self._error):
            # Ended by the stop (or the batch's error, e.g. a full disk) on purpose: nothing unexpected to
            # report; its PO is left over at the end, not failed.
            self._emit(ev.WorkerStopped(h.id))
        elif po is not None:
            reason = h.last_error or f"worker stopped unexpectedly (exit code {h.process.exitcode})"
            self._emit(ev.WorkerDied(h.id, h.process.exitcode, po))
            self._retry_or_fail(po, h.id, self.clock(), reason, worker_died(h.process.exitcode))
        elif expected:
            self._emit(ev.WorkerStopped(h.id))
        else:
            self._emit(ev.WorkerDied(h.id, h.process.exitcode))
            if not h.ready:
                self._start_failed(self.clock(), h.last_error or f"exit code {h.process.exitcode}")

    # ---------------------------------------------------------------- events from workers

    def _on_event(self, h: WorkerHandle, event: ev.Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, h, event)
        else:
            self._emit(event)  # a PO's progress: the sinks want it as it is

    def _on_ready(self, h: WorkerHandle, event: ev.WorkerReady) -> None:
        self._start_failures = 0
        self._emit(event)

    def _on_error(self, h: WorkerHandle, event: ev.WorkerError) -> None:
        h.last_error = event.message
        self._emit(event)
        if event.kind.needs_sign_in:
            self._block_for_sign_in(h, ev.SignInNeeded(0, event.message, event.kind, dict(event.details)))
        elif event.kind.is_config:
            self._error = Refusal(event.message, event.kind, event.details)
        elif event.kind.is_disk and not self._error:
            # Every worker would meet a full or read-only disk: stop them all now; what they hold stays to do.
            self._error = Refusal(event.message, event.kind, event.details)
            self.pool.stop_all()

    def _on_http_probe(self, h: WorkerHandle, event: ev.HttpProbe) -> None:
        """The batch learns what served pages are worth; one disagreement ends HTTP for the rest of it."""
        why = self.trust.probe(event.result, event.verdict, event.detail)
        if why and not self._stopping:
            log.warning("%s: served page and browser disagree (%s): the rest goes by browser", event.po, why)
            self._emit(event)
            for po, outcome in self.trust.take_decided():  # what HTTP decided, the browser checks again
                self._tally.retract(outcome)
                self._work_again(po)

    def _work_again(self, po: PoNumber) -> None:
        self.scheduler.reopen(po)
        reason = f"checked again through the browser: {self.trust.distrusted}"
        self._emit(ev.PoRequeued(0, po, PoStatus.PENDING, reason))

    def _on_attempt_ended(self, h: WorkerHandle, event: ev.AttemptEnded) -> None:
        po = self.scheduler.held_by(h.id)
        self.pool.attempt_over(h)
        if po != event.po:
            log.warning("worker %d ended an attempt on %s it was not given", h.id, event.po)
            return
        outcome = event.outcome
        if outcome.status is PoStatus.SIGN_IN_REQUIRED and self.scheduler.sign_in_is_its_own(
            po, self.options.max_sign_ins
        ):
            failed = own_sign_in_page(outcome, self.options.max_sign_ins, event.reached)
            self.scheduler.finish(po, PoStatus.FAILED, failed.message)
            self._finished(h.id, po, failed)
        elif outcome.status is PoStatus.SIGN_IN_REQUIRED:
            self.scheduler.send_back(po)
            self._emit(ev.PoRequeued(h.id, po, PoStatus.SIGN_IN_REQUIRED, outcome.message))
            self._block_for_sign_in(h, ev.SignInNeeded(0, "Coupa asked to sign in again"))
        elif event.retryable:
            self._retry_or_fail(po, h.id, self.clock(), outcome.message, outcome)
        else:
            self.scheduler.finish(po, outcome.status, outcome.message)
            self._finished(h.id, po, outcome)

    _handlers: ClassVar[dict[type, Callable[[BatchController, WorkerHandle, Any], None]]] = {
        ev.WorkerReady: _on_ready,
        ev.WorkerError: _on_error,
        ev.AttemptEnded: _on_attempt_ended,
        ev.WorkerLog: lambda self, h, event: replay(event, h.process.pid),
        ev.HttpProbe: _on_http_probe,
    }

    def _retry_or_fail(
        self, po: PoNumber, worker: int, now: float, reason: str, attempt: PoOutcome | None = None
    ) -> None:
        """Another try after a pause, or FAILED with what the last attempt (``attempt``, if it got to say)
        found: its files stay counted."""
        tried = self.scheduler.attempts(po)
        delay = self.scheduler.fail(po, worker, now, reason)
        last = attempt or PoOutcome(PoStatus.FAILED)
        if delay is not None:
            self._emit(ev.PoRetrying(worker, po, tried + 1, delay, reason, last.kind, dict(last.details)))
            return
        message = f"gave up after {tried} attempt{'s' if tried != 1 else ''}: {reason}"
        worded = {**last.details, GAVE_UP_AFTER: str(tried)} if last.kind else {}  # the edges say it gave up
        self._finished(worker, po, replace(last, status=PoStatus.FAILED, message=message, details=worded))

    def _finished(self, worker: int, po: PoNumber, outcome: PoOutcome) -> None:
        """The one road to a PO's final word: counted once, then told."""
        if not self.trust.keep(po, outcome):  # decided over HTTP after the batch stopped trusting it
            self._work_again(po)
            return
        progress = self._tally.add(outcome)
        self._emit(ev.PoFinished(worker, po, outcome))
        self._emit(progress)
        if (trip := self.breaker.record(po, outcome)) is not None:  # the group's POs not sent: SKIPPED
            skipped = self.scheduler.skip(trip.covers)
            self._emit(ev.GroupSkipped(0, trip.column, trip.group, trip.way, trip.count, len(skipped)))
            for left in skipped:
                self._finished(0, left, trip.outcome)

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
        self.pool.stop_all()

    def _block_for_sign_in(self, h: WorkerHandle, needed: ev.SignInNeeded) -> None:
        # A worker from before the user signed in again is only reporting its old, expired session.
        if self._sign_in_blocked or h.generation != self._generation:
            return
        self._sign_in_blocked = True
        self._emit(needed)

    def _restart_after_sign_in(self) -> None:
        fresh = carry_again(self.pool.config, self.cookie_source) if self.cookie_source else self.pool.config
        if isinstance(fresh, ev.SignInNeeded):  # the profile is still signed out: ask again, start nothing
            return self._emit(fresh)
        self.pool.config = fresh  # a Grid's sessions from now on carry the new sign-in
        self._sign_in_blocked = False
        self._start_failures = 0
        self._next_start = 0.0
        self._generation += 1
        for h in list(self.pool.handles.values()):
            if h.active:
                self.pool.retire(h)

    def _govern(self, now: float) -> None:
        if not self.options.governor or now < self._next_sample:
            return
        self._next_sample = now + 1.0
        decision = self.governor.update(self.readings(), now, requested=self._requested)
        if decision.changed:
            self._limit = decision.limit
            log.info("governor: %s", decision.reason)
            self._emit(decision.told(self.target, self._requested))

    # ---------------------------------------------------------------- the end

    def _summary(self, seconds: float) -> BatchSummary:
        """The batch's end: the POs it kept from an earlier run, then each of its own, final or left over."""
        worked = ((po, self.scheduler.status(po)) for po in self.scheduler.all_pos())
        ended = (self._stopping, self._sign_in_blocked, self._error)
        return self._tally.close(worked, self.kept, self._emit, seconds, *ended)

    def _emit(self, event: ev.Event) -> None:
        try:
            self.sink(event)
        except Exception:  # a broken sink must not strand the workers
            log.exception("event sink failed on %r", event)
