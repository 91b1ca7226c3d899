"""Turns engine events into results-sheet rows: one more sink beside the terminal or the window."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.models import PoNumber
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.results import ResultsLockedError, ResultsSheet, fallback_path_for

log = logging.getLogger(__name__)

WRITE_INTERVAL_S = 3.0
#: At the end of a batch a locked results file is tried this many more times, this far apart, before
#: the results go to a fallback file beside it: Excel's lock outlives a batch, a virus scan's does not.
FINAL_RETRIES = 3
FINAL_RETRY_DELAY_S = 1.0


class ResultsRecorder:
    """Records every PO's outcome (final, requeued, left over) and rewrites the sheet every few seconds
    and at the end."""

    def __init__(
        self,
        sheet: ResultsSheet,
        *,
        on_warning: Callable[[Exception], None] | None = None,
        retry_delay: float = FINAL_RETRY_DELAY_S,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        """``on_warning`` gets the error (a ResultsLockedError, an OSError) for the front end to word."""
        self.sheet = sheet
        self.on_warning = on_warning or (lambda exc: log.warning("%s", exc))
        self.last_error = ""
        self.retry_delay = retry_delay
        self._sleep = sleep
        self._now = now
        self.worked = False
        """A PO of this batch was started: only then may the batch's end rewrite an existing file."""

    def __call__(self, event: ev.Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, event)

    def _on_finished(self, e: ev.PoFinished) -> None:
        self._record(e.po, e.outcome)

    def _on_started(self, e: ev.PoStarted) -> None:
        self.worked = True

    def _on_not_final(self, e: ev.PoRequeued) -> None:
        self._record(e.po, PoOutcome(e.status, message=e.reason))

    def _on_left_over(self, e: ev.PoLeftOver) -> None:
        """The batch ended without this PO. A row with an earlier outcome keeps it (this run did not check
        it again: that outcome is still the latest word), with the reason; a row without one is to do."""
        try:
            if not self.sheet.keep_earlier(e.po, e.reason):
                self.sheet.update(e.po, PoOutcome(e.status, message=e.reason))
        except KeyError:
            log.error("event for a PO not in this batch: %s", e.po)
        # Not written here: left-overs come just before BatchFinished, which writes them all (or, when no
        # PO was worked at all, leaves the earlier file alone).

    def _on_batch_finished(self, e: ev.BatchFinished) -> None:
        if not self.worked and self.sheet.found_on_disk:
            # Refused or cut short before any PO started (folder busy, no worker started, not signed
            # in): the file on disk is the last run's word on every row, and this batch changed none.
            log.info("no PO was worked; %s is left as it was", self.sheet.path)
            self.sheet.left_alone = True
            return
        self._write(final=True)
        for _ in range(FINAL_RETRIES if self.sheet.dirty else 0):
            self._sleep(self.retry_delay)
            self._write(final=True)
            if not self.sheet.dirty:
                return
        if self.sheet.dirty:
            self._fall_back()

    def _fall_back(self) -> None:
        """The sheet stayed locked: the results go beside it under a name that says so, and the front
        end is told exactly where (``sheet.saved_to``), never "results: <the locked path>"."""
        target = fallback_path_for(self.sheet.path, self._now())
        try:
            self.sheet.write(target)
        except (ResultsLockedError, OSError) as exc:
            log.error("the results could not be written to %s nor to %s: %s", self.sheet.path, target, exc)
            self.sheet.saved_to = None
            self.on_warning(
                PoDownloaderError(
                    ErrorKind.RESULTS_NOT_SAVED,
                    f"the results could not be written to {self.sheet.path} ({self.last_error}) nor "
                    f"beside it ({exc})",
                    path=self.sheet.path,
                    detail=str(exc),
                )
            )
            return
        log.warning("the results file %s stayed locked; the results are in %s", self.sheet.path, target)
        self.on_warning(
            PoDownloaderError(
                ErrorKind.RESULTS_SAVED_ELSEWHERE,
                f"the results file {self.sheet.path} stayed locked ({self.last_error}); the results were "
                f"saved to {target}",
                path=self.sheet.path,
                fallback=target,
                detail=self.last_error,
            )
        )

    _handlers: ClassVar[dict[type, Callable[[ResultsRecorder, Any], None]]] = {
        ev.PoStarted: _on_started,
        ev.PoFinished: _on_finished,
        ev.PoRequeued: _on_not_final,
        ev.PoLeftOver: _on_left_over,
        ev.BatchFinished: _on_batch_finished,
    }

    def _record(self, po: PoNumber, result: PoOutcome) -> None:
        try:
            self.sheet.update(po, result)
        except KeyError:
            log.error("event for a PO not in this batch: %s", po)
            return
        self._write(final=False)

    def _write(self, *, final: bool) -> None:
        try:
            wrote = self.sheet.flush() if final else self.sheet.maybe_write(WRITE_INTERVAL_S)
            if wrote or not self.sheet.dirty:  # a write skipped for its interval proves nothing
                self.last_error = ""
        except (ResultsLockedError, OSError) as exc:  # a full disk too: tell the user, keep downloading
            if str(exc) != self.last_error:
                self.on_warning(exc)
            self.last_error = str(exc)
