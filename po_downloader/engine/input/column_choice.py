"""The user's say in which columns mean what: the PO column, and the supplier or other template values.

A sheet whose PO column is not recognised (or the wrong one) is mapped once, and the mapping is kept per
*header layout*: the next export from the same ERP report has the same headers in the same order, so it
opens mapped. The layout is the headers normalised as ``po_column`` compares them, less the result columns
a results sheet appends, so re-running a results sheet finds the choice made for its input. Pure functions,
no I/O (``column_memory.py`` keeps the choices on disk).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from po_downloader.engine.input.po import is_blank
from po_downloader.engine.input.po_column import normalise_header

if TYPE_CHECKING:
    from po_downloader.engine.input.sheet import Sheet

#: What a results sheet appends to the input's columns (``output/results.RESULT_COLUMNS`` and ``FACT_COLUMNS``; ``input``
#: cannot import ``output``, and a test checks both lists agree).
RESULT_HEADERS: frozenset[str] = frozenset(
    normalise_header(h)
    for h in (
        "STATUS",
        "SUPPLIER",
        "ATTACHMENTS_FOUND",
        "ATTACHMENTS_DOWNLOADED",
        "AttachmentName",
        "LAST_PROCESSED",
        "ERROR_MESSAGE",
        "DOWNLOAD_FOLDER",
        "COUPA_URL",
        "ROUTE",
        # and, when the batch reads the PO's facts, ``output/results.FACT_COLUMNS``
        "PO_STATUS",
        "PO_TOTAL",
        "PO_CURRENCY",
        "PO_SUPPLIER_NUMBER",
        "PO_COMPANY",
        "PO_PAYMENT_TERM",
        "PO_CREATED",
        "PO_REQUESTER",
        "PO_REQUISITION",
    )
)

#: Why a sheet's PO column is the one it is, when the user said so (``Sheet.po_column_reason``).
REASON_CHOSEN = "chosen"
REASON_REMEMBERED = "remembered"


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which columns mean what, by header name.

    ``po``: the PO numbers. ``supplier``: the supplier's name, when the sheet has it (folder templates may
    use it where the page shows none). ``values``: other columns whose values folder templates may use as
    tokens (``{Centro de custo}``).
    """

    po: str
    supplier: str | None = None
    values: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the mapping names, PO first, each once."""
        named = (self.po, *((self.supplier,) if self.supplier else ()), *self.values)
        return tuple(dict.fromkeys(named))

    def missing_from(self, columns: Sequence[str]) -> tuple[str, ...]:
        """The named columns ``columns`` does not have (by :func:`column_index`)."""
        return tuple(name for name in self.columns if column_index(columns, name) is None)

    def row_values(self, columns: Sequence[str], row: Sequence[object]) -> dict[str, str]:
        """A row's template values: ``supplier`` and each value column by its header; blank cells are
        left out (a template names its own fallback for a missing value)."""
        wanted = ((("supplier", self.supplier),) if self.supplier else ()) + tuple(
            (name, name) for name in self.values
        )
        values: dict[str, str] = {}
        for token, name in wanted:
            index = column_index(columns, name)
            if index is not None and index < len(row) and not is_blank(row[index]):
                values[token] = _cell_text(row[index])
        return values

    def to_json(self) -> dict[str, object]:
        return {"po": self.po, "supplier": self.supplier, "values": list(self.values)}

    @classmethod
    def from_json(cls, data: object) -> ColumnMapping | None:
        """The mapping stored by :meth:`to_json`; None for anything else (a hand-edited or older file)."""
        if not isinstance(data, Mapping):
            return None
        po, supplier, values = data.get("po"), data.get("supplier"), data.get("values", [])
        if not isinstance(po, str) or not po.strip():
            return None
        if supplier is not None and not isinstance(supplier, str):
            return None
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
        return cls(po, supplier or None, tuple(values))


def column_index(columns: Sequence[str], name: str) -> int | None:
    """Where column ``name`` is: its exact header, else the one header equal to it normalised
    (``"nº pedido "`` finds ``Nº Pedido``); None when there is none or more than one."""
    if name in columns:
        return columns.index(name)
    key = normalise_header(name)
    found = [i for i, column in enumerate(columns) if normalise_header(column) == key]
    return found[0] if key and len(found) == 1 else None


def header_signature(columns: Sequence[str]) -> str:
    """A short key for a header layout: its normalised headers in order, without a results sheet's own
    columns, hashed (the settings file holds no business data)."""
    kept = [key for column in columns if (key := normalise_header(column)) not in RESULT_HEADERS]
    return hashlib.sha256("\x1f".join(kept).encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class ColumnChoices:
    """Every remembered mapping, by :func:`header_signature`."""

    by_layout: Mapping[str, ColumnMapping] = field(default_factory=lambda: MappingProxyType({}))

    def lookup(self, columns: Sequence[str]) -> ColumnMapping | None:
        """The mapping remembered for this layout, if it still names only columns the sheet has."""
        mapping = self.by_layout.get(header_signature(columns))
        return mapping if mapping is not None and not mapping.missing_from(columns) else None

    def with_choice(self, columns: Sequence[str], mapping: ColumnMapping) -> ColumnChoices:
        return ColumnChoices(MappingProxyType({**self.by_layout, header_signature(columns): mapping}))

    def to_json(self) -> dict[str, object]:
        return {"version": 1, "layouts": {key: m.to_json() for key, m in self.by_layout.items()}}

    @classmethod
    def from_json(cls, data: object) -> ColumnChoices:
        """What :meth:`to_json` stored; entries that do not read are dropped, never fatal."""
        layouts = data.get("layouts") if isinstance(data, Mapping) else None
        if not isinstance(layouts, Mapping):
            return cls()
        read = {key: ColumnMapping.from_json(value) for key, value in layouts.items()}
        return cls(MappingProxyType({k: m for k, m in read.items() if isinstance(k, str) and m}))


def apply_mapping(sheet: Sheet, mapping: ColumnMapping, *, reason: str = REASON_CHOSEN) -> Sheet:
    """``sheet`` with its PO column (and the rest of the mapping) as the user chose: the same rows, so
    planning it again gives the tasks, resume and results of that column. ``KeyError`` names a column the
    sheet does not have (the readers check first and raise ``SheetError``)."""
    missing = mapping.missing_from(sheet.columns)
    if missing:
        raise KeyError(missing[0])
    index = column_index(sheet.columns, mapping.po)
    assert index is not None
    chosen = replace(mapping, po=sheet.columns[index])
    return replace(sheet, po_column=chosen.po, po_column_index=index, po_column_reason=reason, mapping=chosen)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())
