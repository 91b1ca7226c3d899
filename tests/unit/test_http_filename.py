"""The HTTP route names a file as Chromium would: the measured table, and what only Windows does."""

from __future__ import annotations

import pytest

from po_downloader.engine.http.filename import suggested_name
from tests.helpers.dispositions import CASES


@pytest.mark.parametrize(("header", "path", "chromium"), CASES, ids=[c[1] for c in CASES])
def test_the_name_chromium_suggested(header: bytes | None, path: str, chromium: str) -> None:
    assert suggested_name(header, f"http://127.0.0.1:8000{path}", windows=False) == chromium


def test_a_header_as_text_is_read_as_decoded_text() -> None:
    assert (
        suggested_name('attachment; filename="Relatório.pdf"', "http://h/x", windows=False) == "Relatório.pdf"
    )


def test_no_header_and_no_path_is_download() -> None:
    assert suggested_name(None, "http://h", windows=False) == "download"
    assert suggested_name("", "http://h/dir/", windows=False) == "download"


def test_windows_marks_trailing_dots_and_spaces() -> None:
    """Chromium's SanitizeGeneratedFileName on Windows (its source; no Windows browser here to measure)."""
    assert suggested_name(b'attachment; filename="name.pdf."', "http://h/x", windows=True) == "name.pdf_"
    assert suggested_name(b'attachment; filename="name.pdf. "', "http://h/x", windows=True) == "name.pdf__"
    assert suggested_name(b'attachment; filename="..."', "http://h/x", windows=True) == "download"
