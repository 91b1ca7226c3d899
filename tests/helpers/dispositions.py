"""Awkward Content-Disposition headers and the name Chromium 156 suggested for each (DevTools'
``suggestedFilename``), measured by ``tests/integration/test_http_names_browser.py``, which checks the
table against a real Chromium, and pinned by ``tests/unit/test_http_filename.py`` without one.

Each row: the header's raw bytes (None: no header), the path the file is served at, Chromium's name.
"""

from __future__ import annotations

LONG_NAME = (
    "Relatório de inspeção técnica das instalações elétricas, hidráulicas e de climatização — unidade "
    "São João da Boa Vista — edição revisada nº 3 após manutenção preventiva, com anotações da equipe "
    "de segurança e conferência.pdf"
)
assert len(LONG_NAME.encode()) == 250


def _ext(name: str) -> bytes:
    from urllib.parse import quote

    return b"attachment; filename*=UTF-8''" + quote(name, safe="").encode("ascii")


CASES: tuple[tuple[bytes | None, str, str], ...] = (
    # What Coupa and the portals send: RFC 5987 only, with awkward names.
    (_ext("Nota fiscal nº 1.pdf"), "/f/1", "Nota fiscal nº 1.pdf"),
    (_ext('Nota: fiscal? "final".pdf'), "/f/2", "Nota_ fiscal_ _final_.pdf"),
    (_ext(LONG_NAME), "/f/3", LONG_NAME),
    (
        _ext(LONG_NAME[:-4] + " e mais texto até passar de trezentos bytes.pdf"),
        "/f/4",
        LONG_NAME[:-4] + " e mais texto até passar de trezentos bytes.pdf",
    ),
    (b"attachment; filename=Report.PDF", "/f/5", "Report.PDF"),
    (None, "/files/Quarterly%20report.pdf", "Quarterly report.pdf"),
    (_ext("a/b.pdf"), "/f/7", "a_b.pdf"),
    (b'attachment; filename="a/b.pdf"', "/f/8", "a_b.pdf"),
    (b'attachment; filename="My%20File.pdf"', "/f/9", "My File.pdf"),
    (b'attachment; filename="a; b.pdf"', "/f/10", "a; b.pdf"),
    # The demo portal's form: an ASCII fallback and filename*, which wins.
    (
        b"attachment; filename=\"Relatorio.pdf\"; filename*=UTF-8''Relat%C3%B3rio.pdf",
        "/f/11",
        "Relatório.pdf",
    ),
    # Raw bytes in filename: UTF-8 is kept, anything else is no name (the URL's then).
    (b'attachment; filename="Relat\xc3\xb3rio.pdf"', "/f/12", "Relatório.pdf"),
    (b'attachment; filename="Relat\xf3rio.pdf"', "/f/13", "13"),
    (b'attachment; filename="\xa0nb.pdf"', "/f/14", "14"),
    (b"attachment; filename*=ISO-8859-1''Relat%F3rio.pdf", "/f/15", "Relatório.pdf"),
    (b"attachment; filename*=windows-1252''%80.pdf", "/f/16", "€.pdf"),
    (b"attachment; filename*=utf-8'en'%E2%82%AC%20rates.pdf", "/f/17", "€ rates.pdf"),
    # filename* is NFC-normalised; filename and the URL are not.
    (b"attachment; filename*=UTF-8''Fatura_Marc%CC%A7o.pdf", "/f/18", "Fatura_Março.pdf"),
    (b'attachment; filename="e\xcc\x81.pdf"', "/f/19", "e\u0301.pdf"),
    (None, "/files/e%CC%81.pdf", "e\u0301.pdf"),
    # Dots, spaces, tildes and dashes at the ends.
    (b'attachment; filename="..hidden.pdf"', "/f/21", "hidden.pdf"),
    (b'attachment; filename="  spaced .pdf  "', "/f/22", "spaced .pdf _"),
    (b'attachment; filename=" . a.pdf"', "/f/23", "_a.pdf"),
    (b'attachment; filename="name.pdf."', "/f/24", "name.pdf"),
    (b'attachment; filename="a ."', "/f/25", "a_"),
    (b'attachment; filename="..."', "/f/26", "download"),
    (b'attachment; filename="___"', "/f/27", "download"),
    (b'attachment; filename="-_-"', "/f/28", "download"),
    (b'attachment; filename="~temp.pdf"', "/f/29", "_temp.pdf"),
    (b'attachment; filename="a~b.pdf"', "/f/30", "a~b.pdf"),
    (b'attachment; filename="a.pdf~"', "/f/31", "a.pdf_"),
    (b'attachment; filename="~"', "/f/32", "_"),
    (b"attachment; filename*=UTF-8''%20a.pdf%C2%A0", "/f/33", "_a.pdf_"),
    (b"attachment; filename*=UTF-8''%E3%80%80a.pdf%E2%80%83", "/f/34", "_a.pdf_"),
    (b"attachment; filename*=UTF-8'' a.pdf", "/f/35", "_a.pdf"),
    # Characters Chromium replaces anywhere: path separators, Windows-illegal, control and format ones.
    (b"attachment; filename*=UTF-8''a%09b%7Fc.pdf", "/f/36", "a_b_c.pdf"),
    (b'attachment; filename="a\\\\b:c*d?e<f>g|h.pdf"', "/f/37", "a_b_c_d_e_f_g_h.pdf"),
    (b"attachment; filename*=UTF-8''%E2%80%AEfdp.exe", "/f/38", "_fdp.exe"),
    (b"attachment; filename*=UTF-8''a%E2%80%8Db%E2%80%8Cc%E2%80%8Bd%C2%ADe.pdf", "/f/39", "a_b_c_d_e.pdf"),
    (b"attachment; filename*=UTF-8''a%EF%B7%90b%EF%BF%BEc.pdf", "/f/40", "a_b_c.pdf"),
    (b'attachment; filename="a%00b.pdf"', "/f/41", "a_b.pdf"),
    (b"attachment; filename*=UTF-8''a%00b.pdf", "/f/42", "a_b.pdf"),
    (b'attachment; filename="../evil.pdf"', "/f/43", "_evil.pdf"),
    (b'attachment; filename="%2e%2e%2fup.pdf"', "/f/44", "_up.pdf"),
    (b'attachment; filename="a\\"b.pdf"', "/f/45", "a_b.pdf"),
    (b'attachment; filename="a\\\\"', "/f/46", "a_"),
    (b'attachment; filename="CON.txt"', "/f/47", "CON.txt"),
    # Whitespace inside filename: each whitespace character is one space.
    (b'attachment; filename="tab\there.pdf"', "/f/48", "tab here.pdf"),
    (b'attachment; filename="a  b.pdf"', "/f/49", "a  b.pdf"),
    (b"attachment; filename=My File.pdf", "/f/50", "My File.pdf"),
    # %-escapes in filename: valid UTF-8 decoded, else no name; a bad escape stays as it is.
    (b'attachment; filename="%C3%28.pdf"', "/f/51", "51"),
    (b'attachment; filename="100%.pdf"', "/f/52", "100%.pdf"),
    (b'attachment; filename="a+b.pdf"', "/f/53", "a+b.pdf"),
    (b"attachment; filename*=UTF-8''bad%ZZ.pdf", "/f/54", "bad%ZZ.pdf"),
    # RFC 2047 encoded words in filename.
    (b'attachment; filename="=?UTF-8?B?UmVsYXTDs3Jpby5wZGY=?="', "/f/55", "Relatório.pdf"),
    (b'attachment; filename="=?ISO-8859-1?Q?Relat=F3rio_x.pdf?="', "/f/56", "Relatório x.pdf"),
    (b'attachment; filename="=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?=.pdf"', "/f/57", "57"),
    (b'attachment; filename="?"', "/f/80", "80"),
    (b'attachment; filename="a = b.pdf"', "/f/81", "a b.pdf"),
    # filename* that Chromium refuses: then filename, else the URL.
    (b"attachment; filename*=UTF-8''%C3%28bad.pdf", "/f/58", "58"),
    (b"attachment; filename*=\"UTF-8''quoted.pdf\"", "/f/59", "59"),
    (b"attachment; filename*=X-UNKNOWN''a.pdf", "/f/60", "60"),
    (b"attachment; filename*=''a.pdf", "/f/61", "61"),
    (b"attachment; filename=\"x.pdf\"; filename*=UTF-8''", "/f/62", "x.pdf"),
    # The header's grammar.
    (b"attachment; filename=noquote.pdf; size=3", "/f/63", "noquote.pdf"),
    (b'attachment; filename="unterminated.pdf', "/f/64", "unterminated.pdf"),
    (b'attachment; filename="first.pdf"; filename="second.pdf"', "/f/65", "first.pdf"),
    (b'attachment; FILENAME="upper.pdf"', "/f/66", "upper.pdf"),
    (b'inline; filename="inline.pdf"', "/f/67", "inline.pdf"),
    (b'attachment;filename="nospace.pdf"', "/f/68", "nospace.pdf"),
    (b'filename="notype.pdf"', "/f/69", "notype.pdf"),
    (b"attachment; filename=", "/f/70", "70"),
    (b'attachment; filename=""', "/f/71", "71"),
    # No usable header: the URL's last segment, %-decoded, up to a ';'; else "download".
    (b"attachment", "/files/plain.txt", "plain.txt"),
    (None, "/dl?id=5", "dl"),
    (None, "/dir/", "download"),
    (None, "/files/a%2Fb.pdf", "a_b.pdf"),
    (None, "/files/a;b.pdf", "a"),
    (None, "/files/a+b.pdf", "a+b.pdf"),
    (None, "/files/caf%C3%A9.pdf", "café.pdf"),
    (None, "/files/caf%E9.pdf", "download"),
)
