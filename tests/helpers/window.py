"""Helpers for tests that drive the main window."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from po_downloader.engine.browser.signin import SignInCheck
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.models import PoStatus


def load_sheet(qtbot, window, path: Path, timeout: int = 30_000) -> bool:
    """``window.load_file(path)`` and wait for the read (it runs off the GUI thread): True when loaded."""
    with qtbot.waitSignal(window.sheet_loaded, timeout=timeout) as blocker:
        assert window.load_file(path), "load_file refused the sheet"
    return bool(blocker.args[0])


def still_signed_out() -> SignInCheck:
    """What the check says when the portal still sends the browser to its sign-in page."""
    page = "https://sso.example/login"
    return SignInCheck(
        page,
        PoDownloaderError(
            ErrorKind.SIGN_IN_DID_NOT_TAKE, "not signed in", url="https://coupa.example", page=page
        ),
    )


def row_counts(window) -> Counter[PoStatus]:
    """How many of the window's table rows show each status."""
    return Counter(r.outcome.status for r in window.model.rows())
