"""Turns engine events into results-sheet rows: one more sink beside the terminal or the window."""

from __future__ import annotations

import logging
from collections.abc import Callable

from po_downloader.engine.events import BatchFinished, Event, PoFinished
from po_downloader.engine.input.po import InvalidPo, normalise_po
from po_downloader.engine.output.results import PoResult, ResultsLockedError, ResultsSheet

log = logging.getLogger(__name__)

WRITE_INTERVAL_S = 3.0


class ResultsRecorder:
    """Records every final PO outcome and rewrites the sheet every few seconds and at the end."""

    def __init__(self, sheet: ResultsSheet, *, on_warning: Callable[[Exception], None] | None = None) -> None:
        """``on_warning`` gets the error (a ResultsLockedError, an OSError) for the front end to word."""
        self.sheet = sheet
        self.on_warning = on_warning or (lambda exc: log.warning("%s", exc))
        self.last_error = ""

    def __call__(self, event: Event) -> None:
        if isinstance(event, PoFinished):
            try:
                po = normalise_po(event.po)
            except InvalidPo:
                log.error("event for an unknown PO %r", event.po)
                return
            self.sheet.update(
                po,
                PoResult(
                    status=event.status,
                    supplier=event.supplier,
                    found=event.found,
                    downloaded=event.downloaded,
                    names=event.names,
                    message=event.message,
                    folder=event.folder,
                    url=event.url,
                ),
            )
            self._write(final=False)
        elif isinstance(event, BatchFinished):
            self._write(final=True)

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
