"""What a PO's attempt says once its files are placed: the English ``message`` (results sheet, log, CLI)
and the kind with its details that the window words in its own language.

Both are made from the same facts here, so the two can never tell different stories: the files not saved
(and why), the files the user changed that were kept (and the name of the portal's copy beside them), the
folder that keeps the files of an earlier, better run, and the requisition the files came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.events import AttemptEnded
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.run.requisition import RequisitionNote

LINES = "\n"
"""Joins several names in one detail (a file name never holds a line break)."""


@dataclass(frozen=True)
class AttemptWords:
    message: str
    kind: ErrorKind | None = None
    details: dict[str, str] = field(default_factory=dict)


def attempt_words(
    status: PoStatus,
    listed: int,
    on_disk: int,
    failures: Sequence[tuple[str, str]] = (),
    edited: Sequence[tuple[str, str]] = (),
    kept_in: str = "",
    requisition: RequisitionNote | None = None,
) -> AttemptWords:
    """``failures``: (file, why) not saved; ``edited``: (the user's file kept, the portal's copy's name);
    ``kept_in``: the folder an earlier run's better files stay in."""
    notes = [
        f"{mine} changed since it was saved: kept as it is, the portal's copy is {copy}"
        for mine, copy in edited
    ]
    if kept_in:
        notes.append(f"the files saved before stay in {kept_in}")
    message = "; ".join([*(f"{name}: {why}" for name, why in failures), *notes])
    if requisition is not None:
        message = f"{requisition.english()}. {message}".strip(". ").strip()
    if status is PoStatus.PARTIAL:
        message = f"missing {listed - on_disk} of {listed}: {message}"
    details: dict[str, str] = {}
    if edited:
        details["edited"] = LINES.join(mine for mine, _ in edited)
        details["copies"] = LINES.join(copy for _, copy in edited)
    if kept_in:
        details["kept_in"] = kept_in
    if requisition is not None:
        details["requisition"] = requisition.number
        details["requisition_taken"] = "1" if requisition.taken else ""
    if status in (PoStatus.PARTIAL, PoStatus.FAILED):
        missing = {"missing": str(listed - on_disk), "total": str(listed)}
        names = ", ".join(name for name, _ in failures)
        return AttemptWords(message, ErrorKind.FILES_MISSING, {**missing, "names": names, **details})
    return AttemptWords(message, ErrorKind.SAVED_WITH_NOTES if details else None, details)


def worker_died(code: int | None) -> PoOutcome:
    """What the controller knows of a PO whose worker's process ended mid-attempt: only its exit code."""
    return PoOutcome(PoStatus.FAILED, kind=ErrorKind.WORKER_DIED, details={"code": str(code)})


def attempt_ended(
    worker: int,
    po: PoNumber,
    status: PoStatus,
    *,
    route: str = "",
    retryable: bool = False,
    reached: str = "",
    **fields: Any,
) -> AttemptEnded:
    """The one place an attempt's outcome is made (the worker's last word on the PO): ``fields`` are the
    :class:`PoOutcome`'s, ``retryable`` and ``reached`` the controller's alone.

    ``route`` is the download route taken (``DownloadRoute.name``; several joined by "+" when the
    DevTools route gave way to the folder mid-PO; "" when nothing was fetched).
    """
    return AttemptEnded(worker, po, PoOutcome(status, route=route, **fields), retryable, reached)
