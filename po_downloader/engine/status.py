"""Pure decisions about a PO's outcome; no I/O, so every rule has a fast unit test."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from po_downloader.engine.events import BatchSummary
from po_downloader.engine.models import ListVerdict, PoStatus

UNCONFIRMED = "could not confirm the attachments list"


def decide_status(found: int, downloaded: int) -> PoStatus:
    """A PO's status from the attachments listed and the files really on disk."""
    if found < 0 or downloaded < 0 or downloaded > found:
        raise ValueError(f"impossible counts: found={found} downloaded={downloaded}")
    if found == 0:
        return PoStatus.NO_ATTACHMENTS
    if downloaded == found:
        return PoStatus.COMPLETED
    if downloaded == 0:
        return PoStatus.FAILED
    return PoStatus.PARTIAL


def decide_outcome(verdict: ListVerdict, listed: int, on_disk: int) -> PoStatus:
    """A PO's status once its page had its say: a guess is never an outcome.

    ``EMPTY`` is the only road to NO_ATTACHMENTS (the page proved it); an unconfirmed list is FAILED (and
    retried); a listed one is COMPLETED only when every listed file is on disk.
    """
    match verdict:
        case ListVerdict.EMPTY:
            if listed:
                raise ValueError(f"an empty list cannot have {listed} items")
            return PoStatus.NO_ATTACHMENTS
        case ListVerdict.LISTED if listed > 0:
            return decide_status(listed, on_disk)
        case ListVerdict.LISTED:
            raise ValueError("a listed verdict needs at least one item")
        case _:
            return PoStatus.FAILED


def backoff_delay(attempt: int, base: float = 2.0, cap: float = 60.0) -> float:
    """Seconds to wait before try number ``attempt + 1`` (exponential, bounded)."""
    return min(cap, base * (2 ** max(0, attempt - 1)))


EXIT_OK, EXIT_FAILURES, EXIT_BAD_INPUT = 0, 1, 2
"""The process exit codes every command uses: all done / some POs need attention / bad input or setup."""


def exit_code(statuses: Iterable[PoStatus]) -> int:
    """0 when every worked PO is complete or had nothing to fetch, else 1 (2 is for bad input)."""
    return EXIT_OK if all(s.is_success for s in statuses) else EXIT_FAILURES


def batch_exit_code(summary: BatchSummary, *, tolerated: Collection[str] = ()) -> int:
    """The exit code of a batch: 2 when it could not run (an error, or not signed in for any PO), else
    :func:`exit_code` over its POs, ignoring the ``tolerated`` ones (digits; the demo's deliberate failures)."""
    if summary.error:
        return EXIT_BAD_INPUT
    if summary.sign_in_required:
        nothing_done = all(s is PoStatus.SIGN_IN_REQUIRED for s in summary.statuses.values())
        return EXIT_BAD_INPUT if nothing_done else EXIT_FAILURES
    return exit_code(s for d, s in summary.statuses.items() if d not in tolerated)
