"""The journal's unit tests share one journal file, one open journal on a predictable clock, and one sheet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from po_downloader.engine.output.journal import Journal
from tests.helpers.journal_setup import Clock, write_sheet


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.sqlite3"


@pytest.fixture
def journal(path: Path) -> Iterator[Journal]:
    with Journal.open(path, now=Clock()) as j:
        yield j


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return write_sheet(tmp_path)
