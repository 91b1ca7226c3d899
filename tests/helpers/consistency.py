"""One assertion for every fault test: disk, journal and results sheet tell the same story, nothing twice.

``assert_consistent(root, journal_file, results_path, expected=…)`` checks the journal's latest batch (or
``batch``):

- every file the journal records is on disk, once, with its recorded size and sha256;
- no PO folder holds the same bytes twice, and no folder is a ``… (2)`` copy of another;
- a PO the journal calls final has no ``__WORK`` folder left;
- the results sheet's STATUS of each PO is the journal's status (a PO cut off in flight reads PENDING);
- ``expected`` (digits → {file name: bytes}): that PO's folder holds exactly those files, those bytes.

``assert_batch_consistent(root, results_csv, journal_file, expected)`` is the stricter end check of a
batch where every PO is expected ``COMPLETED`` (one folder per PO, exactly the expected files).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchId, PoState

COPY_SUFFIX = re.compile(r" \(\d+\)$")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def po_folders(root: Path) -> list[Path]:
    """``<root>/<supplier>/<PO>_…`` folders (the staging and the test helpers' dot-folders left out)."""
    return sorted(
        p
        for supplier in root.iterdir()
        if supplier.is_dir() and not supplier.name.startswith(".")
        for p in supplier.iterdir()
        if p.is_dir()
    )


def results_statuses(results_path: Path) -> dict[str, str]:
    """PO digits → STATUS as the results sheet says (duplicate rows must agree)."""
    sheet = read_sheet(results_path)
    status_col = next(i for i, c in enumerate(sheet.columns) if c.strip().upper() == "STATUS")
    out: dict[str, str] = {}
    for row in sheet.rows:
        try:
            digits = normalise_po(row[sheet.po_column_index]).digits
        except Exception:  # an invalid row: not the journal's business
            continue
        status = str(row[status_col] or "")
        assert out.setdefault(digits, status) == status, f"rows of PO {digits} disagree: {status}"
    return out


def assert_consistent(
    root: Path,
    journal_file: Path,
    results_path: Path,
    *,
    expected: Mapping[str, Mapping[str, bytes]] | None = None,
    batch: BatchId | None = None,
) -> list[PoState]:
    """Fail with what disagrees; returns the batch's PO states for further checks."""
    with Journal.open(journal_file) as journal:
        batch = batch if batch is not None else journal.history(1)[0].id
        states = journal.po_states(batch)
        files = {s.po: journal.files_of(batch, s.po) for s in states}

    paths = Counter(f.path for fs in files.values() for f in fs)
    assert not [p for p, n in paths.items() if n > 1], f"a file recorded twice: {paths}"
    for po, records in files.items():
        for f in records:
            path = Path(f.path)
            assert path.is_file(), f"PO {po}: the journal's {path} is not on disk"
            assert path.stat().st_size == f.size and _sha(path) == f.sha256, f"PO {po}: {path} changed"

    folders = po_folders(root)
    copies = [p for p in folders if COPY_SUFFIX.search(p.name)]
    assert not copies, f"folders saved twice: {copies}"
    for folder in folders:
        digests = Counter(_sha(p) for p in folder.iterdir() if p.is_file())
        twice = [d for d, n in digests.items() if n > 1]
        assert not twice, f"{folder} holds the same bytes twice: {sorted(p.name for p in folder.iterdir())}"

    by_po = {s.po: s for s in states}
    for state in states:
        if state.outcome.status.is_final:
            work = [p for p in folders if p.name == f"{state.display}__WORK"]
            assert not work, f"{state.display} is {state.outcome.status.value} but left {work}"

    sheet = results_statuses(results_path)
    journal_view = {
        s.po: (PoStatus.PENDING if s.outcome.status is PoStatus.PROCESSING else s.outcome.status).value
        for s in states
    }
    assert {po: sheet.get(po) for po in journal_view} == journal_view, "results and journal disagree"

    for po, wanted in (expected or {}).items():
        state = by_po[po]
        assert state.outcome.folder, f"PO {po} has no folder in the journal ({state.outcome.status.value})"
        folder = Path(state.outcome.folder)
        got = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
        assert got == dict(wanted), f"PO {po}: {sorted(got)} on disk, {sorted(wanted)} expected"
        assert sorted(Path(f.path).name for f in files[po]) == sorted(wanted), f"PO {po}: journal files"
    return states


_NUMBERED = re.compile(r" \(\d+\)(\.[^.]*)?$")


def _sha_bytes(data: bytes) -> str:
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
    everything = list(root.rglob("*"))  # walked once: a glob per PO is quadratic on a 500-PO batch
    numbered = [p for p in everything if _NUMBERED.search(p.name)]
    assert not numbered, f"saved twice: {numbered[:5]}"
    assert not [p for p in everything if p.name.endswith("__WORK")], "a work folder was left"
    po_dirs: dict[str, list[Path]] = {}
    for path in everything:
        if path.name.startswith("PO") and "_" in path.name and path.is_dir():
            po_dirs.setdefault(path.name.split("_", 1)[0], []).append(path)

    folders: dict[str, Path] = {}
    for digits, files in expected.items():
        found = po_dirs.get(f"PO{digits}", [])  # what rglob("PO<digits>_*") finds
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
            assert state.outcome.status is PoStatus.COMPLETED, (digits, state)
            assert Path(state.outcome.folder) == folders[digits], (digits, state.outcome.folder)
            assert (state.outcome.found, state.outcome.downloaded) == (len(files), len(files)), (
                digits,
                state,
            )
            records = journal.files_of(batch.id, digits)
            paths = [Path(r.path) for r in records]
            assert len(paths) == len(set(paths)), f"PO{digits}: a file recorded twice: {paths}"
            assert sorted(paths) == sorted(folders[digits] / name for name in files), f"PO{digits}: {paths}"
            for record in records:
                data = files[Path(record.path).name]
                assert (record.size, record.sha256) == (len(data), _sha_bytes(data)), record
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
