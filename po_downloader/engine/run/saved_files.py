"""Telling the batch which files are the PO's: one ``FileSaved`` per file (the journal and the manifest
list it, hashed as it is on disk), never two for one file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from po_downloader.engine.events import Event, FileSaved
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.naming import fit_component, in_name_family
from po_downloader.engine.system.hashing import sha256_file


class SavedFiles:
    """The files of one PO attempt already told; ``source`` is where its list came from (PO, requisition)."""

    def __init__(self, worker: int, po: PoNumber, source: str, emit: Callable[[Event], None]) -> None:
        self.worker = worker
        self.po = po
        self.source = source
        self.emit = emit
        self.told: set[Path] = set()

    def tell(self, path: Path, *, url: str, size: int | None = None, sha256: str = "") -> None:
        """Report ``path`` with ``FileSaved``, once. ``size`` and ``sha256`` are read from the disk unless
        the journal already vouched for them."""
        self.told.add(path)
        self.emit(
            FileSaved(
                self.worker,
                self.po,
                path.name,
                str(path),
                path.stat().st_size if size is None else size,
                self.source,
                sha256=sha256 or sha256_file(path),
                url=url,
            )
        )

    def tell_earlier(self, listed: Sequence[str], folder: Path, room: int | None, *, url: str) -> None:
        """Report the files an earlier run left in a folder that keeps its better name after a worse
        re-run (the journal that knew them may be lost): they are still this PO's files, so this batch's
        journal and manifest list them, hashed as they are now, instead of a manifest without them.
        Only files named as a listed attachment's are (a note the user put there is not a PO's file)."""
        names = [fit_component(name, room) for name in listed]
        for path in sorted(folder.iterdir()):
            if path in self.told or path.is_symlink() or not path.is_file():
                continue
            if not any(in_name_family(path.name, n, room) for n in names):
                continue
            self.tell(path, url=url)
