"""The PO's folder while it is worked: earlier folders of the same PO taken over, and what an attempt that
ends without a verdict leaves behind (its files, for the next attempt; never an empty folder)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.folders import (
    adopt_folder,
    earlier_folders,
    finalise_folder,
    folder_name_status,
    folder_status,
)


def adopt_earlier(folder: Path, display: str, task_folder: str, root: Path) -> list[PoStatus]:
    """Take over the folders an earlier run made for this PO (worked before: add to that folder, never
    a "(2)" beside it); returns the statuses they were named with."""
    before: list[PoStatus] = []
    for earlier in earlier_folders(folder, display, task_folder):
        named = folder_status(earlier, display)
        if adopt_folder(earlier, folder, root) and named is not None:
            before.append(named)
    return before


def leave_unfinished(folder: Path, display: str, before: list[PoStatus], root: Path) -> None:
    """The attempt ends without a verdict: files that arrived stay for the next attempt, but a folder with
    nothing in it is not left behind as if the PO had been worked, and a finished folder taken over gets
    its name back (its earlier status is still true for its files)."""
    if before and holds_files(folder):
        with contextlib.suppress(OSError):
            finalise_folder(folder, display, folder_name_status(before, PoStatus.FAILED))
    drop_if_empty(folder, root)


def holds_files(folder: Path) -> bool:
    """Whether ``folder`` has any file in it (a folder with nothing in it promises nothing)."""
    try:
        with os.scandir(folder) as entries:
            return any(entry.is_file(follow_symlinks=False) for entry in entries)
    except OSError:
        return False


def drop_if_empty(folder: Path, root: Path) -> None:
    """Remove ``folder`` and then its supplier folder if they are empty (never ``root`` itself)."""
    for path in (folder, folder.parent):
        if path == root:
            return
        try:
            path.rmdir()  # only succeeds when empty: nothing that arrived is ever removed
        except OSError:
            return
