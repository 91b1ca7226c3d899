"""Turn whatever a user typed (or Excel stored) in a PO cell into a :class:`PoNumber`.

Pure functions, no I/O. Users' sheets hold ``PO15262984``, ``po 15262984``, bare numbers that Excel
stored as floats, ``PM…`` numbers, and stray non-breaking spaces; all of those must work, while anything
ambiguous is rejected with a reason the user can act on. Only a *leading* ``PO``/``PM`` prefix is
removed: the old tool's ``str.replace("PO", "")`` also ate letters inside the value.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from po_downloader.engine.models import PoNumber

MIN_DIGITS = 6
MAX_DIGITS = 12

#: Characters that Excel/web copies leave in cells and that mean "space" or nothing at all.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+", re.UNICODE)

#: Optional letters, optional separator, digits, optional ``.0`` that a float-to-text export adds,
#: then anything left over (which makes the value invalid, but tells us why).
_SHAPE = re.compile(
    r"^(?:(?P<letters>[A-Za-z]+)\s*[-_#:./]?\s*)?(?P<digits>[0-9]+)(?P<zeros>\.0+(?![0-9]))?(?P<rest>.*)$"
)
_PREFIXES = ("PO", "PM")


class InvalidPo(ValueError):
    """A cell that is not a usable PO number; ``str()`` is the message shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_blank(value: object) -> bool:
    """True for empty cells: ``None``, ``""``, whitespace-only text (including NBSP) and NaN."""
    if value is None:
        return True
    if isinstance(value, str):
        return not _clean_text(value)
    if isinstance(value, float):
        return math.isnan(value)
    return False


def looks_like_po(value: object) -> bool:
    """True when ``value`` normalises to a PO; used to find the PO column by its contents."""
    try:
        normalise_po(value)
    except InvalidPo:
        return False
    return True


def normalise_po(value: object) -> PoNumber:
    """Return the :class:`PoNumber` in ``value`` or raise :class:`InvalidPo` saying what is wrong."""
    if isinstance(value, bool):
        raise InvalidPo(f"not a PO number: {value!r} is a yes/no value")
    if is_blank(value):
        raise InvalidPo("empty cell")
    if isinstance(value, int):
        return _from_digits(str(value), "PO", shown=str(value))
    if isinstance(value, float | Decimal):
        return _from_number(value)
    if isinstance(value, str):
        return _from_text(value)
    raise InvalidPo(f"not a PO number: {value!s} ({type(value).__name__})")


def _clean_text(text: str) -> str:
    """Fold full-width forms (NFKC), drop zero-width characters and collapse every kind of space.
    ASCII text (nearly every cell) is NFKC-stable and holds no zero-width character: only its spaces."""
    if text.isascii():
        return " ".join(text.split())  # the same whitespace as ``\s`` (``str.isspace``), joined alike
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).translate(_INVISIBLE)).strip()


def _from_number(value: float | Decimal) -> PoNumber:
    if not math.isfinite(value):
        raise InvalidPo(f"not a PO number: {value}")
    if value != int(value):
        raise InvalidPo(f"not a whole number: {value}")
    text = str(int(value))
    return _from_digits(text, "PO", shown=text)


def _from_text(raw: str) -> PoNumber:
    text = _clean_text(raw)
    match = _SHAPE.match(text)
    if match is None:
        raise InvalidPo(f"not a PO number: {text!r}")
    letters, digits, rest = (match["letters"] or "").upper(), match["digits"], match["rest"]
    if letters and letters not in _PREFIXES:
        raise InvalidPo(f"not a PO number: {text!r} (expected a PO or PM prefix, found {letters!r})")
    if rest:
        if rest.lstrip()[:1].isalpha():
            raise InvalidPo(f"has letters after the number: {text!r}")
        if rest.startswith("."):
            raise InvalidPo(f"not a whole number: {text!r}")
        raise InvalidPo(f"not a PO number: {text!r}")
    return _from_digits(digits, letters or "PO", shown=text)


def _from_digits(digits: str, prefix: str, *, shown: str) -> PoNumber:
    if digits.startswith("-"):
        raise InvalidPo(f"not a PO number: {shown!r} is negative")
    if len(digits) < MIN_DIGITS:
        raise InvalidPo(f"too short: {shown!r} has {len(digits)} digits (a PO has {MIN_DIGITS}–{MAX_DIGITS})")
    if len(digits) > MAX_DIGITS:
        raise InvalidPo(f"too long: {shown!r} has {len(digits)} digits (a PO has {MIN_DIGITS}–{MAX_DIGITS})")
    if not digits.strip("0"):
        raise InvalidPo(f"not a PO number: {shown!r} is all zeros")
    return PoNumber(digits=digits, prefix=prefix)
