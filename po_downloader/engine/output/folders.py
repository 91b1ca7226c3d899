"""The PO folder's life: ``<PO>__WORK`` while in progress, ``<PO>_<STATUS>`` at the end."""

from __future__ import annotations

import logging
import os
import stat
import unicodedata
from pathlib import Path

from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.naming import final_folder_name, unique_path, work_folder

log = logging.getLogger(__name__)


class UnsafeFolder(OSError):
    """A folder on the way to a PO's files is a link (or not a folder at all).

    Following a link planted inside the download root could write the PO's files anywhere on the disk,
    so the PO fails instead and the message names the link.
    """


def make_work_folder(root: Path, supplier: str, po_display: str) -> Path:
    """Create ``<root>/<supplier>/<PO>__WORK`` and return it, never through a link inside ``root``.

    ``root`` itself may be a link: the user chose it. A supplier folder already there under another
    Unicode normalisation form (``Março`` decomposed, as macOS writes names) is the same supplier and is
    reused rather than doubled by a look-alike twin; new folders are named in NFC.
    """
    planned = work_folder(root, supplier, po_display)
    root.mkdir(parents=True, exist_ok=True)
    supplier_dir = root / _existing_form(root, planned.parent.name)
    folder = supplier_dir / planned.name
    for path in (supplier_dir, folder):
        _make_real_dir(path, root)
    return folder


def _existing_form(directory: Path, name: str) -> str:
    """``name`` as it is already spelled in ``directory`` (same characters, any normalisation form)."""
    key = unicodedata.normalize("NFC", name)
    try:
        with os.scandir(directory) as entries:
            forms = sorted(e.name for e in entries if unicodedata.normalize("NFC", e.name) == key)
    except OSError:
        return name
    return name if name in forms or not forms else forms[0]


def _make_real_dir(path: Path, root: Path) -> None:
    try:
        path.mkdir()
    except FileExistsError:
        pass
    info = os.lstat(path)
    inside = path.relative_to(root)
    reparse = getattr(info, "st_file_attributes", 0) & stat.FILE_ATTRIBUTE_REPARSE_POINT  # Windows junction
    if stat.S_ISLNK(info.st_mode) or reparse:
        raise UnsafeFolder(
            f"{inside} in the download folder is a link to {_target(path)}; "
            "links there are never followed: replace it with a real folder"
        )
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFolder(f"{inside} in the download folder is a file, not a folder")


def _target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "another place"


def finalise_folder(work: Path, po_display: str, status: PoStatus) -> Path:
    """Rename the work folder to its final name; an existing folder of that name is never merged into."""
    target = unique_path(work.parent, final_folder_name(po_display, status.value))
    os.replace(work, target)
    log.debug("%s → %s", work.name, target.name)
    return target
