"""Resume keeps a finished PO only while its files are on disk: scripted workers writing real files.

A batch is stopped while one PO hangs; the user then deletes the files of a PO that had completed. The
sheet opened again must not keep that PO as done: it is worked again, and its files come back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from po_downloader.engine.models import PoStatus
from tests.helpers.fake_worker import fake_files
from tests.helpers.window import SHEET_POS as POS
from tests.helpers.window import calls, read_csv, run_with, statuses, window_on

pytestmark = pytest.mark.timeout(120)

SCRIPT = {"10000003": ["hang", "ok:1"]}


def stopped_then_deleted(qtbot, tmp_path: Path) -> Path:
    """Run the sheet, stop it while …03 hangs (three POs completed), delete …01's folder: its path."""
    window = window_on(qtbot, tmp_path, SCRIPT)
    window.workers.slider.setValue(2)  # one worker hangs on …03, the other finishes the rest
    window.start_button.click()
    qtbot.waitUntil(lambda: statuses(window).count(PoStatus.COMPLETED) == 3, timeout=60_000)
    window.stop()
    qtbot.waitUntil(lambda: not window.session.running, timeout=60_000)
    window.close()
    folder = Path(window.model.rows()[0].outcome.folder)
    assert folder.name == "PO10000001_COMPLETED"
    shutil.rmtree(folder)  # the user deleted the files of a finished PO
    return folder


def test_a_kept_po_whose_files_were_deleted_is_worked_again(qtbot, tmp_path: Path, app_home: Path) -> None:
    folder = stopped_then_deleted(qtbot, tmp_path)
    window = window_on(qtbot, tmp_path, SCRIPT)
    qtbot.waitUntil(window.resume_banner.isVisible, timeout=10_000)
    summary = run_with(qtbot, window, window.start_button.click)
    assert [calls(tmp_path, d) for d in POS] == [2, 1, 2, 1]
    assert summary.startswith("4 POs: 4 completed")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == fake_files("10000001", 1)
    assert [r["STATUS"] for r in read_csv(tmp_path / "pos_results.csv")] == ["COMPLETED"] * 4


def test_the_offer_counts_a_po_whose_files_were_deleted_as_not_done(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    """The banner says what Resume will keep, as the CLI's resume line does: 2 of 4, not 3 of 4."""
    stopped_then_deleted(qtbot, tmp_path)
    window = window_on(qtbot, tmp_path, SCRIPT)
    qtbot.waitUntil(window.resume_banner.isVisible, timeout=10_000)
    text = window.resume_banner.label.text()
    assert ": 2 of 4 POs done." in text, text
