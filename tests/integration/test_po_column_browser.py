"""A sheet whose PO column is not recognised, run by naming it (``--po-column``): real headless Chromium
against the demo portal; the files, the results sheet and a re-run of the results sheet follow the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from po_downloader.engine.input.column_choice import ColumnMapping
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.output.naming import work_folder
from tests.helpers.cli import run_args
from tests.helpers.demo_files import demo_files

pytestmark = pytest.mark.browser


def test_a_named_po_column_downloads_its_pos_and_a_rerun_of_the_results_keeps_them(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pos = catalog.demo_po_numbers(3)
    # "Documento" holds the POs on some rows only; "Outro" holds PO-like numbers that are not these POs.
    lines = ["Documento;Outro;Fornecedor"]
    for i, digits in enumerate(pos):
        lines += [f"PO{digits};{90000001 + i};Acme", f"cancelado;{90000011 + i};Beta"]
    lines.append("sem pedido;90000021;Gama")
    sheet = tmp_path / "pos.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert read_sheet(sheet).po_column == "Outro"  # what recognition alone would work
    root = tmp_path / "downloads"

    code = main(run_args(sheet, root, portal.url, signed_in_profile, "--po-column", "Documento"))

    out = capsys.readouterr()
    assert code == 0, out.err
    assert "column 'Documento' (chosen)" in out.out
    assert "3 POs to download" in out.out and "4 invalid" in out.out
    for digits in pos:
        folder = (
            work_folder(root, catalog.supplier_for(digits), f"PO{digits}").parent / f"PO{digits}_COMPLETED"
        )
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == demo_files(digits)
    assert not any(root.rglob("PO9000*")), "a PO of the other column was worked"
    results = read_sheet(tmp_path / "pos_results.csv", mapping=ColumnMapping("Documento"))
    status = results.columns.index("STATUS")
    assert [row[status] for row in results.rows] == ["COMPLETED", "INVALID"] * 3 + ["INVALID"]

    # The results sheet run again with the same column: every PO is already COMPLETED, none is worked.
    again = main(
        run_args(
            tmp_path / "pos_results.csv", root, portal.url, signed_in_profile, "--po-column", "Documento"
        )
    )
    out = capsys.readouterr()
    assert again == 0, out.err
    assert "0 POs to download" in out.out and "3 already completed" in out.out
