"""Which column of a table holds the PO numbers: a known header, or else the values that look like POs.

Headers come in English or Portuguese and in any spelling an ERP chose (``PO_NUMBER``, ``Nº do Pedido``,
``Order Number``); a header is compared accent-free and case-folded. A sheet without a known header still
works when one column's values mostly look like POs. Pure functions, no I/O.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from po_downloader.engine.input.po import is_blank, looks_like_po
from po_downloader.engine.input.table import Table

_MAX_LISTED_HEADERS = 30
#: How many non-blank values per column are checked when guessing the PO column from its contents.
_VALUE_SAMPLE = 200


def normalise_header(text: str) -> str:
    """Accent-free, case-folded, letters and digits only: ``"Nº do Pedido"`` → ``"nodopedido"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


#: Known PO headers in order of preference (a sheet with ``PO_NUMBER`` and ``Order Number`` uses the former).
PO_HEADERS: tuple[str, ...] = tuple(
    normalise_header(h)
    for h in (
        "PO_NUMBER",
        "PO",
        "PO No",
        "Purchase Order Number",
        "Purchase Order",
        "Nº do Pedido",
        "N° do Pedido",
        "Número do Pedido",
        "Nº Pedido",
        "Número Pedido",
        "Pedido de Compra",
        "Pedido",
        "Order Number",
    )
)


def find_po_column(table: Table) -> tuple[int, str] | None:
    """``(index, reason)`` of the PO column: a known header (whose values look right, if any does) or
    else the first column whose values mostly look like POs."""
    by_header = [
        (PO_HEADERS.index(key), i)
        for i, col in enumerate(table.columns)
        if (key := normalise_header(col)) in PO_HEADERS
    ]
    if by_header:
        candidates = [i for _, i in sorted(by_header)]
        index = next((i for i in candidates if _mostly_pos(table.rows, i)), candidates[0])
        return index, f"header '{table.columns[index]}'"
    for i in range(len(table.columns)):
        if _mostly_pos(table.rows, i):
            return i, "values look like POs"
    return None


def _mostly_pos(rows: Iterable[tuple[object, ...]], col: int) -> bool:
    sample: list[object] = []
    for row in rows:
        if not is_blank(row[col]):
            sample.append(row[col])
            if len(sample) >= _VALUE_SAMPLE:
                break
    return bool(sample) and sum(map(looks_like_po, sample)) * 2 > len(sample)


def list_headers(columns: Sequence[str]) -> str:
    """The headers a sheet without a PO column has, for the message that says so (long lists are cut)."""
    if not columns:
        return "(none)"
    listed = ", ".join(f"'{c}'" for c in columns[:_MAX_LISTED_HEADERS])
    more = len(columns) - _MAX_LISTED_HEADERS
    return f"{listed} … and {more} more" if more > 0 else listed
