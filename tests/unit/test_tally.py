"""The batch's one count: each final outcome counted once, into BatchProgress and the summary."""

from __future__ import annotations

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.run.root_checks import Refusal
from po_downloader.engine.run.tally import Tally


def test_each_final_outcome_moves_the_progress_once() -> None:
    tally = Tally(total=3)
    first = tally.add(PoOutcome(PoStatus.COMPLETED, found=2, downloaded=2, size=300))
    assert first == ev.BatchProgress(0, done=1, failed=0, left=2, total_bytes=300)
    second = tally.add(PoOutcome(PoStatus.PARTIAL, found=3, downloaded=1, size=50))
    assert second == ev.BatchProgress(0, done=2, failed=1, left=1, total_bytes=350)
    assert tally.add(PoOutcome(PoStatus.NO_ATTACHMENTS)).failed == 1  # nothing to fetch is a success


def test_the_summary_carries_the_totals_and_why_the_batch_ended() -> None:
    tally = Tally(total=2)
    tally.add(PoOutcome(PoStatus.PARTIAL, found=3, downloaded=1, size=50))
    statuses = {"1": PoStatus.PARTIAL, "2": PoStatus.PENDING}
    full = Refusal("the disk is full", ErrorKind.DISK_FULL, {"path": "/d"})
    summary = tally.summary(statuses, 4.0, stopped=False, sign_in_required=False, error=full)
    assert (summary.total_bytes, summary.files_found, summary.files_saved) == (50, 3, 1)
    assert (summary.error, summary.error_kind, summary.error_details) == (
        "the disk is full",
        ErrorKind.DISK_FULL,
        {"path": "/d"},
    )
    clean = tally.summary(statuses, 4.0, stopped=True, sign_in_required=False, error=None)
    assert (clean.error, clean.error_kind, clean.stopped) == ("", None, True)
