"""A whole batch through the CLI: real headless Chromium workers against the demo portal."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from openpyxl import Workbook

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.naming import work_folder
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import load_settings
from tests.helpers.batch import browser_processes_using
from tests.helpers.cli import run_args
from tests.helpers.demo_files import demo_files

pytestmark = pytest.mark.browser


def _tree_digest(root: Path) -> dict[str, tuple[int, str]]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(root))] = (
                path.stat().st_mtime_ns,
                hashlib.sha256(path.read_bytes()).hexdigest(),
            )
    return out


def _supplier_dir(root: Path, digits: str) -> Path:
    return work_folder(root, catalog.supplier_for(digits), f"PO{digits}").parent


def test_24_pos_with_3_workers_all_files_right_and_nothing_left_behind(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pos = catalog.demo_po_numbers(24)
    wb = Workbook()
    ws = wb.active
    ws.title = "PO_Data"
    ws.append(["Company", "PO Number", "Comment"])
    for i, digits in enumerate(pos):
        # The forms people type: prefixed, lower case with a space, and Excel numbers.
        value = [f"PO{digits}", f"po {digits}", int(digits)][i % 3]
        ws.append(["ACME", value, f"row {i}"])
    ws.append(["ACME", f"PO{pos[0]}", "duplicate"])
    ws.append(["ACME", None, "blank"])
    ws.append(["ACME", "PO12AB", "typo"])
    sheet = tmp_path / "pos.xlsx"
    wb.save(sheet)
    sheet_before = sheet.read_bytes()
    source_before = _tree_digest(signed_in_profile)
    root = tmp_path / "downloads"

    code = main(
        [
            *run_args(sheet, root, portal.url, signed_in_profile, workers=3),
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "column 'PO Number'" in out.out

    # Every attachment on disk, in <root>/<supplier>/<PO>_COMPLETED, with the portal's bytes.
    for digits in pos:
        folder = _supplier_dir(root, digits) / f"PO{digits}_COMPLETED"
        assert folder.is_dir(), f"missing {folder}"
        expected = demo_files(digits)
        on_disk = {p.name: p.read_bytes() for p in folder.iterdir()}
        assert on_disk == expected
    assert not list(root.rglob("*__WORK")), "a work folder was left"
    assert not (root / ".po-downloader-staging").exists()

    # Results: next to the input, input columns kept, one row per input row.
    results = read_sheet(tmp_path / "pos_results.xlsx")
    cols = {c: i for i, c in enumerate(results.columns)}
    assert results.columns[:3] == ("Company", "PO Number", "Comment")
    statuses = [row[cols["STATUS"]] for row in results.rows]
    assert statuses[:25] == ["COMPLETED"] * 25
    assert statuses[-1] == "INVALID"
    assert statuses[-2] in (None, "")
    first = results.rows[0]
    assert first[cols["ATTACHMENTS_DOWNLOADED"]] == len(catalog.attachments_for(pos[0]))
    assert first[cols["COUPA_URL"]] == f"{portal.url}/order_headers/{pos[0]}"
    assert first[cols["ROUTE"]] == "browser"  # the DevTools-tracked downloads of a real browser
    assert results.rows[24][cols["DOWNLOAD_FOLDER"]] == first[cols["DOWNLOAD_FOLDER"]]  # the duplicate row

    # The manifest beside the input lists every file on disk once, with its size and hash; the journal agrees.
    manifest = tmp_path / "pos_manifest.csv"
    assert f"manifest: {manifest}" in out.out
    with manifest.open(encoding="utf-8-sig", newline="") as fh:
        listed = list(csv.DictReader(fh))
    on_disk = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert sorted(Path(r["Folder"]) / r["File"] for r in listed) == sorted(on_disk)
    for r in listed:
        data = on_disk[Path(r["Folder"]) / r["File"]]
        assert int(r["Size (bytes)"]) == len(data)
        assert r["SHA-256"] == hashlib.sha256(data).hexdigest()
        assert r["Source URL"].startswith(portal.url)
    journal = Journal.open(app_dirs().journal_file)
    try:
        (batch,) = journal.history()
        assert not batch.unfinished
        states = journal.po_states(batch.id)
        assert {s.po for s in states} == set(pos)
        assert {s.outcome.status for s in states} == {PoStatus.COMPLETED}
        assert sum(len(journal.files_of(batch.id, s.po)) for s in states) == len(listed)
    finally:
        journal.close()

    # The input and the source profile are untouched; no copy and no browser left.
    assert sheet.read_bytes() == sheet_before
    assert _tree_digest(signed_in_profile) == source_before
    dirs = app_dirs()
    assert not dirs.worker_profiles.exists() or not any(dirs.worker_profiles.iterdir())
    assert not any(dirs.runs.iterdir())
    assert browser_processes_using(app_home) == []
    log = (dirs.logs / "po-downloader.log").read_text()
    assert "worker 3 started" in log
    # The workers' own lines reach the same file through the controller (they never open it).
    assert "INFO po_downloader.engine.browser.profile_copy: copied profile" in log


def test_no_po_column_is_a_clear_error_with_exit_2(tmp_path: Path, app_home: Path, capsys) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("Name;Amount\nAlice;12\nBob;13\n", encoding="utf-8")
    code = main(["run", str(sheet), "--base-url", "https://example.coupahost.com"])
    err = capsys.readouterr().err
    assert code == 2
    assert "PO" in err and "Name" in err
    assert not (tmp_path / "bad_results.csv").exists()


def test_broken_xlsx_is_a_clear_error(tmp_path: Path, app_home: Path, capsys) -> None:
    sheet = tmp_path / "broken.xlsx"
    sheet.write_bytes(b"PK\x03\x04 this is not really a workbook")
    assert main(["run", str(sheet), "--base-url", "https://example.coupahost.com"]) == 2
    assert "broken.xlsx" in capsys.readouterr().err


def test_demo_command_runs_a_whole_batch_against_the_bundled_portal(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from po_downloader.demo_portal import setup

    # What this test proves is that the command runs the demo end to end, not how the demo paces its
    # pages: its show-the-user latencies (150 ms a request, 600 ms of rendering) only cost the suite time.
    real_start = setup.start_portal
    monkeypatch.setattr(
        setup,
        "start_portal",
        lambda **knobs: real_start(**{**knobs, "latency_ms": 0, "file_latency_ms": 0, "render_ms": 0}),
    )
    # Nine POs: the demo's seven special ones (a PO that does not exist, one the user may not see...) and two
    # ordinary ones, typed both ways; more ordinary POs prove nothing more about the command.
    code = main(
        ["demo", "--count", "9", "--workers", "2", "--browser", "chromium", "--out", str(tmp_path / "d")]
    )
    out = capsys.readouterr().out
    # The demo sheet deliberately holds a PO that does not exist and one the user may not see: that is
    # what the demo is for, so it still exits 0.
    assert code == 0
    assert "demo portal running at http://127.0.0.1:" in out
    assert "1 po not found" in out and "1 no access" in out and "completed" in out
    assert list((tmp_path / "d").rglob("*_COMPLETED"))
    assert browser_processes_using(app_home) == []


def test_flags_are_remembered_for_the_next_run(tmp_path: Path, app_home: Path) -> None:
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO10000001\n", encoding="utf-8")
    # An unwritable download root stops the run before any browser starts (exit 2) ...
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert (
        main(
            [
                "run",
                str(sheet),
                "--base-url",
                "https://acme.coupahost.com",
                "--out",
                str(blocker / "sub"),
                "--browser",
                "chrome",
            ]
        )
        == 2
    )
    # ... but what the user typed is kept for next time.
    saved = load_settings(app_dirs())
    assert saved.base_url == "https://acme.coupahost.com"
    assert saved.browser == "chrome"
    assert saved.download_root == str((blocker / "sub").resolve())
