"""A re-run stopped part-way: the rows it did not re-check keep the outcome the run before gave them.

Scripted workers writing real files, a real journal, no browser. The sheet completes; Start again (a
fresh batch: the last one finished) is stopped while PO …03 hangs and before …04 was reached. Those two
rows must still say COMPLETED (with why they were not re-checked), not PENDING.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.window import calls, read_csv, run_with, window_on

pytestmark = pytest.mark.timeout(120)

SCRIPT = {"10000003": ["ok:1", "hang"]}


def test_a_stopped_rerun_keeps_the_earlier_outcome_of_the_rows_it_did_not_reach(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    window = window_on(qtbot, tmp_path, SCRIPT)
    run_with(qtbot, window, window.start_button.click)
    window.close()

    window = window_on(qtbot, tmp_path, SCRIPT)  # the sheet again: a fresh batch, one worker
    window.start_button.click()
    qtbot.waitUntil(lambda: calls(tmp_path, "10000003") == 2, timeout=30_000)
    window.stop()
    qtbot.waitUntil(lambda: not window.session.running, timeout=60_000)

    rows = read_csv(tmp_path / "pos_results.csv")
    assert [r["STATUS"] for r in rows] == ["COMPLETED"] * 4
    assert "the earlier outcome stands" in rows[2]["ERROR_MESSAGE"]
    assert "the earlier outcome stands" in rows[3]["ERROR_MESSAGE"]
    assert rows[3]["DOWNLOAD_FOLDER"].endswith("PO10000004_COMPLETED")
