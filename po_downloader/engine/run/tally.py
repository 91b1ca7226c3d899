"""The batch's one count of final outcomes: ``BatchProgress`` after each, and the summary at its end."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from po_downloader.engine import events as ev
from po_downloader.engine.events import BatchSummary
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.run.root_checks import Refusal


@dataclass
class Tally:
    """What the final outcomes of a batch of ``total`` POs add up to: counted here once."""

    total: int
    done: int = 0
    failed: int = 0
    total_bytes: int = 0
    files_found: int = 0
    files_saved: int = 0

    def add(self, outcome: PoOutcome) -> ev.BatchProgress:
        """Count one final outcome; where the batch stands now."""
        self.done += 1
        self.failed += not outcome.status.is_success
        self.total_bytes += outcome.size
        self.files_found += outcome.found
        self.files_saved += outcome.downloaded
        return ev.BatchProgress(0, self.done, self.failed, self.total - self.done, self.total_bytes)

    def retract(self, outcome: PoOutcome) -> None:
        """Uncount a final outcome whose PO is worked again (it will be counted again when it ends)."""
        self.done -= 1
        self.failed -= not outcome.status.is_success
        self.total_bytes -= outcome.size
        self.files_found -= outcome.found
        self.files_saved -= outcome.downloaded

    def close(
        self,
        worked: Iterable[tuple[PoNumber, PoStatus]],
        kept: Mapping[str, PoStatus],
        emit: Callable[[ev.Event], None],
        seconds: float,
        stopped: bool,
        sign_in_required: bool,
        error: Refusal | None,
    ) -> BatchSummary:
        """The batch's end: the POs it ``kept`` from an earlier run, then each it ``worked`` (with its status
        in the scheduler), final or left over (``PoLeftOver`` told for each of those)."""
        statuses: dict[str, PoStatus] = dict(kept)
        leftover_status, why = left_over(sign_in_required, error)
        for po, status in worked:
            if not status.is_final:
                status = leftover_status
                emit(ev.PoLeftOver(0, po, status, why))
            statuses[po.digits] = status
        return self.summary(statuses, seconds, stopped, sign_in_required, error)

    def summary(
        self,
        statuses: dict[str, PoStatus],
        seconds: float,
        stopped: bool,
        sign_in_required: bool,
        error: Refusal | None,
    ) -> BatchSummary:
        """The batch's one summary: every PO's status (``statuses``) with what the outcomes added up to."""
        return BatchSummary(
            statuses,
            seconds,
            self.total_bytes,
            stopped,
            error.message if error else "",
            sign_in_required,
            files_found=self.files_found,
            files_saved=self.files_saved,
            error_kind=error.kind if error else None,
            error_details=error.details if error else {},
        )


def left_over(sign_in_required: bool, error: Refusal | None) -> tuple[PoStatus, str]:
    """What a PO the batch never finished is left as, and why (the summary's and ``PoLeftOver``'s words)."""
    if sign_in_required:
        return PoStatus.SIGN_IN_REQUIRED, "not processed: Coupa needs you to sign in again"
    return PoStatus.PENDING, "not processed: " + (error.message if error else "the batch was stopped")
