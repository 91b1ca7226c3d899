"""What the journal hands out: a batch, a PO's latest state, a file on disk, and the keys they match on.

Frozen records, so resume, the results sheet and the window's thread hold them without the database;
:mod:`.journal_queries` fills them. POs are keyed by their digits (:attr:`PoNumber.digits`): every journal
method accepts a ``PoNumber`` or those digits (:func:`po_key`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NewType

from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoFacts, PoOutcome
from po_downloader.engine.system.hashing import sha256_file

BatchId = NewType("BatchId", int)

#: Statuses that leave a PO for the batch to do again (see :attr:`PoStatus.is_final`).
OPEN_STATUSES = tuple(s.value for s in PoStatus if not s.is_final)


class JournalError(Exception):
    """The journal cannot be used as asked (unknown batch or PO, newer schema, not a database)."""


def facts_text(facts: PoFacts) -> str:
    """A PO's facts as the journal's ``facts`` column keeps them: a JSON object of those shown, "" for none."""
    shown = facts.shown()
    return json.dumps(shown, ensure_ascii=False, sort_keys=True) if shown else ""


def facts_from(text: str | None) -> PoFacts:
    """The facts :func:`facts_text` kept; a value that is not such an object reads as no facts."""
    try:
        values = json.loads(text) if text else {}
    except ValueError:
        return PoFacts()
    return PoFacts.of(values) if isinstance(values, dict) else PoFacts()


# --- what the journal returns ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchRecord:
    """One batch as the history view and resume see it."""

    id: BatchId
    input_path: str
    input_sha256: str
    options: Mapping[str, Any]
    started_at: datetime
    ended_at: datetime | None
    """``None`` while running, or when the process died before finishing it."""
    stopped: bool
    counts: Mapping[str, int]
    """POs per status value."""
    files: int
    bytes: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def open_pos(self) -> int:
        """POs the batch has still to do (pending, in flight, waiting for sign-in)."""
        return sum(n for status, n in self.counts.items() if status in OPEN_STATUSES)

    @property
    def unfinished(self) -> bool:
        """Worth resuming: it never ended (a crash), or it ended with POs still to do (stop, sign-in)."""
        return self.ended_at is None or self.open_pos > 0


@dataclass(frozen=True, slots=True)
class PoState:
    """One PO of a batch: its latest state and outcome (the results sheet's row can be rebuilt from it)."""

    po: str
    display: str
    position: int
    outcome: PoOutcome
    """Its latest outcome (``folder``: the final ``<PO>_<STATUS>`` folder once it finished with one); the
    journal keeps no ``names`` or ``size`` here: its files are its own records (:class:`FileRecord`)."""
    attempt: int
    """The attempt number of the latest start (0: never started)."""
    worker: int | None
    work_folder: str
    """The ``<PO>__WORK`` folder its files are in while it is unfinished (empty when none)."""
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def is_open(self) -> bool:
        return not self.outcome.status.is_final


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One file on disk, saved for a PO of a batch."""

    po: str
    name: str
    path: str
    """Where the file is now: moved along when its work folder became the final folder."""
    size: int
    sha256: str
    source: str
    url: str
    attempt: int
    saved_at: datetime


def po_key(po: PoNumber | str) -> str:
    """The key a PO is stored under: its digits (the display form, ``PO``/``PM`` prefix, is not a key)."""
    return po.digits if isinstance(po, PoNumber) else str(po)


def hash_input(path: Path | str) -> str:
    """The key resume matches an input on, with its path: its bytes, so an edited sheet is a new batch."""
    return sha256_file(path)


def on_disk(path: str, size: int) -> bool:
    """The recorded file is there with its recorded size (a cheap check: the manifest is written at the
    end of every batch and resume looks at every kept PO, and hashing every file of a big sheet again
    would make both slow)."""
    try:
        return os.stat(path).st_size == size
    except OSError:
        return False
