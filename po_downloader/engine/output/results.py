"""The results sheet: every input row plus the old tool's result columns, written safely next to the input.

The input file is never modified. The results file is rewritten whole, atomically (temp file in the same
folder, fsync, ``os.replace``) so a crash or a full disk never leaves a half-written sheet, and only every
few seconds (:meth:`ResultsSheet.maybe_write`) because a sheet of thousands of rows must not be rewritten
for every finished PO. Column names are exactly the old tool's: users' macros and reports depend on them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.input.sheet import SheetError
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import FACT_NAMES, PoOutcome
from po_downloader.engine.output.naming import unique_path

log = logging.getLogger(__name__)

RESULT_COLUMNS = (
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
)
FACT_COLUMNS = (
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
"""The columns of the PO's facts (``outcome.PoFacts``, in ``FACT_NAMES`` order), after
:data:`RESULT_COLUMNS` when the batch reads facts (``--facts``); ``PO_`` names, so a sheet's own
"Company" or "Requester" column is never taken for one."""
FACT_COLUMN = dict(zip(FACT_NAMES, FACT_COLUMNS, strict=True))
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
NAME_SEPARATOR = "; "
RESULT_SUFFIXES = (".csv", ".xlsx")
CSV_SHEET_TITLE = "PO_Data"
#: ``maybe_write`` waits at least this many times as long as the last write took.
WRITE_BUDGET = 10

_EXCEL_MAX_TEXT = 32767
_SHEET_TITLE_BAD = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))
#: Leading characters that make Excel treat CSV text as a formula (CSV injection); see OWASP.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ResultsLockedError(PoDownloaderError):
    """The results file cannot be replaced, typically because it is open in Excel (Windows)."""

    def __init__(self, path: Path, detail: str = "") -> None:
        message = (
            f"cannot write the results file '{path}': it is open in another program (e.g. Excel) "
            "or the folder is not writable; close it and the results will be written at the next update"
        )
        super().__init__(
            ErrorKind.RESULTS_LOCKED, f"{message} ({detail})" if detail else message, path=path, detail=detail
        )

    @property
    def path(self) -> Path:
        return Path(self.details["path"])


def results_path_for(input_path: Path, override: Path | None = None) -> Path:
    """``<stem>_results.csv`` for CSV input, ``<stem>_results.xlsx`` for Excel, or ``override``.

    Raises :class:`SheetError` when the result would be the input file itself or has an unsupported type.
    """
    input_path = Path(input_path)
    if override is not None:
        target = Path(override)
        if target.suffix.lower() not in RESULT_SUFFIXES:
            raise SheetError(
                ErrorKind.RESULTS_BAD_SUFFIX,
                f"the results file must end in .csv or .xlsx, not '{target.name}'",
                name=target.name,
            )
    else:
        ext = ".csv" if input_path.suffix.lower() == ".csv" else ".xlsx"
        target = input_path.with_name(f"{input_path.stem}_results{ext}")
    if _same_file(target, input_path):
        raise SheetError(
            ErrorKind.RESULTS_OVERWRITES_INPUT,
            f"the results file would overwrite the input '{input_path.name}'; choose another name",
            name=input_path.name,
        )
    return target


def fallback_path_for(path: Path, when: datetime) -> Path:
    """Where results go when ``path`` stays locked: beside it, named so nobody mistakes it for the
    sheet itself, e.g. ``pos_results (unsaved 2026-12-02 1530).csv``; never an existing file."""
    name = f"{path.stem} (unsaved {when:%Y-%m-%d %H%M}){path.suffix}"
    return unique_path(path.parent, name)


def _same_file(a: Path, b: Path) -> bool:
    if os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b)):
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


class ResultsSheet:
    """Every input row with its result columns, kept in memory and written out on demand.

    Result columns already in the input (an earlier results sheet, any letter case) are reused in place;
    the missing ones are appended in :data:`RESULT_COLUMNS` order, then (``facts``: the batch reads the
    PO's facts) :data:`FACT_COLUMNS`. Without ``facts`` the sheet is as it always was.
    """

    def __init__(
        self,
        plan: BatchPlan,
        path: Path,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = datetime.now,
        facts: bool = False,
    ) -> None:
        self.plan = plan
        self.facts = facts
        self._names = RESULT_COLUMNS + (FACT_COLUMNS if facts else ())
        self.path = Path(path)
        self._clock = clock
        self._now = now
        self._as_csv = self.path.suffix.lower() == ".csv"
        sheet = plan.sheet
        existing = {c.strip().casefold(): i for i, c in reversed(list(enumerate(sheet.columns)))}
        columns = list(sheet.columns)
        self._col: dict[str, int] = {}
        for name in self._names:
            index = existing.get(name.casefold())
            if index is None:
                index = len(columns)
                columns.append(name)
            self._col[name] = index
        self.columns: tuple[str, ...] = tuple(columns)
        extra = [None] * (len(columns) - len(sheet.columns))
        self._rows: list[list[object]] = [[*row, *extra] for row in sheet.rows]
        self._dirty = True
        self.saved_to: Path | None = None
        """Where the latest write went: :attr:`path`, or a fallback file when it stayed locked."""
        self.left_alone = False
        """The batch worked no PO, so the file already at :attr:`path` was left as it was."""
        self.found_on_disk = self.path.exists()
        """A results file was there before this sheet was set up: an earlier run's word on its rows."""
        self._last_attempt: float | None = None
        self._last_duration = 0.0
        self._init_rows()

    # --- content -----------------------------------------------------------------------------------

    def _init_rows(self) -> None:
        for row in self.plan.rows:
            if row.kind == "invalid":
                self._set(row.index, {"STATUS": PoStatus.INVALID.value, "ERROR_MESSAGE": row.reason})
            elif row.kind == "po":
                self._set(row.index, {"STATUS": PoStatus.PENDING.value})

    def _set(self, index: int, values: dict[str, object]) -> None:
        """Set every result column of row ``index``: ``values`` or empty."""
        cells = self._rows[index]
        for name in self._names:
            cells[self._col[name]] = values.get(name)

    def update(self, po: PoNumber | str, result: PoOutcome, when: datetime | None = None) -> None:
        """Record ``result`` on every row that carries ``po`` (``PoNumber`` or its digits), as of ``when``
        (None: now)."""
        digits = po.digits if isinstance(po, PoNumber) else str(po)
        indices = self.plan.rows_for(digits)
        if not indices:
            raise KeyError(f"PO {digits} is not in this batch")
        when = when or self._now()
        values: dict[str, object] = {
            "STATUS": result.status.value,
            "SUPPLIER": result.supplier,
            "ATTACHMENTS_FOUND": result.found,
            "ATTACHMENTS_DOWNLOADED": result.downloaded,
            "AttachmentName": NAME_SEPARATOR.join(result.names),
            "LAST_PROCESSED": when.strftime(TIME_FORMAT),
            "ERROR_MESSAGE": result.message,
            "DOWNLOAD_FOLDER": result.folder,
            "COUPA_URL": result.url,
            "ROUTE": result.route,
        }
        if self.facts:
            values.update({FACT_COLUMN[name]: getattr(result.facts, name) for name in FACT_NAMES})
        for index in indices:
            self._set(index, values)
        self._dirty = True

    def keep_earlier(self, po: PoNumber | str, note: str) -> bool:
        """A PO this batch could not re-check: if its rows hold an earlier final outcome (the run before,
        or this sheet's earlier batch in the window), that outcome stands and ``note`` says why it was not
        re-checked; True if kept. False: no earlier outcome, the caller records the PO as still to do."""
        digits = po.digits if isinstance(po, PoNumber) else str(po)
        indices = self.plan.rows_for(digits)
        status = self.value(indices[0], "STATUS") if indices else None
        try:
            earlier = PoStatus(str(status))
        except ValueError:
            return False
        if not earlier.is_final:
            return False
        before = self.value(indices[0], "ERROR_MESSAGE")
        message = f"{note}; the earlier outcome stands" + (f" ({before})" if before else "")
        for index in indices:
            self._rows[index][self._col["ERROR_MESSAGE"]] = message
        self._dirty = True
        return True

    def value(self, index: int, column: str) -> object:
        """Cell of data row ``index`` in ``column`` (a result column name or any column header)."""
        col = self._col.get(column)
        if col is None:
            col = self.columns.index(column)
        return self._rows[index][col]

    def row(self, index: int) -> tuple[object, ...]:
        return tuple(self._rows[index])

    @property
    def dirty(self) -> bool:
        """True when there are changes not yet written to :attr:`path`."""
        return self._dirty

    # --- writing -----------------------------------------------------------------------------------

    def maybe_write(self, min_interval_s: float) -> bool:
        """Write if anything changed and the interval passed since the last attempt; True if written.

        The interval is ``min_interval_s`` or, for sheets so big that a write takes long (openpyxl needs
        ~1.5 s for 10 000 rows × 20 columns), :data:`WRITE_BUDGET` times the last write's duration, so
        periodic saves never take more than a small share of the run.
        """
        if not self._dirty:
            return False
        interval = max(min_interval_s, self._last_duration * WRITE_BUDGET)
        if self._last_attempt is not None and self._clock() - self._last_attempt < interval:
            return False
        self.write()
        return True

    def flush(self) -> bool:
        """Write now if anything changed (end of run); True if written."""
        if not self._dirty:
            return False
        self.write()
        return True

    def write(self, target: Path | None = None) -> None:
        """Atomically replace :attr:`path` (or ``target``, a fallback); :class:`ResultsLockedError` if it
        cannot be replaced. A fallback write leaves the sheet dirty: :attr:`path` is still behind."""
        self._last_attempt = self._clock()
        fallback = target is not None and target != self.path
        target = target or self.path
        tmp: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "w+b") as fh:
                if self._as_csv:
                    self._write_csv(fh)
                else:
                    self._write_xlsx(fh)
                fh.flush()
                os.fsync(fh.fileno())
            _copy_mode(target, tmp)
            os.replace(tmp, target)
            tmp = None
        except PermissionError as exc:
            raise ResultsLockedError(target, exc.strerror or str(exc)) from exc
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        self._dirty = fallback
        self.saved_to = target
        self._last_duration = self._clock() - self._last_attempt
        log.debug("wrote %d rows to %s in %.2f s", len(self._rows), target, self._last_duration)

    def _write_csv(self, fh: IO[bytes]) -> None:
        delimiter = self.plan.sheet.delimiter or ","
        result_cols = frozenset(self._col.values())
        with _text(fh) as text:
            writer = csv.writer(text, delimiter=delimiter)
            writer.writerow(self.columns)
            for cells in self._rows:
                writer.writerow(
                    [
                        _csv_safe(_csv_text(v)) if i in result_cols else _csv_text(v)
                        for i, v in enumerate(cells)
                    ]
                )

    def _write_xlsx(self, fh: IO[bytes]) -> None:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_sheet_title(self.plan.sheet.sheet_name))
        bold = Font(bold=True)
        header = []
        for name in self.columns:
            cell = WriteOnlyCell(sheet, value=_clean_text(name))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for cells in self._rows:
            sheet.append([_xlsx_value(sheet, v) for v in cells])
        workbook.save(fh)


