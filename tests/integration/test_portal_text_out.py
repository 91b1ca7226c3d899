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
from po_downloader.demo_portal import catalog
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


SECRETS = ("X-Amz-Signature", "5ec7e7deadbeef0123456789abcdef", "t0k3n-s3cr3t")


def _leaks(path: Path) -> list[str]:
    data = path.read_bytes() if path.exists() else b""
    return [secret for secret in SECRETS if secret.encode() in data]


def test_signed_attachment_urls_leave_no_signature_in_the_records_and_resume_still_matches(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    """PO 20000043's links carry ``?X-Amz-Signature=…&token=…``: the manifest, results, journal and log
    keep the path only; a second run of the PO still knows its files by that path and fetches none."""
    from po_downloader.engine.output.journal import Journal
    from po_downloader.engine.system.paths import app_dirs

    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO20000043\n", encoding="utf-8")
    root = tmp_path / "downloads"
    args = run_args(sheet, root, portal.url, signed_in_profile, workers=1)
    assert main(args) == 0

    dirs = app_dirs()
    manifest = tmp_path / "pos_manifest.csv"
    assert manifest.exists()
    journal_files = sorted(dirs.journal_file.parent.glob(dirs.journal_file.name + "*"))
    logs = sorted(dirs.logs.glob("*.log*"))
    assert journal_files and logs
    for path in (manifest, tmp_path / "pos_results.csv", *journal_files, *logs):
        assert _leaks(path) == [], path
    text = manifest.read_text(encoding="utf-8-sig")
    linked = catalog.attachments_for("20000043")[0]  # the comment link: its URL is in the page
    assert f"{portal.url}{linked.url_path.split('?')[0]}," in text  # the path stays: which file it was

    # Again, every PO (--all): the files are known by their path and kept, not downloaded again.
    before = portal.state()["downloads_completed"]
    assert main([*args, "--all"]) == 0
    after = portal.state()["downloads_completed"]
    for att in catalog.attachments_for("20000043"):
        key = f"20000043/{att.index}"
        assert after.get(key, 0) == before.get(key, 0), key
    journal = Journal.open(dirs.journal_file)
    try:
        latest = journal.history()[0]
        files = journal.files_of(latest.id, "20000043")
    finally:
        journal.close()
    assert sorted(f.name for f in files) == sorted(a.name for a in catalog.attachments_for("20000043"))
