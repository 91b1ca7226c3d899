"""The tray with and without a system tray, and the desktop helpers (open, copy) next to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from po_downloader.ui.desktop import copy_text, open_path, open_url
from po_downloader.ui.tray import Tray


@pytest.fixture
def shown_messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Pretend the desktop has a tray that shows messages; record them instead of showing them."""
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    monkeypatch.setattr(
        QSystemTrayIcon, "showMessage", lambda self, title, message, *rest: messages.append((title, message))
    )
    return messages


@pytest.fixture
def tray(qtbot, shown_messages) -> Iterator[Tray]:
    """Owned by a window, as in the app; the fixture keeps the window alive."""
    window = QWidget()
    qtbot.addWidget(window)
    yield Tray(window)


def _icon(tray: Tray) -> QSystemTrayIcon:
    icon = tray.findChild(QSystemTrayIcon)
    assert icon is not None
    return icon


def test_without_a_tray_notify_asks_for_the_fallback(qapp) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable(), "offscreen has no tray"
    tray = Tray()
    assert not tray.available
    assert tray.menu is None
    assert tray.findChild(QSystemTrayIcon) is None
    assert tray.notify("Batch finished", "12 POs") is False
    tray.show()  # harmless without a tray
    tray.set_paused(True)
    assert tray.pause_action.text() == "Resume"


def test_the_menu_offers_show_pause_and_quit(tray) -> None:
    assert tray.available
    texts = [a.text() for a in tray.menu.actions() if a.isVisible() and not a.isSeparator()]  # before a batch
    assert texts == ["Show window", "Pause", "Quit"]
    assert _icon(tray).contextMenu() is tray.menu
    assert not _icon(tray).icon().isNull(), "a tray entry without an icon is invisible"


def test_menu_actions_emit_the_signals(tray, qtbot) -> None:
    with qtbot.waitSignal(tray.show_requested, timeout=1000):
        tray.show_action.trigger()
    with qtbot.waitSignal(tray.quit_requested, timeout=1000):
        tray.quit_action.trigger()
    with qtbot.waitSignal(tray.pause_toggled, timeout=1000) as blocker:
        tray.pause_action.trigger()
    assert blocker.args == [True]


def test_pause_text_follows_the_confirmed_state(tray, qtbot) -> None:
    tray.set_paused(True)
    assert tray.pause_action.text() == "Resume"
    with qtbot.waitSignal(tray.pause_toggled, timeout=1000) as blocker:
        tray.pause_action.trigger()
    assert blocker.args == [False]
    tray.set_paused(False)
    assert tray.pause_action.text() == "Pause"


def test_clicking_the_icon_or_the_message_shows_the_window(tray, qtbot) -> None:
    with qtbot.waitSignal(tray.show_requested, timeout=1000):
        _icon(tray).activated.emit(QSystemTrayIcon.ActivationReason.DoubleClick)
    with qtbot.waitSignal(tray.show_requested, timeout=1000):
        _icon(tray).messageClicked.emit()
    with qtbot.assertNotEmitted(tray.show_requested):
        _icon(tray).activated.emit(QSystemTrayIcon.ActivationReason.Context)


def test_notify_shows_a_tray_message(tray, shown_messages) -> None:
    assert tray.notify("Batch finished", "12 POs: 12 completed") is True
    assert shown_messages == [("Batch finished", "12 POs: 12 completed")]


def test_notify_falls_back_when_the_tray_cannot_show_messages(
    tray, shown_messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: False))
    assert tray.notify("Batch finished", "done") is False
    assert shown_messages == []


# -- desktop helpers --------------------------------------------------------------------------------


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    return urls


def test_copy_text_reaches_the_clipboard(qapp) -> None:
    copy_text("https://acme.coupahost.com/order_headers/123")
    assert QGuiApplication.clipboard().text() == "https://acme.coupahost.com/order_headers/123"


def test_open_path_opens_a_local_file_url(opened, tmp_path: Path) -> None:
    folder = tmp_path / "PO 123"
    assert open_path(folder) is True
    assert opened[0].isLocalFile() and Path(opened[0].toLocalFile()) == folder


@pytest.mark.expect_log("po_downloader.ui.desktop", r"the desktop could not open ")
def test_open_path_reports_failure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    assert open_path(tmp_path) is False


@pytest.mark.expect_log("po_downloader.ui.desktop", r"not opening 'not an address': not a web address")
@pytest.mark.expect_log("po_downloader.ui.desktop", r"not opening 'javascript:alert\(1\)': not a web address")
def test_open_url_opens_web_addresses_only(opened) -> None:
    assert open_url("https://acme.coupahost.com/order_headers/123") is True
    assert opened[0].toString() == "https://acme.coupahost.com/order_headers/123"
    assert open_url("javascript:alert(1)") is False
    assert open_url("not an address") is False
    assert len(opened) == 1
