"""The settings dialog: a faithful round trip, problems shown inside the dialog, and saving from the menu."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFileDialog

from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings, load_settings, save_settings
from po_downloader.ui import settings_dialog
from po_downloader.ui.settings_dialog import ProfileChoice, SettingsDialog, detect_profiles, edit_settings

URL = "https://acme.coupahost.com"


@pytest.fixture(autouse=True)
def this_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Browsers and profiles come from tmp_path, never from the computer running the tests."""
    machine = tmp_path / "machine"
    monkeypatch.setattr(settings_dialog, "installed_browsers", lambda: ["chromium"])
    monkeypatch.setattr(settings_dialog, "default_user_data_dir", lambda browser: machine / browser)
    return machine


def _make_user_data(directory: Path, names: dict[str, str]) -> None:
    for name in names:
        (directory / name).mkdir(parents=True)
    info = {name: {"name": display} for name, display in names.items()}
    (directory / "Local State").write_text(json.dumps({"profile": {"info_cache": info}}), encoding="utf-8")


@pytest.fixture
def work_profile(tmp_path: Path) -> ProfileChoice:
    directory = tmp_path / "Edge User Data"
    (directory / "Profile 1").mkdir(parents=True)
    return ProfileChoice("Edge – Work", str(directory), "Profile 1")


@pytest.fixture
def dialog(qtbot, work_profile: ProfileChoice) -> SettingsDialog:
    d = SettingsDialog(profiles=[work_profile])
    qtbot.addWidget(d)
    return d


def _full(tmp_path: Path, profile: ProfileChoice) -> Settings:
    return Settings(
        base_url=URL,
        download_root=str(tmp_path / "out"),
        browser="chrome",
        headless=False,
        profile_dir=profile.profile_dir,
        profile_name=profile.profile_name,
        driver="",
        workers=3,
        max_attempts=5,
        page_timeout=45.0,
        attachment_timeout=12.0,
        download_timeout=120.5,
    )


def test_load_then_settings_gives_the_same_value(dialog, tmp_path: Path, work_profile) -> None:
    original = _full(tmp_path, work_profile)
    dialog.load(original)
    assert dialog.settings() == original
    assert dialog.base_url_edit.text() == URL
    assert dialog.browser_combo.currentData() == "chrome"
    assert not dialog.headless_check.isChecked()
    assert dialog.profile_combo.currentText() == "Edge – Work"
    assert dialog.attempts_spin.value() == 5


def test_own_profile_round_trip(dialog, tmp_path: Path) -> None:
    original = Settings(base_url=URL, download_root=str(tmp_path / "out"))
    dialog.load(original)
    assert dialog.settings() == original
    assert dialog.profile_combo.currentIndex() == 0
    assert "own sign-in profile" in dialog.profile_combo.currentText()


def test_a_profile_that_was_not_detected_is_kept(dialog, tmp_path: Path) -> None:
    elsewhere = tmp_path / "portable" / "User Data"
    (elsewhere / "Profile 7").mkdir(parents=True)
    original = Settings(base_url=URL, profile_dir=str(elsewhere), profile_name="Profile 7")
    dialog.load(original)
    assert dialog.settings() == original
    assert "Profile 7" in dialog.profile_combo.currentText()


def test_edits_reach_the_settings(dialog, tmp_path: Path, work_profile) -> None:
    dialog.load(Settings(workers=2))
    dialog.base_url_edit.setText(f"  {URL}  ")
    dialog.root_edit.setText(str(tmp_path / "pos"))
    dialog.browser_combo.setCurrentIndex(dialog.browser_combo.findData("chromium"))
    dialog.headless_check.setChecked(False)
    dialog.profile_combo.setCurrentIndex(1)
    dialog.attempts_spin.setValue(7)
    dialog.page_timeout_spin.setValue(15)
    dialog.download_timeout_spin.setValue(300)
    assert dialog.mode_combo.currentData() == "auto"  # the default: HTTP only where proven
    dialog.mode_combo.setCurrentIndex(dialog.mode_combo.findData("browser"))
    assert dialog.settings() == Settings(
        base_url=URL,
        download_root=str(tmp_path / "pos"),
        browser="chromium",
        headless=False,
        profile_dir=work_profile.profile_dir,
        profile_name="Profile 1",
        workers=2,
        max_attempts=7,
        page_timeout=15.0,
        download_timeout=300.0,
        route_mode="browser",
    )
    dialog.profile_combo.setCurrentIndex(0)
    assert dialog.settings().profile_dir == ""


def test_attempts_are_limited_to_one_to_ten(dialog) -> None:
    assert (dialog.attempts_spin.minimum(), dialog.attempts_spin.maximum()) == (1, 10)


def test_browsers_say_whether_they_are_installed(dialog) -> None:
    texts = {dialog.browser_combo.itemData(i): dialog.browser_combo.itemText(i) for i in range(3)}
    assert texts["chromium"] == "Chromium (installed)"
    assert texts["edge"].startswith("Microsoft Edge") and "not found" in texts["edge"]
    assert texts["chrome"].startswith("Google Chrome") and "not found" in texts["chrome"]


def test_detected_edge_and_chrome_profiles_are_offered(qtbot, this_machine: Path) -> None:
    _make_user_data(this_machine / "edge", {"Default": "Person 1", "Profile 2": "Work"})
    _make_user_data(this_machine / "chrome", {"Default": "Anna"})
    _make_user_data(this_machine / "chromium", {"Default": "Not offered"})
    d = SettingsDialog()
    qtbot.addWidget(d)
    labels = [d.profile_combo.itemText(i) for i in range(d.profile_combo.count())]
    assert labels[1:] == ["Edge – Person 1", "Edge – Work", "Chrome – Anna"]
    d.profile_combo.setCurrentIndex(2)
    chosen = d.settings()
    assert (chosen.profile_dir, chosen.profile_name) == (str(this_machine / "edge"), "Profile 2")


