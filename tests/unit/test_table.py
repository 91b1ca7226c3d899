"""A grid of records as a table: header row, used width, unique headers (engine/input/table.py)."""

from __future__ import annotations

from po_downloader.engine.input.table import Table, as_table


def test_csv_rows_padded_and_trailing_blank_lines_dropped() -> None:
    records = [["PO", "Supplier", "Note"], ["PO15262984"], [], ["PO15262985", "Acme", "x"], [], [], []]
    table = as_table(records, name=None)
    assert table.rows == (("PO15262984", "", ""), ("", "", ""), ("PO15262985", "Acme", "x"))


def test_duplicate_and_empty_headers_made_unique() -> None:
    records = [["PO", "Supplier", None, "supplier", "Supplier"], ["PO15262984", "a", "b", "c", "d"]]
    assert as_table(records, name="S").columns == (
        "PO",
        "Supplier",
        "Column 3",
        "supplier (2)",
        "Supplier (3)",
    )


def test_header_is_the_first_non_empty_record_counted_from_the_grids_first_row() -> None:
    records = [
        [],
        ["", None],
        ["PO_NUMBER", "Supplier"],
        ["PO15262984", "Acme"],
        [],
        ["PO15262985", "Beta"],
        [],
    ]
    table = as_table(records, name="S", first_row=4)
    assert table == Table(
        name="S",
        header_row=7,  # 1-based: the grid starts on file row 5, its header is its third record
        columns=("PO_NUMBER", "Supplier"),
        rows=(("PO15262984", "Acme"), ("", ""), ("PO15262985", "Beta")),
    )


def test_unused_trailing_columns_are_cut_and_long_records_trimmed() -> None:
    records = [["PO", "Note", "", None], ["PO1", "", "", ""], ["PO2", "x", "", "", ""]]
    table = as_table(records, name=None)
    assert table.columns == ("PO", "Note")
    assert table.rows == (("PO1", ""), ("PO2", "x"))


def test_header_text_is_trimmed_whole_numbers_lose_their_point_and_the_bom_goes() -> None:
    records = [["\ufeffPO_NUMBER", "  Order\n Number ", 2024.0, 1.5], ["PO1", "a", "b", "c"]]
    assert as_table(records, name=None).columns == ("PO_NUMBER", "Order Number", "2024", "1.5")


def test_a_grid_of_blank_records_is_a_table_without_columns() -> None:
    assert as_table([[], ["", None, "  "]], name="Empty") == Table("Empty", 0, (), ())
    assert as_table([], name=None).columns == ()
