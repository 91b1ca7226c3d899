"""Which POs of a sheet the breaker skipped, from the journal: what ``--retry-skipped`` (and the window's
resume of a group) run again, on the sheet's own journal batch (a retry of some of its POs)."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchId, JournalError
from po_downloader.engine.system.paths import AppDirs

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Skipped:
    """The sheet's latest journal batch and its SKIPPED POs, in the plan's order."""

    batch: BatchId | None
    pos: tuple[PoNumber, ...] = ()


def skipped_pos(dirs: AppDirs, input_path: Path, plan: BatchPlan) -> Skipped:
    """The POs of ``plan`` that the sheet's latest batch ended ``SKIPPED``; none (logged) when the journal
    cannot say: a retry then has nothing to run, which the face tells the user."""
    try:
        if not dirs.journal_file.exists():
            return Skipped(None)
        with Journal.open(dirs.journal_file) as journal:
            record = journal.latest_for_input(input_path)
            if record is None:
                return Skipped(None)
            skipped = {s.po for s in journal.po_states(record.id) if s.outcome.status is PoStatus.SKIPPED}
    except (JournalError, sqlite3.Error, OSError) as exc:
        log.warning("could not read the skipped POs of %s from the journal: %s", input_path, exc)
        return Skipped(None)
    return Skipped(record.id, tuple(po for po in plan.pos if po.digits in skipped))
