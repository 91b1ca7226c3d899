"""Attachments whose files an earlier run left in the PO's folder (resume, a re-run): bytes checked against
the journal, counted and told, not downloaded again. A file the user changed stays theirs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from po_downloader.engine.download_route import Attachment
from po_downloader.engine.models import KnownFile, PoNumber
from po_downloader.engine.run.resume import drop_changed, match_known, shared_paths, still_there, users_copy
from po_downloader.engine.run.saved_files import SavedFiles
from po_downloader.engine.system.display import url_for_record

log = logging.getLogger(__name__)


@dataclass
class Kept:
    fetched: list[Attachment] = field(default_factory=list)
    """Attachments whose file is already here with the recorded bytes: not fetched again."""
    saved: list[Path] = field(default_factory=list)
    """Their files (each one listed attachment's bytes on disk)."""
    edited: list[tuple[Attachment, str]] = field(default_factory=list)
    """Attachments whose file the user changed since it was saved: fetched again, saved beside it."""

    def edited_name(self, att: Attachment) -> str | None:
        """The name of ``att``'s file the user changed, if it is one of those."""
        return next((name for a, name in self.edited if a is att), None)


def keep_known(
    po: PoNumber,
    items: Sequence[Attachment],
    folder: Path,
    known: list[KnownFile],
    room: int | None,
    files: SavedFiles,
    page_url: Callable[[], str],
) -> Kept:
    """The attachments an earlier run already saved here, bytes checked; ``known`` loses the ones matched."""
    kept = Kept()
    shared = shared_paths(att.url for att in items)
    for att in items if known else ():
        url = "" if url_for_record(att.url) in shared else att.url  # by name: the path cannot tell
        match = match_known(att.name, url, known, room)
        if match is None:
            continue
        path = still_there(match, folder)
        if path is None:
            mine = users_copy(match, folder)
            if mine is not None:  # the user's file now: it stays, the portal's copy goes beside it
                log.info("%s: %s changed since it was saved; kept, fetched again beside it", po, mine)
                kept.edited.append((att, mine.name))
            else:
                drop_changed(match, folder)  # torn in a crashed work folder: fetched again instead
            continue
        log.info("%s: %s is already here with the same bytes; not downloaded again", po, path.name)
        kept.fetched.append(att)
        kept.saved.append(path)
        files.tell(path, url=match.url or att.url or page_url(), size=match.size, sha256=match.sha256)
    return kept
