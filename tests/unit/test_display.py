"""Portal text on its way out: terminal text without escape sequences, URLs without their signed query."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from po_downloader.cli.messages import describe
from po_downloader.cli.progress import TerminalProgress
from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.manifest import ManifestRow, write_manifest
from po_downloader.engine.system.display import terminal_text, url_for_record


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (catalog.TERMINAL_SUPPLIER, "Red Alert Supplies Ltda"),
        (catalog.TERMINAL_NAMES[0], "Quote 41.pdf"),
        (catalog.TERMINAL_NAMES[1], "Bell and  C1.pdf"),
        (catalog.TERMINAL_STALLED, "Blink stalled.pdf"),
        ("a\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # an OSC 8 hyperlink, ST-ended
        ("line\none\ttab\rreturn", "line one tab return"),
        ("x\x1bcy\x1b7z", "xyz"),  # two-character sequences (reset, save cursor)
        ("evil\u202efdp.exe", "evilfdp.exe"),
        ("Proposta nº 7 – revisão ünï 請求書.pdf", "Proposta nº 7 – revisão ünï 請求書.pdf"),
    ],
)
def test_terminal_text_drops_whole_sequences_and_control_characters(raw: str, shown: str) -> None:
    assert terminal_text(raw) == shown


def test_terminal_text_keeps_the_clis_own_line_breaks_when_asked() -> None:
    assert terminal_text("one\ntwo\x1b[2J", keep_newlines=True) == "one\ntwo"


def test_progress_lines_and_worded_errors_carry_no_control_characters() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(2, stream)
    po = PoNumber("20000041")
    progress(
        ev.PoFinished(
            0, po, PoOutcome(PoStatus.COMPLETED, supplier=catalog.TERMINAL_SUPPLIER, found=2, downloaded=2)
        )
    )
    progress(
        ev.PoFinished(
            0, po, PoOutcome(PoStatus.PARTIAL, message=f"missing 1 of 2: {catalog.TERMINAL_STALLED}: stalled")
        )
    )
    said = stream.getvalue() + describe(ErrorKind.SIGN_IN_DID_NOT_TAKE, {"url": "u", "page": "\x1b[2Jx"})
    assert not [ch for ch in said if ch != "\n" and unicodedata.category(ch) == "Cc"], said
    assert "Red Alert Supplies Ltda" in said and "Blink stalled.pdf" in said


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        (
            f"https://acme.coupahost.com/attachment_files/1/2/download?{catalog.SIGNED_QUERY}",
            "https://acme.coupahost.com/attachment_files/1/2/download",
        ),
        ("https://s3.example/b/k.pdf?sig=abc#page=2", "https://s3.example/b/k.pdf"),
        ("https://user:pw@host.example/a?token=1", "https://host.example/a"),
        ("/attachment_files/1/2/download?token=1", "/attachment_files/1/2/download"),
        (
            "https://acme.coupahost.com/attachment_files/1/2/download",
            "https://acme.coupahost.com/attachment_files/1/2/download",
        ),
        ("", ""),
    ],
)
def test_url_for_record_keeps_the_path_and_drops_the_query(url: str, kept: str) -> None:
    assert url_for_record(url) == kept


def test_the_manifest_keeps_a_signed_urls_path_only(tmp_path: Path) -> None:
    signed = f"https://acme.coupahost.com/attachment_files/1/2/download?{catalog.SIGNED_QUERY}"
    row = ManifestRow("PO1", "q.pdf", 3, "ab" * 32, signed, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "/f")
    path = tmp_path / "m.csv"
    write_manifest([row], path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        (written,) = csv.DictReader(fh)
    assert written["Source URL"] == "https://acme.coupahost.com/attachment_files/1/2/download"
    assert (written["PO"], written["File"], written["Folder"]) == ("PO1", "q.pdf", "/f")
    assert "Signature" not in path.read_text(encoding="utf-8-sig")
