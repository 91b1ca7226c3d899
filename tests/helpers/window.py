"""Helpers for tests that drive the main window."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from po_downloader.engine.browser.signin import SignInCheck
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.main_window import MainWindow
from tests.helpers.batch import settings_for


def load_sheet(qtbot, window, path: Path, timeout: int = 30_000) -> bool:
    """``window.load_file(path)`` and wait for the read (it runs off the GUI thread): True when loaded."""
    with qtbot.waitSignal(window.sheet_loaded, timeout=timeout) as blocker:
        assert window.load_file(path), "load_file refused the sheet"
    return bool(blocker.args[0])


def window_with_sheet(
    qtbot, tmp_path: Path, pos: Iterable[str], controller_factory: Callable, **seams: Any
) -> MainWindow:
    """The main window, shown, whose batches are made by ``controller_factory`` (scripted workers, no
    browser): its settings name an address nothing answers and ``tmp_path``'s profile, and a sheet of
    ``pos`` (digits) is loaded."""
    window = MainWindow(app_dirs(), controller_factory=controller_factory, **seams)
    qtbot.addWidget(window)
    window.show()
    profile = tmp_path / "profile"
    profile.mkdir()
    window.settings = settings_for("http://127.0.0.1:9", profile, tmp_path / "out")
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    assert load_sheet(qtbot, window, sheet)
    return window


def still_signed_out() -> SignInCheck:
    """What the check says when the portal still sends the browser to its sign-in page."""
    page = "https://sso.example/login"
    return SignInCheck(
        page,
        PoDownloaderError(
            ErrorKind.SIGN_IN_DID_NOT_TAKE, "not signed in", url="https://coupa.example", page=page
        ),
    )