def test_detect_profiles_without_browsers_finds_nothing(tmp_path: Path) -> None:
    assert detect_profiles(user_data_dir=lambda browser: tmp_path / browser) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("acme.coupahost.com", "not a web address"),
        ("http://acme.coupahost.com", "use https"),
        ("", "no Coupa URL"),
        ("https://jdoe:Hunter2pw@acme.coupahost.com", "must not contain a user name or password"),
        (
            "https://acme.coupahost.com/?lang=en",
            "must not contain a query (?…): enter https://acme.coupahost.com/",
        ),
        (
            "https://acme.coupahost.com/#top",
            "must not contain a fragment (#…): enter https://acme.coupahost.com/",
        ),
    ],
)
def test_a_bad_address_keeps_the_dialog_open(dialog, tmp_path: Path, url: str, expected: str) -> None:
    dialog.load(Settings(base_url=url, download_root=str(tmp_path / "out")))
    dialog.show()
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible()
    assert expected in dialog.error_label.text()


def test_the_password_of_a_refused_address_is_not_shown(dialog, tmp_path: Path) -> None:
    dialog.load(Settings(download_root=str(tmp_path / "out")))
    dialog.base_url_edit.setText("https://jdoe:Hunter2pw@acme.coupahost.com")
    dialog.show()
    dialog.accept()
    assert "enter https://acme.coupahost.com in Settings" in dialog.error_label.text()
    assert "Hunter2pw" not in dialog.error_label.text() and "jdoe" not in dialog.error_label.text()


def test_the_address_is_kept_without_its_default_port(dialog, tmp_path: Path) -> None:
    dialog.load(Settings(download_root=str(tmp_path / "out")))
    dialog.base_url_edit.setText("https://acme.coupahost.com:443/")
    assert dialog.problems() == []
    assert dialog.settings().base_url == URL


def test_an_unwritable_folder_keeps_the_dialog_open(dialog, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    dialog.load(Settings(base_url=URL, download_root=str(blocker / "pos")))
    dialog.show()
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert "cannot write to the download folder" in dialog.error_label.text()
    assert str(blocker / "pos") in dialog.error_label.text()


def test_valid_settings_close_the_dialog(dialog, qtbot, tmp_path: Path) -> None:
    dialog.load(Settings(base_url="http://localhost:8000", download_root=str(tmp_path / "new" / "pos")))
    dialog.show()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        ok.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    assert (tmp_path / "new" / "pos").is_dir()


def test_fixing_the_problem_lets_the_dialog_close(dialog, qtbot, tmp_path: Path) -> None:
    dialog.load(Settings(base_url="nope", download_root=str(tmp_path / "out")))
    dialog.show()
    dialog.accept()
    assert dialog.error_label.isVisible()
    dialog.base_url_edit.setText(URL)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
    assert not dialog.error_label.isVisible()


def test_browse_fills_the_folder(dialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "chosen"
    answers = [str(chosen), ""]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: answers.pop(0))
    dialog.browse_button.click()
    assert dialog.root_edit.text() == str(chosen)
    dialog.browse_button.click()  # cancelled: the folder stays
    assert dialog.root_edit.text() == str(chosen)


def _drive_dialog(action: Callable[[SettingsDialog], None]) -> None:
    """Run ``action`` on the settings dialog once ``exec`` shows it; never leave it open."""

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


def test_edit_settings_saves_what_was_accepted(qtbot, tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")
    save_settings(dirs, Settings(workers=4, browser="chromium"))
    seen: list[str] = []

    def fill_in(d: SettingsDialog) -> None:
        d.accept()  # the saved settings have no URL yet
        seen.append(d.error_label.text() if d.isVisible() else "closed")
        d.base_url_edit.setText(URL)
        d.root_edit.setText(str(tmp_path / "out"))
        d.accept()

    _drive_dialog(fill_in)
    result = edit_settings(None, dirs)
    assert "no Coupa URL" in seen[0]
    expected = Settings(base_url=URL, download_root=str(tmp_path / "out"), browser="chromium", workers=4)
    assert result == expected
    assert load_settings(dirs) == expected


def test_edit_settings_cancelled_saves_nothing(qtbot, tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")

    def cancel(d: SettingsDialog) -> None:
        d.base_url_edit.setText(URL)
        d.reject()

    _drive_dialog(cancel)
    assert edit_settings(None, dirs) is None
    assert not dirs.settings_file.exists()


def test_edit_settings_can_edit_settings_of_this_session_without_saving(qtbot, tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")
    save_settings(dirs, Settings(workers=4, browser="chromium"))
    current = Settings(
        base_url="http://127.0.0.1:9", download_root=str(tmp_path / "demo"), browser="chromium"
    )
    shown: list[str] = []

    def change(d: SettingsDialog) -> None:
        shown.append(d.base_url_edit.text())
        d.base_url_edit.setText(URL)
        d.accept()

    _drive_dialog(change)
    result = edit_settings(None, dirs, current, save=False)
    assert shown == ["http://127.0.0.1:9"]  # the settings given, not the saved ones
    assert result == current.with_(base_url=URL)
    assert load_settings(dirs) == Settings(workers=4, browser="chromium")  # nothing saved
