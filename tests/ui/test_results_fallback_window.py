"""A results file held open to the end of a batch: the window says exactly where the results went.

Scripted workers, the real controller and recorder; ``os.replace`` onto the results file fails as it does
on Windows while Excel holds the file.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from po_downloader.engine.output import results as results_module
from tests.helpers.window import make_window

pytestmark = pytest.mark.timeout(120)


@pytest.mark.expect_log("po_downloader.engine.output.recorder", r"locked|could not be written")
@pytest.mark.expect_log("po_downloader.ui.batch_session", r"results", optional=True)
def test_locked_results_go_to_a_named_file_and_the_window_says_where(
    qtbot, tmp_path: Path, app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, tmp_path, {})
    results = tmp_path / "pos_results.csv"
    real = os.replace
    writes: list[str] = []

    def held_open(src: str, dst: str) -> None:
        """The first write (before the batch starts) goes through; then Excel has the file open."""
        if Path(dst) == results:
            writes.append(dst)
            if len(writes) > 1:
                raise PermissionError(13, "The process cannot access the file", dst)
        real(src, dst)

    monkeypatch.setattr(results_module.os, "replace", held_open)
    with qtbot.waitSignal(window.batch_finished, timeout=60_000) as finished:
        window.start_button.click()

    fallback = [p for p in tmp_path.iterdir() if p.name.startswith("pos_results (unsaved ")]
    assert len(fallback) == 1 and len(writes) > 1
    assert set(statuses(results)) == {"PENDING"}  # as written before the batch: held open since
    assert set(statuses(fallback[0])) == {"COMPLETED"}
    text = str(finished.args[0])
    assert str(fallback[0]) in text and str(results) in text
    assert window.finish_banner.label.text() == f"{text}\nFiles in {window.settings.root}"
    opened: list[Path] = []
    monkeypatch.setattr("po_downloader.ui.main_window.open_path", opened.append)
    window.finish_banner.button("Open results").click()
    assert opened == [fallback[0]]


def statuses(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [row["STATUS"] for row in csv.DictReader(f)]
