"""The PO's facts in the results sheet (``--facts``) and in the journal that resume and the window read.

Off, the sheet is exactly as it always was; on, the facts columns follow the result columns.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from po_downloader.engine.input.plan import plan_batch
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoFacts, PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import facts_from, facts_text
from po_downloader.engine.output.results import FACT_COLUMNS, RESULT_COLUMNS, ResultsSheet
from tests.helpers.journal_setup import Clock, raw, start, write_sheet

FACTS = PoFacts(
    po_status="Issued",
    total="1,234.50",
    currency="USD",
    supplier_number="=SUP-7",  # portal text that would be a formula in Excel
    company="ACME Brasil",
    payment_term="Net 30",
    created="2025-03-13",
    requester="Ana Souza",
    requisition="",  # the page showed none
)
OUTCOME = PoOutcome(PoStatus.COMPLETED, supplier="Acme", found=1, downloaded=1, names=("a.pdf",), facts=FACTS)


def sheet_file(tmp_path: Path, header: str = "PO_NUMBER;Fornecedor") -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(f"{header}\r\nPO15262984;Açúcar\r\n15492200;x\r\n", encoding="utf-8")
    return path


def written(results: ResultsSheet) -> list[list[str]]:
    results.write()
    with results.path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def test_without_facts_the_sheet_is_as_it_always_was(tmp_path: Path) -> None:
    results = ResultsSheet(plan_batch(read_sheet(sheet_file(tmp_path))), tmp_path / "r.csv")
    results.update("15262984", OUTCOME)
    rows = written(results)
    assert rows[0] == ["PO_NUMBER", "Fornecedor", *RESULT_COLUMNS]
    assert not any("Issued" in cell or "Ana Souza" in cell for row in rows for cell in row)


def test_with_facts_each_po_row_has_its_pages_facts_after_the_result_columns(tmp_path: Path) -> None:
    results = ResultsSheet(plan_batch(read_sheet(sheet_file(tmp_path))), tmp_path / "r.csv", facts=True)
    assert results.columns == ("PO_NUMBER", "Fornecedor", *RESULT_COLUMNS, *FACT_COLUMNS)
    results.update("15262984", OUTCOME)
    results.update("15492200", PoOutcome(PoStatus.PO_NOT_FOUND))  # no page: no facts
    header, first, second = written(results)
    facts = dict(zip(header, first, strict=True))
    assert [facts[c] for c in FACT_COLUMNS] == [
        "Issued",
        "1,234.50",
        "USD",
        "'=SUP-7",  # never a formula, as every portal text in the sheet
        "ACME Brasil",
        "Net 30",
        "2025-03-13",
        "Ana Souza",
        "",
    ]
    assert second[-len(FACT_COLUMNS) :] == [""] * len(FACT_COLUMNS)


def test_an_earlier_results_sheets_facts_columns_are_reused_in_place(tmp_path: Path) -> None:
    path = tmp_path / "orders_results.csv"  # an earlier run's column, any letter case
    path.write_text("PO_NUMBER;po_total;Fornecedor\r\nPO15262984;9.00;Açúcar\r\n", encoding="utf-8")
    results = ResultsSheet(plan_batch(read_sheet(path)), tmp_path / "r.csv", facts=True)
    assert "PO_TOTAL" not in results.columns and results.columns[1] == "po_total"
    results.update("15262984", OUTCOME)
    assert results.value(0, "po_total") == "1,234.50"
    off = ResultsSheet(plan_batch(read_sheet(path)), tmp_path / "o.csv")
    off.update("15262984", OUTCOME)
    assert off.value(0, "po_total") == "9.00" and "PO_STATUS" not in off.columns  # off: an input column


def test_facts_go_to_an_excel_sheet_as_text(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    results = ResultsSheet(plan_batch(read_sheet(sheet_file(tmp_path))), path, facts=True)
    results.update("15262984", OUTCOME)
    results.write()
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    facts = dict(zip(rows[0], rows[1], strict=True))
    assert (facts["PO_TOTAL"], facts["PO_SUPPLIER_NUMBER"], facts["PO_REQUISITION"]) == (
        "1,234.50",
        "=SUP-7",
        None,
    )


def test_the_journal_keeps_the_facts_shown_and_hands_them_back(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path, now=Clock()) as journal:
        batch = start(journal, write_sheet(tmp_path))
        journal.po_finished(batch, "100001", OUTCOME)
        journal.po_finished(batch, "100002", PoOutcome(PoStatus.NO_ATTACHMENTS))
        states = journal.po_states(batch)
    assert states[0].outcome.facts == FACTS
    assert states[1].outcome.facts == PoFacts()
    assert raw(path, "SELECT facts FROM pos ORDER BY position")[1:3] == [("",), ("",)]


def test_facts_text_keeps_only_what_was_shown_and_reads_back_anything_safely() -> None:
    assert facts_from(facts_text(FACTS)) == FACTS
    assert facts_text(PoFacts()) == ""
    for junk in ("", None, "not json", "[1, 2]", '{"total": 5}'):
        assert facts_from(junk) == PoFacts()
