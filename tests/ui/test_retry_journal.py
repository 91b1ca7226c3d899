"""A retry belongs to its sheet's batch: scripted workers writing real files, a real journal, no browser.

"Retry failed" / "Retry rows" run a few POs of the sheet. Interrupting such a retry (Stop, then the window
closed) must leave the journal able to resume the *sheet*: the offer counts the whole sheet, Start works
only the POs still to do, the journal's batch ends (no offer at the next launch), and the results file
and the manifest keep every PO's outcome and files. A retry that finishes keeps every file listed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings
from po_downloader.ui.main_window import MainWindow
from tests.helpers.window import SHEET_POS as POS
from tests.helpers.window import calls, read_csv, run_with, statuses
from tests.helpers.window import window_on as window_on_sheet

pytestmark = pytest.mark.timeout(120)

ATTEMPTS = Settings().max_attempts
#: PO …02 fails every attempt of the first run; the retry's attempt hangs (and is stopped); then it works.
SCRIPT = {"10000002": ["fail"] * ATTEMPTS + ["hang", "ok:1"]}


def window_on(qtbot, tmp_path: Path, script: dict[str, list[str]] = SCRIPT) -> MainWindow:
    """The shared window on the four-PO sheet, run by this file's ``SCRIPT`` unless told another."""
    return window_on_sheet(qtbot, tmp_path, script)


def manifest_pos(tmp_path: Path) -> list[str]:
    """The POs the sheet's manifest lists a file of, by digits, in its order."""
    return [r["PO"].removeprefix("PO") for r in read_csv(tmp_path / "pos_manifest.csv")]


RETRIES: dict[str, Callable[[MainWindow], None]] = {
    "retry-rows": lambda w: w.launcher.retry_rows([PoNumber("10000002")]),
    "retry-failed": lambda w: w.retry_button.click(),
}


@pytest.mark.parametrize("how", sorted(RETRIES))
def test_an_interrupted_retry_resumes_the_whole_sheet(
    qtbot, tmp_path: Path, app_home: Path, how: str
) -> None:
    window = window_on(qtbot, tmp_path)
    run_with(qtbot, window, window.start_button.click)
    assert statuses(window) == [PoStatus.COMPLETED, PoStatus.FAILED, PoStatus.COMPLETED, PoStatus.COMPLETED]
    RETRIES[how](window)
    qtbot.waitUntil(lambda: calls(tmp_path, "10000002") == ATTEMPTS + 1, timeout=30_000)
    window.stop()
    qtbot.waitUntil(lambda: not window.session.running, timeout=60_000)
    window.close()
    # The stopped retry did not re-check …02: its row keeps the run's outcome and says why.
    rows = read_csv(tmp_path / "pos_results.csv")
    assert [r["STATUS"] for r in rows] == ["COMPLETED", "FAILED", "COMPLETED", "COMPLETED"]
    assert "the earlier outcome stands" in rows[1]["ERROR_MESSAGE"]

    # The sheet opened again: the offer speaks for the whole sheet, and Start works only …02.
    window = window_on(qtbot, tmp_path)
    qtbot.waitUntil(window.resume_banner.isVisible, timeout=10_000)
    assert "3 of 4 POs done" in window.resume_banner.label.text()
    summary = run_with(qtbot, window, window.start_button.click)
    assert [calls(tmp_path, d) for d in POS] == [1, ATTEMPTS + 2, 1, 1]
    assert summary.startswith("4 POs: 4 completed")
    with Journal.open(app_dirs().journal_file) as journal:
        batches = journal.history()
        assert [b.unfinished for b in batches] == [False] * len(batches)  # the batch ended in the journal
        assert {s.outcome.status for s in journal.po_states(batches[0].id)} == {PoStatus.COMPLETED}
    assert [r["STATUS"] for r in read_csv(tmp_path / "pos_results.csv")] == ["COMPLETED"] * 4
    assert manifest_pos(tmp_path) == POS
    window.close()

    again = window_on(qtbot, tmp_path)
    qtbot.wait(500)  # the journal is asked off the GUI thread; an offer would come within this
    assert not again.resume_banner.isVisible()


def test_a_finished_retry_keeps_every_file_in_the_manifest(qtbot, tmp_path: Path, app_home: Path) -> None:
    window = window_on(qtbot, tmp_path, {"10000002": ["fail"] * ATTEMPTS + ["ok:1"]})
    run_with(qtbot, window, window.start_button.click)
    assert manifest_pos(tmp_path) == [d for d in POS if d != "10000002"]
    run_with(qtbot, window, lambda: window.launcher.retry_rows([PoNumber("10000002")]))
    assert statuses(window) == [PoStatus.COMPLETED] * 4
    assert manifest_pos(tmp_path) == POS
    assert [r["STATUS"] for r in read_csv(tmp_path / "pos_results.csv")] == ["COMPLETED"] * 4
