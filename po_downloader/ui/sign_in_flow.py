"""Signing in to Coupa from the window: a visible browser, a check that the sign-in took, then resume.

Its own class so the whole round trip (banner → sign in → verify → ``signed_in``) can be driven in a test:
the user's browser sign-in and the verification are callables given at construction, and only the
defaults open a browser. Both run on a thread, awaited by a coroutine: the browser waits for the user, the
check loads a page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from po_downloader.engine.browser.launch import BrowserSpec, interactive_sign_in
from po_downloader.engine.browser.signin import SignInCheck, verify_signed_in
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.run.batch import ConfigError, sign_in_setup
from po_downloader.engine.system.paths import AppDirs, private_dir
from po_downloader.engine.system.settings import Settings
from po_downloader.ui import jobs
from po_downloader.ui.banner import Banner
from po_downloader.ui.error_text import error_text

log = logging.getLogger(__name__)

SignInAction = Callable[[], None]
"""Lets the user sign in; returns once they are done (the default: a visible browser they close)."""
Verifier = Callable[[], SignInCheck]
"""Checks the sign-in took (the default: a hidden browser on a copy of the profile)."""


class SignInFlow(QObject):
    """Asks for a sign-in on its banner, runs it and its check off the GUI thread, reports the outcome.

    Signals: ``signed_in()`` once a sign-in is verified (the window resumes its batch);
    ``stop_requested()`` from the banner's "Stop the batch"; ``busy_changed(bool)`` while the browser is
    open and the check runs; ``status(str, int)``: a status-bar message ("" clears it) and its timeout in ms.
    """

    signed_in = Signal()
    stop_requested = Signal()
    busy_changed = Signal(bool)
    status = Signal(str, int)

    def __init__(
        self,
        dirs: AppDirs,
        banner: Banner,
        settings: Callable[[], Settings],
        *,
        sign_in_action: SignInAction | None = None,
        verifier: Verifier | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``settings`` returns the window's current settings (they change with the dialog and the demo)."""
        super().__init__(parent)
        self.dirs = dirs
        self.banner = banner
        self._settings = settings
        self.sign_in_action: SignInAction = sign_in_action or self._interactive_sign_in
        self.verifier: Verifier = verifier or self._verify_in_browser
        self.busy = False

    def ask(self, message: str) -> None:
        """Coupa wants a new sign-in mid-batch: the batch is held until :attr:`signed_in`."""
        self.banner.show_message(
            self.tr(
                "Coupa asks you to sign in again ({message}). The batch is paused and resumes where it "
                "stopped once you have signed in."
            ).format(message=message),
            [(self.tr("Sign in…"), self.sign_in), (self.tr("Stop the batch"), self.stop_requested.emit)],
        )

    def sign_in(self) -> None:
        """Open a visible browser for the user to sign in; check the sign-in took; resume a paused batch."""
        if self.busy:  # one browser at a time on the sign-in profile
            return
        self._set_busy(True)
        self.status.emit(self.tr("Sign in in the browser window, then close it…"), 0)
        jobs.start(self._sign_in(), name="signing in")

    async def _sign_in(self) -> None:
        try:
            result = await jobs.in_thread(self._sign_in_and_verify)
        except Exception as exc:
            self._sign_in_failed(exc)
        else:
            self._signed_in(result)

    def _sign_in_and_verify(self) -> SignInCheck:
        self.sign_in_action()
        return self.verifier()

    def _verify_in_browser(self) -> SignInCheck:
        return verify_signed_in(sign_in_setup(self._settings(), self.dirs), self.dirs)

    def _interactive_sign_in(self) -> None:
        settings = self._settings()
        if settings.profile_dir:
            raise ConfigError(ErrorKind.SIGN_IN_WITH_OWN_BROWSER, "sign in with your own browser")
        interactive_sign_in(
            BrowserSpec(settings.browser, False, settings.driver),
            private_dir(self.dirs.signin_profile),
            settings.base_url,
        )

    def _signed_in(self, result: SignInCheck) -> None:
        self._set_busy(False)
        self.status.emit("", 0)
        if result.error is not None:
            self.banner.show_message(
                self.tr("The sign-in did not take: {detail}").format(detail=error_text(result.error)),
                [(self.tr("Try again…"), self.sign_in)],
            )
            return
        self.banner.hide()
        self.status.emit(self.tr("Signed in to Coupa"), 5000)
        self.signed_in.emit()

    def _sign_in_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.status.emit("", 0)
        self.banner.show_message(
            self.tr("Could not sign in: {e}").format(e=error_text(exc)),
            [(self.tr("Try again…"), self.sign_in)],
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)
