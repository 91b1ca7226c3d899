"""Progress arithmetic (done, failed, left, rate, ETA) and the widgets and summary built on it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.controller import BatchSummary
from po_downloader.ui.batch_stats import BatchStats, batch_progress
from po_downloader.ui.task_model import TaskRow, TaskTableModel

S = PoStatus


def test_nothing_done_has_no_rate_and_no_eta() -> None:
    now = batch_progress({S.PENDING: 4}, total=4, elapsed=30.0)
    assert (now.done, now.failed, now.left, now.rate, now.eta_seconds) == (0, 0, 4, 0.0, None)


def test_done_counts_every_final_status_and_failed_only_the_unsuccessful_ones() -> None:
    counts = {
        S.COMPLETED: 3,
        S.NO_ATTACHMENTS: 1,
        S.FAILED: 2,
        S.PO_NOT_FOUND: 1,
        S.PROCESSING: 2,
        S.PENDING: 1,
    }
    now = batch_progress(counts, total=10, elapsed=0.0)
    assert (now.done, now.failed, now.left) == (7, 3, 3)


def test_sign_in_required_is_not_done_it_waits() -> None:
    now = batch_progress({S.COMPLETED: 1, S.SIGN_IN_REQUIRED: 1}, total=2, elapsed=10.0)
    assert (now.done, now.left) == (1, 1)


def test_rate_and_eta_follow_the_pos_done_per_minute() -> None:
    now = batch_progress({S.COMPLETED: 6, S.PENDING: 12}, total=18, elapsed=120.0)
    assert now.rate == 3.0  # 6 POs in 2 minutes
    assert now.eta_seconds == 240.0  # 12 left at 3 a minute


def test_no_rate_in_the_first_second_and_no_eta_when_nothing_is_left() -> None:
    assert batch_progress({S.COMPLETED: 2}, total=4, elapsed=0.5).rate == 0.0
    done = batch_progress({S.COMPLETED: 4}, total=4, elapsed=60.0)
    assert done.rate == 4.0 and done.left == 0 and done.eta_seconds is None


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_stats(qtbot, rows: list[TaskRow], clock: Clock) -> tuple[BatchStats, QProgressBar, QLabel]:
    model = TaskTableModel()
    model.set_rows(rows)
    bar, label = QProgressBar(), QLabel()
    qtbot.addWidget(bar)
    qtbot.addWidget(label)
    return BatchStats(model, bar, label, clock=clock, parent=model), bar, label


def test_the_bar_and_label_show_the_running_batch(qtbot) -> None:
    rows = [TaskRow(po=f"PO1000000{i}") for i in range(4)]
    rows[0].status, rows[0].size = S.COMPLETED, 2048
    rows[1].status = S.FAILED
    clock = Clock(100.0)
    stats, bar, label = make_stats(qtbot, rows, clock)
    stats.batch_started(4)
    clock.now = 160.0
    stats.refresh(running=True)
    assert (bar.value(), bar.maximum()) == (2, 4)
    text = label.text()
    for part in ("2 done", "1 failed", "2 left", "2.0 POs/min", "2.0 KB", "ETA 1m00s"):
        assert part in text, (part, text)


def test_a_retry_keeps_the_bar_to_its_own_size_while_it_runs(qtbot) -> None:
    rows = [TaskRow(po=f"PO1000000{i}", status=S.COMPLETED) for i in range(3)]
    rows.append(TaskRow(po="PO10000009", status=S.PENDING))
    stats, bar, label = make_stats(qtbot, rows, Clock(5.0))
    stats.batch_started(1)  # retrying the one row left
    stats.refresh(running=True)
    assert bar.maximum() == 1 and bar.value() == 1  # capped at the retry's size
    assert "ETA —" in label.text()  # no time has passed: no rate yet
    stats.refresh(running=False)
    assert (bar.value(), bar.maximum()) == (3, 4)  # back to the whole table


def test_the_summary_names_what_needs_attention_and_why_it_ended(qtbot) -> None:
    stats, _bar, _label = make_stats(qtbot, [], Clock(0.0))
    statuses = {"1": S.COMPLETED, "2": S.COMPLETED, "3": S.NO_ATTACHMENTS, "4": S.FAILED, "5": S.PENDING}
    text = stats.summary_text(BatchSummary(statuses, seconds=75, total_bytes=3 * 1024 * 1024, stopped=True))
    assert text.startswith("5 POs: 2 completed, 1 no attachments, 2 need attention — 3.0 MB in 1m15s")
    assert text.endswith("— stopped before the end")
    failed = stats.summary_text(BatchSummary(statuses, seconds=1, total_bytes=0, stopped=True, error="boom"))
    assert failed.endswith("— boom") and "stopped before the end" not in failed


def test_a_batch_stopped_by_a_full_disk_says_which_folder_and_how_to_carry_on(qtbot) -> None:
    stats, _bar, _label = make_stats(qtbot, [], Clock(0.0))
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
