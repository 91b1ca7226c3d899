"""Turns engine events into results-sheet rows: one more sink beside the terminal or the window."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, ClassVar

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.results import PoResult, ResultsLockedError, ResultsSheet

log = logging.getLogger(__name__)

WRITE_INTERVAL_S = 3.0


class ResultsRecorder:
    """Records every PO's outcome (final, requeued, left over) and rewrites the sheet every few seconds
    and at the end."""

    def __init__(self, sheet: ResultsSheet, *, on_warning: Callable[[Exception], None] | None = None) -> None:
        """``on_warning`` gets the error (a ResultsLockedError, an OSError) for the front end to word."""
        self.sheet = sheet
        self.on_warning = on_warning or (lambda exc: log.warning("%s", exc))
        self.last_error = ""

    def __call__(self, event: ev.Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(self, event)

    def _on_finished(self, e: ev.PoFinished) -> None:
        result = PoResult(
            status=e.status,
            supplier=e.supplier,
            found=e.found,
            downloaded=e.downloaded,
            names=e.names,
            message=e.message,
            folder=e.folder,
            url=e.url,
        )
        self._record(e.po, result)

    def _on_not_final(self, e: ev.PoRequeued | ev.PoLeftOver) -> None:
        self._record(e.po, PoResult(status=e.status, message=e.reason))

    def _on_batch_finished(self, e: ev.BatchFinished) -> None:
        self._write(final=True)

    _handlers: ClassVar[dict[type, Callable[[ResultsRecorder, Any], None]]] = {
        ev.PoFinished: _on_finished,
        ev.PoRequeued: _on_not_final,
        ev.PoLeftOver: _on_not_final,
        ev.BatchFinished: _on_batch_finished,
    }

    def _record(self, po: PoNumber, result: PoResult) -> None:
        try:
            self.sheet.update(po, result)
        except KeyError:
            log.error("event for a PO not in this batch: %s", po)
            return
        self._write(final=False)

    def _write(self, *, final: bool) -> None:
        try:
            if final:
                self.sheet.flush()
            else:
                self.sheet.maybe_write(WRITE_INTERVAL_S)
            self.last_error = ""
        except (ResultsLockedError, OSError) as exc:  # a full disk too: tell the user, keep downloading
            if str(exc) != self.last_error:
                self.on_warning(exc)
            self.last_error = str(exc)
