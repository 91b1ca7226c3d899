"""Live progress on the terminal: one line per finished PO above a redrawn progress bar.

It counts nothing itself: done, failed and bytes are the controller's tally (``BatchProgress``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar, TextIO

from po_downloader.cli.messages import breaker_words, describe
from po_downloader.engine import events as ev
from po_downloader.engine.outcome import GAVE_UP_AFTER
from po_downloader.engine.system.display import terminal_text
from po_downloader.engine.system.units import human_bytes, human_seconds


class TerminalProgress:
    """An event sink for the CLI. On a TTY the bar is redrawn in place; otherwise lines only."""

    def __init__(self, total: int, stream: TextIO | None = None, *, clock=time.monotonic) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.failed = 0
        self.bytes = 0
        self.workers = 0
        self.note = ""
        self._bar_shown = False

    def __call__(self, event: ev.Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, event)
            self._draw()

    # --- events -------------------------------------------------------------------------------

    def _on_BatchStarted(self, e: ev.BatchStarted) -> None:
        self.started = self.clock()
        self.line(f"{e.total} POs to download with {e.workers} worker{'s' if e.workers != 1 else ''}")

    def _on_WorkerReady(self, e: ev.WorkerReady) -> None:
        self.workers += 1

    def _on_WorkerDied(self, e: ev.WorkerDied) -> None:
        self.workers = max(0, self.workers - 1)
        what = f" while working {e.po}" if e.po else ""
        self.line(f"worker {e.worker} stopped unexpectedly{what} (exit code {e.exitcode})")

    def _on_WorkerError(self, e: ev.WorkerError) -> None:
        self.line(f"worker {e.worker}: {describe(e.kind, e.details)}")

    def _on_WorkerCountChanged(self, e: ev.WorkerCountChanged) -> None:
        self.line(f"workers: {e.target} (asked for {e.requested}) — {e.reason}")

    def _on_PoRetrying(self, e: ev.PoRetrying) -> None:
        self.line(f"{e.po.display:<12} retry #{e.attempt} in {e.delay:.0f}s: {e.reason}")

    def _on_SignInNeeded(self, e: ev.SignInNeeded) -> None:
        self.line(describe(e.kind, e.details))

    def _on_PoFinished(self, e: ev.PoFinished) -> None:
        o = e.outcome
        files = f"{o.downloaded}/{o.found} files" if o.found else ""
        worded = o.kind is not None and not o.kind.is_outcome  # an outcome's English is its message
        message = describe(o.kind, o.details) if worded and o.kind else o.message
        if worded and GAVE_UP_AFTER in o.details:
            message = f"gave up after {o.details[GAVE_UP_AFTER]} attempts: {message}"
        # A success's message is a note the user must read (a changed file kept beside), after the supplier.
        detail = message if not o.status.is_success else " — ".join(filter(None, (o.supplier, message)))
        detail = detail or o.supplier
        self.line(f"{e.po.display:<12} {o.status.value:<16} {files:<11} {detail}".rstrip())

    def _on_HttpProbe(self, e: ev.HttpProbe) -> None:
        """Only a disagreement reaches the faces: HTTP is given up for the rest of the batch."""
        self.line(
            f"{e.po.display:<12} the served page and the browser disagree ({e.detail}): "
            "pages go through the browser from now on, and POs read over HTTP are checked again"
        )

    def _on_GroupSkipped(self, e: ev.GroupSkipped) -> None:
        words = breaker_words({"column": e.column, "group": e.group, "way": e.way})
        self.line(
            f"stopped sending {words['name']}: its last {e.count} POs all ended with {words['way']}; "
            f"{e.skipped} POs skipped (once that is fixed, run again with --retry-skipped)"
        )

    def _on_BatchProgress(self, e: ev.BatchProgress) -> None:
        self.done, self.failed, self.bytes = e.done, e.failed, e.total_bytes

    _handlers: ClassVar[dict[type, Callable[[TerminalProgress, Any], None]]] = {
        ev.BatchStarted: _on_BatchStarted,
        ev.WorkerReady: _on_WorkerReady,
        ev.WorkerDied: _on_WorkerDied,
        ev.WorkerError: _on_WorkerError,
        ev.WorkerCountChanged: _on_WorkerCountChanged,
        ev.PoRetrying: _on_PoRetrying,
        ev.SignInNeeded: _on_SignInNeeded,
        ev.PoFinished: _on_PoFinished,
        ev.BatchProgress: _on_BatchProgress,
        ev.HttpProbe: _on_HttpProbe,
        ev.GroupSkipped: _on_GroupSkipped,
    }

    # --- drawing ------------------------------------------------------------------------------

    def status_line(self) -> str:
        elapsed = self.clock() - self.started
        remaining = self.total - self.done
        eta = human_seconds(elapsed / self.done * remaining) if self.done and remaining else "—"
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "." * (width - filled)
        return (
            f"[{bar}] {self.done}/{self.total} done · {self.failed} failed · {remaining} left · "
            f"{human_bytes(self.bytes)} · {self.workers} workers · ETA {eta}"
        )

    def line(self, text: str) -> None:
        """Print one line above the progress bar. Suppliers, file names and Coupa's messages in it are the
        portal's text: their escape sequences and control characters are dropped (:func:`terminal_text`)."""
        if self.tty and self._bar_shown:
            self.stream.write("\r\x1b[2K")
        self.stream.write(terminal_text(text) + "\n")
        self._bar_shown = False
        self.stream.flush()

    def _draw(self) -> None:
        if not self.tty:
            return
        self.stream.write("\r\x1b[2K" + self.status_line())
        self._bar_shown = True
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and self._bar_shown:
            self.stream.write("\n")
            self.stream.flush()
