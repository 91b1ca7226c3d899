"""Decide, row by row, what a sheet asks for: which unique POs to download and which rows to leave alone.

The plan is computed once, before any browser starts, so the user sees up front how many POs will be
downloaded and which rows were skipped and why. Duplicate rows are downloaded once and all get the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.column_choice import REASON_CHOSEN, REASON_REMEMBERED
from po_downloader.engine.input.po import InvalidPo, is_blank, normalise_po
from po_downloader.engine.input.sheet import Sheet, SheetError
from po_downloader.engine.input.table import Table
from po_downloader.engine.models import PoNumber, PoStatus

RowKind = Literal["po", "blank", "invalid", "done"]

STATUS_COLUMN = "STATUS"


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What happens to one data row (``index`` is 0-based among data rows)."""

    index: int
    kind: RowKind
    po: PoNumber | None = None
    reason: str = ""


@dataclass(frozen=True)
class BatchPlan:
    """Every row's fate plus the unique POs to work, in first-seen order."""

    sheet: Sheet
    rows: tuple[RowPlan, ...]
    pos: tuple[PoNumber, ...]
    valid_rows: int
    unique_pos: int
    duplicate_rows: int
    invalid_rows: int
    blank_rows: int
    done_rows: int
    _row_index: Mapping[str, tuple[int, ...]] = field(repr=False, compare=False)

    def rows_for(self, digits: str) -> tuple[int, ...]:
        """Indices of the rows to be worked that carry PO ``digits`` (never ``done`` rows)."""
        return self._row_index.get(digits, ())

    @property
    def total_rows(self) -> int:
        return len(self.rows)

    def __reduce__(self) -> tuple[Any, ...]:
        # The window sends the plan to the controller's process. A mapping proxy does not pickle: the
        # index travels as a dict. Rows and POs travel as plain tuples: a slotted dataclass pickles
        # through Python code, which for 100 000 rows held the window's interpreter for seconds.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["_row_index"] = dict(self._row_index)
        values["rows"] = tuple(
            (r.index, r.kind, (r.po.digits, r.po.prefix) if r.po else None, r.reason) for r in self.rows
        )
        values["pos"] = tuple((po.digits, po.prefix) for po in self.pos)
        return (_unpickle_plan, (values,))


def _unpickle_plan(values: dict[str, Any]) -> BatchPlan:
    pos = {fields_: PoNumber(*fields_) for fields_ in values["pos"]}
    rows = tuple(
        RowPlan(index, kind, (pos.get(po) or PoNumber(*po)) if po else None, reason)
        for index, kind, po, reason in values["rows"]
    )
    return BatchPlan(
        **{
            **values,
            "rows": rows,
            "pos": tuple(pos.values()),
            "_row_index": MappingProxyType(values["_row_index"]),
        }
    )


def status_column_index(sheet: Sheet) -> int | None:
    """Index of a ``STATUS`` column (any case), present when the input is an earlier results sheet."""
    wanted = STATUS_COLUMN.casefold()
    return next((i for i, c in enumerate(sheet.columns) if c.strip().casefold() == wanted), None)


def plan_batch(sheet: Sheet, *, rerun_all: bool = False) -> BatchPlan:
    """Classify every row of ``sheet``; raise :class:`SheetError` if there is nothing valid at all.

    Rows whose ``STATUS`` is ``COMPLETED`` are skipped (``done``) unless ``rerun_all``, so re-running a
    results sheet only retries what did not finish. A sheet where every valid row is done is not an error:
    its plan simply has no POs.
    """
    status_index = None if rerun_all else status_column_index(sheet)
    rows = tuple(_plan_row(i, row, sheet.po_column_index, status_index) for i, row in enumerate(sheet.rows))

    first: dict[str, PoNumber] = {}
    index: dict[str, list[int]] = {}
    for row in rows:
        if row.kind == "po" and row.po is not None:
            first.setdefault(row.po.digits, row.po)
            index.setdefault(row.po.digits, []).append(row.index)

    counts = {kind: 0 for kind in ("po", "blank", "invalid", "done")}
    for row in rows:
        counts[row.kind] += 1
    if counts["po"] == 0 and counts["done"] == 0:
        raise _nothing_valid(sheet, rows)

    return BatchPlan(
        sheet=sheet,
        rows=rows,
        pos=tuple(first.values()),
        valid_rows=counts["po"],
        unique_pos=len(first),
        duplicate_rows=counts["po"] - len(first),
        invalid_rows=counts["invalid"],
        blank_rows=counts["blank"],
        done_rows=counts["done"],
        _row_index=MappingProxyType({d: tuple(ix) for d, ix in index.items()}),
    )


def _plan_row(index: int, row: tuple[object, ...], po_index: int, status_index: int | None) -> RowPlan:
    value = row[po_index]
    if is_blank(value):
        return RowPlan(index, "blank", reason="no PO number")
    try:
        po = normalise_po(value)
    except InvalidPo as exc:
        return RowPlan(index, "invalid", reason=str(exc))
    if status_index is not None and _is_completed(row[status_index]):
        return RowPlan(index, "done", po, reason="already completed")
    return RowPlan(index, "po", po)


def _is_completed(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper() == PoStatus.COMPLETED.value


def _nothing_valid(sheet: Sheet, rows: tuple[RowPlan, ...]) -> SheetError:
    """The error, carrying the table so the window can offer another column."""
    error = _nothing_valid_error(sheet, rows)
    error.table = Table(sheet.sheet_name, sheet.header_row, sheet.columns, sheet.rows)
    return error


def _nothing_valid_error(sheet: Sheet, rows: tuple[RowPlan, ...]) -> SheetError:
    column, where = sheet.po_column, sheet.sheet_name or sheet.path.name
    message = f"no valid PO number in column '{sheet.po_column}' of {sheet.where}"
    bad = next((r for r in rows if r.kind == "invalid"), None)
    if bad is not None:
        invalid = sum(r.kind == "invalid" for r in rows)
        row = sheet.row_number(bad.index)
        return SheetError(
            ErrorKind.SHEET_NO_VALID_PO,
            f"{message} ({invalid} invalid; row {row}: {bad.reason})",
            column=column,
            where=where,
            invalid=invalid,
            row=row,
            reason=bad.reason,
        )
    if not rows:
        return SheetError(
            ErrorKind.SHEET_NO_DATA_ROWS,
            message + " (the sheet has a header but no data rows)",
            column=column,
            where=where,
        )
    return SheetError(
        ErrorKind.SHEET_ALL_BLANK, message + " (every row is blank)", column=column, where=where
    )


def summary_text(plan: BatchPlan) -> str:
    """One line for logs and the UI, e.g. ``sheet 'PO_Data', column 'PO_NUMBER' (header): 412 rows — …``."""
    sheet = plan.sheet
    how = _HOW.get(sheet.po_column_reason, "header" if sheet.po_column_reason.startswith("header") else "")
    how = how or "values look like POs"
    return (
        f"{sheet.where}, column '{sheet.po_column}' ({how}): {_n(plan.total_rows, 'row')} — "
        f"{_n(plan.unique_pos, 'PO')} to download, {_n(plan.duplicate_rows, 'duplicate')}, "
        f"{plan.invalid_rows} invalid, {plan.blank_rows} blank, {plan.done_rows} already completed"
    )


_HOW = {REASON_CHOSEN: "chosen", REASON_REMEMBERED: "chosen before for these headers"}


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
