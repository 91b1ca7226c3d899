"""The input sheet deleted (or its whole folder) while the batch runs: the batch goes on from the sheet it
read up front, every file arrives once with its bytes, the input is never written, and the results and the
manifest still land where the user expects them, agreeing with the journal and the disk.

Real headless Chromium against the demo portal, through the CLI. The input is a UTF-16 tab-separated
file, as Excel's "Unicode text" saves it, so that encoding is read end to end too.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import threading
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.naming import safe_component, work_folder
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.cli import run_args

pytestmark = pytest.mark.browser


def _completed(root: Path) -> list[Path]:
    return [p for p in root.glob("*/*_COMPLETED") if p.is_dir()] if root.exists() else []


class _DeleteAfterFirstPo(threading.Thread):
    """Deletes ``target`` as soon as the first PO folder is COMPLETED; notes how many were done then."""

    def __init__(self, root: Path, target: Path) -> None:
        super().__init__(daemon=True)
        self.root, self.target = root, target
        self.done_when_deleted: int | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            if done := _completed(self.root):
                if self.target.is_dir():
                    shutil.rmtree(self.target)
                else:
                    self.target.unlink()
                self.done_when_deleted = len(done)
                return


@pytest.mark.parametrize("what", ["file", "folder"])
def test_input_deleted_mid_batch_the_batch_completes_and_results_land_beside_it(
    tmp_path: Path,
    app_home: Path,
    portal,
    signed_in_profile: Path,
    capsys: pytest.CaptureFixture[str],
    what: str,
) -> None:
    pos = catalog.demo_po_numbers(5)
    folder = tmp_path / "sheets"
    folder.mkdir()
    sheet = folder / "pos.csv"
    text = "PO_NUMBER\tFornecedor\r\n" + "".join(f"PO{d}\tAçúcar {i}\r\n" for i, d in enumerate(pos))
    sheet.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    root = tmp_path / "downloads"
    deleter = _DeleteAfterFirstPo(root, sheet if what == "file" else folder)
    deleter.start()
    try:
        code = main(
            [
                *run_args(sheet, root, portal.url, signed_in_profile),
            ]
        )
    finally:
        deleter.stop.set()
        deleter.join(5)
    out = capsys.readouterr()
    assert code == 0, out.err
    assert deleter.done_when_deleted is not None and deleter.done_when_deleted < len(pos), (
        "the input was not deleted while POs were still to do"
    )
    assert not sheet.exists(), "the input must never be written, not even recreated"

    # Every attachment once, with the portal's bytes.
    on_disk: dict[Path, bytes] = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    expected: dict[Path, bytes] = {}
    for digits in pos:
        done = work_folder(root, catalog.supplier_for(digits), f"PO{digits}").parent / f"PO{digits}_COMPLETED"
        for a in catalog.attachments_for(digits):
            expected[done / safe_component(a.name)] = catalog.file_bytes(digits, a.index)
    assert on_disk == expected

    # The results sheet beside where the input was: every PO COMPLETED, the input's columns kept.
    results_path = folder / "pos_results.csv"
    assert f"results: {results_path}" in out.out
    results = read_sheet(results_path)
    cols = {c: i for i, c in enumerate(results.columns)}
    assert results.columns[:2] == ("PO_NUMBER", "Fornecedor")
    assert [row[1] for row in results.rows] == [f"Açúcar {i}" for i in range(len(pos))]
    assert [row[cols["STATUS"]] for row in results.rows] == ["COMPLETED"] * len(pos)

    # The manifest beside it lists exactly the files on disk with their hashes; the journal agrees.
    manifest = folder / "pos_manifest.csv"
    assert f"manifest: {manifest}" in out.out
    with manifest.open(encoding="utf-8-sig", newline="") as fh:
        listed = {Path(r["Folder"]) / r["File"]: r for r in csv.DictReader(fh)}
    assert sorted(listed) == sorted(on_disk)
    for path, row in listed.items():
        assert int(row["Size (bytes)"]) == len(on_disk[path])
        assert row["SHA-256"] == hashlib.sha256(on_disk[path]).hexdigest()
    journal = Journal.open(app_dirs().journal_file)
    try:
        (batch,) = journal.history()
        assert not batch.unfinished
        states = journal.po_states(batch.id)
        assert {s.po: s.outcome.status for s in states} == dict.fromkeys(pos, PoStatus.COMPLETED)
        journaled = {Path(f.path) for s in states for f in journal.files_of(batch.id, s.po)}
        assert journaled == set(on_disk)
    finally:
        journal.close()
