"""Safe file and folder names for Windows and macOS (pure; no I/O except ``unique_path``).

Names come from the portal (supplier names, attachment names), so they are hostile input. The rules follow
the ones MusicBrainz Picard applies when it writes files: replace what Windows forbids, dodge its reserved
device names and trailing dots/spaces, and cut long names by UTF-8 bytes without losing the extension.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from po_downloader.engine.models import PoNumber, PoStatus

# Windows forbids these in a name; ``/`` and ``:`` are also the separators on POSIX and classic macOS.
_FORBIDDEN = frozenset('<>:"/\\|?*')
# Invisible bidi controls can make ``evil\u202efdp.exe`` look like ``evilexe.pdf``.
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Device names Windows reserves with any extension (``CON.txt``), in any case; superscripts count too.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"}
)
# Most file systems (ext4, APFS, NTFS in UTF-16 units) cap one name at 255.
_MAX_NAME_BYTES = 255
_MAX_NAME_UTF16_UNITS = 255
_MAX_EXT_CHARS = 16
_MIN_MAX_LEN = 32
_MAX_DUPLICATES = 10_000


def _is_forbidden(ch: str) -> bool:
    return ch in _FORBIDDEN or ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc"


def _split_ext(name: str) -> tuple[str, str]:
    """``("x.docx", ".pdf")`` for ``x.docx.pdf``; no extension for ``.hidden`` or ``v1.2 final``."""
    dot = name.rfind(".")
    if dot <= 0:
        return name, ""
    ext = name[dot:]
    if len(ext) < 2 or len(ext) > _MAX_EXT_CHARS or any(c.isspace() for c in ext):
        return name, ""
    return name[:dot], ext


def _fits(name: str, max_len: int | None) -> bool:
    if max_len is not None and len(name) > max_len:
        return False
    if len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        return False
    return len(name.encode("utf-16-le")) // 2 <= _MAX_NAME_UTF16_UNITS


def _shorten(stem: str, ext: str, max_len: int | None) -> str:
    """Cut the stem (never the extension) until the name fits; strip what Windows would strip."""
    if not _fits(stem + ext, max_len):
        if not _fits("x" + ext, max_len):
            stem, ext = stem + ext, ""
        while stem and not _fits(stem + ext, max_len):
            stem = stem[:-1]
        stem = stem.rstrip(". ")
    return (stem or "_") + ext


def _is_reserved(name: str) -> bool:
    return name.split(".", 1)[0].rstrip(" ").upper() in _RESERVED


def _unreserve(name: str) -> str:
    """``CON.txt`` -> ``CON_.txt``: the suffix goes right after the device part, before any extension."""
    if not _is_reserved(name):
        return name
    device, dot, rest = name.partition(".")
    return f"{device}_{dot}{rest}"


def safe_component(name: str, *, max_len: int = 120, fallback: str = "unnamed") -> str:
    """One path component that Windows and macOS both accept, never empty and never ``.``/``..``.

    A leading dot is dropped too: it would hide the file on macOS and Linux.
    """
    if max_len < _MIN_MAX_LEN:
        raise ValueError(f"max_len must be at least {_MIN_MAX_LEN}, got {max_len}")
    text = unicodedata.normalize("NFC", name or "")
    text = "".join("_" if _is_forbidden(ch) else ch for ch in text)
    text = text.lstrip(". ").rstrip(". ")
    if not text:
        return safe_component(fallback, max_len=max_len, fallback="_") if fallback != "_" else "_"
    text = _unreserve(text)
    text = _shorten(*_split_ext(text), max_len)
    # Cutting can leave a bare device name behind (``CON      x.pdf`` -> ``CON.pdf``); it freed the room.
    return _unreserve(text)


def name_key(name: str) -> str:
    """The key under which two names are one name: Windows and macOS ignore case, macOS ignores the
    normalisation form (``ç`` composed, or ``c`` plus a combining cedilla as HFS+ stores it).

    Case folding can decompose (``ǰ`` folds to ``j`` + caron), so the result is normalised again.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def numbered(name: str, number: int, max_len: int | None = None) -> str:
    """``name``'s ``stem (number).ext`` form, the stem cut (never the extension) to fit ``max_len``."""
    stem, ext = _split_ext(name)
    return _shorten(stem, f" ({number}){ext}", max_len)


def in_name_family(candidate: str, name: str, max_len: int | None = None) -> bool:
    """``candidate`` is ``name`` or one of its ``name (n)`` forms (what :func:`unique_path` makes of a
    taken name, within the same ``max_len``), compared by :func:`name_key`: the one rule for "this file
    is that attachment"."""
    key = name_key(candidate)
    if key == name_key(name):
        return True
    return any(
        name_key(numbered(name, int(m.group(1)), max_len)) == key
        for m in re.finditer(r" \((\d{1,6})\)", candidate)
    )


