"""Whether the disk, not the PO, is why a write failed or a download went missing.

A full or read-only download disk is no PO's fault: ``DiskProblem`` ends the attempt without a verdict,
the PO stays to do and the batch stops.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from po_downloader.engine.download_route import NotFetched
from po_downloader.engine.output.downloads import LOW_SPACE, DiskProblem, disk_problem


def raise_if_disk(root: Path, written: Path, error: OSError) -> None:
    """A write under ``written`` that failed because the disk is full or read-only raises ``DiskProblem``."""
    problem = disk_problem(root, written, error=error)
    if problem is not None:
        raise problem from error


def disk_behind(root: Path, staging: Path, missed: Iterable[NotFetched]) -> DiskProblem | None:
    """The disk problem behind downloads a route says the disk may have cost (``NotFetched.needed``)."""
    for miss in missed:
        if miss.needed is not None:
            problem = disk_problem(root, staging, needed=miss.needed or LOW_SPACE)
            if problem is not None:
                return problem
    return None
