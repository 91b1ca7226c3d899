"""Logging set-up shared by the CLI and the GUI: a rotating file in the app's log dir."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from po_downloader.engine.system.paths import AppDirs

FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def setup_logging(dirs: AppDirs, *, console_level: int = logging.WARNING) -> Path:
    """Log everything to ``po-downloader.log`` (workers append to it too) and warnings to stderr."""
    dirs.logs.mkdir(parents=True, exist_ok=True)
    path = dirs.logs / "po-downloader.log"
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in [h for h in root.handlers if getattr(h, "_po_downloader", False)]:
        root.removeHandler(handler)  # a second call (tests, GUI after CLI) replaces ours, not others'
        handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5_000_000, backupCount=3, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(FORMAT))
    console = logging.StreamHandler()
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    ours: tuple[logging.Handler, ...] = (file_handler, console)
    for handler in ours:
        # a marker attribute Handler does not declare: how a second call finds (only) our handlers
        handler._po_downloader = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    logging.getLogger("selenium").setLevel(logging.WARNING)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    return path
