"""The portal's text on its way out: what the terminal shows and what logs and the manifest keep.

A supplier or file name is someone else's text: printed raw, its escape sequences would clear the user's
terminal or retitle its window. A signed attachment URL carries a credential in its query: the manifest,
the results and the log file keep its path only. Both through the real CLI against the demo portal.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from tests.helpers.cli import run_args

pytestmark = pytest.mark.browser


def _controls(text: str) -> list[str]:
    """Every control character in ``text`` but the line breaks the CLI writes itself."""
    return sorted({repr(ch) for ch in text if ch != "\n" and unicodedata.category(ch) == "Cc"})


def test_escape_sequences_in_portal_names_never_reach_the_terminal(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """20000041 completes (its line shows the supplier); 20000042 fails on its stalled file, and its line
    names the files: both hold ESC/OSC sequences, BEL, BS, DEL and a C1 CSI."""
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO20000041\nPO20000042\n", encoding="utf-8")
    root = tmp_path / "downloads"
    args = run_args(sheet, root, portal.url, signed_in_profile, workers=1)
    code = main(["--verbose", *args, "--attempts", "1", "--download-timeout", "8"])

    out = capsys.readouterr()
    assert code != 0  # 20000042's stalled file failed
    printed = out.out + out.err
    assert _controls(printed) == [], printed
    # The names were printed, only cleaned: the test would pass vacuously if they were not shown at all.
    assert "Red Alert Supplies Ltda" in printed
    assert "Blink stalled.pdf" in printed
