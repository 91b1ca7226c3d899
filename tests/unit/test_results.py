"""The results sheet: columns, initial state, updates, atomic CSV/xlsx writes, locking, re-runs."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from po_downloader.engine.input.plan import BatchPlan, plan_batch
from po_downloader.engine.input.sheet import SheetError, read_sheet
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.results import (
    RESULT_COLUMNS,
    ResultsLockedError,
    ResultsSheet,
    results_path_for,
)

WHEN = datetime(2024, 5, 6, 7, 8, 9)


class FakeClock:
    """Monotonic seconds under test control; ``step`` is added on every reading (time passing in a call)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.step = 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def plan_for(path: Path, *, rerun_all: bool = False) -> BatchPlan:
    return plan_batch(read_sheet(path), rerun_all=rerun_all)


def done(names: tuple[str, ...] = ("a.pdf", "b.msg")) -> PoOutcome:
    return PoOutcome(
        status=PoStatus.COMPLETED,
        supplier="Acme Ltda",
        found=len(names),
        downloaded=len(names),
        names=names,
        folder="/d/PO15262984_COMPLETED",
        url="https://x.coupahost.com/order_headers/15262984",
        route="browser",
    )


def csv_input(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    text = "PO_NUMBER;Fornecedor\r\nPO15262984;Açúcar\r\nABC;x\r\n;y\r\n15262984;z\r\nPM15492200;w\r\n"
    path.write_bytes(text.encode("cp1252"))
    return path


def xlsx_input(tmp_path: Path, rows: list[list[object]] | None = None) -> Path:
    path = tmp_path / "orders.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Pedidos"
    for row in rows or [
        ["PO_NUMBER", "Amount", "Date"],
        [15262984, 12.5, datetime(2024, 1, 2, 3, 4, 5)],
        ["PM15492200", 7, datetime(2024, 2, 3)],
        ["junk", None, None],
    ]:
        sheet.append(row)
    workbook.save(path)
    return path


# --- paths -----------------------------------------------------------------------------------------


def test_result_columns_are_the_old_tools() -> None:
    assert RESULT_COLUMNS == (
        "STATUS",
        "SUPPLIER",
        "ATTACHMENTS_FOUND",
        "ATTACHMENTS_DOWNLOADED",
        "AttachmentName",
        "LAST_PROCESSED",
        "ERROR_MESSAGE",
        "DOWNLOAD_FOLDER",
        "COUPA_URL",
        "ROUTE",  # after the old tool's nine: the download route, this tool's own
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("in.csv", "in_results.csv"),
        ("in.CSV", "in_results.csv"),
        ("in.xlsx", "in_results.xlsx"),
        ("in.xlsm", "in_results.xlsx"),
        ("in.xls", "in_results.xlsx"),
        ("my file.v2.xlsx", "my file.v2_results.xlsx"),
    ],
)
def test_results_path_next_to_input(tmp_path: Path, name: str, expected: str) -> None:
    assert results_path_for(tmp_path / name) == tmp_path / expected


def test_results_path_override(tmp_path: Path) -> None:
    assert results_path_for(tmp_path / "in.csv", tmp_path / "out" / "r.xlsx") == tmp_path / "out" / "r.xlsx"


@pytest.mark.parametrize("override", ["in.csv", "sub/../in.csv"])
def test_results_path_never_the_input(tmp_path: Path, override: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "in.csv").write_text("PO\n")
    with pytest.raises(SheetError, match="overwrite the input"):
        results_path_for(tmp_path / "in.csv", tmp_path / override)


