"""Helpers for tests that drive the main window."""

from __future__ import annotations

from pathlib import Path


def load_sheet(qtbot, window, path: Path, timeout: int = 30_000) -> bool:
    """``window.load_file(path)`` and wait for the read (it runs off the GUI thread): True when loaded."""
    with qtbot.waitSignal(window.sheet_loaded, timeout=timeout) as blocker:
        assert window.load_file(path), "load_file refused the sheet"
    return bool(blocker.args[0])
