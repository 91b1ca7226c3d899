"""The end-of-batch notice: it names the download folder and offers "Open folder" and, when something
failed, "Retry failed", in the tray's menu (Qt's notifications carry no buttons) and in the window's banner
where there is no tray (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QSystemTrayIcon

from po_downloader.engine.models import PoStatus
from po_downloader.engine.system.settings import Settings
from po_downloader.ui.app import connect_tray
from po_downloader.ui.main_window import MainWindow
from po_downloader.ui.tray import Tray, batch_notice
from tests.helpers.window import calls, make_window, run_to_end, statuses

pytestmark = pytest.mark.timeout(120)

ATTEMPTS = Settings().max_attempts
FAILS_ONCE_THROUGH = {"10000003": ["fail"] * ATTEMPTS + ["ok:1"]}  # FAILED in the batch, fine on a retry


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """What the desktop was asked to open (local paths), instead of opening it."""
    paths: list[Path] = []

    def fake_open(url: QUrl) -> bool:
        paths.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    return paths


@pytest.fixture
def shown_messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A desktop with a tray that shows messages, recorded instead of shown."""
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    monkeypatch.setattr(
        QSystemTrayIcon, "showMessage", lambda self, title, message, *rest: messages.append((title, message))
    )
    return messages


def _menu_texts(tray: Tray) -> list[str]:
    assert tray.menu is not None
    return [a.text() for a in tray.menu.actions() if a.isVisible() and not a.isSeparator()]


def test_the_notice_names_the_folder(qapp, tmp_path: Path) -> None:
    notice = batch_notice("6 POs: 6 completed", tmp_path / "Downloads", can_retry=False)
    assert notice.title == "Batch finished"
    assert notice.message.splitlines() == ["6 POs: 6 completed", f"Files in {tmp_path / 'Downloads'}"]
    assert notice.folder == tmp_path / "Downloads" and not notice.can_retry


def test_the_tray_menu_carries_both_actions_after_a_batch_with_failures(
    qtbot, shown_messages, tmp_path: Path
) -> None:
    tray = Tray()
    assert _menu_texts(tray) == ["Show window", "Pause", "Quit"], "no batch has ended yet"
    assert tray.notify_batch(batch_notice("6 POs", tmp_path, can_retry=True)) is True
    assert shown_messages == [("Batch finished", f"6 POs\nFiles in {tmp_path}")]
    assert _menu_texts(tray) == ["Show window", "Pause", "Open folder", "Retry failed", "Quit"]
    with qtbot.waitSignal(tray.open_folder_requested, timeout=1000) as blocker:
        tray.open_folder_action.trigger()
    assert blocker.args == [tmp_path]
    with qtbot.waitSignal(tray.retry_failed_requested, timeout=1000):
        tray.retry_failed_action.trigger()
    assert "Retry failed" not in _menu_texts(tray), "one retry per notice"


def test_the_tray_offers_no_retry_when_nothing_failed(qtbot, shown_messages, tmp_path: Path) -> None:
    tray = Tray()
    tray.notify_batch(batch_notice("6 POs", tmp_path, can_retry=True))
    tray.notify_batch(batch_notice("6 POs", tmp_path, can_retry=False))
    assert _menu_texts(tray) == ["Show window", "Pause", "Open folder", "Quit"]


def _window(qtbot, tmp_path: Path, script: dict[str, list[str]]) -> MainWindow:
    window = make_window(qtbot, tmp_path, script)
    run_to_end(qtbot, window, window.start_button.click)
    return window


def test_without_a_tray_the_banner_names_the_folder_and_offers_both_actions(
    qtbot, tmp_path: Path, app_home: Path, opened: list[Path]
) -> None:
    window = _window(qtbot, tmp_path, FAILS_ONCE_THROUGH)
    tray = Tray(window)
    connect_tray(window, tray)
    assert not tray.available, "offscreen has no tray"
    assert statuses(window)[2] == PoStatus.FAILED
    banner = window.finish_banner
    assert f"Files in {tmp_path / 'out'}" in banner.label.text()
    banner.button("Open download folder").click()
    assert opened == [tmp_path / "out"]
    before = {d: calls(tmp_path, d) for d in ("10000001", "10000003")}
    run_to_end(qtbot, window, banner.button("Retry failed").click)
    assert set(statuses(window)) == {PoStatus.COMPLETED}
    assert calls(tmp_path, "10000003") == before["10000003"] + 1, "the failed row ran again"
    assert calls(tmp_path, "10000001") == before["10000001"], "a completed row did not"
    with pytest.raises(LookupError):  # nothing failed this time
        window.finish_banner.button("Retry failed")


def test_the_tray_notice_of_a_finished_batch_retries_its_failed_rows(
    qtbot, tmp_path: Path, app_home: Path, shown_messages, opened: list[Path]
) -> None:
    window = make_window(qtbot, tmp_path, FAILS_ONCE_THROUGH)
    tray = Tray(window)
    connect_tray(window, tray)
    run_to_end(qtbot, window, window.start_button.click)
    qtbot.waitUntil(lambda: bool(shown_messages), timeout=5000)
    title, message = shown_messages[-1]
    assert title == "Batch finished" and f"Files in {tmp_path / 'out'}" in message
    tray.open_folder_action.trigger()
    assert opened == [tmp_path / "out"]
    assert "Retry failed" in _menu_texts(tray)
    before = calls(tmp_path, "10000003")
    run_to_end(qtbot, window, tray.retry_failed_action.trigger)
    assert set(statuses(window)) == {PoStatus.COMPLETED}
    assert calls(tmp_path, "10000003") == before + 1
    qtbot.waitUntil(lambda: len(shown_messages) == 2, timeout=5000)
    assert "Retry failed" not in _menu_texts(tray), "the second batch left nothing to retry"


@pytest.fixture
def tray_pt(qtbot, portuguese, shown_messages) -> Iterator[Tray]:
    yield Tray()


def test_the_notice_and_its_actions_in_portuguese(tray_pt: Tray, shown_messages, tmp_path: Path) -> None:
    tray_pt.notify_batch(batch_notice("6 POs", tmp_path, can_retry=True))
    title, message = shown_messages[-1]
    assert title == "Lote concluído"
    assert message.endswith(f"Arquivos em {tmp_path}")
    assert _menu_texts(tray_pt) == [
        "Mostrar janela",
        "Pausar",
        "Abrir pasta",
        "Repetir POs com falha",
        "Sair",
    ]
