"""The journal's records and their keys: the input's hash resume matches on, the cheap on-disk check."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from po_downloader.engine.output.journal_records import hash_input, on_disk
from tests.helpers.journal_setup import write_sheet


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return write_sheet(tmp_path)


def test_on_disk_needs_the_file_with_its_recorded_size(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"abcdef")
    assert on_disk(str(target), 6)
    target.write_bytes(b"abc")
    assert not on_disk(str(target), 6)
    target.unlink()
    assert not on_disk(str(target), 6)


def test_hash_input_changes_when_the_sheet_changes(sheet: Path) -> None:
    before = hash_input(sheet)
    assert before == hashlib.sha256(sheet.read_bytes()).hexdigest()
    sheet.write_text("PO_NUMBER\nPO100001\n", encoding="utf-8")
    assert hash_input(sheet) != before
