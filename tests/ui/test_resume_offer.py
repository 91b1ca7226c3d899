"""The window offers to carry on a sheet's unfinished batch: scripted workers, a real journal, no browser.

A first window runs the sheet and is stopped while one PO hangs; the journal then holds an unfinished
batch. A second window opening the same sheet must offer to resume it, and each answer must do what it
says: Resume (and plain Start) works only the open POs and keeps the finished ones in the table and the
summary; Start over works every PO again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.main_window import MainWindow
from tests.helpers.batch import settings_for
from tests.helpers.fake_worker import FakeWorker
from tests.helpers.window import SHEET_POS as POS
from tests.helpers.window import calls, fast_retries, load_sheet, run_with, sheet

pytestmark = pytest.mark.timeout(120)

HANGS = "10000003"
SCRIPT = {HANGS: ["hang", "ok:2"]}


def window_on(qtbot, tmp_path: Path) -> MainWindow:
    window = MainWindow(app_dirs(), controller_factory=fast_retries(FakeWorker(SCRIPT)))
    qtbot.addWidget(window)
    window.show()
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    window.settings = settings_for("http://127.0.0.1:9", profile, tmp_path / "out")
    window.workers.slider.setValue(2)
    # One worker holds the hanging PO: a busy machine's governor running 1 of 2 would leave the others
    # waiting for good (it did, at load 30, in every test here).
    window.launcher.use_governor = False
    return window


def interrupted_batch(qtbot, tmp_path: Path) -> None:
    """Run the sheet and stop it once every PO but the hanging one has finished."""
    window = window_on(qtbot, tmp_path)
    assert load_sheet(qtbot, window, sheet(tmp_path))
    window.start_button.click()
    done = {PoStatus.COMPLETED}
    qtbot.waitUntil(
        lambda: sum(r.outcome.status in done for r in window.model.rows()) == len(POS) - 1, timeout=60_000
    )
    window.stop()
    qtbot.waitUntil(lambda: not window.session.running, timeout=60_000)
    assert window.model.rows()[POS.index(HANGS)].outcome.status is PoStatus.PENDING
    window.close()


def offered(qtbot, tmp_path: Path) -> MainWindow:
    window = window_on(qtbot, tmp_path)
    assert load_sheet(qtbot, window, sheet(tmp_path))
    qtbot.waitUntil(window.resume_banner.isVisible, timeout=10_000)
    return window


def test_resume_works_only_the_open_po_and_keeps_the_rest(qtbot, tmp_path: Path, app_home: Path) -> None:
    interrupted_batch(qtbot, tmp_path)
    window = offered(qtbot, tmp_path)
    assert "3 of 4 POs done" in window.resume_banner.label.text()
    assert window.resume_banner.button_texts() == ["Resume", "Start over"]

    summary = run_with(qtbot, window, window.resume_banner.button("Resume").click)

    assert [calls(tmp_path, d) for d in POS] == [1, 1, 2, 1]  # only the open PO was handed out again
    assert [r.outcome.status for r in window.model.rows()] == [PoStatus.COMPLETED] * 4
    kept = window.model.rows()[0]
    assert (kept.outcome.supplier, kept.outcome.found, kept.outcome.downloaded) == (
        "Fake Supplier",
        1,
        1,
    )  # from the journal
    assert summary.startswith("4 POs: 4 completed")  # the summary speaks for the whole sheet
    assert not window.resume_banner.isVisible()


def test_start_resumes_too(qtbot, tmp_path: Path, app_home: Path) -> None:
    """Ignoring the offer must not download a finished PO again."""
    interrupted_batch(qtbot, tmp_path)
    window = offered(qtbot, tmp_path)
    run_with(qtbot, window, window.start_button.click)
    assert [calls(tmp_path, d) for d in POS] == [1, 1, 2, 1]


def test_start_over_works_every_po_again(qtbot, tmp_path: Path, app_home: Path) -> None:
    interrupted_batch(qtbot, tmp_path)
    window = offered(qtbot, tmp_path)
    summary = run_with(qtbot, window, window.resume_banner.button("Start over").click)
    assert [calls(tmp_path, d) for d in POS] == [2, 2, 2, 2]
    assert summary.startswith("4 POs: 4 completed")


def test_a_changed_sheet_is_not_resumed_and_says_so(qtbot, tmp_path: Path, app_home: Path) -> None:
    interrupted_batch(qtbot, tmp_path)
    with sheet(tmp_path).open("a", encoding="utf-8") as f:
        f.write("PO10000005\n")
    window = window_on(qtbot, tmp_path)
    assert load_sheet(qtbot, window, sheet(tmp_path))
    qtbot.waitUntil(window.resume_banner.isVisible, timeout=10_000)
    assert "changed since" in window.resume_banner.label.text()
    assert window.resume_banner.button_texts() == []
    run_with(qtbot, window, window.start_button.click)
    assert [calls(tmp_path, d) for d in POS] == [2, 2, 2, 2]


def test_a_finished_sheet_is_not_offered(qtbot, tmp_path: Path, app_home: Path) -> None:
    interrupted_batch(qtbot, tmp_path)
    window = offered(qtbot, tmp_path)
    run_with(qtbot, window, window.resume_banner.button("Resume").click)
    again = window_on(qtbot, tmp_path)
    with qtbot.waitSignal(again.launcher.resume_offered, timeout=3_000, raising=False) as blocker:
        assert load_sheet(qtbot, again, sheet(tmp_path))
    assert not blocker.signal_triggered and not again.resume_banner.isVisible()
