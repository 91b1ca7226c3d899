"""The column choices on disk: ``column_choices.json`` beside the settings (platformdirs' config folder).

The spreadsheet is never written: the choice belongs to the user's machine, keyed by the header layout,
so the next export of the same report opens mapped. A file that cannot be read or written costs only the
memory of the choice (logged); the choice still holds for this session.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from po_downloader.engine.input.column_choice import ColumnChoices, ColumnMapping

log = logging.getLogger(__name__)

FILE_NAME = "column_choices.json"


class ColumnMemory:
    """The remembered choices of one config folder, read once and written through.

    Safe to read from the thread that reads a sheet while the window's thread remembers a choice: the
    choices are one immutable value, swapped whole under a lock.
    """

    def __init__(self, config_dir: Path) -> None:
        self.path = Path(config_dir) / FILE_NAME
        self._lock = threading.Lock()
        self._choices: ColumnChoices | None = None

    def choices(self) -> ColumnChoices:
        with self._lock:
            if self._choices is None:
                self._choices = self._read()
            return self._choices

    def lookup(self, columns: Sequence[str]) -> ColumnMapping | None:
        return self.choices().lookup(columns)

    def remember(self, columns: Sequence[str], mapping: ColumnMapping) -> None:
        """Keep ``mapping`` for this header layout, now and in the file (a failed write is logged)."""
        choices = self.choices().with_choice(columns, mapping)
        with self._lock:
            self._choices = choices
        try:
            self._write(choices)
        except OSError as exc:
            log.warning("could not save the column choice in %s: %s", self.path, exc)

    def _read(self) -> ColumnChoices:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ColumnChoices()
        except OSError as exc:
            log.warning("could not read the column choices in %s: %s", self.path, exc)
            return ColumnChoices()
        try:
            return ColumnChoices.from_json(json.loads(text))
        except ValueError as exc:
            log.warning("the column choices in %s are not valid JSON (%s); starting afresh", self.path, exc)
            return ColumnChoices()

    def _write(self, choices: ColumnChoices) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".columns-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(choices.to_json(), f, indent=2, ensure_ascii=False)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
