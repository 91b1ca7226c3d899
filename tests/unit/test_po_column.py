"""Which column holds the POs: known headers, their preference, the values (engine/input/po_column.py)."""

from __future__ import annotations

import pytest

from po_downloader.engine.input.po_column import find_po_column, list_headers, normalise_header
from po_downloader.engine.input.table import Table


def _table(columns: list[str], *rows: tuple[object, ...]) -> Table:
    return Table(name="S", header_row=1, columns=tuple(columns), rows=tuple(rows))


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
def test_known_headers(header: str) -> None:
    assert find_po_column(_table(["Supplier", header], ("Acme", "x"))) == (1, f"header '{header}'")


def test_preferred_header_wins_over_a_weaker_one() -> None:
    table = _table(["Order Number", "PO_NUMBER"], ("PO15262984", "PO15262985"))
    assert find_po_column(table) == (1, "header 'PO_NUMBER'")


def test_header_column_whose_values_look_right_wins() -> None:
    table = _table(["PO_NUMBER", "Pedido"], ("see notes", "PO15262984"), ("n/a", "PO15262985"))
    assert find_po_column(table) == (1, "header 'Pedido'")


def test_detection_by_values_when_header_is_unknown() -> None:
    table = _table(
        ["Supplier", "Qty", "Reference"],
        ("Acme", 3.0, "PO15262984"),
        ("Beta", 4.0, 15262985.0),
        ("Gamma", 1.0, ""),
    )
    assert find_po_column(table) == (2, "values look like POs")


def test_no_known_header_and_no_po_values_is_no_po_column() -> None:
    assert find_po_column(_table(["Supplier", "Amount"], ("Acme", "12"), ("Beta", "13"))) is None
    assert find_po_column(_table(["Reference"], ("",))) is None, "blank values prove nothing"


def test_normalise_header_drops_accents_case_and_punctuation() -> None:
    assert normalise_header("Nº do Pedido") == "nodopedido"
    assert normalise_header(" PO_No. ") == normalise_header("po no") == "pono"


def test_header_lists_name_every_header_up_to_thirty() -> None:
    assert list_headers(()) == "(none)"
    assert list_headers(("Supplier", "Amount")) == "'Supplier', 'Amount'"
    assert list_headers(tuple(f"h{i}" for i in range(40))).endswith("'h29' … and 10 more")