def test_results_path_same_file_through_a_link(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("PO\n")
    os.link(tmp_path / "in.csv", tmp_path / "alias.csv")
    with pytest.raises(SheetError, match="overwrite the input"):
        results_path_for(tmp_path / "in.csv", tmp_path / "alias.csv")


def test_results_path_rejects_other_types(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match=r"\.csv or \.xlsx"):
        results_path_for(tmp_path / "in.csv", tmp_path / "out.xls")


# --- content ---------------------------------------------------------------------------------------


def test_initial_state(tmp_path: Path) -> None:
    results = ResultsSheet(plan_for(csv_input(tmp_path)), tmp_path / "r.csv")
    assert results.columns == ("PO_NUMBER", "Fornecedor", *RESULT_COLUMNS)
    assert [results.value(i, "STATUS") for i in range(5)] == [
        "PENDING",
        "INVALID",
        None,
        "PENDING",
        "PENDING",
    ]
    assert results.value(1, "ERROR_MESSAGE") == "not a PO number: 'ABC'"
    assert results.row(2) == ("", "y", *([None] * len(RESULT_COLUMNS)))
    assert results.dirty


def test_update_sets_every_row_of_the_po(tmp_path: Path) -> None:
    results = ResultsSheet(plan_for(csv_input(tmp_path)), tmp_path / "r.csv")
    results.update(PoNumber("15262984"), done(), WHEN)
    for index in (0, 3):
        assert results.value(index, "STATUS") == "COMPLETED"
        assert results.value(index, "SUPPLIER") == "Acme Ltda"
        assert results.value(index, "ATTACHMENTS_FOUND") == 2
        assert results.value(index, "ATTACHMENTS_DOWNLOADED") == 2
        assert results.value(index, "AttachmentName") == "a.pdf; b.msg"
        assert results.value(index, "LAST_PROCESSED") == "2024-05-06 07:08:09"
        assert results.value(index, "DOWNLOAD_FOLDER") == "/d/PO15262984_COMPLETED"
        assert results.value(index, "COUPA_URL").endswith("/order_headers/15262984")
        assert results.value(index, "ROUTE") == "browser"
    assert results.value(4, "STATUS") == "PENDING"


def test_update_by_digits_and_default_time(tmp_path: Path) -> None:
    results = ResultsSheet(plan_for(csv_input(tmp_path)), tmp_path / "r.csv", now=lambda: WHEN)
    results.update("15492200", PoOutcome(PoStatus.PO_NOT_FOUND, message="PO not found in Coupa"))
    assert results.value(4, "STATUS") == "PO_NOT_FOUND"
    assert results.value(4, "ERROR_MESSAGE") == "PO not found in Coupa"
    assert results.value(4, "LAST_PROCESSED") == "2024-05-06 07:08:09"


def test_update_of_unknown_po_is_an_error(tmp_path: Path) -> None:
    results = ResultsSheet(plan_for(csv_input(tmp_path)), tmp_path / "r.csv")
    with pytest.raises(KeyError):
        results.update("99999999", done(), WHEN)


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_round_trip(tmp_path: Path) -> None:
    source = csv_input(tmp_path)
    target = results_path_for(source)
    results = ResultsSheet(plan_for(source), target)
    results.update(PoNumber("15262984"), done(), WHEN)
    results.write()
    assert not results.dirty
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv", "orders_results.csv"]
    assert target.read_bytes().startswith(b"\xef\xbb\xbfPO_NUMBER;Fornecedor;STATUS;")

    back = read_sheet(target)
    assert (back.delimiter, back.encoding) == (";", "utf-8-sig")
    assert back.columns == ("PO_NUMBER", "Fornecedor", *RESULT_COLUMNS)
    assert back.rows[0][:4] == ("PO15262984", "Açúcar", "COMPLETED", "Acme Ltda")
    assert back.rows[0][6] == "a.pdf; b.msg"
    assert back.rows[1][2:3] == ("INVALID",)
    assert back.rows[2] == ("", "y", *[""] * len(RESULT_COLUMNS))
    assert source.read_bytes().decode("cp1252").startswith("PO_NUMBER;Fornecedor\r\n")  # input untouched


def test_rerun_of_results_csv_skips_completed_and_reuses_columns(tmp_path: Path) -> None:
    first = tmp_path / "first_results.csv"
    results = ResultsSheet(plan_for(csv_input(tmp_path)), first)
    results.update("15262984", done(), WHEN)
    results.update("15492200", PoOutcome(PoStatus.FAILED, message="timeout"), WHEN)
    results.write()

    plan = plan_for(first)
    assert [r.kind for r in plan.rows] == ["done", "invalid", "blank", "done", "po"]
    assert [p.display for p in plan.pos] == ["PM15492200"]

    second = tmp_path / "second_results.csv"
    rerun = ResultsSheet(plan, second)
    assert rerun.columns == ("PO_NUMBER", "Fornecedor", *RESULT_COLUMNS)
    assert rerun.value(0, "STATUS") == "COMPLETED"  # done rows keep their old values
    assert rerun.value(0, "AttachmentName") == "a.pdf; b.msg"
    assert rerun.value(4, "STATUS") == "PENDING"
    assert rerun.value(4, "ERROR_MESSAGE") is None  # stale message of the retried row cleared
    rerun.write()
    assert read_sheet(second).columns == rerun.columns

    everything = plan_for(first, rerun_all=True)
    assert [p.digits for p in everything.pos] == ["15262984", "15492200"]


def test_existing_result_columns_reused_in_place_case_insensitively(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("Status,PO,error_message,Note\nCOMPLETED,PO1000001,,a\nFAILED,PO1000002,boom,b\n")
    results = ResultsSheet(plan_for(source), tmp_path / "out.csv")
    assert results.columns[:4] == ("Status", "PO", "error_message", "Note")
    assert results.columns[4:] == tuple(c for c in RESULT_COLUMNS if c not in ("STATUS", "ERROR_MESSAGE"))
    assert results.row(0)[:4] == ("COMPLETED", "PO1000001", "", "a")
    assert results.row(1)[:4] == ("PENDING", "PO1000002", None, "b")


def test_csv_text_we_add_cannot_run_as_formula(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    results = ResultsSheet(plan_for(csv_input(tmp_path)), target)
    results.update("15262984", PoOutcome(PoStatus.COMPLETED, supplier="=HYPERLINK(1)", names=("@x",)), WHEN)
    results.write()
    row = read_sheet(target).rows[0]
    assert row[3] == "'=HYPERLINK(1)"
    assert row[6] == "'@x"


# --- xlsx ------------------------------------------------------------------------------------------


def test_xlsx_round_trip_keeps_types(tmp_path: Path) -> None:
    source = xlsx_input(tmp_path)
    target = results_path_for(source)
    results = ResultsSheet(plan_for(source), target)
    results.update("15262984", done(), WHEN)
    results.write()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.xlsx", "orders_results.xlsx"]

    back = read_sheet(target)
    assert back.sheet_name == "Pedidos"
    assert back.columns == ("PO_NUMBER", "Amount", "Date", *RESULT_COLUMNS)
    assert [row[:3] for row in back.rows] == [row[:3] for row in read_sheet(source).rows]
    first = back.rows[0]
    assert first[:3] == (15262984.0, 12.5, datetime(2024, 1, 2, 3, 4, 5))
    assert first[3:6] == ("COMPLETED", "Acme Ltda", 2.0)
    assert first[8] == "2024-05-06 07:08:09"
    assert back.rows[1][:4] == ("PM15492200", 7.0, date(2024, 2, 3), "PENDING")  # calamine: midnight → date
    assert back.rows[2][3] == "INVALID"

    workbook = openpyxl.load_workbook(target)
    sheet = workbook["Pedidos"]
    assert sheet["A2"].data_type == "n"
    assert sheet["C2"].is_date
    assert sheet["A1"].font.bold
    assert sheet["F2"].value == 2  # ATTACHMENTS_FOUND is a number


def test_rerun_of_results_xlsx(tmp_path: Path) -> None:
    first = tmp_path / "orders_results.xlsx"
    results = ResultsSheet(plan_for(xlsx_input(tmp_path)), first)
    results.update("15262984", done(), WHEN)
    results.write()

    plan = plan_for(first)
    assert [r.kind for r in plan.rows] == ["done", "po", "invalid"]
    rerun = ResultsSheet(plan, tmp_path / "again.xlsx")
    assert rerun.columns.count("STATUS") == 1
    assert len(rerun.columns) == 3 + len(RESULT_COLUMNS)


def test_xlsx_text_is_never_a_formula(tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    results = ResultsSheet(plan_for(xlsx_input(tmp_path)), target)
    results.update("15262984", PoOutcome(PoStatus.FAILED, message="=1+1 \x07bell"), WHEN)
    results.write()
    cell = openpyxl.load_workbook(target)["Pedidos"]["J2"]
    assert (cell.value, cell.data_type) == ("=1+1 bell", "s")


def test_csv_input_written_as_xlsx(tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    ResultsSheet(plan_for(csv_input(tmp_path)), target).write()
    back = read_sheet(target)
    assert back.sheet_name == "PO_Data"
    assert back.rows[0][:3] == ("PO15262984", "Açúcar", "PENDING")


def test_xlsx_input_written_as_csv(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    ResultsSheet(plan_for(xlsx_input(tmp_path)), target).write()
    back = read_sheet(target)
    assert back.delimiter == ","
    assert back.rows[0][:4] == ("15262984", "12.5", "2024-01-02 03:04:05", "PENDING")


# --- writing safely --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["r.csv", "r.xlsx"])
def test_locked_target_raises_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    target = tmp_path / name
    results = ResultsSheet(plan_for(csv_input(tmp_path)), target)
    results.write()
    before = target.read_bytes()
    results.update("15262984", done(), WHEN)

    def locked(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", locked)
        with pytest.raises(ResultsLockedError, match="open in another program"):
            results.write()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["orders.csv", name])
    assert target.read_bytes() == before
    assert results.dirty

    results.write()  # unlocked again: the pending update gets written
    assert not results.dirty
    assert read_sheet(target).rows[0][2] == "COMPLETED"


def test_unwritable_folder_is_reported_as_locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = ResultsSheet(plan_for(csv_input(tmp_path)), tmp_path / "r.csv")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", denied)
    with pytest.raises(ResultsLockedError):
        results.write()


def test_failed_write_removes_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = ResultsSheet(plan_for(csv_input(tmp_path)), tmp_path / "r.csv")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        results.write()
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv"]


def test_maybe_write_respects_interval_and_dirtiness(tmp_path: Path) -> None:
    clock = FakeClock()
    target = tmp_path / "r.csv"
    results = ResultsSheet(plan_for(csv_input(tmp_path)), target, clock=clock)

    assert results.maybe_write(5.0)  # first call writes the PENDING sheet at once
    assert read_sheet(target).rows[0][2] == "PENDING"
    assert not results.maybe_write(5.0)  # nothing changed

    results.update("15262984", done(), WHEN)
    clock.now += 4.9
    assert not results.maybe_write(5.0)
    assert read_sheet(target).rows[0][2] == "PENDING"

    clock.now += 0.2
    assert results.maybe_write(5.0)
    assert read_sheet(target).rows[0][2] == "COMPLETED"
    assert not results.dirty


def test_maybe_write_backs_off_when_writes_are_slow(tmp_path: Path) -> None:
    clock = FakeClock()
    target = tmp_path / "r.csv"
    results = ResultsSheet(plan_for(csv_input(tmp_path)), target, clock=clock)
    clock.step = 1.0  # each clock reading is 1 s later: the write itself "takes" 1 s
    assert results.maybe_write(5.0)
    clock.step = 0.0
    results.update("15262984", done(), WHEN)

    clock.now += 8.0  # 9 s after the write started: past 5 s, but not 10 × 1 s
    assert not results.maybe_write(5.0)
    clock.now += 1.5
    assert results.maybe_write(5.0)
    assert read_sheet(target).rows[0][2] == "COMPLETED"


def test_flush_writes_only_when_dirty(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    results = ResultsSheet(plan_for(csv_input(tmp_path)), target)
    assert results.flush()
    assert target.exists()
    assert not results.flush()


def test_ten_thousand_rows_written_and_read_back(tmp_path: Path) -> None:
    source = tmp_path / "big.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("PO_Data")
    sheet.append(["PO_NUMBER", "Supplier"])
    for i in range(10_000):
        sheet.append([10_000_000 + i, f"S{i}"])
    workbook.save(source)

    plan = plan_for(source)
    results = ResultsSheet(plan, results_path_for(source))
    for po in plan.pos[:100]:
        results.update(po, done(), WHEN)
    results.write()
    back = plan_for(results.path)
    assert back.done_rows == 100
    assert back.unique_pos == 9_900