@contextlib.contextmanager
def _text(fh: IO[bytes]) -> Iterator[io.TextIOWrapper]:
    """UTF-8 with BOM (so Excel opens accents right) over the binary temp file, detached rather than
    closed so the caller can still fsync it."""
    wrapper = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    try:
        yield wrapper
    finally:
        wrapper.flush()
        wrapper.detach()


def _copy_mode(target: Path, tmp: str) -> None:
    """mkstemp makes 0600 files; keep the old file's mode, or a normal 0644 for a new one."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode) if target.exists() else 0o644
        os.chmod(tmp, mode)
    except OSError:
        log.debug("could not set the mode of %s", tmp, exc_info=True)


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv_safe(text: str) -> str:
    """Text we put in a CSV (supplier, file names, messages) must not run as a formula in Excel."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _clean_text(text: str) -> str:
    """Excel rejects control characters and text over 32767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:_EXCEL_MAX_TEXT]


def _xlsx_value(sheet: WriteOnlyWorksheet, value: object) -> object:
    if isinstance(value, str):
        if not value:
            return None
        value = _clean_text(value)
        if value.startswith("="):  # literal text, never a formula
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
    return value


def _sheet_title(name: str | None) -> str:
    title = (name or CSV_SHEET_TITLE).translate(_SHEET_TITLE_BAD).strip("'")[:31]
    return title or CSV_SHEET_TITLE
