"""Text from the portal on its way out to people: a terminal, a log file, an audit manifest.

Two things the portal sends must not travel as they are. A supplier or file name is text someone else
typed: printed raw, an escape sequence in it can clear the user's terminal, retitle its window or hide a
line, so what a terminal shows goes through :func:`terminal_text`. An attachment URL may be signed
(``X-Amz-Signature=…``, ``sig=``, ``token=``): the query is a credential that opens the file for anyone
holding it, so logs and the manifest keep its path only (:func:`url_for_record`).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

# ESC-introduced sequences: CSI (``ESC [ … final``), OSC/DCS/SOS/PM/APC strings (ended by BEL or ST),
# and the two-character ones (``ESC c``, ``ESC 7``...); their 8-bit C1 forms (CSI U+009B, OSC U+009D).
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# Invisible bidi controls can make ``evil\u202efdp.exe`` look like ``evilexe.pdf`` on screen.
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_text(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` without escape sequences or control characters, safe to write to a terminal.

    Whole sequences go (``ESC[2J`` leaves nothing, not ``[2J``); any other control character (C0, DEL,
    C1) or bidi control is dropped, except tabs and line breaks, which become spaces unless
    ``keep_newlines`` (the CLI's own multi-line messages).
    """
    text = _ESCAPES.sub("", text)
    out: list[str] = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\t\n\r":
            out.append(" ")
        elif ch in _BIDI or unicodedata.category(ch) == "Cc":
            continue
        else:
            out.append(ch)
    return "".join(out)


def url_for_record(url: str) -> str:
    """``url`` as logs and the manifest keep it: scheme, host and path, without query or fragment.

    The query of an attachment URL may be its signature or token; the path still says which file it was.
    A user name or password in the address goes too. Text that is not a URL is returned as it is, less
    anything after a ``?`` or ``#``.
    """
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.split(r"[?#]", url, maxsplit=1)[0]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
