"""A grid of records (a CSV file's, a worksheet's cells) as a table: its header row, columns and rows.

Exported sheets are untidy: title rows above the header, formatted but unused columns on the right, blank
lines at the end, empty or repeated headers. :func:`as_table` makes one shape of all of them, so the PO
column is found and the results file is written the same way for CSV and Excel. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from po_downloader.engine.input.po import is_blank


@dataclass(frozen=True)
class Table:
    """A grid before its PO column is chosen; no ``columns`` when the grid holds nothing."""

    name: str | None
    #: 1-based row (CSV: record) number of the header in the file; 0 for an empty grid.
    header_row: int
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


def as_table(records: Sequence[Sequence[object]], *, name: str | None, first_row: int = 0) -> Table:
    """Header = first non-empty record; rows padded/trimmed to the used width, trailing blank rows dropped.

    ``first_row``: the 0-based row in the file of ``records[0]`` (a worksheet's used area may start lower).
    """
    start = next((i for i, rec in enumerate(records) if not _record_blank(rec)), None)
    if start is None:
        return Table(name, 0, (), ())
    end = len(records)
    while end > start + 1 and _record_blank(records[end - 1]):
        end -= 1
    body = records[start + 1 : end]
    width = _used_width(records[start], body)
    rows = tuple(_fit(rec, width) for rec in body)
    columns = _unique_headers(records[start], width)
    return Table(name, first_row + start + 1, columns, rows)


def _record_blank(record: Sequence[object]) -> bool:
    return all(is_blank(v) for v in record)


def _used_width(header: Sequence[object], body: Sequence[Sequence[object]]) -> int:
    """Widest record, minus trailing columns that are blank everywhere (formatted but unused cells)."""
    width = max([len(header), *(len(r) for r in body)])
    while width > 1:
        col = width - 1
        if not _cell_blank(header, col) or any(not _cell_blank(r, col) for r in body):
            break
        width -= 1
    return width


def _cell_blank(record: Sequence[object], col: int) -> bool:
    return col >= len(record) or is_blank(record[col])


def _fit(record: Sequence[object], width: int) -> tuple[object, ...]:
    if len(record) == width:
        return tuple(record)
    if len(record) > width:
        return tuple(record[:width])
    return (*record, *([""] * (width - len(record))))


def _unique_headers(header: Sequence[object], width: int) -> tuple[str, ...]:
    """Header text, trimmed; empty ones become ``Column N``, repeats ``Name (2)`` (unique ignoring case)."""
    names: list[str] = []
    taken: set[str] = set()
    for i in range(width):
        text = _header_text(header[i]) if i < len(header) else ""
        base = text or f"Column {i + 1}"
        candidate, n = base, 2
        while candidate.casefold() in taken:
            candidate, n = f"{base} ({n})", n + 1
        taken.add(candidate.casefold())
        names.append(candidate)
    return tuple(names)


def _header_text(value: object) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).replace("\ufeff", "").split())
