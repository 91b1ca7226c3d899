"""The settings dialog: edits an engine ``Settings`` value and refuses to close on settings that cannot run.

The dialog only edits a value; loading and saving stay with the caller (``edit_settings`` for the menu), so
the window and the tests decide where settings live.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from po_downloader.engine.browser.launch import installed_browsers
from po_downloader.engine.browser.profile_finder import default_user_data_dir, list_profiles
from po_downloader.engine.errors import PoDownloaderError
from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.system.paths import AppDirs
from po_downloader.engine.system.settings import (
    BROWSERS,
    Settings,
    check_writable,
    default_download_root,
    load_settings,
    save_settings,
    validate,
)
from po_downloader.ui.breaker_settings import BreakerSettings
from po_downloader.ui.error_text import error_text
from po_downloader.ui.facts_setting import FactsCheck
from po_downloader.ui.folder_template_field import FolderTemplateField

log = logging.getLogger(__name__)

OWN_PROFILE_NAME = "Default"
"""Stored with an empty ``profile_dir``; the engine ignores the name for its own sign-in profile."""
PROFILE_BROWSERS = ("edge", "chrome")
"""Browsers whose profiles are offered: the ones people sign in to Coupa with."""
ERROR_STYLE = "color: #c62828;"


@dataclass(frozen=True)
class ProfileChoice:
    """One entry of the profile combo; ``profile_dir`` empty means po-downloader's own sign-in profile."""

    label: str
    profile_dir: str
    profile_name: str

    def matches(self, profile_dir: str, profile_name: str) -> bool:
        if not self.profile_dir or not profile_dir:
            return not self.profile_dir and not profile_dir
        same_dir = Path(self.profile_dir).expanduser() == Path(profile_dir).expanduser()
        return same_dir and self.profile_name == profile_name


def detect_profiles(
    browsers: Sequence[str] = PROFILE_BROWSERS,
    user_data_dir: Callable[[str], Path] | None = None,
) -> list[ProfileChoice]:
    """Every Edge and Chrome profile found on this computer, labelled like "Edge – Person 1"."""
    user_data_dir = user_data_dir or default_user_data_dir
    short = {
        "edge": QCoreApplication.translate("SettingsDialog", "Edge"),
        "chrome": QCoreApplication.translate("SettingsDialog", "Chrome"),
        "chromium": QCoreApplication.translate("SettingsDialog", "Chromium"),
    }
    choices = []
    for browser in browsers:
        directory = user_data_dir(browser)
        for name, display in list_profiles(directory):
            label = QCoreApplication.translate("SettingsDialog", "{browser} – {profile}").format(
                browser=short[browser], profile=display
            )
            choices.append(ProfileChoice(label, str(directory), name))
    return choices


