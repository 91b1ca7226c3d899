"""Reading users' CSV/Excel files: delimiters, encodings, sheet choice, PO column detection, broken files."""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.plan import plan_batch
from po_downloader.engine.input.sheet import Sheet, SheetError, read_sheet
from tests.helpers.bad_inputs import BAD_INPUTS, GOOD_ROWS, BadInput, encrypted_xlsx_bytes, sha256

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
    assert sheet.sheet_name is None


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


# --- header row (the table and the worksheet's offset together) ----------------------------------


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


# --- broken inputs (issue #8): each refused with its own kind, the file never touched --------------


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.id)
def test_broken_input_is_refused_with_its_kind_and_left_untouched(tmp_path: Path, case: BadInput) -> None:
    path = case.write(tmp_path)
    before = sha256(path)
    with pytest.raises(SheetError) as info:
        plan_batch(read_sheet(path))
    assert info.value.kind == case.kind, info.value
    assert {k: info.value.details.get(k) for k in case.details} == case.details
    assert sha256(path) == before
    assert [p.name for p in tmp_path.iterdir()] == [case.name], "nothing written beside the input"


def _unclosed(tmp_path: Path, text: str) -> SheetError:
    with pytest.raises(SheetError) as info:
        read_sheet(write_csv(tmp_path / "in.csv", text))
    assert info.value.kind == ErrorKind.SHEET_CSV_UNCLOSED_QUOTE
    return info.value


def test_unclosed_quote_is_refused_with_the_line_it_opens_on(tmp_path: Path) -> None:
    """Before: the lenient reader returned 1 row whose note held the other 3 POs, and said nothing."""
    text = 'PO_NUMBER;Nota\r\nPO15262984;ok\r\nPO15262985;"monitor 27\r\nPO15262986;x\r\nPO15262987;y\r\n'
    error = _unclosed(tmp_path, text)
    assert error.details == {"name": "in.csv", "line": "3"}
    assert "line 3" in str(error)


def test_unclosed_quote_closed_by_a_later_cells_quote_is_still_found(tmp_path: Path) -> None:
    text = 'PO,Note\nPO15262984,"cable\nPO15262985,x\nPO15262986,"a, b"\nPO15262987,y\n'
    assert _unclosed(tmp_path, text).details["line"] == "2"


def test_unclosed_quote_in_a_big_file_is_named_not_a_field_size_error(tmp_path: Path) -> None:
    """The swallowed rest outgrows csv's 128 KiB field limit: the message must still name the quote."""
    rows = "".join(f"PO{15_000_000 + i},row {i}\n" for i in range(20_000))
    text = 'PO_NUMBER,Note\nPO14999999,"open\n' + rows
    assert _unclosed(tmp_path, text).details["line"] == "2"


def test_quoted_cells_over_several_lines_and_escaped_quotes_are_read(tmp_path: Path) -> None:
    text = 'PO_NUMBER,Note\r\nPO15262984,"two\r\nlines, ""quoted"""\r\nPO15262985,"27"" monitor"\r\n'
    sheet = read_sheet(write_csv(tmp_path / "in.csv", text))
    assert sheet.rows == (("PO15262984", 'two\r\nlines, "quoted"'), ("PO15262985", '27" monitor'))


def test_a_stray_quote_within_one_line_is_read_leniently_as_before(tmp_path: Path) -> None:
    text = 'PO_NUMBER,Note\nPO15262984,"27" monitor\nPO15262985,5" cable\n'
    sheet = read_sheet(write_csv(tmp_path / "in.csv", text))
    assert sheet.rows == (("PO15262984", "27 monitor"), ("PO15262985", '5" cable'))


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        pytest.param("utf-16-le", b"\xff\xfe", "\t", id="le-bom-tab"),  # Excel's "Unicode text"
        pytest.param("utf-16-le", b"\xff\xfe", ",", id="le-bom-comma"),
        pytest.param("utf-16-be", b"\xfe\xff", "\t", id="be-bom-tab"),
        pytest.param("utf-16-be", b"\xfe\xff", ",", id="be-bom-comma"),
        pytest.param("utf-16-le", b"", "\t", id="le-no-bom"),  # known by its NUL high bytes
        pytest.param("utf-16-be", b"", ";", id="be-no-bom"),
    ],
)
def test_utf16_csv(tmp_path: Path, encoding: str, bom: bytes, delimiter: str) -> None:
    lines = [["Nº do Pedido", "Fornecedor"], ["PO15262984", "Açúcar São João"], ["15262985", "Café"]]
    text = "".join(delimiter.join(line) + "\r\n" for line in lines)
    path = tmp_path / "in.csv"
    path.write_bytes(bom + text.encode(encoding))
    before = sha256(path)
    sheet = read_sheet(path)
    assert (sheet.encoding, sheet.delimiter) == (encoding, delimiter)
    assert sheet.columns == ("Nº do Pedido", "Fornecedor")
    assert sheet.rows == (("PO15262984", "Açúcar São João"), ("15262985", "Café"))
    assert [po.display for po in plan_batch(sheet).pos] == ["PO15262984", "PO15262985"]
    assert sha256(path) == before


