"""Logging set-up shared by the CLI and the GUI: a rotating file in the app's log dir.

This process is the file's only writer. Worker processes send their records over their pipe
(``run/log_relay.py``) and the controller hands them to these handlers: a second process writing the
file would keep writing to the old file after a rotation, and on Windows would make rotating fail.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from po_downloader.engine.system.display import terminal_text
from po_downloader.engine.system.paths import AppDirs

FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
FROM_WORKER = "po_worker"
"""The attribute (the worker's id) a record relayed from a worker carries in this process."""
CHATTY_LOGGERS = ("selenium", "urllib3", "httpx", "httpcore", "hpack", "h2")
"""Libraries whose debug lines carry whole WebDriver commands and replies, HTTP/2 header blocks (cookies
too), or (httpx's info lines) whole URLs with their signed queries: warnings only."""


def quiet_chatty_loggers() -> None:
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


class TerminalFormatter(logging.Formatter):
    """The console's lines: a record's message may quote the portal (a supplier, a file name), whose
    escape sequences must not reach the terminal; the file keeps the text as it was."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_text(super().format(record), keep_newlines=True)


def from_worker(record: logging.LogRecord) -> bool:
    return hasattr(record, FROM_WORKER)


def setup_logging(dirs: AppDirs, *, console_level: int = logging.WARNING, max_bytes: int = 5_000_000) -> Path:
    """Log everything to ``po-downloader.log`` (workers' records too) and this process's warnings to stderr.

    Workers report their problems as events, which the front ends show; their log lines stay in the file.
    """
    dirs.logs.mkdir(parents=True, exist_ok=True)
    path = dirs.logs / "po-downloader.log"
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in [h for h in root.handlers if getattr(h, "_po_downloader", False)]:
        root.removeHandler(handler)  # a second call (tests, GUI after CLI) replaces ours, not others'
        handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=3, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(FORMAT))
    console = logging.StreamHandler()
    console.setLevel(console_level)
    console.setFormatter(TerminalFormatter("%(levelname)s: %(message)s"))
    console.addFilter(lambda record: not from_worker(record))
    ours: tuple[logging.Handler, ...] = (file_handler, console)
    for handler in ours:
        # a marker attribute Handler does not declare: how a second call finds (only) our handlers
        handler._po_downloader = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    quiet_chatty_loggers()
    return path
