"""The fault suite's end check: every file once with the right bytes, and the journal and results agree.

``assert_batch_consistent`` looks at three witnesses of one finished batch and fails on any disagreement:
the download root (one ``<PO>_COMPLETED`` folder per PO holding exactly the expected files, no ``name (2)``
copy, no ``(2)`` folder, no ``__WORK`` left), the journal's latest batch (each PO's status, folder and
files with size and SHA-256, each file recorded once) and the results sheet (status, folder and counts).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal

_NUMBERED = re.compile(r" \(\d+\)(\.[^.]*)?$")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_batch_consistent(
    root: Path,
    results_csv: Path,
    journal_file: Path,
    expected: Mapping[str, Mapping[str, bytes]],
    *,
    po_column: str = "PO_NUMBER",
    input_path: Path | None = None,
) -> None:
    """``expected``: digits -> {file name: bytes} of every PO of the batch, each expected ``COMPLETED``.

    The journal's batch is the latest one, or the latest of ``input_path`` when given."""
    numbered = [p for p in root.rglob("*") if _NUMBERED.search(p.name)]
    assert not numbered, f"saved twice: {numbered[:5]}"
    assert not list(root.rglob("*__WORK")), "a work folder was left"

    folders: dict[str, Path] = {}
    for digits, files in expected.items():
        found = [p for p in root.rglob(f"PO{digits}_*") if p.is_dir()]
        assert [p.name for p in found] == [f"PO{digits}_COMPLETED"], f"PO{digits}: folders {found}"
        folder = found[0]
        on_disk = {p.name: p.read_bytes() for p in folder.iterdir()}
        assert on_disk == dict(files), f"PO{digits}: {sorted(on_disk)} != {sorted(files)} (or bytes differ)"
        folders[digits] = folder

    journal = Journal.open(journal_file)
    try:
        batch = next(
            b for b in journal.history() if input_path is None or Path(b.input_path) == Path(input_path)
        )
        assert not batch.unfinished, batch
        states = {s.po: s for s in journal.po_states(batch.id)}
        assert set(states) == set(expected)
        for digits, files in expected.items():
            state = states[digits]
            assert state.status is PoStatus.COMPLETED, (digits, state)
            assert Path(state.folder) == folders[digits], (digits, state.folder)
            assert (state.found, state.downloaded) == (len(files), len(files)), (digits, state)
            records = journal.files_of(batch.id, digits)
            paths = [Path(r.path) for r in records]
            assert len(paths) == len(set(paths)), f"PO{digits}: a file recorded twice: {paths}"
            assert sorted(paths) == sorted(folders[digits] / name for name in files), f"PO{digits}: {paths}"
            for record in records:
                data = files[Path(record.path).name]
                assert (record.size, record.sha256) == (len(data), _sha(data)), record
    finally:
        journal.close()

    with results_csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = {row[po_column].removeprefix("PO"): row for row in csv.DictReader(fh)}
    assert set(rows) == set(expected)
    for digits, files in expected.items():
        row = rows[digits]
        assert row["STATUS"] == PoStatus.COMPLETED.value, (digits, row)
        assert Path(row["DOWNLOAD_FOLDER"]) == folders[digits], (digits, row)
        assert int(row["ATTACHMENTS_DOWNLOADED"]) == len(files), (digits, row)
