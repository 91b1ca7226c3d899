"""The PO folder's life: ``<PO>__WORK`` while in progress, ``<PO>_<STATUS>`` at the end."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.downloads import place_download, retry_in_use, same_file
from po_downloader.engine.output.folder_template import (
    DEFAULT_TEMPLATE,
    FolderTemplate,
    fit_levels,
    parse_template,
    render,
)
from po_downloader.engine.output.naming import (
    WORK_SUFFIX,
    final_folder_name,
    levels_room,
    path_units,
    safe_component,
    unique_path,
)

log = logging.getLogger(__name__)

_COPY = re.compile(r" \(\d+\)$")


@dataclass(frozen=True)
class FolderLayout:
    """Where PO folders go below the root: the user's template and the day ``{year}``/``{month}`` name
    (the batch's: the PO pages show no date the app reads). Picklable: every worker gets it."""

    template: FolderTemplate = field(default_factory=lambda: parse_template(DEFAULT_TEMPLATE))
    day: date = field(default_factory=date.today)


DEFAULT_LAYOUT = FolderLayout()


class FolderError(OSError):
    """A PO's folder cannot be made where it belongs: ``kind`` and ``details`` for the edges to word,
    ``str()`` the English for the results sheet and the logs. An ``OSError``: it is a problem of the disk."""

    def __init__(self, message: str, kind: ErrorKind, **details: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.details = details


class UnsafeFolder(FolderError):
    """A folder on the way to a PO's files is a link (or not a folder at all).

    Following a link planted inside the download root could write the PO's files anywhere on the disk,
    so the PO fails instead and the message names the link.
    """


class PathTooLong(FolderError):
    """The download folder is so deep that a PO's folder and files cannot fit the OS's path limit
    (Windows without long paths: 259 characters), however short their names are cut."""

    @classmethod
    def under(cls, root: Path, limit: int, *, staging: bool = False) -> PathTooLong:
        """One wording for both ways a root is too deep (``staging``: the browser's downloads, in the
        root's staging folder, are what does not fit)."""
        why = " (the browser's downloads need room in it too)" if staging else ""
        kind = ErrorKind.ROOT_TOO_DEEP_FOR_DOWNLOADS if staging else ErrorKind.ROOT_TOO_DEEP
        return cls(
            f"the download folder {root} is too deep for this system's {limit}-character path limit{why}: "
            "choose a shorter download folder (or enable long paths in Windows)",
            kind,
            root=str(root),
            limit=str(limit),
        )


def make_work_folder(
    root: Path,
    supplier: str,
    po_display: str,
    limit: int | None = None,
    layout: FolderLayout = DEFAULT_LAYOUT,
    values: Mapping[str, str] | None = None,
) -> Path:
    """Create ``<root>/<levels>/<PO>__WORK`` and return it, never through a link inside ``root``.

    ``layout``: the user's folder template and the batch's date; the default is ``<root>/<supplier>/``.
    ``values``: the PO's row values for the template's sheet tokens (:func:`~.folder_template.row_values`).
    ``root`` itself may be a link: the user chose it. A folder already there under another Unicode
    normalisation form (``Março`` decomposed, as macOS writes names) is the same folder and is reused
    rather than doubled by a look-alike twin; new folders are named in NFC.

    ``limit``: the longest full path the OS opens (None: no limit to keep to). The levels' names are cut
    so that the PO's final folder and a file name of :data:`~.naming.MIN_NAME_ROOM` characters fit.
    """
    names = render(
        layout.template, supplier=supplier, po_display=po_display, values=values or {}, day=layout.day
    )
    fitted = fit_levels(names, levels_room(root, po_display, limit, len(names)))
    if fitted is None:
        assert limit is not None  # without a limit every name fits
        raise PathTooLong.under(root, limit)
    planned = safe_component(f"{po_display}{WORK_SUFFIX}")
    root.mkdir(parents=True, exist_ok=True)
    parent = root
    for name in fitted:
        parent = parent / _existing_form(parent, name)
        ensure_real_dir(parent, root)
    folder = parent / planned
    ensure_real_dir(folder, root)
    return folder


STAGED_FILE_UNITS = len("/") + len("00000000-0000-0000-0000-000000000000") + len(".crdownload")
"""What a download adds to the staging folder's path: Chromium names it by its guid (``allowAndName``),
``<guid>.crdownload`` while it arrives."""


def check_staging_room(staging: Path, root: Path, limit: int | None) -> None:
    """Raise :class:`PathTooLong` when a download in ``staging`` (``<root>/.po-downloader-staging/<run>/w<n>``)
    would pass ``limit``: the browser could not write it, or the file could not be moved from there to
    the PO's folder, and every attempt would fail the same way; the PO fails once, saying why."""
    if limit is not None and path_units(str(staging.absolute())) + STAGED_FILE_UNITS > limit:
        raise PathTooLong.under(root, limit, staging=True)


def _existing_form(directory: Path, name: str) -> str:
    """``name`` as it is already spelled in ``directory`` (same characters, any normalisation form)."""
    key = unicodedata.normalize("NFC", name)
    try:
        with os.scandir(directory) as entries:
            forms = sorted(e.name for e in entries if unicodedata.normalize("NFC", e.name) == key)
    except OSError:
        return name
    return name if name in forms or not forms else forms[0]


def ensure_real_dir(path: Path, root: Path) -> None:
    """Make ``path`` (a folder directly inside an existing folder under ``root``) unless it is there; raise
    :class:`UnsafeFolder` if what is there is a link or a file: it is never followed."""
    try:
        path.mkdir()
    except FileExistsError:
        pass
    info = os.lstat(path)
    inside = path.relative_to(root)
    reparse = getattr(info, "st_file_attributes", 0) & stat.FILE_ATTRIBUTE_REPARSE_POINT  # Windows junction
    if stat.S_ISLNK(info.st_mode) or reparse:
        target = _target(path)
        raise UnsafeFolder(
            f"{inside} in the download folder is a link to {target}; "
            "links there are never followed: replace it with a real folder",
            ErrorKind.FOLDER_IS_LINK,
            path=str(inside),
            target=target,
        )
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeFolder(
            f"{inside} in the download folder is a file, not a folder",
            ErrorKind.FOLDER_IS_FILE,
            path=str(inside),
        )


def _target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "another place"


def finalise_folder(work: Path, po_display: str, status: PoStatus) -> Path:
    """Rename the work folder to its final name; an existing folder of that name is never merged into."""
    target = unique_path(work.parent, final_folder_name(po_display, status.value))
    retry_in_use(lambda: os.replace(work, target))  # an antivirus or a viewer holding a file passes
    log.debug("%s → %s", work.name, target.name)
    return target


_RANK = {PoStatus.FAILED: 0, PoStatus.PARTIAL: 1, PoStatus.COMPLETED: 2}
"""How much of a PO's list a folder's name promises is in it, for :func:`folder_name_status`."""


def folder_status(folder: Path, po_display: str) -> PoStatus | None:
    """The status an earlier run named this PO's folder with (``<PO>_<STATUS>`` or its ``(n)`` copy);
    None for a work folder or any other name."""
    base = _COPY.sub("", folder.name).casefold()
    for status in PoStatus:
        if status.has_folder and final_folder_name(po_display, status.value).casefold() == base:
            return status
    return None


def folder_name_status(earlier: list[PoStatus], now: PoStatus) -> PoStatus:
    """The status a PO worked again names its folder with.

    A re-run that ends worse than before (downloads that fail today, a PARTIAL after a COMPLETED) must
    not call a folder of good files ``_FAILED``: the files the earlier run proved stay under the earlier,
    better name, which is still true for them. The PO's own status (results sheet, journal) is ``now``.
    A re-run that does as well or better names the folder for what it proved now.
    """
    best = max((s for s in earlier if s in _RANK), key=_RANK.__getitem__, default=None)
    if best is not None and now in _RANK and _RANK[now] < _RANK[best]:
        return best
    return now


def earlier_folders(work: Path, po_display: str, recorded: str = "") -> list[Path]:
    """Folders an earlier run left for this PO: the one the journal ``recorded``, then any
    ``<PO>_<STATUS>`` (or its ``(n)`` copy) beside the work folder, so a folder the journal does not
    know (an older batch, a lost journal) is taken over too instead of getting a ``(2)`` sibling."""
    names = {final_folder_name(po_display, s.value).casefold() for s in PoStatus if s.has_folder}
    found = [Path(recorded)] if recorded else []
    try:
        siblings = sorted(work.parent.iterdir())
    except OSError:
        siblings = []
    for path in siblings:
        base = _COPY.sub("", path.name).casefold()
        if base in names and path.is_dir() and not any(same_file(path, f) for f in found):
            found.append(path)
    # By identity, never by spelling: on a disk that ignores case the recorded ``ACME/PO1__WORK`` is the
    # ``Acme/PO1__WORK`` just made, and taking it over would merge the folder into itself.
    return [p for p in found if not same_file(p, work)]


def adopt_folder(previous: Path, work: Path, root: Path) -> bool:
    """Make an earlier run's folder of this PO its work folder again; True if it was taken over.

    Working a PO a second time (resume, a re-run) must add to the folder it already has, not make a
    ``<PO>_COMPLETED (2)`` beside it. The folder is renamed when the work folder does not exist yet;
    otherwise its files are moved in one by one, identical bytes kept once (:func:`place_download`).
    Only a real folder inside ``root`` is touched: a path the journal holds is not trusted blindly.
    """
    if same_file(previous, work) or previous.is_symlink() or not previous.is_dir():
        return False  # one folder under two spellings (a case-insensitive disk) is already the work folder
    try:
        inside = previous.resolve().is_relative_to(root.resolve())
    except OSError:
        inside = False
    if not inside:
        log.warning("not reusing %s: it is not inside the download folder %s", previous, root)
        return False
    work.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        work.rmdir()  # only an empty one, just made: the earlier folder then takes its place whole
    if not work.exists():
        retry_in_use(lambda: os.replace(previous, work))
        log.info("%s is worked again in %s", previous.name, work)
    else:
        for entry in sorted(previous.iterdir()):
            if entry.is_file() and not entry.is_symlink():
                place_download(entry, work, entry.name)
        with contextlib.suppress(OSError):
            previous.rmdir()  # only when empty: anything we did not move stays
        log.info("the files of %s were moved into %s", previous.name, work)
    drop_empty_levels(previous.parent, root)  # a renamed supplier's folder, a changed template's levels
    return True


def drop_empty_levels(folder: Path, root: Path) -> None:
    """Remove ``folder`` and the folders above it that are left empty, up to ``root`` (never ``root``,
    never a folder outside it): the levels a PO's folder leaves behind when it moves or goes."""
    for level in (folder, *folder.parents):
        if same_file(level, root) or level == root or not level.is_relative_to(root):
            return
        try:
            level.rmdir()  # only succeeds when empty: nothing anyone put there is removed
        except OSError:
            return
