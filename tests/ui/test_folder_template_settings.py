"""The folder template in Settings (issue 18 item 1): a live preview of the first POs' folders of the
sheet on screen, an unknown token or a bad template said at once, the template remembered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from po_downloader.engine.input.plan import BatchPlan, plan_batch
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings, load_settings
from po_downloader.ui import settings_dialog
from po_downloader.ui.main_window import MainWindow
from po_downloader.ui.settings_dialog import SettingsDialog, edit_settings
from tests.helpers.batch import settings_for
from tests.helpers.window import load_sheet

URL = "https://acme.coupahost.com"
ROWS = [
    f"PO1000000{i};{cc};Fornecedor {i}"
    for i, cc in enumerate(["4100", "", "4200/Obras", "4100", "5", "6", "7"])
]


@pytest.fixture
def plan(tmp_path: Path) -> BatchPlan:
    sheet = tmp_path / "pos.csv"
    sheet.write_text("\n".join(["PO_NUMBER;Centro de custo;Fornecedor", *ROWS]) + "\n", encoding="utf-8")
    return plan_batch(read_sheet(sheet))


@pytest.fixture(autouse=True)
def no_machine_browsers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_dialog, "installed_browsers", lambda: ["chromium"])
    monkeypatch.setattr(
        settings_dialog, "default_user_data_dir", lambda browser: tmp_path / "machine" / browser
    )


@pytest.fixture
def dialog(qtbot, plan: BatchPlan, tmp_path: Path) -> SettingsDialog:
    d = SettingsDialog(profiles=[], plan=plan)
    qtbot.addWidget(d)
    d.load(Settings(base_url=URL, download_root=str(tmp_path / "out")))
    return d


def test_the_preview_follows_the_template_as_it_is_typed(qtbot, dialog: SettingsDialog) -> None:
    field = dialog.folders
    assert field.edit.placeholderText() == "{supplier}/{po}"
    assert field.preview_label.text().splitlines()[1:] == [
        f"‹supplier›/PO1000000{i}_‹status›" for i in range(5)
    ]  # the default: today's layout, the supplier read from each page
    assert "{Centro de custo}" in field.tokens_label.text()

    field.edit.clear()
    qtbot.keyClicks(field.edit, "{Centro de custo}/{year}/{po}")
    shown = field.preview_label.text().splitlines()
    assert len(shown) == 1 + 5  # the first five POs
    year = shown[1].split("/")[1]
    assert year.isdigit() and len(year) == 4
    assert [line.split("/")[0] for line in shown[1:]] == [
        "4100",
        "_no Centro de custo",
        "4200_Obras",
        "4100",
        "5",
    ]
    assert not field.error_label.isVisible()


def test_an_unknown_token_is_named_at_once_and_a_bad_template_keeps_the_dialog_open(
    qtbot, dialog: SettingsDialog
) -> None:
    dialog.show()
    field = dialog.folders
    field.set_text("{Cost center}/{po}")
    assert field.error_label.isVisible() and not field.preview_label.isVisible()
    assert "{Cost center}" in field.error_label.text()
    assert dialog.problems() == []  # another sheet may have the column: the batch is what refuses it

    field.set_text("{supplier}/{po")
    assert "stray brace" in field.error_label.text()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.error_label.isVisible()
    assert "stray brace" in dialog.error_label.text()

    qtbot.keyClick(field.edit, Qt.Key.Key_BraceRight)
    assert not field.error_label.isVisible() and field.preview_label.isVisible()


def test_without_a_sheet_the_template_is_still_checked(qtbot) -> None:
    d = SettingsDialog(profiles=[])
    qtbot.addWidget(d)
    d.folders.set_text("{Anything}/{po}")
    assert not d.folders.error_label.isVisible()
    assert "Open a sheet" in d.folders.preview_label.text()
    d.folders.set_text("{po}/{Anything}")
    assert "must end with {po}" in d.folders.error_label.text()


def _drive_dialog(action: Callable[[SettingsDialog], None]) -> None:
    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, SettingsDialog):
            QTimer.singleShot(10, poll)
            return
        try:
            action(widget)
        finally:
            if widget.isVisible():
                widget.reject()

    QTimer.singleShot(0, poll)


def test_the_template_is_remembered_in_the_settings(qtbot, tmp_path: Path, plan: BatchPlan) -> None:
    dirs = app_dirs(tmp_path / "home")
    shown: list[str] = []

    def fill_in(d: SettingsDialog) -> None:
        d.base_url_edit.setText(URL)
        d.root_edit.setText(str(tmp_path / "out"))
        d.folders.set_text("{Centro de custo}/{supplier}/{po}")
        shown.append(d.folders.preview_label.text())
        d.accept()

    _drive_dialog(fill_in)
    result = edit_settings(None, dirs, plan=plan)
    assert result is not None and result.folder_template == "{Centro de custo}/{supplier}/{po}"
    assert load_settings(dirs).folder_template == "{Centro de custo}/{supplier}/{po}"
    assert "4100/‹supplier›/PO10000000_‹status›" in shown[0]


def test_the_window_refuses_an_unknown_token_at_start_and_its_settings_preview_the_sheet(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    window = MainWindow(app_dirs())
    qtbot.addWidget(window)
    window.show()
    profile = tmp_path / "profile"
    profile.mkdir()
    window.settings = settings_for(
        "http://127.0.0.1:9", profile, tmp_path / "out", folder_template="{Cost}/{po}"
    )
    sheet = tmp_path / "pos.csv"
    sheet.write_text("\n".join(["PO_NUMBER;Centro de custo;Fornecedor", *ROWS]) + "\n", encoding="utf-8")
    assert load_sheet(qtbot, window, sheet)

    window.start_button.click()
    qtbot.waitUntil(window.finish_banner.isVisible, timeout=30_000)
    assert "{Cost}" in window.finish_banner.label.text()
    assert not (tmp_path / "out").exists()  # refused before anything starts

    seen: list[str] = []

    def fix(d: SettingsDialog) -> None:
        seen.append(d.folders.error_label.text())
        d.folders.set_text("{Centro de custo}/{po}")
        seen.append(d.folders.preview_label.text())
        d.accept()

    _drive_dialog(fix)
    window.finish_banner.button(window.tr("Settings…")).click()
    assert "{Cost}" in seen[0]
    assert seen[1].splitlines()[1] == "4100/PO10000000_‹status›"
    assert window.settings.folder_template == "{Centro de custo}/{po}"
    window.log_panel.detach()
