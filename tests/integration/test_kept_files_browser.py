"""A file the user changed is the user's: a re-run with ``--all`` through the real CLI and Chromium.

A PO completes; the user annotates its PDF in the ``<PO>_COMPLETED`` folder; the sheet runs again with
``--all``. The annotated PDF stays as the user left it, the portal's copy is saved beside it under the
next free name, the untouched file is not downloaded again, and the PO's line and message say so.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from po_downloader.engine.output.naming import safe_component
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import load_settings, save_settings
from tests.helpers.cli import run_args

pytestmark = pytest.mark.browser

PO = "10000002"  # two attachments: a PDF and an .eml


def test_a_pdf_the_user_edited_survives_a_rerun_with_all_and_the_fresh_copy_goes_beside_it(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "downloads"
    sheet = tmp_path / "pos.csv"
    sheet.write_text(f"PO_NUMBER\nPO{PO}\n", encoding="utf-8")
    args = run_args(sheet, root, portal.url, signed_in_profile, workers=1)
    pdf, eml = catalog.attachments_for(PO)
    pdf_name, eml_name = safe_component(pdf.name), safe_component(eml.name)
    done = root / safe_component(catalog.supplier_for(PO)) / f"PO{PO}_COMPLETED"

    assert main(args) == 0
    assert {p.name for p in done.iterdir()} == {pdf_name, eml_name}
    signed = catalog.file_bytes(PO, pdf.index) + b"\n%% signed by the buyer\n"
    (done / pdf_name).write_bytes(signed)
    eml_inode = (done / eml_name).stat().st_ino
    capsys.readouterr()

    mark = portal.mark()
    assert main([*args, "--all"]) == 0
    out = capsys.readouterr().err  # the PO lines go to the terminal's stderr, beside the progress

    stem, ext = pdf_name.rsplit(".", 1)
    fresh = f"{stem} (2).{ext}"
    assert {p.name: p.read_bytes() for p in done.iterdir()} == {
        pdf_name: signed,  # the user's, untouched
        fresh: catalog.file_bytes(PO, pdf.index),  # the portal's copy, beside it
        eml_name: catalog.file_bytes(PO, eml.index),
    }
    assert (done / eml_name).stat().st_ino == eml_inode  # unchanged: not saved again
    fetched = [
        e["index"] for e in portal.lines()[mark:] if e.get("event") == "download" and e.get("complete")
    ]
    assert fetched == [pdf.index]

    note = f"{pdf_name} changed since it was saved: kept as it is, the portal's copy is {fresh}"
    (line,) = [x for x in out.splitlines() if x.startswith(f"PO{PO}")]
    assert "COMPLETED" in line and note in line
    with (tmp_path / "pos_results.csv").open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["STATUS"] == "COMPLETED"
    assert note in row["ERROR_MESSAGE"]
    assert Path(row["DOWNLOAD_FOLDER"]) == done


ONE_FILE_PO = "10000001"  # one PDF
CLICK_GIVES_UP = 8.0
"""Seconds of page timeout in the re-run whose file the portal holds back (the default is 30)."""


def test_a_rerun_whose_downloads_fail_leaves_the_completed_folder_and_its_files_under_their_name(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Item 12 of issue 14: a PO completed; the journal that knew its files is lost (an older install, a
    wiped app folder), so a re-run with ``--all`` fetches the file again, and today the portal never
    sends it. The PO is FAILED, but the folder of good files keeps its ``_COMPLETED`` name and bytes,
    the message says where they are, and the manifest still lists them."""
    root = tmp_path / "downloads"
    sheet = tmp_path / "pos.csv"
    sheet.write_text(f"PO_NUMBER\nPO{ONE_FILE_PO}\n", encoding="utf-8")
    args = run_args(sheet, root, portal.url, signed_in_profile, "--attempts", "1", workers=1)
    (att,) = catalog.attachments_for(ONE_FILE_PO)
    name = safe_component(att.name)
    done = root / safe_component(catalog.supplier_for(ONE_FILE_PO)) / f"PO{ONE_FILE_PO}_COMPLETED"
    manifest = tmp_path / "pos_manifest.csv"

    assert main(args) == 0
    assert {p.name: p.read_bytes() for p in done.iterdir()} == {name: catalog.file_bytes(ONE_FILE_PO, 1)}
    assert [r["File"] for r in _rows(manifest)] == [name]
    for journal in (app_home / "data").glob("journal.sqlite3*"):
        journal.unlink()
    capsys.readouterr()

    # Every request for the file answers only long after the worker's begin timeout: nothing arrives. The
    # click that asks for it waits out the page timeout (the browser loads the file's URL), 30 s by default:
    # the user's setting shortens it here, and no PO page of this re-run comes near it.
    dirs = app_dirs()
    save_settings(dirs, load_settings(dirs).with_(page_timeout=CLICK_GIVES_UP))
    mark = portal.mark()
    portal.control(slow_file_next={"po": ONE_FILE_PO, "index": att.index, "ms": 120_000, "count": 20})
    try:
        assert main([*args, "--all"]) != 0
    finally:
        portal.control(slow_file_next=None)
    # The fault happened: the file was asked for and never sent (the portal tells when the browser left).
    held = portal.wait_for(lambda e: e.get("event") == "download" and e.get("po") == ONE_FILE_PO, since=mark)
    assert held["bytes"] == 0 and not held["complete"]

    siblings = sorted(p.name for p in done.parent.iterdir())
    assert siblings == [done.name], siblings  # no _FAILED folder, no (2) copy
    assert {p.name: p.read_bytes() for p in done.iterdir()} == {name: catalog.file_bytes(ONE_FILE_PO, 1)}
    (row,) = _rows(tmp_path / "pos_results.csv")
    assert row["STATUS"] == "FAILED"
    assert str(done) in row["ERROR_MESSAGE"], row["ERROR_MESSAGE"]
    assert Path(row["DOWNLOAD_FOLDER"]) == done
    listed = _rows(manifest)
    assert [(r["File"], Path(r["Folder"])) for r in listed] == [(name, done)]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))
