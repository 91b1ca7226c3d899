"""The name Chromium would give a download, so the HTTP route names each file as the browser route does.

The browser route names a file by DevTools' ``suggestedFilename`` (Chromium's ``net::GetSuggestedFilename``
with no ``download`` attribute value and ``"download"`` as the last resort); our own naming
(``output/naming.py``) makes it safe afterwards. Two routes that disagreed here would place one PO's files
under two names, so this module re-traces Chromium's steps, each one measured against Chromium 156
(``tests/integration/test_http_names_browser.py``):

* ``filename*`` (RFC 5987: exactly ``charset'lang'value``, no quotes) wins over ``filename``; its bytes are
  %-decoded, converted from any charset Python knows and NFC-normalised; a charset that fails drops it.
* ``filename`` (quoted or not, ``\\`` escapes) is cut at whitespace: leading whitespace goes, every other
  whitespace character becomes a space. Each word is an RFC 2047 encoded word, raw UTF-8 (kept), other raw
  bytes (dropped on Linux and macOS), or %-escaped UTF-8 (decoded; not UTF-8: no name). Not normalised.
* else the URL's last path segment up to any ``;``, %-decoded (not UTF-8: no name), not normalised;
* then dots are trimmed from both ends, ``/`` and ``\\`` become ``_``, a name of only ``-`` and ``_`` (or
  none) is ``"download"``, and ``"*:<>?|``, control and format characters and non-characters become ``_``
  anywhere, whitespace, ``.`` and ``~`` at either end.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import sys
import unicodedata
from urllib.parse import urlsplit

FALLBACK = "download"
_ILLEGAL_ANYWHERE = frozenset('"*/:<>?\\|')
_ENDS_SPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_ILLEGAL_AT_ENDS = _ENDS_SPACE | {".", "~"}
_PERCENT = re.compile(rb"%([0-9A-Fa-f]{2})")


def suggested_name(content_disposition: str | bytes | None, url: str, *, windows: bool | None = None) -> str:
    """The name Chromium suggests for a download of ``url`` answered with ``content_disposition``.

    Pass the header's raw bytes when you have them (a server may send UTF-8 or Latin-1 bytes in it); a
    ``str`` is taken as already decoded text. ``windows`` (default: this machine) adds what Chromium does
    only there: trailing dots and spaces become ``_``, and a URL that is not UTF-8 is read in the ANSI code page.
    """
    on_windows = sys.platform == "win32" if windows is None else windows
    raw = content_disposition.encode("utf-8") if isinstance(content_disposition, str) else content_disposition
    name = _from_disposition(raw) if raw else ""
    if not name:
        name = _from_url(url, on_windows)
    return _sanitised(name, on_windows)


# --- Content-Disposition --------------------------------------------------------------------------------


_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class _Undecodable(Exception):
    """A ``filename`` word Chromium gives up on: the whole value is then no name."""


def _segments(header: bytes) -> list[bytes]:
    """``header`` cut at each ``;`` outside double quotes (a backslash escapes inside them)."""
    parts: list[bytes] = []
    start, quoted, i = 0, False, 0
    while i < len(header):
        c = header[i]
        if quoted and c == 0x5C:  # backslash
            i += 1
        elif c == 0x22:
            quoted = not quoted
        elif c == 0x3B and not quoted:
            parts.append(header[start:i])
            start = i + 1
        i += 1
    parts.append(header[start:])
    return parts


def _unquoted(value: bytes) -> bytes:
    """A quoted value without its quotes, escapes undone; one with an unmatched quote loses only that."""
    if not value.startswith(b'"'):
        return value
    if len(value) < 2 or not value.endswith(b'"'):
        return value[1:]
    return re.sub(rb"\\(.)", rb"\1", value[1:-1], flags=re.DOTALL)


def _params(header: bytes) -> list[tuple[str, bytes, bytes]]:
    """``(lower-case name, value, raw value)`` of the parameters, in order, as Chromium's iterator reads
    them: the disposition type (a token) is skipped, and a malformed parameter ends the list."""
    segments = _segments(header)
    first = segments[0].strip(b" \t")
    if first and _TOKEN.fullmatch(first):
        segments = segments[1:]
    found: list[tuple[str, bytes, bytes]] = []
    for segment in segments:
        if not segment.strip(b" \t"):
            continue
        name, equals, value = segment.partition(b"=")
        name, value = name.strip(b" \t"), value.strip(b" \t")
        if not equals or not name or not value:
            break
        found.append((name.decode("latin-1").lower(), _unquoted(value), value))
    return found


def _from_disposition(header: bytes) -> str:
    plain = extended = ""
    for name, value, raw in _params(header):
        if name == "filename" and not plain:
            plain = _decode_filename_value(value) or ""
        elif name == "filename*" and not extended:
            extended = _decode_ext_value(raw) or ""
    return extended or plain


def _decode_ext_value(raw: bytes) -> str | None:
    """RFC 5987 ``charset'lang'%-escaped``: exactly two quotes, a charset and a value, else nothing."""
    if b'"' in raw or raw.count(b"'") != 2:
        return None
    charset_b, _lang, value = raw.split(b"'")
    if not charset_b or not value:
        return None
    if not value.isascii():
        return value.decode("utf-8", errors="replace")
    try:
        text = _unescape(value).decode(_codec(charset_b.decode("ascii")))
    except (LookupError, UnicodeDecodeError):
        return None
    return unicodedata.normalize("NFC", text)


def _decode_filename_value(value: bytes) -> str | None:
    """Chromium's ``DecodeFilenameValue``: word by word, whitespace kept as spaces except at the start and
    after RFC 2047 words; one word it cannot decode drops the whole value."""
    out: list[str] = []
    after_encoded = True
    try:
        for token in re.split(rb"([ \t\n\r])", value):
            if not token:
                continue
            if token in (b" ", b"\t", b"\n", b"\r"):
                if not after_encoded:
                    out.append(" ")
                continue
            text, after_encoded = _decode_word(token)
            out.append(text)
    except _Undecodable:
        return None
    return "".join(out)


def _decode_word(word: bytes) -> tuple[str, bool]:
    """One word: ``(text, whether it was an RFC 2047 encoded word)``."""
    if not word.isascii():
        try:
            return word.decode("utf-8"), False
        except UnicodeDecodeError:
            return "", False  # Linux and macOS read other raw bytes as UTF-8 too, and get nothing
    encoded = _rfc2047(word)
    if encoded is not None:
        return encoded, True
    try:
        return _unescape(word).decode("utf-8"), False
    except UnicodeDecodeError as exc:
        raise _Undecodable from exc


def _rfc2047(word: bytes) -> str | None:
    """``=?charset?B|Q?text?=`` decoded; None when the word is not one (then it is %-escaped text)."""
    parts = [p for p in word.split(b"?") if p]
    if parts and parts[0] != b"=":
        return None  # (no parts at all, as in "?", still counts as a broken encoded word)
    if len(parts) > 2 and (len(parts[2]) != 1 or parts[2] not in b"bBqQ"):
        return None
    decoded = ""
    if len(parts) > 3:
        text = _bq_decode(parts[3], parts[2] in b"bB", parts[1])
        if text is None or (len(parts) > 4 and parts[4] != b"=") or len(parts) > 5:
            raise _Undecodable
        decoded = text
    if not word.endswith(b"="):
        raise _Undecodable
    return decoded


def _bq_decode(text: bytes, b_encoding: bool, charset: bytes) -> str | None:
    try:
        raw = base64.b64decode(text, validate=True) if b_encoding else _q_unescape(text)
        return raw.decode(_codec(charset.decode("ascii")))
    except (binascii.Error, ValueError, LookupError, UnicodeDecodeError):
        return None


def _q_unescape(text: bytes) -> bytes:
    """RFC 2047 Q: ``_`` is a space, ``=XX`` a byte; a broken escape raises ValueError."""
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == 0x5F:
            out.append(0x20)
        elif text[i] == 0x3D:
            escape = text[i + 1 : i + 3]
            if len(escape) != 2:
                raise ValueError("short escape")
            out.append(int(escape, 16))
            i += 2
        else:
            out.append(text[i])
        i += 1
    return bytes(out)


def _codec(charset: str) -> str:
    """Python's codec for a charset label; ICU's ISO-8859-1 is Latin-1 proper."""
    return codecs.lookup(charset.strip()).name


def _unescape(raw: bytes) -> bytes:
    """Every valid ``%XX`` to its byte; anything else (``%ZZ``, a lone ``%``, ``+``) as it is."""
    return _PERCENT.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


# --- the URL and the final touches -------------------------------------------------------------------------


def _from_url(url: str, on_windows: bool) -> str:
    """The URL's last path segment (up to a ``;``) %-decoded, "" when it is empty or not text."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    segment = path.replace("\\", "/").rpartition("/")[2].partition(";")[0]
    raw = _unescape(segment.encode("utf-8"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        if on_windows:
            try:
                return raw.decode("mbcs")
            except (LookupError, UnicodeDecodeError):
                return ""
        return ""


def _sanitised(name: str, on_windows: bool) -> str:
    if on_windows and name:
        kept = name.rstrip(" .").rstrip()
        name = kept + "_" * (len(name) - len(kept)) if kept else ""
    name = name.strip(".").replace("/", "_").replace("\\", "_")
    if not name.strip("-_"):
        return FALLBACK
    last = len(name) - 1
    return "".join(
        "_" if _illegal(ch) or ((i == 0 or i == last) and ch in _ILLEGAL_AT_ENDS) else ch
        for i, ch in enumerate(name)
    )


def _illegal(ch: str) -> bool:
    """Chromium's characters illegal anywhere in a file name."""
    if ch in _ILLEGAL_ANYWHERE:
        return True
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return True
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE
