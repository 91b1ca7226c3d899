"""A batch started with ``--all`` (CLI) and stopped, then the sheet opened in the window: scripted workers.

The window's plan skips the rows the sheet says COMPLETED; Start resumes the batch, which must carry on
its whole plan, so the batch ends and the next window offers no resume.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.main_window import MainWindow
from tests.helpers.batch import stopped_all_run
from tests.helpers.fake_worker import FakeWorker
from tests.helpers.window import fast_retries, load_sheet, run_with

pytestmark = pytest.mark.timeout(120)


def test_the_window_resumes_a_batch_started_with_all_for_the_whole_sheet(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    sheet, settings = stopped_all_run(tmp_path)
    window = MainWindow(app_dirs(), controller_factory=fast_retries(FakeWorker()))
    qtbot.addWidget(window)
    window.show()
    window.settings = settings
    window.workers.slider.setValue(1)
    assert load_sheet(qtbot, window, sheet)
    qtbot.waitUntil(window.resume_banner.isVisible, timeout=10_000)
    assert ": 1 of 3 POs done." in window.resume_banner.label.text()

    summary = run_with(qtbot, window, window.start_button.click)

    assert summary.startswith("3 POs: 3 completed"), summary
    assert [r.outcome.status for r in window.model.rows()] == [PoStatus.COMPLETED] * 3
    assert "3 POs to download" in window.drop_zone.summary_text()
    with Journal.open(app_dirs().journal_file) as journal:
        (record,) = journal.history()
        assert not record.unfinished, record
    window.close()