class SettingsDialog(QDialog):
    """Fields for every setting a user may change; ``settings()`` is the loaded value with the edits."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        installed: Sequence[str] | None = None,
        profiles: Sequence[ProfileChoice] | None = None,
        plan: BatchPlan | None = None,
    ) -> None:
        """``installed`` and ``profiles`` default to what this computer has; tests pass their own.
        ``plan``: the sheet on screen, whose first POs the folder preview shows."""
        super().__init__(parent)
        self.folders = FolderTemplateField(plan)
        self.setWindowTitle(self.tr("Settings"))
        self._loaded = Settings()
        self._installed = set(installed_browsers() if installed is None else installed)
        own = ProfileChoice(
            self.tr("po-downloader's own sign-in profile (recommended)"), "", OWN_PROFILE_NAME
        )
        self._profiles = [own, *(detect_profiles() if profiles is None else profiles)]
        self._build()
        self.load(Settings())

    # -- construction -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.base_url_edit = QLineEdit()
        self.base_url_edit.setPlaceholderText("https://yourcompany.coupahost.com")
        self.root_edit = QLineEdit()
        self.root_edit.setPlaceholderText(str(default_download_root()))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self.browse_root)
        root_row = QHBoxLayout()
        root_row.addWidget(self.root_edit, 1)
        root_row.addWidget(self.browse_button)

        self.browser_combo = QComboBox()
        for kind in BROWSERS:
            self.browser_combo.addItem(self._browser_label(kind), kind)
        self.headless_check = QCheckBox(self.tr("Hide browser windows"))
        self.headless_check.setToolTip(self.tr("Untick to watch the browsers work, e.g. to see a problem."))
        self.profile_combo = QComboBox()
        for choice in self._profiles:
            self.profile_combo.addItem(choice.label)

        self.attempts_spin = QSpinBox()
        self.attempts_spin.setRange(1, 10)
        self.page_timeout_spin = self._seconds_spin(1, 600)
        self.download_timeout_spin = self._seconds_spin(1, 3600)
        self.mode_combo = QComboBox()
        for mode, label in (
            ("auto", self.tr("Automatic: HTTP where it is proven to see what the browser sees")),
            ("browser", self.tr("Browser only")),
            ("http", self.tr("HTTP wherever the page proves its list (no check against the browser)")),
        ):
            self.mode_combo.addItem(label, mode)
        self.mode_combo.setToolTip(
            self.tr(
                "How PO pages are read. HTTP uses the browser's session and is much faster; a page it "
                "cannot prove always goes to the browser."
            )
        )

        self.grid_edit = QLineEdit()
        self.grid_edit.setPlaceholderText(self.tr("empty: browsers on this computer"))
        self.grid_edit.setToolTip(
            self.tr(
                "A Selenium Grid 4 address (e.g. http://gridhost:4444): the browsers run on its nodes, "
                "as many as it has free slots, signed in with this computer's sign-in."
            )
        )

        form = QFormLayout()
        form.addRow(self.tr("Coupa address:"), self.base_url_edit)
        form.addRow(self.tr("Download folder:"), root_row)
        form.addRow(self.tr("Browser:"), self.browser_combo)
        form.addRow("", self.headless_check)
        form.addRow(self.tr("Sign-in profile:"), self.profile_combo)
        form.addRow(self.tr("Attempts per PO:"), self.attempts_spin)
        form.addRow(self.tr("Page timeout:"), self.page_timeout_spin)
        form.addRow(self.tr("Download timeout:"), self.download_timeout_spin)
        form.addRow(self.tr("Reading pages:"), self.mode_combo)
        form.addRow(self.tr("Selenium Grid:"), self.grid_edit)
        self.breaker_settings = BreakerSettings()
        form.addRow(self.tr("Stop a group after:"), self.breaker_settings)
        self.facts_check = FactsCheck()
        form.addRow("", self.facts_check)
        form.addRow(self.tr("PO folders:"), self.folders)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _seconds_spin(self, low: float, high: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setDecimals(1)
        spin.setSingleStep(5)
        spin.setSuffix(self.tr(" s"))
        return spin

    def _browser_label(self, kind: str) -> str:
        name = {
            "edge": self.tr("Microsoft Edge"),
            "chrome": self.tr("Google Chrome"),
            "chromium": self.tr("Chromium"),
        }[kind]
        if kind in self._installed:
            return self.tr("{browser} (installed)").format(browser=name)
        return self.tr("{browser} (not found on this computer)").format(browser=name)

    # -- value in, value out ------------------------------------------------------------------------

    def load(self, settings: Settings) -> None:
        """Show ``settings``; fields the dialog does not show (workers, driver...) are kept as they are."""
        self._loaded = settings
        self.base_url_edit.setText(settings.base_url)
        self.root_edit.setText(settings.download_root)
        index = self.browser_combo.findData(settings.browser)
        self.browser_combo.setCurrentIndex(max(index, 0))
        self.headless_check.setChecked(settings.headless)
        self.profile_combo.setCurrentIndex(self._profile_index(settings.profile_dir, settings.profile_name))
        self.attempts_spin.setValue(settings.max_attempts)
        self.page_timeout_spin.setValue(settings.page_timeout)
        self.download_timeout_spin.setValue(settings.download_timeout)
        self.mode_combo.setCurrentIndex(max(self.mode_combo.findData(settings.route_mode), 0))
        self.grid_edit.setText(settings.grid_url)
        self.breaker_settings.load(settings)
        self.facts_check.load(settings)
        self.folders.set_text(settings.folder_template)
        self.error_label.clear()
        self.error_label.setVisible(False)

    def _profile_index(self, profile_dir: str, profile_name: str) -> int:
        """The combo row of this profile, added as "Other" when it was not detected (so it is not lost)."""
        for index, choice in enumerate(self._profiles):
            if choice.matches(profile_dir, profile_name):
                return index
        label = self.tr("Other – {profile} in {folder}").format(profile=profile_name, folder=profile_dir)
        self._profiles.append(ProfileChoice(label, profile_dir, profile_name))
        self.profile_combo.addItem(label)
        return len(self._profiles) - 1

    def settings(self) -> Settings:
        profile = self._profiles[max(self.profile_combo.currentIndex(), 0)]
        edited = dataclasses.replace(
            self._loaded,
            base_url=self.base_url_edit.text().strip(),
            download_root=self.root_edit.text().strip(),
            browser=self.browser_combo.currentData(),
            headless=self.headless_check.isChecked(),
            profile_dir=profile.profile_dir,
            profile_name=profile.profile_name,
            max_attempts=self.attempts_spin.value(),
            page_timeout=self.page_timeout_spin.value(),
            download_timeout=self.download_timeout_spin.value(),
            route_mode=self.mode_combo.currentData(),
            grid_url=self.grid_edit.text().strip(),
            folder_template=self.folders.text(),
            **self.breaker_settings.values(),
        )
        return self.facts_check.applied(edited)

    def problems(self) -> list[str]:
        """What stops the edited settings from running, worded for the user; empty when none."""
        settings = self.settings()
        problems: list[PoDownloaderError] = [*validate(settings)]
        if err := check_writable(settings.root):
            problems.append(err)
        if template := self.folders.problem():  # a token the sheet on screen lacks: the batch refuses it
            problems.append(template)
        return [error_text(problem) for problem in problems]

    # -- actions ------------------------------------------------------------------------------------

    def browse_root(self) -> None:
        current = self.root_edit.text().strip()
        start = Path(current).expanduser() if current else default_download_root()
        if not start.is_dir():
            start = Path.home()
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose the download folder"), str(start))
        if chosen:
            self.root_edit.setText(str(Path(chosen)))

    def accept(self) -> None:
        """Close only on settings that can run; otherwise list the problems inside the dialog."""
        problems = self.problems()
        if problems:
            self.error_label.setText("\n".join(f"• {problem}" for problem in problems))
            self.error_label.setVisible(True)
            return
        self.error_label.setVisible(False)
        super().accept()


def edit_settings(
    parent: QWidget | None,
    dirs: AppDirs,
    current: Settings | None = None,
    *,
    save: bool = True,
    plan: BatchPlan | None = None,
) -> Settings | None:
    """Show ``current`` (default: the saved settings) for editing; return them when accepted (saved
    unless ``save`` is False: the demo's settings are for this session only), None when cancelled.

    Settings that cannot be saved are still returned (valid for this session) after telling the user.
    ``plan``: the sheet on screen, for the folder preview.
    """
    dialog = SettingsDialog(parent, plan=plan)
    dialog.load(current if current is not None else load_settings(dirs))
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        settings = dialog.settings()
    finally:
        dialog.deleteLater()
    if not save:
        return settings
    try:
        save_settings(dirs, settings)
    except OSError as exc:
        log.error("could not save the settings to %s: %s", dirs.settings_file, exc)
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("SettingsDialog", "Settings not saved"),
            QCoreApplication.translate(
                "SettingsDialog", "The settings apply until you quit, but could not be saved:\n{error}"
            ).format(error=exc),
        )
    return settings
