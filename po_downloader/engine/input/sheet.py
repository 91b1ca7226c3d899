"""Read the user's CSV or Excel file into a :class:`Sheet` and find its PO column.

Users bring whatever their ERP exported: ``;`` CSVs from a Portuguese Excel, cp1252 files, Excel's UTF-16
"Unicode text", workbooks where the PO sheet is not the first one, headers in English or Portuguese. We
accept all of those, and when we cannot, :class:`SheetError` says why in words the user can act on (which
headers we saw, the line of an unclosed quote, a password). A file is refused rather than half read: a
sheet that silently lost rows would look like a finished batch. The input is only ever read.
Excel is read with python-calamine because it is an order of magnitude faster than openpyxl on big sheets.
This module reads the bytes (CSV or Excel) and refuses what cannot be used; shaping the grid into header and
rows is ``table.py``'s job, choosing the PO column ``po_column.py``'s, or the user's (``column_choice.py``):
named for this run (``mapping``), else remembered for the sheet's header layout (``remembered``).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.input.column_choice import (
    REASON_CHOSEN,
    REASON_REMEMBERED,
    ColumnMapping,
    apply_mapping,
    column_index,
)
from po_downloader.engine.input.csv_text import decode, nul_line, unclosed_quote_line
from po_downloader.engine.input.po_column import find_po_column, list_headers
from po_downloader.engine.input.table import Table, as_table
from po_downloader.engine.system.hashing import sha256_bytes

log = logging.getLogger(__name__)

CSV_SUFFIXES = frozenset({".csv"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
SUPPORTED_SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES
PREFERRED_SHEET = "PO_Data"

_WORKSHEET = python_calamine.SheetTypeEnum.WorkSheet
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_XLSX_PART = b"xl/"
_XLS_STREAM = "Book".encode("utf-16-le")  # the workbook stream: "Workbook" (BIFF8) or "Book" (BIFF5)
_DELIMITERS = (",", ";", "\t")
_SNIFF_LINES = 5


#: The column choice remembered for a header layout (``ColumnMemory.lookup``), if any.
Remembered = Callable[[Sequence[str]], ColumnMapping | None]


class SheetError(PoDownloaderError):
    """The input cannot be used; ``kind`` and ``details`` say why (``str()`` in English, for logs).

    ``table``: when the sheet was read but no column of it holds POs that work (none recognised, or none
    valid in the one used), the table read, so the window can ask which column it is without reading the
    file again. Not pickled: it stays in the process that read the file."""

    table: Table | None = None


class NoPoColumnError(SheetError):
    """No PO column was recognised; ``table`` is the (first) table read."""


@dataclass(frozen=True)
class Sheet:
    """One table read from the input file, with the PO column identified.

    ``rows`` hold raw cell values padded to ``len(columns)``: strings for CSV; for Excel whatever calamine
    gives (float/int, str, bool, datetime/date/time/timedelta, ``""`` for empty cells).
    """

    path: Path
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    po_column: str
    po_column_index: int
    po_column_reason: str
    sheet_name: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    #: 1-based row (CSV: record) number of the header in the file, to name rows as the user sees them.
    header_row: int = 1
    #: SHA-256 of the bytes that were read: the journal keys the batch by it without opening the file
    #: again (it may be gone or locked by then). Empty for a sheet not read from a file.
    sha256: str = ""
    #: The user's column mapping (the PO column, supplier and template values), when they made one.
    mapping: ColumnMapping | None = None

    def row_number(self, index: int) -> int:
        """The row number the user sees in Excel for data row ``index`` (0-based)."""
        return self.header_row + 1 + index

    @property
    def where(self) -> str:
        """``sheet 'PO_Data'`` or ``file 'input.csv'``, for messages."""
        return f"sheet '{self.sheet_name}'" if self.sheet_name is not None else f"file '{self.path.name}'"


def read_sheet(
    path: Path, *, mapping: ColumnMapping | None = None, remembered: Remembered | None = None
) -> Sheet:
    """Read ``path`` (.csv, .xlsx, .xlsm, .xls) and locate its PO column, or raise :class:`SheetError`
    (:class:`NoPoColumnError` when none is recognised).

    ``mapping``: the columns the user named for this read (a workbook's first sheet that has them);
    a name that is no column is refused, listing the columns. Else ``remembered`` may know the header
    layout, else the column is recognised by its header or values.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise SheetError(
            ErrorKind.SHEET_UNSUPPORTED_TYPE,
            f"'{path.name}' is not a supported file type (use one of {kinds})",
            name=path.name,
            suffixes=kinds,
        )
    if not path.is_file():
        raise SheetError(ErrorKind.SHEET_NOT_FOUND, f"file not found: {path}", path=path)
    if suffix in CSV_SUFFIXES:
        sheet = _read_csv(path, mapping, remembered)
    else:
        sheet = _read_excel(path, mapping, remembered)
    log.info(
        "read %s: %s, %d data rows, PO column %r (%s)",
        path.name,
        sheet.where,
        len(sheet.rows),
        sheet.po_column,
        sheet.po_column_reason,
    )
    return sheet


# --- CSV -------------------------------------------------------------------------------------------


def _choose(
    table: Table, mapping: ColumnMapping | None, remembered: Remembered | None
) -> tuple[tuple[int, str], ColumnMapping | None] | None:
    """The PO column of ``table`` and the mapping behind it: the user's, else the one remembered for its
    header layout, else the recognised one; None when ``mapping`` does not fit or nothing is found."""
    if mapping is not None:
        if mapping.missing_from(table.columns):
            return None
        return (_index(table, mapping), REASON_CHOSEN), mapping
    if remembered is not None and (known := remembered(table.columns)) is not None:
        return (_index(table, known), REASON_REMEMBERED), known
    found = find_po_column(table)
    return (found, None) if found is not None else None


def _index(table: Table, mapping: ColumnMapping) -> int:
    index = column_index(table.columns, mapping.po)
    assert index is not None  # checked by missing_from
    return index


def _read_csv(path: Path, mapping: ColumnMapping | None, remembered: Remembered | None) -> Sheet:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    if _is_encrypted_office(data):
        raise _password_protected(path)
    if _is_workbook(data):
        kind = ".xlsx" if data.startswith(_ZIP_MAGIC) else ".xls"
        raise SheetError(
            ErrorKind.SHEET_EXCEL_NAMED_CSV,
            f"'{path.name}' is an Excel workbook, not a CSV file; rename it to end in {kind}",
            name=path.name,
            suffix=kind,
        )
    text, encoding = decode(data)
    if (line := nul_line(text)) is not None:
        raise SheetError(
            ErrorKind.SHEET_NOT_TEXT,
            f"'{path.name}' is not a text file: it holds binary data (a NUL byte on line {line})",
            name=path.name,
            line=line,
        )
    delimiter = _sniff_delimiter(text)
    table = as_table(_csv_records(path, text, delimiter), name=None)
    if not table.columns:
        raise SheetError(ErrorKind.SHEET_EMPTY, f"'{path.name}' is empty", name=path.name)
    chosen = _choose(table, mapping, remembered)
    if chosen is None:
        if mapping is not None:
            raise _unknown_column(path, mapping, table, list_headers(table.columns))
        raise _no_po_column(path, list_headers(table.columns), table)
    found, used = chosen
    sheet = _sheet(path, table, found, sha256_bytes(data), delimiter=delimiter, encoding=encoding)
    return apply_mapping(sheet, used, reason=found[1]) if used is not None else sheet


def _csv_records(path: Path, text: str, delimiter: str) -> list[list[str]]:
    """Every record; an unclosed quote is refused with its line, because the lenient reader would
    swallow the rest of the file into one cell. Only a file the strict reader rejects is scanned for one,
    and one it rejects for a reason on a single line (``"a"b``) is read leniently, as before."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        pass
    if (line := unclosed_quote_line(text, delimiter)) is not None:
        raise SheetError(
            ErrorKind.SHEET_CSV_UNCLOSED_QUOTE,
            f"'{path.name}': the quote (\") that opens a cell on line {line} is never closed",
            name=path.name,
            line=line,
        )
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SheetError(
            ErrorKind.SHEET_BAD_CSV,
            f"'{path.name}' is not a readable CSV file: {exc}",
            name=path.name,
            detail=exc,
        ) from exc


def _sniff_delimiter(text: str) -> str:
    """The delimiter among ``,`` ``;`` tab that occurs most in the header line (first lines break ties)."""
    head = text[:65536].splitlines()[: _SNIFF_LINES * 4]
    lines = [line for line in head if line.strip()][:_SNIFF_LINES]
    if not lines:
        return ","

    def score(delim: str) -> tuple[int, int]:
        return _count_unquoted(lines[0], delim), sum(_count_unquoted(line, delim) for line in lines[1:])

    best = max(_DELIMITERS, key=score)
    return best if score(best) > (0, 0) else ","


def _count_unquoted(line: str, delim: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            count += 1
    return count


# --- Excel -----------------------------------------------------------------------------------------


def _read_excel(path: Path, mapping: ColumnMapping | None, remembered: Remembered | None) -> Sheet:
    try:
        data = path.read_bytes()  # for its hash and to spot encryption; calamine reads the file itself
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    if _is_encrypted_office(data):
        raise _password_protected(path)
    digest = sha256_bytes(data)
    del data
    tables: list[Table] = []
    try:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
            names = [m.name for m in workbook.sheets_metadata if m.typ == _WORKSHEET]
            ordered = sorted(names, key=lambda n: n.casefold() != PREFERRED_SHEET.casefold())
            for name in ordered:
                table = _excel_table(workbook, name)
                if table is None:
                    continue
                chosen = _choose(table, mapping, remembered)
                if chosen is not None:
                    found, used = chosen
                    sheet = _sheet(path, table, found, digest)
                    return apply_mapping(sheet, used, reason=found[1]) if used is not None else sheet
                tables.append(table)
    except SheetError:
        raise
    except python_calamine.PasswordError as exc:
        raise _password_protected(path) from exc
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    except (
        BaseException
    ) as exc:  # calamine is Rust: malformed files can raise a PanicException (BaseException)
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise SheetError(
            ErrorKind.SHEET_BAD_EXCEL,
            f"'{path.name}' is not a readable Excel file (damaged or not Excel): {exc}",
            name=path.name,
            detail=exc,
        ) from exc
    if not tables:
        raise SheetError(
            ErrorKind.SHEET_EMPTY, f"'{path.name}' has no data: every sheet is empty", name=path.name
        )
    seen = "; ".join(f"sheet '{t.name}': {list_headers(t.columns)}" for t in tables)
    if mapping is not None:
        raise _unknown_column(path, mapping, tables[0], seen)
    raise _no_po_column(path, seen, tables[0])


def _is_encrypted_office(data: bytes) -> bool:
    """Office encrypts a workbook into an OLE file with an ``EncryptedPackage`` stream (MS-OFFCRYPTO);
    stream names are stored in UTF-16 in the file's directory."""
    return data.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in data


def _is_workbook(data: bytes) -> bool:
    """An .xlsx (a zip with ``xl/`` parts) or an .xls (an OLE file with a ``Book``/``Workbook`` stream);
    another zip or OLE file (a Word document) named .csv is just binary data, not a misnamed workbook."""
    if data.startswith(_ZIP_MAGIC):
        return _XLSX_PART in data
    return data.startswith(_OLE_MAGIC) and _XLS_STREAM in data


def _password_protected(path: Path) -> SheetError:
    return SheetError(
        ErrorKind.SHEET_PASSWORD_PROTECTED,
        f"'{path.name}' is password-protected; save it without a password",
        name=path.name,
    )


def _unreadable(path: Path, exc: OSError) -> SheetError:
    detail = exc.strerror or str(exc)
    return SheetError(
        ErrorKind.SHEET_UNREADABLE, f"cannot read '{path.name}': {detail}", name=path.name, detail=detail
    )


def _no_po_column(path: Path, headers: str, table: Table) -> NoPoColumnError:
    error = NoPoColumnError(
        ErrorKind.SHEET_NO_PO_COLUMN,
        f"no PO column in '{path.name}'; headers seen: {headers}",
        name=path.name,
        headers=headers,
    )
    error.table = table
    return error


def _unknown_column(path: Path, mapping: ColumnMapping, table: Table | None, headers: str) -> SheetError:
    """A column the user named (``--po-column``) that the sheet does not have, with the ones it has."""
    missing = mapping.missing_from(table.columns) if table is not None else ()
    column = missing[0] if missing else mapping.po
    return SheetError(
        ErrorKind.SHEET_UNKNOWN_COLUMN,
        f"no column '{column}' in '{path.name}'; its columns: {headers}",
        name=path.name,
        column=column,
        headers=headers,
    )


def _excel_table(workbook: python_calamine.CalamineWorkbook, name: str) -> Table | None:
    """The worksheet as a table, or ``None`` if it holds nothing."""
    sheet = workbook.get_sheet_by_name(name)
    grid = sheet.to_python(skip_empty_area=True)
    first_row = sheet.start[0] if sheet.start else 0
    table = as_table(grid, name=name, first_row=first_row)
    return table if table.columns else None


def _sheet(
    path: Path,
    table: Table,
    found: tuple[int, str],
    sha256: str,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> Sheet:
    index, reason = found
    return Sheet(
        path=path,
        columns=table.columns,
        rows=table.rows,
        po_column=table.columns[index],
        po_column_index=index,
        po_column_reason=reason,
        sheet_name=table.name,
        delimiter=delimiter,
        encoding=encoding,
        header_row=table.header_row,
        sha256=sha256,
    )
