"""What a batch checks of its download root before any worker starts: that the root is this batch's
alone (a second batch on it would download every PO twice) and that the browsers' staging folder in it
is a real folder (one planted there as a link would have every file written wherever it points)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.output.folders import UnsafeFolder, ensure_real_dir
from po_downloader.engine.system.root_lock import RootBusyError, RootLock

log = logging.getLogger(__name__)

STAGING_DIRNAME = ".po-downloader-staging"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the batch cannot go on: ``message`` in English for logs, ``kind`` and ``details`` for the edges."""

    message: str
    kind: ErrorKind
    details: dict[str, str] = field(default_factory=dict)


def lock_root(root: Path, data: Path, source: str) -> RootLock | Refusal | None:
    """The root for this batch alone (the lock to release at its end), or the refusal when another batch
    has it. None: no lock to be had (the data folder unwritable); downloads still work, unguarded."""
    try:
        return RootLock.acquire(root, data, input_path=source)
    except RootBusyError as exc:
        log.info("refused: %s", exc)
        return Refusal(str(exc), exc.kind, exc.details)
    except OSError as exc:
        log.warning("could not lock the download folder (%s); a second batch on it is not refused", exc)
        return None


def check_staging(root: Path) -> Refusal | None:
    """Browsers download into ``<root>/.po-downloader-staging``: a refusal if that is not a real folder."""
    staging = root / STAGING_DIRNAME
    try:
        root.mkdir(parents=True, exist_ok=True)
        ensure_real_dir(staging, root)
    except UnsafeFolder as exc:
        log.info("refused: %s", exc)
        return Refusal(str(exc), ErrorKind.STAGING_IS_LINK, {"path": str(staging)})
    return None
