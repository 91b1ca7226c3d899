"""The bundled demo portal, offered on first run: start it on a thread (a coroutine awaits it), stop it on
close.

Its own class because the demo has a life of its own (a portal process, a signed-in profile, a sheet) that
the window only consumes: on ``ready`` it takes the demo's settings and loads its sheet. The starter is a
callable so tests run the flow without a portal or a browser.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from po_downloader.engine.system.paths import AppDirs
from po_downloader.engine.system.settings import Settings
from po_downloader.ui import jobs
from po_downloader.ui.banner import Banner
from po_downloader.ui.error_text import error_text

if TYPE_CHECKING:
    from po_downloader.demo_portal.setup import Demo

log = logging.getLogger(__name__)

DemoStarter = Callable[[AppDirs, str], "Demo"]
"""``(dirs, preferred browser) -> Demo``: starts a portal, signs a profile in, writes the demo sheet."""


def start_bundled_demo(dirs: AppDirs, browser: str) -> Demo:
    """The real starter: the demo portal with 24 POs, on whichever browser this machine has."""
    from po_downloader.demo_portal.setup import pick_browser, start_demo

    return start_demo(dirs, browser=pick_browser(browser), count=24)


class DemoLauncher(QObject):
    """Owns the running demo (``demo``, None until the user tries it) and the first-run banner.

    Signals: ``ready(Demo)`` once the portal runs and its sheet is written; ``settings_requested()`` from
    the banner's "Settings…" buttons.
    """

    ready = Signal(object)
    settings_requested = Signal()

    def __init__(
        self,
        dirs: AppDirs,
        banner: Banner,
        settings: Callable[[], Settings],
        *,
        starter: DemoStarter = start_bundled_demo,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.dirs = dirs
        self.banner = banner
        self._settings = settings
        self.starter = starter
        self.demo: Demo | None = None

    @property
    def running(self) -> bool:
        return self.demo is not None

    def offer(self) -> None:
        """No Coupa configured: say what to do, with the demo one click away."""
        self.banner.show_message(
            self.tr(
                "No Coupa address is configured yet. Try the bundled demo portal to see a batch work end "
                "to end, or enter your company's Coupa address in the settings."
            ),
            [
                (self.tr("Try the demo portal"), self.start),
                (self.tr("Settings…"), self.settings_requested.emit),
            ],
        )

    def start(self) -> None:
        self.banner.show_message(self.tr("Starting the demo portal and signing in…"), [])
        jobs.start(self._start(self._settings().browser), name="starting the demo")

    async def _start(self, browser_pref: str) -> None:
        dirs, starter = self.dirs, self.starter
        try:
            demo = await jobs.in_thread(lambda: starter(dirs, browser_pref))
        except Exception as exc:
            self._demo_failed(exc)
        else:
            self._demo_ready(demo)

    def _demo_ready(self, demo: Demo) -> None:
        if self.demo is not None:
            self.demo.portal.stop()
        self.demo = demo
        self.banner.show_message(
            self.tr("Demo portal running at {url}. The demo sheet is loaded: press Start.").format(
                url=demo.portal.base_url
            ),
            [],
        )
        self.ready.emit(demo)

    def _demo_failed(self, exc: Exception) -> None:
        self.banner.show_message(
            self.tr("The demo could not start: {e}").format(e=error_text(exc)),
            [(self.tr("Settings…"), self.settings_requested.emit)],
        )

    def shutdown(self) -> None:
        """Stop the demo portal (the window is closing)."""
        if self.demo is not None:
            self.demo.portal.stop()
            self.demo = None
