"""The PO folder's life: ``<PO>__WORK`` while in progress, ``<PO>_<STATUS>`` at the end."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.naming import final_folder_name, unique_path

log = logging.getLogger(__name__)


def finalise_folder(work: Path, po_display: str, status: PoStatus) -> Path:
    """Rename the work folder to its final name; an existing folder of that name is never merged into."""
    target = unique_path(work.parent, final_folder_name(po_display, status.value))
    os.replace(work, target)
    log.debug("%s → %s", work.name, target.name)
    return target