def unique_path(directory: Path, name: str, max_len: int | None = None) -> Path:
    """``directory/name``, or the first free ``stem (2).ext``, ``stem (3).ext``... (case-insensitively free),
    never longer than ``max_len`` (the path budget: the stem is cut, the number and extension kept).

    Checking and creating are two steps: a caller that races other writers should create with ``O_EXCL``.
    """
    try:
        taken = {name_key(entry) for entry in os.listdir(directory)}
    except FileNotFoundError:
        taken = set()
    if name_key(name) not in taken:
        return directory / name
    for number in range(2, _MAX_DUPLICATES):
        candidate = numbered(name, number, max_len)
        if name_key(candidate) not in taken:
            return directory / candidate
    raise FileExistsError(f"no free name for {name!r} in {directory}")


def fit_component(name: str, room: int | None, *, fallback: str = "unnamed") -> str:
    """:func:`safe_component`, then cut to ``room`` characters (what the path budget leaves for it):
    the stem is shortened, the extension kept. ``room`` None: no budget beyond the usual 120."""
    safe = safe_component(name, fallback=fallback)
    if room is None or len(safe) <= room:
        return safe
    return _unreserve(_shorten(*_split_ext(safe), max(room, 1)))


# ---------------------------------------------------------------- the whole path's budget

MIN_NAME_ROOM = 40
"""Characters a file name keeps at least when the path budget is shared out: the supplier folder's
name gives way first (a PO's file is what the user looks for)."""
MIN_SUPPLIER_ROOM = 8
"""Below this the supplier folder's name says nothing: the download folder itself is too deep."""
_COPY_ROOM = len(" (99)")


def path_units(path: str) -> int:
    """A path's length as Windows counts it against MAX_PATH: UTF-16 code units."""
    return len(path.encode("utf-16-le")) // 2


def longest_po_folder(po_display: str) -> int:
    """The longest name the PO's folder can end with (any final status, with a ``(n)`` copy number)."""
    return max(len(final_folder_name(po_display, s.value)) for s in PoStatus if s.has_folder) + _COPY_ROOM


def supplier_room(root: Path, po_display: str, limit: int | None) -> int | None:
    """Characters the supplier folder's name may have so that ``root/supplier/<PO>_<STATUS>/name`` stays
    within ``limit`` with :data:`MIN_NAME_ROOM` left for the file name; None without a limit."""
    return levels_room(root, po_display, limit, 1)


def levels_room(root: Path, po_display: str, limit: int | None, levels: int) -> int | None:
    """Characters the ``levels`` folder names above the PO's folder may take together, so that
    ``root/<levels>/<PO>_<STATUS>/name`` stays within ``limit`` with :data:`MIN_NAME_ROOM` left for the
    file name; None without a limit. One level is :func:`supplier_room`."""
    if limit is None:
        return None
    separators = levels + 2  # root/level.../folder/name
    return (
        limit - path_units(str(root.absolute())) - separators - longest_po_folder(po_display) - MIN_NAME_ROOM
    )


def name_room(supplier_dir: Path, po_display: str, limit: int | None) -> int | None:
    """Characters a file name may have in the PO's folder under ``supplier_dir``, whatever status the
    folder ends with; None without a limit."""
    if limit is None:
        return None
    return limit - path_units(str(supplier_dir.absolute())) - 1 - longest_po_folder(po_display) - 1


def po_folder(
    root: Path, supplier: str, po_display: str, state: str, supplier_max: int | None = None
) -> Path:
    """``<root>/<supplier>/<PO>_<state>``; a page without a supplier name goes to ``Unknown supplier``.
    ``supplier_max``: what the path budget leaves for the supplier's name (:func:`supplier_room`)."""
    return (
        root
        / fit_component(supplier, supplier_max, fallback="Unknown supplier")
        / safe_component(f"{po_display}_{state}")
    )


WORK_SUFFIX = "__WORK"
"""How a work folder's name ends (``<PO>__WORK``): a PO in progress, or one a crash cut off."""


def work_folder(root: Path, supplier: str, po: PoNumber | str, supplier_max: int | None = None) -> Path:
    """Where a PO's files land while it is being worked: ``<PO>__WORK``, renamed when the PO ends."""
    return po_folder(root, supplier, str(po), WORK_SUFFIX[1:], supplier_max)


def final_folder_name(po: PoNumber | str, status: PoStatus | str) -> str:
    """The folder name a PO ends with, ``<PO>_<STATUS>`` (e.g. ``PO123_COMPLETED``)."""
    return safe_component(f"{po}_{status}")
