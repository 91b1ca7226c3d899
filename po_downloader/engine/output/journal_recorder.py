"""The journal's sink: each engine event written to the batch journal as it happens, then the manifest.

A sink like the results recorder, so the controller knows nothing of SQLite. A journal that cannot be
written (disk full, a locked or broken file) must not end a batch whose downloads still work: the first
failure is logged and reported once, and the journal is left alone for the rest of the batch.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchId, JournalError
from po_downloader.engine.system.display import url_for_record
from po_downloader.engine.system.hashing import sha256_file

log = logging.getLogger(__name__)


class JournalRecorder:
    """Writes one batch's events to ``journal``; on ``BatchFinished`` ends the batch there and writes the
    manifest to ``manifest`` (when given). ``on_warning`` hears about a journal or manifest that failed."""

    def __init__(
        self,
        journal: Journal,
        batch: BatchId,
        *,
        manifest: Path | None = None,
        on_warning: Callable[[Exception], None] | None = None,
        fresh: bool = True,
    ) -> None:
        """``fresh``: the batch was started for this run (False: a resume or a retry carries on the
        sheet's batch, whose record must outlive a run that was refused)."""
        self.fresh = fresh
        self.journal = journal
        self.batch = batch
        self.manifest = manifest
        self.on_warning = on_warning
        self.broken = False
        self.manifest_rows: int | None = None

    def __call__(self, event: ev.Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is None or self.broken:
            return
        try:
            handler(self, event)
        except (JournalError, sqlite3.Error, OSError) as exc:
            self.broken = True
            log.error("the batch journal could not be written (%s); the batch goes on without it", exc)
            if self.on_warning is not None:
                self.on_warning(exc)

    def _started(self, e: ev.PoStarted) -> None:
        self.journal.po_started(self.batch, e.po, e.attempt, e.worker)

    def _saved(self, e: ev.FileSaved) -> None:
        digest = e.sha256 or sha256_file(e.path)  # workers hash their files; this covers one that did not
        # The path says which file it was; a signed query is a credential and does not go to disk.
        url = url_for_record(e.url)
        self.journal.file_saved(self.batch, e.po, e.name, e.path, e.size, digest, e.source, url)

    def _retrying(self, e: ev.PoRetrying) -> None:
        self.journal.po_requeued(self.batch, e.po, e.reason)

    def _requeued(self, e: ev.PoRequeued) -> None:
        self.journal.po_requeued(self.batch, e.po, e.reason)

    def _finished(self, e: ev.PoFinished) -> None:
        self.journal.po_finished(self.batch, e.po, e.outcome)

    def _left_over(self, e: ev.PoLeftOver) -> None:
        """A PO the batch ended without, because Coupa wants a new sign-in, is ``SIGN_IN_REQUIRED`` here as
        on the results sheet (and stays open for the next run); one left by a stop is ``PENDING`` already."""
        if e.status is PoStatus.SIGN_IN_REQUIRED:
            self.journal.po_finished(self.batch, e.po, PoOutcome(e.status, message=e.reason))

    def _batch_finished(self, e: ev.BatchFinished) -> None:
        try:
            if e.summary.error_kind is ErrorKind.ROOT_BUSY and self.fresh:
                # Refused before it began (another batch has the folder): a record of it would be
                # offered for resume, and resuming it would download the other batch's POs again.
                # A carried-on batch is the sheet's record: it ends below, its POs kept.
                self.journal.discard_batch(self.batch)
                return
            self.journal.finish_batch(self.batch, e.summary.stopped)
            if self.manifest is not None:
                self.manifest_rows = self.journal.export_manifest(self.batch, self.manifest)
                log.info("manifest: %d files listed in %s", self.manifest_rows, self.manifest)
        finally:
            self.journal.close()  # the batch's last event: its connections go with it

    _handlers: ClassVar[dict[type, Callable[[JournalRecorder, Any], None]]] = {
        ev.PoStarted: _started,
        ev.FileSaved: _saved,
        ev.PoRetrying: _retrying,
        ev.PoRequeued: _requeued,
        ev.PoFinished: _finished,
        ev.PoLeftOver: _left_over,
        ev.BatchFinished: _batch_finished,
    }