def test_nul_byte_names_its_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", "PO_NUMBER\r\nPO15262984\r\nPO1526\x002985\r\n")
    with pytest.raises(SheetError) as info:
        read_sheet(path)
    assert info.value.kind == ErrorKind.SHEET_NOT_TEXT
    assert info.value.details == {"name": "in.csv", "line": "3"}


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls", ".csv"])
def test_password_protected_workbook_under_any_name(tmp_path: Path, suffix: str) -> None:
    """Excel's "Encrypt with Password" writes an OLE file, not a zip: calamine calls a ``.xls`` one damaged
    and a ``.csv`` one used to be sent to "rename it to .xls"."""
    path = tmp_path / f"in{suffix}"
    path.write_bytes(encrypted_xlsx_bytes(GOOD_ROWS))
    with pytest.raises(SheetError) as info:
        read_sheet(path)
    assert info.value.kind == ErrorKind.SHEET_PASSWORD_PROTECTED
    assert "password-protected" in str(info.value)


def _read_measuring_peak(path: Path) -> tuple[Sheet, float]:
    """The sheet and the peak memory (MiB) Python allocated while reading it."""
    tracemalloc.start()
    try:
        sheet = read_sheet(path)
        return sheet, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_hundred_thousand_row_csv(tmp_path: Path) -> None:
    """cp1252 with ``;`` as a Portuguese Excel writes it; every row read and planned, memory bounded."""
    lines = ["Nº do Pedido;Fornecedor;Valor"]
    lines += [f"PO{10_000_000 + i};Fornecedor {i % 97} Ltda;{i},50" for i in range(100_000)]
    lines += ["PO10000000;duplicate;1", "abc;invalid;2"]
    path = write_csv(tmp_path / "big.csv", "\r\n".join(lines) + "\r\n", "cp1252")
    before = sha256(path)
    sheet, peak = _read_measuring_peak(path)
    plan = plan_batch(sheet)
    assert plan.sheet.encoding == "cp1252" and plan.sheet.delimiter == ";"
    assert (plan.total_rows, plan.unique_pos, plan.duplicate_rows, plan.invalid_rows) == (
        100_002,
        100_000,
        1,
        1,
    )
    assert plan.pos[-1].display == "PO10099999"
    assert peak < 150, f"reading 100 000 rows peaked at {peak:.0f} MiB (a 4 MB file)"
    assert sha256(path) == before


def _fast_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[float | str]]) -> Path:
    """A minimal valid workbook written as XML (openpyxl takes seconds for 100 000 rows)."""

    def cell(value: float | str) -> str:
        if isinstance(value, str):
            return f'<c t="inlineStr"><is><t>{value}</t></is></c>'
        return f"<c><v>{value}</v></c>"

    body = "".join(f"<row>{''.join(map(cell, row))}</row>" for row in [header, *rows])
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="PO_Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{body}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return path


def test_hundred_thousand_row_workbook(tmp_path: Path) -> None:
    rows = [[10_000_000 + i, f"Supplier {i % 37}", i * 1.5] for i in range(100_000)]
    path = _fast_xlsx(tmp_path / "big.xlsx", ["PO_NUMBER", "Supplier", "Amount"], rows)
    before = sha256(path)
    plan = plan_batch(read_sheet(path))
    assert plan.sheet.sheet_name == "PO_Data"
    assert (plan.total_rows, plan.unique_pos, plan.invalid_rows) == (100_000, 100_000, 0)
    assert plan.sheet.rows[-1] == (10_099_999.0, f"Supplier {99_999 % 37}", 99_999 * 1.5)
    assert plan.sheet.row_number(99_999) == 100_001
    assert sha256(path) == before


@pytest.mark.parametrize("name", ["in.csv", "in.xlsx"])
def test_the_sheet_carries_the_hash_of_the_bytes_it_read(tmp_path: Path, name: str) -> None:
    """The journal keys a batch by the input's bytes: taken at read time, the input may go away later."""
    path = tmp_path / name
    if name.endswith(".csv"):
        write_csv(path, "PO_NUMBER\nPO15262984\n")
    else:
        write_xlsx(path, {"PO_Data": GOOD_ROWS})
    expected = sha256(path)
    sheet = read_sheet(path)
    path.unlink()
    assert sheet.sha256 == expected


@pytest.mark.parametrize("name", ["in.csv", "in.xlsx"])
def test_an_input_that_cannot_be_opened_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A file another program holds exclusively (Windows) or without read permission: no traceback."""
    path = tmp_path / name
    path.write_bytes(b"PO_NUMBER\nPO15262984\n")

    def locked(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(SheetError) as info:
        read_sheet(path)
    assert info.value.kind == ErrorKind.SHEET_UNREADABLE
    assert info.value.details == {"name": name, "detail": "Permission denied"}


def test_a_zip_that_is_not_a_workbook_named_csv_is_binary_not_a_misnamed_workbook(tmp_path: Path) -> None:
    """A Word document renamed .csv used to be sent to "rename it to end in .xlsx"."""
    path = tmp_path / "in.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(SheetError) as info:
        read_sheet(path)
    assert info.value.kind == ErrorKind.SHEET_NOT_TEXT
