"""A CSV file's bytes as text: encodings, binary data, and where an unclosed quote opens."""

from __future__ import annotations

import pytest

from po_downloader.engine.input.csv_text import decode, nul_line, unclosed_quote_line


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param('a,b\n1,"x\n2,y\n', 2, id="open-at-end-of-file"),
        pytest.param('a,b\r\n1,"x\r\n2,y\r\n', 2, id="crlf"),
        pytest.param('a,b\r1,2\r3,"x\r4,y\r', 3, id="old-mac-cr"),
        pytest.param('a,b\n1,"x\n2,y\n3,"z"\n', 2, id="closed-by-the-next-quoted-cell"),
        pytest.param('a,b\n1,"two\nlines"\n2,"x', 4, id="after-a-good-multiline-cell"),
        pytest.param('a,b\n1,"say ""hi""\n2,y\n', 2, id="escaped-quotes-inside"),
        pytest.param('"a', 1, id="first-cell"),
    ],
)
def test_unclosed_quote_line(text: str, line: int) -> None:
    assert unclosed_quote_line(text, ",") == line


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a,b\n1,2\n", id="no-quotes"),
        pytest.param('a,b\n1,"x, y"\n2,"two\nlines"\n', id="well-quoted"),
        pytest.param('a,b\n1,"say ""hi"""\n', id="escaped-quotes"),
        pytest.param('a,b\n1,5" cable\n2,"x"\n', id="quote-inside-a-cell-is-a-character"),
        pytest.param('a,b\n1,"27" monitor\n2,y\n', id="text-after-a-closing-quote-on-one-line"),
        pytest.param('a;b\n1;"x;y"\n', id="other-delimiter"),
        pytest.param("", id="empty"),
    ],
)
def test_no_unclosed_quote(text: str) -> None:
    delimiter = ";" if ";" in text else ","
    assert unclosed_quote_line(text, delimiter) is None


def test_a_quote_after_leading_space_is_a_character_as_csv_reads_it() -> None:
    assert unclosed_quote_line('a,b\n1, "x\n2,y\n', ",") is None


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        pytest.param("\ufeffPO;Nº\n".encode(), "PO;Nº\n", "utf-8-sig", id="utf8-bom"),
        pytest.param("PO;Nº\n".encode(), "PO;Nº\n", "utf-8", id="utf8"),
        pytest.param("PO;Nº\n".encode("cp1252"), "PO;Nº\n", "cp1252", id="cp1252"),
        pytest.param(b"\xff\xfe" + "PO\tNº\n".encode("utf-16-le"), "PO\tNº\n", "utf-16-le", id="utf16le"),
        pytest.param(b"\xfe\xff" + "PO\tNº\n".encode("utf-16-be"), "PO\tNº\n", "utf-16-be", id="utf16be"),
        pytest.param("PO,Nº\n".encode("utf-16-le"), "PO,Nº\n", "utf-16-le", id="utf16le-no-bom"),
        pytest.param(b"PO\n\x81\x8d\n", "PO\n\x81\x8d\n", "latin-1", id="latin1-last"),
    ],
)
def test_decode(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


def test_binary_with_nuls_is_not_mistaken_for_utf16() -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    text, encoding = decode(data)
    assert encoding != "utf-16-le" and encoding != "utf-16-be"
    assert nul_line(text) == 3  # after "\r\n" and "\x1a\n"


def test_nul_line() -> None:
    assert nul_line("a\r\nb\rc\nd\x00") == 4
    assert nul_line("a\nb\n") is None
