"""Folder templates (issue 18 item 1) through the real CLI and headless Chromium against the demo portal.

A batch laid out by a sheet column and the page's supplier puts each PO's files in its folder, a blank
cell in the named fallback; the same sheet run again with another template finds every PO's earlier
folder through the journal and moves it into the new layout: nothing downloaded twice, nothing lost, no
empty folder of the old layout left behind.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from po_downloader.engine.output.naming import safe_component
from tests.helpers.cli import run_args
from tests.helpers.demo_files import demo_files

pytestmark = pytest.mark.browser

CENTRES = ["4100 Compras", "4200/Obras", "", "4100 Compras"]


def _results_folders(results: Path) -> dict[str, str]:
    with results.open(encoding="utf-8-sig", newline="") as f:
        return {row["PO_NUMBER"]: row["DOWNLOAD_FOLDER"] for row in csv.DictReader(f, delimiter=";")}


def _po_folders(root: Path) -> set[Path]:
    return {p for p in root.rglob("PO*_*") if p.is_dir()}


def _downloads(portal, mark: int) -> list[object]:
    return [e for e in portal.lines()[mark:] if e.get("event") == "download" and e.get("complete")]


def test_a_template_with_a_sheet_column_lays_out_the_files_and_a_new_template_finds_them_again(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pos = catalog.demo_po_numbers(len(CENTRES))
    sheet = tmp_path / "pos.csv"
    rows = [f"PO{digits};{centre}" for digits, centre in zip(pos, CENTRES, strict=True)]
    sheet.write_text("\n".join(["PO_NUMBER;Centro de custo", *rows]) + "\n", encoding="utf-8")
    root = tmp_path / "downloads"

    mark = portal.mark()
    code = main(
        run_args(sheet, root, portal.url, signed_in_profile, "--folders", "{Centro de custo}/{supplier}/{po}")
    )
    out = capsys.readouterr()
    assert code == 0, out.err

    first = {
        digits: root
        / (safe_component(centre) if centre else "_no Centro de custo")
        / safe_component(catalog.supplier_for(digits))
        / f"PO{digits}_COMPLETED"
        for digits, centre in zip(pos, CENTRES, strict=True)
    }
    assert first[pos[1]].parent.parent.name == "4200_Obras"  # a "/" in a value makes no level
    for digits, folder in first.items():
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == demo_files(digits), folder
    assert _po_folders(root) == set(first.values())
    assert _results_folders(tmp_path / "pos_results.csv") == {f"PO{d}": str(f) for d, f in first.items()}
    fetched = len(_downloads(portal, mark))
    assert fetched == sum(len(demo_files(d)) for d in pos)
    inodes = {p: p.stat().st_ino for folder in first.values() for p in folder.iterdir()}

    # The same sheet again, laid out another way: each PO's folder is found where the journal says.
    mark = portal.mark()
    code = main(run_args(sheet, root, portal.url, signed_in_profile, "--folders", "{supplier}/{year}/{po}"))
    out = capsys.readouterr()
    assert code == 0, out.err

    year = f"{dt.date.today().year:04d}"
    second = {
        digits: root / safe_component(catalog.supplier_for(digits)) / year / f"PO{digits}_COMPLETED"
        for digits in pos
    }
    for digits, folder in second.items():
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == demo_files(digits), folder
        for path in folder.iterdir():  # the same files, moved: not downloaded again, not copied
            assert path.stat().st_ino in inodes.values(), path
    assert _downloads(portal, mark) == []
    assert _po_folders(root) == set(second.values())
    assert not (root / "4100 Compras").exists() and not (root / "_no Centro de custo").exists()
    assert _results_folders(tmp_path / "pos_results.csv") == {f"PO{d}": str(f) for d, f in second.items()}
