"""From rows to work: unique POs, duplicates, blanks, invalid rows, re-runs of a results sheet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from po_downloader.engine.input.plan import plan_batch, summary_text
from po_downloader.engine.input.sheet import Sheet, SheetError
from po_downloader.engine.models import PoNumber


def make_sheet(columns: Sequence[str], rows: Sequence[Sequence[object]], po_index: int = 0) -> Sheet:
    return Sheet(
        path=Path("in.xlsx"),
        columns=tuple(columns),
        rows=tuple(tuple(r) for r in rows),
        po_column=columns[po_index],
        po_column_index=po_index,
        po_column_reason=f"header '{columns[po_index]}'",
        sheet_name="PO_Data",
    )


def test_rows_are_classified_and_pos_unique_in_first_seen_order() -> None:
    sheet = make_sheet(
        ["PO_NUMBER", "Supplier"],
        [
            ["PO15262984", "a"],  # 0
            ["PM15492200", "b"],  # 1
            ["", "c"],  # 2 blank
            [15262984.0, "d"],  # 3 duplicate of row 0 (an Excel number)
            ["ABC", "e"],  # 4 invalid
            ["pm 15492200", "f"],  # 5 duplicate of row 1
            ["PO12", "g"],  # 6 invalid
            ["PO33333333", "h"],  # 7
        ],
    )
    plan = plan_batch(sheet)
    assert [r.kind for r in plan.rows] == ["po", "po", "blank", "po", "invalid", "po", "invalid", "po"]
    assert plan.pos == (PoNumber("15262984", "PO"), PoNumber("15492200", "PM"), PoNumber("33333333", "PO"))
    assert (plan.valid_rows, plan.unique_pos, plan.duplicate_rows) == (5, 3, 2)
    assert (plan.invalid_rows, plan.blank_rows, plan.done_rows) == (2, 1, 0)
    assert plan.rows_for("15262984") == (0, 3)
    assert plan.rows_for("15492200") == (1, 5)
    assert plan.rows_for("99999999") == ()
    assert plan.rows[4].reason == "not a PO number: 'ABC'"
    assert plan.rows[6].po is None and "too short" in plan.rows[6].reason


def test_display_prefix_comes_from_first_occurrence() -> None:
    plan = plan_batch(make_sheet(["PO"], [["15492200"], ["PM15492200"]]))
    assert plan.pos == (PoNumber("15492200", "PO"),)


def test_summary_text() -> None:
    rows = [["PO1000000"], ["PO1000000"], ["bad"], [""], ["PO2000000"]]
    assert summary_text(plan_batch(make_sheet(["PO_NUMBER"], rows))) == (
        "sheet 'PO_Data', column 'PO_NUMBER' (header): 5 rows — 2 POs to download, "
        "1 duplicate, 1 invalid, 1 blank, 0 already completed"
    )


def test_summary_text_for_csv_detected_by_values() -> None:
    sheet = Sheet(
        path=Path("orders.csv"),
        columns=("Ref",),
        rows=(("PO1000000",),),
        po_column="Ref",
        po_column_index=0,
        po_column_reason="values look like POs",
        delimiter=";",
        encoding="utf-8",
    )
    assert summary_text(plan_batch(sheet)) == (
        "file 'orders.csv', column 'Ref' (values look like POs): 1 row — 1 PO to download, "
        "0 duplicates, 0 invalid, 0 blank, 0 already completed"
    )


def test_no_valid_po_is_an_error_naming_the_column_and_a_bad_row() -> None:
    sheet = make_sheet(["Supplier", "PO_NUMBER"], [["a", "ABC"], ["b", ""]], po_index=1)
    with pytest.raises(SheetError) as info:
        plan_batch(sheet)
    message = str(info.value)
    assert "no valid PO number in column 'PO_NUMBER'" in message
    assert "row 2: not a PO number: 'ABC'" in message


@pytest.mark.parametrize("rows", [[], [[""], [None]]])
def test_no_rows_or_only_blank_rows_is_an_error(rows: list[list[object]]) -> None:
    with pytest.raises(SheetError, match="no valid PO number"):
        plan_batch(make_sheet(["PO"], rows))


RESULTS_ROWS = [
    ["PO1000001", "COMPLETED"],  # 0 done
    ["PO1000002", "FAILED"],  # 1 retried
    ["PO1000003", " completed "],  # 2 done (case/space-insensitive)
    ["PO1000003", "PENDING"],  # 3 same PO not done → worked; row 2 keeps its values
    ["PO1000004", ""],  # 4
]


def test_completed_rows_are_skipped_on_rerun() -> None:
    plan = plan_batch(make_sheet(["PO_NUMBER", "Status"], RESULTS_ROWS))
    assert [r.kind for r in plan.rows] == ["done", "po", "done", "po", "po"]
    assert [p.digits for p in plan.pos] == ["1000002", "1000003", "1000004"]
    assert plan.done_rows == 2
    assert plan.rows_for("1000003") == (3,)
    assert plan.rows_for("1000001") == ()
    assert plan.rows[0].po == PoNumber("1000001")


def test_rerun_all_works_completed_rows_too() -> None:
    plan = plan_batch(make_sheet(["PO_NUMBER", "STATUS"], RESULTS_ROWS), rerun_all=True)
    assert plan.done_rows == 0
    assert [p.digits for p in plan.pos] == ["1000001", "1000002", "1000003", "1000004"]
    assert plan.rows_for("1000003") == (2, 3)


def test_all_completed_is_not_an_error() -> None:
    plan = plan_batch(make_sheet(["PO_NUMBER", "STATUS"], [["PO1000001", "COMPLETED"]]))
    assert plan.pos == ()
    assert plan.done_rows == 1


def test_status_values_do_not_matter_without_status_column() -> None:
    plan = plan_batch(make_sheet(["PO_NUMBER", "Notes"], [["PO1000001", "COMPLETED"]]))
    assert plan.rows[0].kind == "po"
