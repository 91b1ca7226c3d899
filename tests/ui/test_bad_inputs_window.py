"""Broken inputs in the window: dropped or opened, each says what is wrong in the window's own words, nothing
can start, and the file is left as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui import error_text
from po_downloader.ui.main_window import MainWindow
from tests.helpers.bad_inputs import BAD_INPUTS, BadInput, sha256
from tests.helpers.window import load_sheet

FIELD = re.compile(r"\{\w+\}")


@pytest.fixture
def window(qtbot, app_home: Path):
    w = MainWindow(app_dirs())
    qtbot.addWidget(w)
    w.show()
    yield w
    w.log_panel.detach()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.id)
def test_the_window_shows_why_a_broken_input_cannot_run(
    window, qtbot, tmp_path: Path, case: BadInput
) -> None:
    path = case.write(tmp_path)
    before = sha256(path)
    assert not load_sheet(qtbot, window, path)
    shown = window.drop_zone.summary_text()
    assert shown.startswith(f"{path.name}: ")
    for part in FIELD.split(error_text.TEXT[case.kind]):
        assert part.strip() in shown, f"{part.strip()!r} not in {shown!r}"
    for value in case.details.values():
        assert value in shown
    assert "Traceback" not in shown
    assert window.model.rowCount() == 0
    assert not window.start_button.isEnabled()
    assert sha256(path) == before
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [case.name]
