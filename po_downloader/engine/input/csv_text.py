"""A CSV file's bytes as text, and the two ways such a file silently lies: binary data and an unclosed quote.

Pure functions, no I/O, so each case has a fast test. The encodings are the ones users' tools write: UTF-8
(BOM optional), Excel's "Unicode text" (UTF-16 with a BOM, tab-separated), cp1252 from Excel on Windows.
An unclosed ``"`` makes Python's lenient csv reader swallow the rest of the file into one cell, so a sheet
of 500 POs would quietly become a sheet of 3: :func:`unclosed_quote_line` finds the quote instead.
"""

from __future__ import annotations

import re

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: UTF-16 without a BOM is recognised by its NUL high bytes in this many leading bytes.
_UTF16_SAMPLE = 4096


def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-16 (by BOM or its NUL pattern), UTF-8 (BOM optional, never kept), else
    cp1252 as Excel on Windows writes it, else latin-1. The BOM is never part of the text."""
    for utf16_bom, encoding in _UTF16_BOMS:
        if data.startswith(utf16_bom):
            return data[len(utf16_bom) :].decode(encoding, errors="replace"), encoding
    bomless = _bomless_utf16(data)
    if bomless is not None:
        return data.decode(bomless, errors="replace"), bomless
    bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM) :] if bom else data
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, "utf-8-sig" if bom and encoding == "utf-8" else encoding
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when nearly every other byte is NUL and the bytes between are not: how
    Latin text looks in UTF-16 without a BOM. Binary files have NULs too, but not in that rhythm."""
    sample = data[:_UTF16_SAMPLE]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for high, low, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if high.count(0) * 10 >= len(high) * 9 and low.count(0) * 10 < len(low):
            return encoding
    return None


def nul_line(text: str) -> int | None:
    """The 1-based line of the first NUL character, or None: text a spreadsheet wrote never holds one,
    so a NUL means a binary file (or a damaged export) named ``.csv``."""
    index = text.find("\x00")
    return None if index < 0 else _lines_before(text, 0, index) + 1


def unclosed_quote_line(text: str, delimiter: str) -> int | None:
    """The 1-based line where a quoted cell opens that the file never closes properly, or None.

    Parses as Python's csv reader does (a ``"`` opens a quoted cell only at the start of a cell; ``""``
    inside is a quote). A quoted cell is unclosed when the file ends inside it, or when it runs over line
    ends and the quote that "closes" it is followed by more text: that quote really opened another cell
    further down. A quote closed and followed by text on the same line is left to the lenient reader.
    """
    special = re.compile('"|\r\n|\r|\n|' + re.escape(delimiter))
    line, pos, field_start = 1, 0, 0
    while (match := special.search(text, pos)) is not None:
        token, pos = match.group(), match.end()
        if token == delimiter:
            field_start = pos
            continue
        if token != '"':
            line += 1
            field_start = pos
            continue
        if match.start() != field_start:
            continue  # a quote inside a cell is just a character
        opened = line
        while True:
            close = text.find('"', pos)
            if close < 0:
                return opened
            line += _lines_before(text, pos, close)
            if text.startswith('"', close + 1):
                pos = close + 2  # "" is a quote inside the cell
                continue
            break
        pos = close + 1
        after = text[pos : pos + 1]
        if after in ("", "\r", "\n", delimiter):
            continue
        if line > opened:
            return opened
        field_start = -1  # text after the closing quote: the rest of this cell is plain characters
    return None


def _lines_before(text: str, start: int, end: int) -> int:
    """Line ends in ``text[start:end]`` (``\\r\\n`` counts once, like a lone ``\\r`` or ``\\n``)."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)
