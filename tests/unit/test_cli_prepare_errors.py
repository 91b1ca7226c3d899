"""Preparing a batch meets a file it cannot write: the CLI names the file and exits 2, no traceback."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.engine.status import EXIT_BAD_INPUT
from tests.helpers.read_only import make_read_only


def test_a_read_only_folder_beside_the_input_is_named_and_exits_2(
    tmp_path: Path, app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Simulated EROFS (see tests/helpers/read_only.py); checked by hand on a real ``mount -o ro`` tmpfs."""
    folder = tmp_path / "share"
    folder.mkdir()
    sheet = folder / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO10000001\n", encoding="utf-8")
    profile = tmp_path / "profile"
    profile.mkdir()
    make_read_only(monkeypatch, folder)

    code = main(
        [
            "run",
            str(sheet),
            "--out",
            str(tmp_path / "downloads"),
            "--base-url",
            "https://acme.coupahost.com",
            "--profile-dir",
            str(profile),
        ]
    )

    out = capsys.readouterr()
    assert code == EXIT_BAD_INPUT
    assert "Traceback" not in out.err + out.out
    assert out.err == (
        f"po-downloader: cannot write the results file '{folder / 'pos_results.csv'}' "
        f"({os.strerror(errno.EROFS)}): nothing was started; make its folder writable or choose another "
        "results file with --results, then run again\n"
    )
    assert [p.name for p in folder.iterdir()] == ["pos.csv"]
