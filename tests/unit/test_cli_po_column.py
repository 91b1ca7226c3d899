"""``po-downloader run --po-column NAME``: a name that is no column is refused, listing the columns; a sheet
without a recognised PO column says how to name it (no browser: both are refused before one starts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.cli.main import build_parser, main
from po_downloader.cli.run import read_plan
from po_downloader.engine.input.column_choice import ColumnMapping
from po_downloader.engine.input.column_memory import ColumnMemory
from po_downloader.engine.status import EXIT_BAD_INPUT
from po_downloader.engine.system.paths import app_dirs

SHEET = "Documento;Fornecedor\nPO15262984;Acme\ncancelado;Beta\nsem pedido;Gama\n"


def _run(sheet: Path, tmp_path: Path, *extra: str) -> int:
    args = ["run", str(sheet), "--out", str(tmp_path / "out"), "--base-url", "https://acme.coupahost.com"]
    return main([*args, *extra])


def test_a_po_column_that_is_not_a_column_is_refused_listing_the_columns(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "pos.csv"
    sheet.write_text(SHEET, encoding="utf-8")

    code = _run(sheet, tmp_path, "--po-column", "Pedido")

    out = capsys.readouterr()
    assert code == EXIT_BAD_INPUT
    assert out.err == (
        "po-downloader: no column 'Pedido' in 'pos.csv' (--po-column); its columns: 'Documento', "
        "'Fornecedor'\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app-home", "pos.csv"]  # no results, no folder


def test_a_sheet_without_a_recognised_po_column_points_at_the_flag(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "pos.csv"
    sheet.write_text(SHEET, encoding="utf-8")

    assert _run(sheet, tmp_path) == EXIT_BAD_INPUT

    err = capsys.readouterr().err
    assert "no PO column in 'pos.csv'" in err
    assert "--po-column" in err


def test_the_flag_picks_the_column_and_a_window_choice_applies_without_it(tmp_path: Path) -> None:
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER;PO Coupa\nPO11111111;PO22222222\n", encoding="utf-8")
    dirs = app_dirs(tmp_path / "home")
    parser = build_parser()

    flagged = read_plan(parser.parse_args(["run", str(sheet), "--po-column", "po coupa"]), dirs)
    assert (flagged.sheet.po_column, [p.digits for p in flagged.pos]) == ("PO Coupa", ["22222222"])
    plain = parser.parse_args(["run", str(sheet)])
    assert read_plan(plain, dirs).sheet.po_column == "PO_NUMBER"  # the flag was not remembered

    ColumnMemory(dirs.config).remember(("PO_NUMBER", "PO Coupa"), ColumnMapping("PO Coupa"))
    assert read_plan(plain, dirs).sheet.po_column == "PO Coupa"
    again = read_plan(parser.parse_args(["run", str(sheet), "--po-column", "PO_NUMBER"]), dirs)
    assert again.sheet.po_column == "PO_NUMBER"  # the flag wins over the remembered choice
