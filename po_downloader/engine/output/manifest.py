"""The batch manifest: one CSV row per file saved, an audit trail a finance team can hand to its auditors.

``<input stem>_manifest.csv`` sits next to the input and its results. It is written whole and atomically
(temp file in the same folder, fsync, ``os.replace``) like the results sheet, so an auditor never opens a
half-written one. UTF-8 with a BOM, because Excel reads a BOM-less CSV in the machine's ANSI code page and
turns ``Orçamento.pdf`` into ``OrÃ§amento.pdf``; times are UTC (the header says so) in the
``YYYY-MM-DD HH:MM:SS`` form Excel recognises as a date.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from po_downloader.engine.system.display import url_for_record

log = logging.getLogger(__name__)

MANIFEST_COLUMNS = ("PO", "File", "Size (bytes)", "SHA-256", "Source URL", "Time (UTC)", "Folder")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
#: Leading characters that make Excel run CSV text as a formula (the results sheet guards the same way).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One saved file as the auditor sees it."""

    po: str
    """The PO as shown to people (``PO10000001``)."""
    file: str
    size: int
    sha256: str
    url: str
    """Where it came from; written without its query, which may be a signature (``url_for_record``)."""
    saved_at: datetime
    folder: str
    """Where the file is now, so the auditor can find it beside its hash."""


def manifest_path_for(input_path: Path) -> Path:
    """``<stem>_manifest.csv`` next to the input, whatever the input's type."""
    input_path = Path(input_path)
    return input_path.with_name(f"{input_path.stem}_manifest.csv")


def write_manifest(rows: Iterable[ManifestRow], path: Path) -> int:
    """Atomically replace ``path`` with the manifest of ``rows``; returns how many rows were written.

    An ``OSError`` (e.g. ``PermissionError`` while Excel holds the file on Windows) propagates with the old
    file untouched; the caller decides whether to retry or write elsewhere.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
            writer = csv.writer(text)
            writer.writerow(MANIFEST_COLUMNS)
            for row in rows:
                writer.writerow(
                    [
                        _safe(row.po),
                        _safe(row.file),
                        row.size,
                        row.sha256,
                        _safe(url_for_record(row.url)),
                        _utc_text(row.saved_at),
                        _safe(row.folder),
                    ]
                )
                count += 1
            text.flush()
            text.detach()
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600: the manifest is meant to be handed on
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    log.debug("wrote %d manifest rows to %s", count, path)
    return count


def _safe(text: str) -> str:
    """Names come from the portal: a file called ``=HYPERLINK(…)`` must stay text in Excel."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _utc_text(when: datetime) -> str:
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime(TIME_FORMAT)
