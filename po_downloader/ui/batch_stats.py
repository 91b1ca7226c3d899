"""The progress bar, the stats line (done, failed, left, POs per minute, ETA) and the end-of-batch summary.

Its own module because the arithmetic is easy to get subtly wrong (a rate over the first second, an ETA
with nothing left): :func:`batch_progress` is a plain function with fast tests, and :class:`BatchStats`
only puts its answer on the widgets the window built.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar

from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.controller import BatchSummary
from po_downloader.engine.system.units import human_seconds
from po_downloader.ui.error_text import kind_text
from po_downloader.ui.task_model import TaskTableModel, human_size

MIN_ELAPSED_FOR_RATE = 1.0
"""Seconds: a rate measured over less is noise (one fast PO would promise thousands per minute)."""


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    """POs with a final status, successful or not."""
    failed: int
    """Of ``done``, the ones that did not succeed."""
    rate: float
    """POs per minute since the batch started; 0.0 while unknown."""
    eta_seconds: float | None
    """Time left at ``rate``; None while unknown or nothing is left."""

    @property
    def left(self) -> int:
        return max(0, self.total - self.done)


def batch_progress(counts: Mapping[PoStatus, int], total: int, elapsed: float) -> BatchProgress:
    """Where a batch of ``total`` POs stands after ``elapsed`` seconds, from the table's status counts."""
    done = sum(n for s, n in counts.items() if s.is_final)
    failed = sum(n for s, n in counts.items() if s.is_final and not s.is_success)
    rate = done / elapsed * 60 if elapsed > MIN_ELAPSED_FOR_RATE and done else 0.0
    left = max(0, total - done)
    eta = left / rate * 60 if rate and left else None
    return BatchProgress(total, done, failed, rate, eta)


class BatchStats(QObject):
    """Keeps the progress bar and the stats label in step with the table; times the running batch."""

    def __init__(
        self,
        model: TaskTableModel,
        progress: QProgressBar,
        label: QLabel,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.progress = progress
        self.label = label
        self.clock = clock
        self.started_at = 0.0

    def batch_started(self, total: int) -> None:
        """A batch (or a retry) of ``total`` POs starts now: the rate and ETA count from here."""
        self.started_at = self.clock()
        self.progress.setRange(0, total)

    def refresh(self, running: bool) -> None:
        """Redraw from the table; while ``running`` the bar keeps the batch's size (a retry runs fewer)."""
        total = len(self.model.rows())
        if running:
            total = self.progress.maximum() or total
        elapsed = self.clock() - self.started_at if self.started_at else 0
        now = batch_progress(self.model.counts(), total, elapsed)
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(now.done, max(total, 1)))
        eta = human_seconds(now.eta_seconds) if now.eta_seconds is not None else "—"
        self.label.setText(
            self.tr(
                "{done} done · {failed} failed · {left} left · {rate:.1f} POs/min · {size} · ETA {eta}"
            ).format(
                done=now.done,
                failed=now.failed,
                left=now.left,
                rate=now.rate,
                size=human_size(self.model.total_bytes()),
                eta=eta,
            )
        )

    def summary_text(self, summary: BatchSummary) -> str:
        """One line for the finish banner and the tray: what the batch did, how big, how long."""
        counts = summary.counts
        parts = [
            self.tr("{n} completed").format(n=counts.get("COMPLETED", 0)),
            self.tr("{n} no attachments").format(n=counts.get("NO_ATTACHMENTS", 0)),
        ]
        failed = sum(n for s, n in counts.items() if not PoStatus(s).is_success)
        parts.append(self.tr("{n} need attention").format(n=failed))
        text = self.tr("{total} POs: {parts} — {size} in {time}").format(
            total=len(summary.statuses),
            parts=", ".join(parts),
            size=human_size(summary.total_bytes),
            time=human_seconds(summary.seconds),
        )
        if summary.error:
            text += " — " + (
                kind_text(summary.error_kind, summary.error_details) if summary.error_kind else summary.error
            )
        elif summary.stopped:
            text += " — " + self.tr("stopped before the end")
        return text
