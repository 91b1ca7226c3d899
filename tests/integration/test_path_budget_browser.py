"""Windows paths (issue 14, item 9) through the real CLI and Chromium: every path fits a 259 limit.

Linux has no such limit, so the batch is told to keep to Windows's (``PO_DOWNLOADER_PATH_LIMIT``, which the
worker processes inherit; unset, the OS decides). A deep download folder, a 98-character supplier and two
~120-character PDF names alike in their first 100 characters: without a budget the PO's files would lie
past 259 characters (where Windows refuses the rename and the PO was downloaded 3 times, then FAILED).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from po_downloader.engine.output.naming import path_units
from po_downloader.engine.system.paths import PATH_LIMIT_ENV, WINDOWS_MAX_PATH
from tests.helpers.cli import run_args

pytestmark = pytest.mark.browser

PO = "20000091"
ROOT_UNITS = 110
"""How long the download folder's own path is: deep, yet leaving room for a supplier folder."""


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _tree(root: Path) -> dict[Path, int]:
    """Every file under ``root`` with its inode (a file saved again gets a new one)."""
    return {Path(d) / f: (Path(d) / f).stat().st_ino for d, _, files in os.walk(root) for f in files}


def test_a_deep_folder_long_supplier_and_long_names_fit_259_characters_and_a_rerun_fetches_nothing(
    tmp_path: Path,
    app_home: Path,
    portal,
    signed_in_profile: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PATH_LIMIT_ENV, str(WINDOWS_MAX_PATH))
    root = tmp_path / "deep"
    root = root / ("d" * max(1, ROOT_UNITS - path_units(str(root)) - 1))
    sheet = tmp_path / "pos.csv"
    sheet.write_text(f"PO_NUMBER\nPO{PO}\n", encoding="utf-8")
    args = run_args(sheet, root, portal.url, signed_in_profile, "--attempts", "1", workers=1)
    first, second = catalog.attachments_for(PO)
    expected = {catalog.file_bytes(PO, a.index) for a in (first, second)}
    # The case: the whole path, as the names come from the portal, would not fit.
    assert path_units(str(root / catalog.LONG_SUPPLIER / f"PO{PO}_COMPLETED" / first.name)) > 259

    assert main(args) == 0

    (row,) = _rows(tmp_path / "pos_results.csv")
    assert row["STATUS"] == "COMPLETED", row["ERROR_MESSAGE"]
    folder = Path(row["DOWNLOAD_FOLDER"])
    assert folder.name == f"PO{PO}_COMPLETED" and folder.parent.parent == root
    files = sorted(folder.iterdir())
    assert len(files) == 2
    assert {p.read_bytes() for p in files} == expected  # each file whole, none lost to a name clash
    assert all(p.suffix == ".pdf" for p in files)
    assert all(p.name.startswith("Relatório de inspeção") for p in files)
    paths = [root, *(Path(d) / n for d, dirs, fs in os.walk(root) for n in (*dirs, *fs))]
    too_long = [str(p) for p in paths if path_units(str(p.absolute())) > WINDOWS_MAX_PATH]
    assert too_long == []
    names = {p.name for p in files}
    assert set(row["AttachmentName"].split("; ")) == names
    manifest = _rows(tmp_path / "pos_manifest.csv")
    assert {(r["File"], Path(r["Folder"])) for r in manifest} == {(n, folder) for n in names}

    before = _tree(root)
    mark = portal.mark()
    assert main([*args, "--all"]) == 0
    downloads = [e for e in portal.lines()[mark:] if e.get("event") == "download" and e.get("po") == PO]
    assert downloads == []  # resume knew both shortened names: nothing fetched again
    assert _tree(root) == before  # no copy beside them, nothing saved again, no other folder
    (row,) = _rows(tmp_path / "pos_results.csv")
    assert row["STATUS"] == "COMPLETED", row["ERROR_MESSAGE"]
    assert Path(row["DOWNLOAD_FOLDER"]) == folder
    assert {(r["File"], Path(r["Folder"])) for r in _rows(tmp_path / "pos_manifest.csv")} == {
        (n, folder) for n in names
    }


def test_a_download_folder_too_deep_for_the_browsers_own_downloads_fails_the_po_once_saying_why(
    tmp_path: Path,
    app_home: Path,
    portal,
    signed_in_profile: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The browser downloads into ``<root>/.po-downloader-staging/<run>/w1/<guid>.crdownload``: a root of
    175 characters leaves room for a cut supplier folder and file names, but not for that. On Windows the
    download (or its move to the PO's folder) would fail at every attempt; the PO fails at once, naming
    the folder and what to do, and nothing is fetched."""
    monkeypatch.setenv(PATH_LIMIT_ENV, str(WINDOWS_MAX_PATH))
    root = tmp_path / "deep"
    root = root / ("d" * (175 - path_units(str(root)) - 1))
    assert path_units(str(root)) == 175
    sheet = tmp_path / "pos.csv"
    sheet.write_text(f"PO_NUMBER\nPO{PO}\n", encoding="utf-8")
    # The browser's page only: an HTTP read of the page (auto mode) would be a second request per attempt.
    args = run_args(sheet, root, portal.url, signed_in_profile, "--mode", "browser", workers=1)

    mark = portal.mark()
    assert main(args) != 0

    (row,) = _rows(tmp_path / "pos_results.csv")
    assert row["STATUS"] == "FAILED"
    assert f"the download folder {root} is too deep" in row["ERROR_MESSAGE"]
    assert "choose a shorter download folder" in row["ERROR_MESSAGE"]
    assert [e for e in portal.lines()[mark:] if e.get("event") == "download" and e.get("po") == PO] == []
    pages = [e for e in portal.lines()[mark:] if e.get("path") == f"/order_headers/{PO}"]
    assert len(pages) == 1  # failed once: a retry could not help
