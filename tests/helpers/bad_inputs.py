"""Broken input files, built in the test, with what each must be refused as: one catalogue for the reader's
unit tests, the CLI (exit 2) and the window, so every edge is held to the same list."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from msoffcrypto.format.ooxml import OOXMLFile

from po_downloader.engine.errors import ErrorKind

GOOD_ROWS = [
    ["PO_NUMBER", "Supplier"],
    ["PO15262984", "Acme"],
    ["PO15262985", "Beta"],
    ["PO15262986", "Gamma"],
]


def xlsx_bytes(rows: list[list[object]], title: str = "PO_Data") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def encrypted_xlsx_bytes(rows: list[list[object]], password: str = "secret") -> bytes:
    """A workbook as Excel's "Encrypt with Password" saves it: an OLE file, not a zip."""
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes(rows))).encrypt(password, out)
    return out.getvalue()


def _truncated_xlsx() -> bytes:
    data = xlsx_bytes(GOOD_ROWS)
    return data[: len(data) // 2]


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@dataclass(frozen=True)
class BadInput:
    """``name`` (with the suffix that matters), its bytes, the kind it is refused as and the details the
    message must carry."""

    id: str
    name: str
    make: Callable[[], bytes]
    kind: ErrorKind
    details: dict[str, str]

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        path.write_bytes(self.make())
        return path


BAD_INPUTS: tuple[BadInput, ...] = (
    BadInput("empty-csv", "pos.csv", lambda: b"", ErrorKind.SHEET_EMPTY, {"name": "pos.csv"}),
    BadInput("empty-xlsx", "pos.xlsx", lambda: b"", ErrorKind.SHEET_BAD_EXCEL, {"name": "pos.xlsx"}),
    BadInput(
        "header-only-csv",
        "pos.csv",
        lambda: b"PO_NUMBER;Fornecedor\r\n",
        ErrorKind.SHEET_NO_DATA_ROWS,
        {"column": "PO_NUMBER"},
    ),
    BadInput(
        "header-only-xlsx",
        "pos.xlsx",
        lambda: xlsx_bytes([["PO Number", "Supplier"]]),
        ErrorKind.SHEET_NO_DATA_ROWS,
        {"column": "PO Number", "where": "PO_Data"},
    ),
    BadInput(
        "cp1252-semicolon-no-valid-po",
        "pos.csv",
        lambda: "Nº do Pedido;Fornecedor\r\nPO12AB;Açúcar Ltda\r\n".encode("cp1252"),
        ErrorKind.SHEET_NO_VALID_PO,
        {"column": "Nº do Pedido", "row": "2"},
    ),
    BadInput(
        "utf16-tab-no-valid-po",
        "pos.csv",
        lambda: b"\xff\xfe" + "Número do Pedido\tFornecedor\r\n12\tCafé\r\n".encode("utf-16-le"),
        ErrorKind.SHEET_NO_VALID_PO,
        {"column": "Número do Pedido", "row": "2"},
    ),
    BadInput(
        "no-po-column",
        "pos.csv",
        lambda: b"Supplier,Amount\nAcme,12\nBeta,13\n",
        ErrorKind.SHEET_NO_PO_COLUMN,
        {"name": "pos.csv", "headers": "'Supplier', 'Amount'"},
    ),
    BadInput("corrupt-xlsx", "pos.xlsx", _truncated_xlsx, ErrorKind.SHEET_BAD_EXCEL, {"name": "pos.xlsx"}),
    BadInput(
        "password-xlsx",
        "pos.xlsx",
        lambda: encrypted_xlsx_bytes(GOOD_ROWS),
        ErrorKind.SHEET_PASSWORD_PROTECTED,
        {"name": "pos.xlsx"},
    ),
    BadInput(
        "password-xlsx-named-xls",
        "pos.xls",
        lambda: encrypted_xlsx_bytes(GOOD_ROWS),
        ErrorKind.SHEET_PASSWORD_PROTECTED,
        {"name": "pos.xls"},
    ),
    BadInput(
        "unclosed-quote",
        "pos.csv",
        lambda: (
            b'PO_NUMBER,Note\nPO15262984,ok\nPO15262985,"Monitor 27\nPO15262986,x\nPO15262987,"Cable, 2 m"\n'
        ),
        ErrorKind.SHEET_CSV_UNCLOSED_QUOTE,
        {"name": "pos.csv", "line": "3"},
    ),
    BadInput(
        "nul-bytes",
        "pos.csv",
        lambda: b"PO_NUMBER,Supplier\nPO15262984,Acme\nPO15262985,Be\x00ta\n",
        ErrorKind.SHEET_NOT_TEXT,
        {"name": "pos.csv", "line": "3"},
    ),
    BadInput("binary-named-csv", "pos.csv", _png, ErrorKind.SHEET_NOT_TEXT, {"name": "pos.csv"}),
    BadInput(
        "workbook-named-csv",
        "pos.csv",
        lambda: xlsx_bytes(GOOD_ROWS),
        ErrorKind.SHEET_EXCEL_NAMED_CSV,
        {"name": "pos.csv", "suffix": ".xlsx"},
    ),
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
