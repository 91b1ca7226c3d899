"""The progress bar, the stats line (done, failed, left, POs per minute, ETA) and the end-of-batch summary.

It counts nothing: done, failed, left and bytes are the engine's tally (``BatchProgress``, sent after each
final outcome). What it adds is the wording and the pace: :func:`pace` is a plain function with fast tests
(a rate over the first second, an ETA with nothing left are easy to get subtly wrong).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.controller import BatchSummary
from po_downloader.engine.system.units import human_seconds
from po_downloader.ui.error_text import kind_text
from po_downloader.ui.i18n import local_number
from po_downloader.ui.task_model import human_size

MIN_ELAPSED_FOR_RATE = 1.0
"""Seconds: a rate measured over less is noise (one fast PO would promise thousands per minute)."""


def pace(done: int, left: int, elapsed: float) -> tuple[float, float | None]:
    """POs per minute after ``elapsed`` seconds (0.0 while unknown) and the seconds left at that rate
    (None while unknown or nothing is left)."""
    rate = done / elapsed * 60 if elapsed > MIN_ELAPSED_FOR_RATE and done else 0.0
    eta = left / rate * 60 if rate and left else None
    return rate, eta


class BatchStats(QObject):
    """Shows the engine's latest ``BatchProgress`` on the progress bar and the stats label; times the
    running batch for its rate."""

    def __init__(
        self,
        progress: QProgressBar,
        label: QLabel,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.progress = progress
        self.label = label
        self.clock = clock
        self.started_at = 0.0
        self.now = ev.BatchProgress(0, 0, 0, 0, 0)

    def show_sheet(self, total: int) -> None:
        """A sheet of ``total`` POs is on screen and no batch runs: nothing done yet."""
        self.started_at = 0.0
        self.now = ev.BatchProgress(0, 0, 0, total, 0)
        self.refresh()

    def batch_started(self, total: int) -> None:
        """A batch (or a retry) of ``total`` POs starts now: the rate and ETA count from here."""
        self.started_at = self.clock()
        self.now = ev.BatchProgress(0, 0, 0, total, 0)

    def refresh(self, events: Iterable[ev.Event] = ()) -> None:
        """Redraw; the latest ``BatchProgress`` among ``events`` is where the batch stands."""
        for event in events:
            if isinstance(event, ev.BatchProgress):
                self.now = event
        now = self.now
        total = max(now.done + now.left, 1)
        elapsed = self.clock() - self.started_at if self.started_at else 0
        rate, eta = pace(now.done, now.left, elapsed)
        self.progress.setRange(0, total)
        self.progress.setValue(min(now.done, total))
        done, failed, left = now.done, now.failed, now.left
        self.label.setText(
            " · ".join(
                (
                    self.tr("%n done", "", done),
                    self.tr("%n failed", "", failed),
                    self.tr("%n left", "", left),
                    self.tr("{rate} POs/min").format(rate=local_number(rate)),
                    human_size(now.total_bytes),
                    self.tr("ETA {eta}").format(eta=human_seconds(eta) if eta is not None else "—"),
                )
            )
        )

    def summary_text(self, summary: BatchSummary) -> str:
        """One line for the finish banner and the tray: what the batch did, how big, how long."""
        counts = summary.counts
        completed, empty = counts.get("COMPLETED", 0), counts.get("NO_ATTACHMENTS", 0)
        failed = sum(n for s, n in counts.items() if not PoStatus(s).is_success)
        total = len(summary.statuses)
        parts = [
            self.tr("%n completed", "", completed),
            self.tr("%n no attachments", "", empty),
            self.tr("%n need attention", "", failed),
        ]
        text = self.tr("%n POs: {parts} — {size} in {time}", "", total).format(
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
