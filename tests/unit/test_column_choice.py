"""The user's column mapping: header signatures, remembered choices, applying a mapping, reading with one
(engine/input/column_choice.py, column_memory.py, sheet.read_sheet)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.column_choice import (
    REASON_CHOSEN,
    REASON_REMEMBERED,
    RESULT_HEADERS,
    ColumnChoices,
    ColumnMapping,
    apply_mapping,
    column_index,
    header_signature,
)
from po_downloader.engine.input.column_memory import ColumnMemory
from po_downloader.engine.input.plan import plan_batch, summary_text
from po_downloader.engine.input.po_column import normalise_header
from po_downloader.engine.input.sheet import NoPoColumnError, SheetError, read_sheet
from po_downloader.engine.output.results import FACT_COLUMNS, RESULT_COLUMNS

#: No column is recognised: "Documento" holds POs, but only some rows (the others are notes).
UNMAPPED = (
    "Documento;Fornecedor;Centro de custo\n"
    "PO15262984;Acme;CC-10\n"
    "ver e-mail;Beta;CC-20\n"
    "PM15492200;Gama;\n"
    "sem pedido;Delta;CC-10\n"
    "aguardando;Acme;CC-30\n"
)


def _csv(tmp_path: Path, text: str = UNMAPPED, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- pure logic ------------------------------------------------------------------------------------


def test_the_signature_ignores_case_accents_spaces_and_a_results_sheets_own_columns() -> None:
    base = header_signature(["Nº do Pedido", "Fornecedor"])
    assert header_signature(["nº do pedido ", "FORNECEDOR"]) == base
    assert header_signature(["No do Pedido", "Fornecedor"]) == base
    assert header_signature(["Nº do Pedido", "Fornecedor", *RESULT_COLUMNS]) == base
    assert header_signature(["Nº do Pedido", "Fornecedor", *RESULT_COLUMNS, *FACT_COLUMNS]) == base
    assert header_signature(["Fornecedor", "Nº do Pedido"]) != base  # another order: another layout
    assert header_signature(["Nº do Pedido", "Fornecedor", "Valor"]) != base


def test_the_result_columns_known_to_input_are_the_results_sheets() -> None:
    assert {normalise_header(c) for c in RESULT_COLUMNS + FACT_COLUMNS} == RESULT_HEADERS


def test_a_column_is_found_exactly_else_by_its_normalised_name_never_ambiguously() -> None:
    columns = ("Nº Pedido", "Fornecedor", "Valor", "valor (2)", "VALOR")
    assert column_index(columns, "Fornecedor") == 1
    assert column_index(columns, "nº pedido ") == 0
    assert column_index(columns, "Valor") == 2  # exact wins
    assert column_index(columns, "valor") is None  # "Valor" and "VALOR" both match: refuse to guess
    assert column_index(columns, "Supplier") is None


def test_choices_are_looked_up_by_layout_and_dropped_when_a_column_went_missing() -> None:
    mapping = ColumnMapping("Documento", supplier="Fornecedor", values=("Centro de custo",))
    choices = ColumnChoices().with_choice(["Documento", "Fornecedor", "Centro de custo"], mapping)
    assert choices.lookup(["DOCUMENTO", "fornecedor", "Centro de Custo"]) == mapping
    assert choices.lookup(["Documento", "Fornecedor"]) is None
    assert ColumnChoices().lookup(["Documento"]) is None


def test_choices_survive_json_and_bad_entries_are_dropped() -> None:
    mapping = ColumnMapping("Documento", supplier=None, values=("Centro de custo",))
    choices = ColumnChoices().with_choice(["Documento", "Centro de custo"], mapping)
    stored = json.loads(json.dumps(choices.to_json()))
    stored["layouts"]["bad"] = {"po": 3}
    stored["layouts"]["worse"] = "x"
    again = ColumnChoices.from_json(stored)
    assert dict(again.by_layout) == dict(choices.by_layout)
    assert ColumnChoices.from_json([1, 2]).by_layout == {}


def test_row_values_give_the_template_tokens_of_a_row() -> None:
    mapping = ColumnMapping("Documento", supplier="Fornecedor", values=("Centro de custo", "Ano"))
    columns = ("Documento", "Fornecedor", "Centro de custo", "Ano")
    assert mapping.row_values(columns, ("PO1", " Acme  Ltda ", "", 2024.0)) == {
        "supplier": "Acme Ltda",
        "Ano": "2024",
    }
    assert mapping.columns == ("Documento", "Fornecedor", "Centro de custo", "Ano")


def test_applying_a_mapping_moves_the_po_column_and_the_plan_follows(tmp_path: Path) -> None:
    sheet = read_sheet(_csv(tmp_path), mapping=ColumnMapping("documento"))
    assert (sheet.po_column, sheet.po_column_index, sheet.po_column_reason) == ("Documento", 0, "chosen")
    assert sheet.mapping == ColumnMapping("Documento")
    other = apply_mapping(sheet, ColumnMapping("Fornecedor"))
    assert (other.po_column, other.po_column_index, other.rows) == ("Fornecedor", 1, sheet.rows)
    plan = plan_batch(sheet)
    assert [po.digits for po in plan.pos] == ["15262984", "15492200"]
    assert plan.invalid_rows == 3
    assert "column 'Documento' (chosen)" in summary_text(plan)
    with pytest.raises(KeyError, match="Valor"):
        apply_mapping(sheet, ColumnMapping("Valor"))


# --- reading with a choice ---------------------------------------------------------------------------


def test_an_unrecognised_sheet_is_refused_with_its_table_to_ask_about(tmp_path: Path) -> None:
    with pytest.raises(NoPoColumnError) as info:
        read_sheet(_csv(tmp_path))
    assert info.value.kind is ErrorKind.SHEET_NO_PO_COLUMN
    table = info.value.table
    assert table is not None
    assert table.columns == ("Documento", "Fornecedor", "Centro de custo")
    assert table.rows[0] == ("PO15262984", "Acme", "CC-10")


def test_a_named_column_that_is_not_one_is_refused_listing_the_columns(tmp_path: Path) -> None:
    with pytest.raises(SheetError) as info:
        read_sheet(_csv(tmp_path), mapping=ColumnMapping("Pedido"))
    error = info.value
    assert not isinstance(error, NoPoColumnError)
    assert error.kind is ErrorKind.SHEET_UNKNOWN_COLUMN
    assert error.details["column"] == "Pedido"
    assert error.details["headers"] == "'Documento', 'Fornecedor', 'Centro de custo'"
    with pytest.raises(SheetError) as info:
        read_sheet(_csv(tmp_path), mapping=ColumnMapping("Documento", supplier="Supplier"))
    assert info.value.details["column"] == "Supplier"


def test_a_named_column_overrides_the_recognised_one(tmp_path: Path) -> None:
    text = "PO_NUMBER,PO Coupa\nPO11111111,PO22222222\n"
    assert read_sheet(_csv(tmp_path, text)).po_column == "PO_NUMBER"
    assert read_sheet(_csv(tmp_path, text), mapping=ColumnMapping("PO Coupa")).po_column == "PO Coupa"


def test_a_remembered_choice_maps_the_same_layout_and_wins_over_recognition(tmp_path: Path) -> None:
    memory = ColumnMemory(tmp_path / "config")
    memory.remember(("Documento", "Fornecedor", "Centro de custo"), ColumnMapping("Documento", "Fornecedor"))
    sheet = read_sheet(_csv(tmp_path), remembered=ColumnMemory(tmp_path / "config").lookup)
    assert (sheet.po_column, sheet.po_column_reason) == ("Documento", REASON_REMEMBERED)
    assert sheet.mapping == ColumnMapping("Documento", "Fornecedor")
    # A sheet whose PO column is recognised still follows the user's earlier choice for its layout.
    text = "PO_NUMBER,PO Coupa\nPO11111111,PO22222222\n"
    memory.remember(("PO_NUMBER", "PO Coupa"), ColumnMapping("PO Coupa"))
    assert read_sheet(_csv(tmp_path, text), remembered=memory.lookup).po_column == "PO Coupa"
    # Another layout is not touched.
    other = read_sheet(_csv(tmp_path, "PO_NUMBER\nPO12345678\n"), remembered=memory.lookup)
    assert other.po_column_reason == "header 'PO_NUMBER'"
    assert REASON_CHOSEN != REASON_REMEMBERED


def test_an_excel_choice_uses_the_first_sheet_that_has_the_column(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in {
        "Notas": [["Texto"], ["oi"]],
        "Pedidos": [["Documento", "Fornecedor"], ["PO15262984", "Acme"], ["nada", "Beta"], ["x", "y"]],
    }.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    with pytest.raises(NoPoColumnError) as info:
        read_sheet(path)
    assert info.value.table is not None and info.value.table.name == "Notas"
    sheet = read_sheet(path, mapping=ColumnMapping("Documento"))
    assert (sheet.sheet_name, sheet.po_column) == ("Pedidos", "Documento")
    with pytest.raises(SheetError) as unknown:
        read_sheet(path, mapping=ColumnMapping("Pedido"))
    assert "sheet 'Pedidos': 'Documento', 'Fornecedor'" in unknown.value.details["headers"]


# --- the memory on disk ------------------------------------------------------------------------------


def test_the_memory_is_kept_on_disk_never_in_the_sheet(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    before = path.read_bytes()
    memory = ColumnMemory(tmp_path / "config")
    memory.remember(("Documento", "Fornecedor", "Centro de custo"), ColumnMapping("Documento"))
    assert path.read_bytes() == before
    stored = json.loads((tmp_path / "config" / "column_choices.json").read_text(encoding="utf-8"))
    assert list(stored["layouts"].values()) == [{"po": "Documento", "supplier": None, "values": []}]
    assert "Documento" not in "".join(stored["layouts"])  # keyed by a hash, not the headers


@pytest.mark.expect_log("po_downloader.engine.input.column_memory", "not valid JSON")
def test_a_damaged_memory_file_starts_afresh(tmp_path: Path) -> None:
    (tmp_path / "column_choices.json").write_text("{oops", encoding="utf-8")
    assert ColumnMemory(tmp_path).lookup(("Documento",)) is None


@pytest.mark.expect_log("po_downloader.engine.input.column_memory", "could not read")
@pytest.mark.expect_log("po_downloader.engine.input.column_memory", "could not save")
def test_a_choice_that_cannot_be_saved_still_holds_for_the_session(tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    memory = ColumnMemory(blocker)
    memory.remember(("Documento",), ColumnMapping("Documento"))
    assert memory.lookup(("Documento",)) == ColumnMapping("Documento")
