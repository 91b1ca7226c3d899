"""Hand-offs to the desktop: open a folder or file, open a web page, copy text.

The opening functions return False instead of raising, so the caller can tell the user what to do instead.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

log = logging.getLogger(__name__)


def open_path(path: Path) -> bool:
    """Open ``path`` with the system's default application (a folder in the file manager)."""
    opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    if not opened:
        log.warning("the desktop could not open %s", path)
    return opened


def open_url(url: str) -> bool:
    """Open a web address in the default browser; a malformed address is refused, not guessed at."""
    qurl = QUrl(url, QUrl.ParsingMode.StrictMode)
    if not qurl.isValid() or qurl.scheme() not in ("http", "https"):
        log.warning("not opening %r: not a web address", url)
        return False
    opened = QDesktopServices.openUrl(qurl)
    if not opened:
        log.warning("the desktop could not open %s", url)
    return opened


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)
