"""The progress line shows the engine's tally with its pace (rate, ETA), and the end-of-batch summary."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.run.controller import BatchSummary
from po_downloader.ui.batch_stats import BatchStats, pace

S = PoStatus


def test_nothing_done_has_no_rate_and_no_eta() -> None:
    assert pace(done=0, left=4, elapsed=30.0) == (0.0, None)


def test_rate_and_eta_follow_the_pos_done_per_minute() -> None:
    rate, eta = pace(done=6, left=12, elapsed=120.0)
    assert rate == 3.0  # 6 POs in 2 minutes
    assert eta == 240.0  # 12 left at 3 a minute


def test_no_rate_in_the_first_second_and_no_eta_when_nothing_is_left() -> None:
    assert pace(done=2, left=2, elapsed=0.5) == (0.0, None)
    assert pace(done=4, left=0, elapsed=60.0) == (4.0, None)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_stats(qtbot, clock: Clock) -> tuple[BatchStats, QProgressBar, QLabel]:
    bar, label = QProgressBar(), QLabel()
    qtbot.addWidget(bar)
    qtbot.addWidget(label)
    return BatchStats(bar, label, clock=clock, parent=bar), bar, label


def test_the_bar_and_label_show_the_engines_tally_of_the_running_batch(qtbot) -> None:
    clock = Clock(100.0)
    stats, bar, label = make_stats(qtbot, clock)
    stats.batch_started(4)
    clock.now = 160.0
    stats.refresh([ev.BatchProgress(0, 1, 0, 3, 1024), ev.PoStarted(1, PoNumber("1"), 1, "u")])
    stats.refresh([ev.BatchProgress(0, 2, 1, 2, 2048)])  # the latest word counts
    assert (bar.value(), bar.maximum()) == (2, 4)
    text = label.text()
    for part in ("2 done", "1 failed", "2 left", "2.0 POs/min", "2.0 KB", "ETA 1m00s"):
        assert part in text, (part, text)
    stats.refresh()  # no news: the same tally, redrawn
    assert "2 done" in label.text()


def test_a_sheet_on_screen_and_a_retry_show_their_own_size(qtbot) -> None:
    stats, bar, label = make_stats(qtbot, Clock(5.0))
    stats.show_sheet(4)
    assert (bar.value(), bar.maximum()) == (0, 4) and "0 done" in label.text() and "4 left" in label.text()
    stats.batch_started(1)  # retrying the one row left
    stats.refresh([ev.BatchProgress(0, 1, 0, 0, 0)])
    assert (bar.value(), bar.maximum()) == (1, 1)
    assert "ETA —" in label.text()  # no time has passed: no rate yet


def test_the_summary_names_what_needs_attention_and_why_it_ended(qtbot) -> None:
    stats, _bar, _label = make_stats(qtbot, Clock(0.0))
    statuses = {"1": S.COMPLETED, "2": S.COMPLETED, "3": S.NO_ATTACHMENTS, "4": S.FAILED, "5": S.PENDING}
    text = stats.summary_text(BatchSummary(statuses, seconds=75, total_bytes=3 * 1024 * 1024, stopped=True))
    assert text.startswith("5 POs: 2 completed, 1 no attachments, 2 need attention — 3.0 MB in 1m15s")
    assert text.endswith("— stopped before the end")
    failed = stats.summary_text(BatchSummary(statuses, seconds=1, total_bytes=0, stopped=True, error="boom"))
    assert failed.endswith("— boom") and "stopped before the end" not in failed


def test_a_batch_stopped_by_a_full_disk_says_which_folder_and_how_to_carry_on(qtbot) -> None:
    stats, _bar, _label = make_stats(qtbot, Clock(0.0))
    summary = BatchSummary(
        {"1": S.COMPLETED, "2": S.PENDING},
        seconds=9,
        total_bytes=0,
        error="the download folder /data/po is full (12.0 KB free)",
        error_kind=ErrorKind.DISK_FULL,
        error_details={"path": "/data/po", "free": "12.0 KB"},
    )
    text = stats.summary_text(summary)
    assert "the download folder /data/po is full (12.0 KB free)" in text
    assert "finished files are kept" in text and "Retry failed" in text
