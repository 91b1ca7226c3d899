"""The demo launcher with a stand-in starter: the first-run banner, ready and failure, stopping the portal."""

from __future__ import annotations

import threading
from pathlib import Path

from po_downloader.demo_portal.setup import Demo, DemoError
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.system.paths import AppDirs, app_dirs
from po_downloader.engine.system.settings import Settings
from po_downloader.ui.banner import Banner
from po_downloader.ui.demo_launcher import DemoLauncher


class FakePortal:
    def __init__(self, n: int) -> None:
        self.base_url = f"http://127.0.0.1:{8000 + n}"
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class FakeStarter:
    def __init__(self, tmp_path: Path, fail: bool = False) -> None:
        self.tmp_path = tmp_path
        self.fail = fail
        self.calls: list[tuple[str, bool]] = []
        self.portals: list[FakePortal] = []

    def __call__(self, dirs: AppDirs, browser: str) -> Demo:
        self.calls.append((browser, threading.current_thread() is threading.main_thread()))
        if self.fail:
            raise DemoError(ErrorKind.NO_BROWSER_INSTALLED, "english for the log")
        portal = FakePortal(len(self.portals))
        self.portals.append(portal)
        sheet = self.tmp_path / "demo_pos.csv"
        sheet.write_text("PO_NUMBER\nPO10000001\n", encoding="utf-8")
        return Demo(portal, Settings(base_url=portal.base_url), sheet)  # type: ignore[arg-type]


def make_launcher(banner: Banner, tmp_path: Path, starter: FakeStarter) -> DemoLauncher:
    return DemoLauncher(
        app_dirs(tmp_path / "home"),
        banner,
        lambda: Settings(browser="chrome"),
        starter=starter,
        parent=banner,
    )


def test_the_offer_tries_the_demo_or_opens_the_settings(qtbot, banner: Banner, tmp_path: Path) -> None:
    launcher = make_launcher(banner, tmp_path, FakeStarter(tmp_path))
    launcher.offer()
    assert "No Coupa address" in banner.label.text()
    assert banner.button_texts() == ["Try the demo portal", "Settings…"]
    with qtbot.waitSignal(launcher.settings_requested, timeout=1000):
        banner.button("Settings…").click()


def test_the_demo_starts_off_the_gui_thread_and_hands_over_its_sheet(
    qtbot, banner: Banner, tmp_path: Path
) -> None:
    starter = FakeStarter(tmp_path)
    launcher = make_launcher(banner, tmp_path, starter)
    launcher.offer()
    with qtbot.waitSignal(launcher.ready, timeout=10_000) as ready:
        banner.button("Try the demo portal").click()
        assert "Starting the demo portal" in banner.label.text()
    demo = ready.args[0]
    assert starter.calls == [("chrome", False)]  # the preferred browser, on a pool thread
    assert launcher.running and launcher.demo is demo
    assert demo.portal.base_url in banner.label.text() and banner.button_texts() == []


def test_a_second_demo_stops_the_first_portal_and_closing_stops_the_last(
    qtbot, banner: Banner, tmp_path: Path
) -> None:
    starter = FakeStarter(tmp_path)
    launcher = make_launcher(banner, tmp_path, starter)
    for _ in range(2):
        with qtbot.waitSignal(launcher.ready, timeout=10_000):
            launcher.start()
    first, second = starter.portals
    assert first.stopped and not second.stopped
    launcher.shutdown()
    assert second.stopped and not launcher.running


def test_a_demo_that_cannot_start_says_why_and_offers_the_settings(
    qtbot, banner: Banner, tmp_path: Path
) -> None:
    launcher = make_launcher(banner, tmp_path, FakeStarter(tmp_path, fail=True))
    launcher.start()
    qtbot.waitUntil(lambda: "could not start" in banner.label.text(), timeout=10_000)
    assert "no Microsoft Edge, Google Chrome or Chromium found on this computer" in banner.label.text()
    assert banner.button_texts() == ["Settings…"]
    assert not launcher.running
