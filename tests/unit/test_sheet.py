"""Reading users' CSV/Excel files: delimiters, encodings, sheet choice, PO column detection, broken files."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from po_downloader.engine.input.sheet import Sheet, SheetError, read_sheet

DATA = Path(__file__).resolve().parent.parent / "data"

Rows = Sequence[Sequence[object]]


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(tmp_path: Path, delimiter: str) -> None:
    lines = [["PO_NUMBER", "Supplier", "Note"], ["PO15262984", "Acme", "a, b; c"], ["PM15492200", "Beta", ""]]
    text = "\r\n".join(delimiter.join(f'"{c}"' if "," in c or ";" in c else c for c in ln) for ln in lines)
    sheet = read_sheet(write_csv(tmp_path / "in.csv", text + "\r\n"))
    assert sheet.delimiter == delimiter
    assert sheet.columns == ("PO_NUMBER", "Supplier", "Note")
    assert sheet.rows == (("PO15262984", "Acme", "a, b; c"), ("PM15492200", "Beta", ""))
    assert (sheet.po_column, sheet.po_column_index) == ("PO_NUMBER", 0)
    assert sheet.po_column_reason == "header 'PO_NUMBER'"
    assert sheet.sheet_name is None and sheet.is_csv


def test_semicolon_when_values_contain_commas(tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "in.csv", "PO;Valor\nPO15262984;1,5\nPO15262985;2,75\n"))
    assert sheet.delimiter == ";"
    assert sheet.rows[1] == ("PO15262985", "2,75")


def test_bom_is_never_part_of_a_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", "\ufeffPO_NUMBER,Supplier\nPO15262984,Acme\n")
    sheet = read_sheet(path)
    assert sheet.columns[0] == "PO_NUMBER"
    assert sheet.encoding == "utf-8-sig"


def test_stored_semicolon_bom_file() -> None:
    sheet = read_sheet(DATA / "semicolon_bom.csv")
    assert (sheet.delimiter, sheet.encoding) == (";", "utf-8-sig")
    assert sheet.columns == ("Nº do Pedido", "Fornecedor", "Valor")
    assert sheet.po_column == "Nº do Pedido"
    assert sheet.rows[1] == ("PM15492200", "Café São João", "99,90")
    assert len(sheet.rows) == 5


def test_cp1252_fallback(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", "Nº do Pedido;Fornecedor\r\nPO15262984;Açúcar Ltda\r\n", "cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    sheet = read_sheet(path)
    assert sheet.encoding == "cp1252"
    assert sheet.po_column == "Nº do Pedido"
    assert sheet.rows == (("PO15262984", "Açúcar Ltda"),)


def test_plain_utf8_without_bom(tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "in.csv", "Número do Pedido\n15262984\n"))
    assert sheet.encoding == "utf-8"
    assert sheet.po_column == "Número do Pedido"


def test_csv_rows_padded_and_trailing_blank_lines_dropped(tmp_path: Path) -> None:
    text = "PO,Supplier,Note\nPO15262984\n\nPO15262985,Acme,x\n\n\n"
    sheet = read_sheet(write_csv(tmp_path / "in.csv", text))
    assert sheet.rows == (("PO15262984", "", ""), ("", "", ""), ("PO15262985", "Acme", "x"))


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\ufeff"])
def test_empty_csv(tmp_path: Path, text: str) -> None:
    with pytest.raises(SheetError, match="is empty"):
        read_sheet(write_csv(tmp_path / "in.csv", text))


def test_csv_without_po_column_lists_headers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", "Supplier,Amount\nAcme,12\nBeta,13\n")
    with pytest.raises(SheetError) as info:
        read_sheet(path)
    assert "no PO column" in str(info.value)
    assert "'Supplier', 'Amount'" in str(info.value)


# --- header detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "PO_NUMBER",
        "po_number",
        "PO Number",
        "PO",
        "PO No",
        "PO No.",
        "PO #",
        "Purchase Order",
        "Purchase Order Number",
        "Order Number",
        "Nº do Pedido",
        "N° do Pedido",
        "Número do Pedido",
        "NUMERO DO PEDIDO",
        "Pedido",
        "Pedido de Compra",
    ],
)
def test_known_headers(tmp_path: Path, header: str) -> None:
    path = write_xlsx(tmp_path / "in.xlsx", {"Sheet1": [["Supplier", header], ["Acme", "x"]]})
    sheet = read_sheet(path)
    assert (sheet.po_column, sheet.po_column_index) == (header, 1)
    assert sheet.po_column_reason == f"header '{header}'"


def test_preferred_header_wins_over_a_weaker_one(tmp_path: Path) -> None:
    rows = [["Order Number", "PO_NUMBER"], ["PO15262984", "PO15262985"]]
    sheet = read_sheet(write_xlsx(tmp_path / "in.xlsx", {"S": rows}))
    assert sheet.po_column == "PO_NUMBER"


def test_header_column_whose_values_look_right_wins(tmp_path: Path) -> None:
    rows = [["PO_NUMBER", "Pedido"], ["see notes", "PO15262984"], ["n/a", "PO15262985"]]
    sheet = read_sheet(write_xlsx(tmp_path / "in.xlsx", {"S": rows}))
    assert sheet.po_column == "Pedido"


def test_detection_by_values_when_header_is_unknown(tmp_path: Path) -> None:
    rows = [
        ["Supplier", "Qty", "Reference"],
        ["Acme", 3, "PO15262984"],
        ["Beta", 4, 15262985],
        ["Gamma", 1, ""],
    ]
    sheet = read_sheet(write_xlsx(tmp_path / "in.xlsx", {"S": rows}))
    assert (sheet.po_column, sheet.po_column_index) == ("Reference", 2)
    assert sheet.po_column_reason == "values look like POs"


def test_duplicate_and_empty_headers_made_unique(tmp_path: Path) -> None:
    rows = [["PO", "Supplier", None, "supplier", "Supplier"], ["PO15262984", "a", "b", "c", "d"]]
    sheet = read_sheet(write_xlsx(tmp_path / "in.xlsx", {"S": rows}))
    assert sheet.columns == ("PO", "Supplier", "Column 3", "supplier (2)", "Supplier (3)")


def test_header_is_first_non_empty_row(tmp_path: Path) -> None:
    rows = [[], [], ["PO_NUMBER", "Supplier"], ["PO15262984", "Acme"], [], ["PO15262985", "Beta"], [], []]
    sheet = read_sheet(write_xlsx(tmp_path / "in.xlsx", {"S": rows}))
    assert sheet.header_row == 3
    assert sheet.columns == ("PO_NUMBER", "Supplier")
    assert sheet.rows == (("PO15262984", "Acme"), ("", ""), ("PO15262985", "Beta"))
    assert sheet.row_number(2) == 6


# --- Excel -----------------------------------------------------------------------------------------


def test_excel_numbers_and_dates_come_back_raw(tmp_path: Path) -> None:
    when = datetime(2024, 3, 1, 12, 30)
    rows = [["PO_NUMBER", "Date", "Amount", "Flag"], [15262984, when, 12.5, True]]
    sheet = read_sheet(write_xlsx(tmp_path / "in.xlsx", {"PO_Data": rows}))
    assert sheet.rows == ((15262984.0, when, 12.5, True),)
    assert sheet.sheet_name == "PO_Data"
    assert sheet.delimiter is None and sheet.encoding is None


def test_po_data_sheet_is_preferred(tmp_path: Path) -> None:
    sheets = {
        "Summary": [["PO_NUMBER"], ["PO11111111"]],
        "po_data": [["PO"], ["PO22222222"]],
    }
    sheet = read_sheet(write_xlsx(tmp_path / "in.xlsx", sheets))
    assert sheet.sheet_name == "po_data"
    assert sheet.rows == (("PO22222222",),)


def test_po_data_without_po_column_falls_back_to_first_sheet_with_one(tmp_path: Path) -> None:
    sheets = {
        "Notes": [["Text"], ["hello"]],
        "Orders": [["PO Number"], ["PO11111111"]],
        "PO_Data": [["Supplier"], ["Acme"]],
        "More": [["PO_NUMBER"], ["PO22222222"]],
    }
    sheet = read_sheet(write_xlsx(tmp_path / "in.xlsx", sheets))
    assert sheet.sheet_name == "Orders"


def test_excel_without_po_column_lists_headers_per_sheet(tmp_path: Path) -> None:
    sheets = {"A": [["Supplier", "Amount"], ["Acme", 1]], "B": [["Notes"], ["x"]], "Empty": []}
    with pytest.raises(SheetError) as info:
        read_sheet(write_xlsx(tmp_path / "in.xlsx", sheets))
    message = str(info.value)
    assert "no PO column" in message
    assert "sheet 'A': 'Supplier', 'Amount'" in message
    assert "sheet 'B': 'Notes'" in message


def test_empty_workbook(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="no data"):
        read_sheet(write_xlsx(tmp_path / "in.xlsx", {"Sheet1": []}))


def test_xlsm_is_read(tmp_path: Path) -> None:
    sheet = read_sheet(write_xlsx(tmp_path / "in.xlsm", {"S": [["PO_NUMBER"], ["PO15262984"]]}))
    assert sheet.rows == (("PO15262984",),)


def test_stored_broken_xlsx() -> None:
    with pytest.raises(SheetError, match="not a readable Excel file"):
        read_sheet(DATA / "broken.xlsx")


def test_truncated_xlsx(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"S": [["PO_NUMBER"], ["PO15262984"]]})
    broken = tmp_path / "broken.xlsx"
    data = good.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(SheetError, match="'broken.xlsx' is not a readable Excel file"):
        read_sheet(broken)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(SheetError, match="not a readable Excel file"):
        read_sheet(path)


def test_workbook_with_damaged_sheet_xml(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"S": [["PO_NUMBER"], ["PO15262984"]]})
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(SheetError, match="not a readable Excel file"):
        read_sheet(damaged)


@pytest.mark.parametrize("name", ["in.xlsx", "in.xls"])
def test_empty_excel_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(SheetError, match="not a readable Excel file"):
        read_sheet(path)


def test_csv_renamed_to_xls(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.xls", "PO_NUMBER\nPO15262984\n")
    with pytest.raises(SheetError, match="not a readable Excel file"):
        read_sheet(path)


def test_workbook_renamed_to_csv(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"S": [["PO_NUMBER"], ["PO15262984"]]})
    path = tmp_path / "in.csv"
    path.write_bytes(good.read_bytes())
    with pytest.raises(SheetError, match=r"is an Excel workbook, not a CSV file; rename it to end in \.xlsx"):
        read_sheet(path)


def test_long_header_lists_are_cut(tmp_path: Path) -> None:
    header = ",".join(f"h{i}" for i in range(40))
    path = write_csv(tmp_path / "in.csv", header + "\n" + ",".join("x" * 40) + "\n")
    with pytest.raises(SheetError, match=r"'h29' … and 10 more$"):
        read_sheet(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="file not found"):
        read_sheet(tmp_path / "nope.xlsx")


@pytest.mark.parametrize("name", ["in.txt", "in.pdf", "in"])
def test_unsupported_type(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("PO_NUMBER\nPO15262984\n")
    with pytest.raises(SheetError, match="not a supported file type"):
        read_sheet(path)


def test_ten_thousand_row_workbook(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    ws = workbook.create_sheet("PO_Data")
    ws.append(["PO_NUMBER", "Supplier", "Amount", "Date"])
    for i in range(10_000):
        ws.append([10_000_000 + i, f"Supplier {i % 37}", i * 1.5, datetime(2024, 1, 1 + i % 28)])
    workbook.save(path)
    sheet: Sheet = read_sheet(path)
    assert len(sheet.rows) == 10_000
    assert sheet.rows[-1][:3] == (10_009_999.0, "Supplier 9", 9999 * 1.5)
