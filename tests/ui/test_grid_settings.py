"""The window's side of a Selenium Grid: its address in the settings, checked like the Coupa address, and
the worker slider following the Grid's free slots."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from po_downloader.engine.run.governor import max_workers
from po_downloader.engine.system.settings import Settings
from po_downloader.ui import settings_dialog
from po_downloader.ui.settings_dialog import SettingsDialog
from po_downloader.ui.worker_controls import WorkerControls

URL = "https://acme.coupahost.com"


@pytest.fixture
def dialog(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SettingsDialog:
    monkeypatch.setattr(settings_dialog, "installed_browsers", lambda: ["chromium"])
    monkeypatch.setattr(
        settings_dialog, "default_user_data_dir", lambda browser: tmp_path / "machine" / browser
    )
    d = SettingsDialog(profiles=[])
    qtbot.addWidget(d)
    return d


def test_the_grid_address_round_trips_and_is_kept_in_its_one_spelling(dialog, tmp_path: Path) -> None:
    original = Settings(base_url=URL, download_root=str(tmp_path / "out"), grid_url="http://127.0.0.1:4444")
    dialog.load(original)
    assert dialog.grid_edit.text() == "http://127.0.0.1:4444"
    assert dialog.settings() == original
    dialog.grid_edit.setText("  https://grid.acme.example:443/  ")
    assert dialog.settings().grid_url == "https://grid.acme.example"
    dialog.grid_edit.setText("")
    assert dialog.settings().grid_url == "" and dialog.problems() == []


@pytest.mark.parametrize(
    ("grid", "shown"),
    [
        ("gridhost:4444", "gridhost:4444"),
        ("http://grid.acme.example:4444", "http://grid.acme.example:4444"),
        ("https://svc:Hunter2pw@grid.acme.example", "https://grid.acme.example"),
    ],
)
def test_a_bad_grid_address_keeps_the_dialog_open_without_its_password(
    dialog, tmp_path: Path, grid: str, shown: str
) -> None:
    dialog.load(Settings(base_url=URL, download_root=str(tmp_path / "out")))
    dialog.grid_edit.setText(grid)
    dialog.show()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.error_label.isVisible()
    text = dialog.error_label.text()
    assert f"not a usable Selenium Grid address: “{shown}”" in text
    assert "Hunter2pw" not in text


def test_the_worker_slider_follows_the_grids_free_slots(qtbot) -> None:
    controls = WorkerControls(2)
    qtbot.addWidget(controls)
    controls.follow_grid(max_workers() + 5)
    assert controls.slider.maximum() == max_workers() + 5
    controls.follow_grid(1)
    assert (controls.slider.maximum(), controls.slider.value()) == (1, 1)
    controls.follow_grid(0)  # back on this computer
    assert controls.slider.maximum() == max_workers()
