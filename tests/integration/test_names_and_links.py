"""Names that are one name in two Unicode forms, and links planted inside the download root, in one CLI batch.

Before the batch the root holds what another machine or another person may have left there: a supplier
folder written decomposed (as macOS stores names), a supplier folder and a work folder that are links to
folders outside the root, and a link named like an attachment inside a left-over work folder. Afterwards
every real file is inside the root exactly once with the portal's bytes, nothing outside the root changed,
and the journal and the results sheet say what is on disk.
"""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.naming import safe_component
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import browser_processes_using
from tests.helpers.cli import run_args
from tests.helpers.demo_files import demo_files

pytestmark = pytest.mark.browser

FORMS = ("20000015", "20000016")  # one supplier under both forms; one file name under both forms
LINKED_SUPPLIER = "10000001"  # Globex Corporation: <root>/Globex Corporation links outside
LINKED_WORK = "10000005"  # Initech Ltd: <root>/Initech Ltd/PO10000005__WORK links outside
LINKED_FILE = "10000002"  # a left-over work folder holding a link named like its first attachment


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes() if p.is_file() else b"")
        for p in folder.rglob("*")
    }


def _real_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def test_unicode_forms_and_planted_links(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    root = tmp_path / "downloads"
    outside = tmp_path / "outside"
    for name in ("supplier", "work"):
        (outside / name).mkdir(parents=True)
    decoy = catalog.attachments_for(LINKED_FILE)[0]
    decoy_name = safe_component(decoy.name)
    (outside / "decoy.pdf").write_bytes(catalog.file_bytes(LINKED_FILE, decoy.index))  # the very same bytes

    nfd_supplier = root / catalog.FORMS_SUPPLIER_NFD
    nfd_supplier.mkdir(parents=True)
    (root / safe_component(catalog.supplier_for(LINKED_SUPPLIER))).symlink_to(outside / "supplier")
    initech = root / safe_component(catalog.supplier_for(LINKED_WORK))
    initech.mkdir()
    (initech / f"PO{LINKED_WORK}__WORK").symlink_to(outside / "work")
    leftover = root / safe_component(catalog.supplier_for(LINKED_FILE)) / f"PO{LINKED_FILE}__WORK"
    leftover.mkdir(parents=True)
    (leftover / decoy_name).symlink_to(outside / "decoy.pdf")
    outside_before = _snapshot(outside)

    pos = [*FORMS, LINKED_SUPPLIER, LINKED_WORK, LINKED_FILE]
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "\n".join(f"PO{d}" for d in pos) + "\n", encoding="utf-8")
    code = main(
        [
            *run_args(sheet, root, portal.url, signed_in_profile),
        ]
    )
    assert code != 0  # two POs failed

    # Nothing outside the root was written, replaced or read as ours.
    assert _snapshot(outside) == outside_before

    # One supplier folder for both forms: the one already there; both POs in it, every name NFC.
    forms = [p for p in root.iterdir() if unicodedata.normalize("NFC", p.name) == catalog.FORMS_SUPPLIER_NFC]
    assert forms == [nfd_supplier]
    first, second, again = catalog.attachments_for("20000015")
    assert catalog.file_bytes("20000015", again.index) == catalog.file_bytes("20000015", first.index)
    assert _real_files(nfd_supplier / "PO20000015_COMPLETED") == {
        "Fatura_Mar\u00e7o.pdf": catalog.file_bytes("20000015", first.index),
        "Fatura_Mar\u00e7o (2).pdf": catalog.file_bytes("20000015", second.index),
    }
    assert _real_files(nfd_supplier / "PO20000016_COMPLETED") == demo_files("20000016")

    # The planted link beside a real file: the link untouched, the file saved for real under the next name.
    done = leftover.parent / f"PO{LINKED_FILE}_COMPLETED"
    assert (done / decoy_name).is_symlink()
    stem, ext = decoy_name.rsplit(".", 1)
    expected = demo_files(LINKED_FILE)
    expected[f"{stem} (2).{ext}"] = expected.pop(decoy_name)
    assert _real_files(done) == expected

    # The links to folders stay links, and nothing was made in their place.
    assert (root / safe_component(catalog.supplier_for(LINKED_SUPPLIER))).is_symlink()
    assert [p.name for p in initech.iterdir()] == [f"PO{LINKED_WORK}__WORK"]

    # The journal and the results sheet say what is on disk.
    journal = Journal.open(app_dirs().journal_file)
    try:
        (batch,) = journal.history()
        states = {s.po: s for s in journal.po_states(batch.id)}
        files = {d: journal.files_of(batch.id, d) for d in states}
    finally:
        journal.close()
    for digits in (LINKED_SUPPLIER, LINKED_WORK):
        state = states[digits]
        assert (state.outcome.status, state.attempt) == (PoStatus.FAILED, 1), state
        assert "link" in state.outcome.message
        assert files[digits] == []
    for digits in (*FORMS, LINKED_FILE):
        assert states[digits].outcome.status is PoStatus.COMPLETED
        folder = Path(states[digits].outcome.folder)
        on_disk = _real_files(folder)
        assert {r.name for r in files[digits]} == set(on_disk)
        for record in files[digits]:
            assert Path(record.path) == folder / record.name
            assert record.sha256 == hashlib.sha256(on_disk[record.name]).hexdigest()
    with (tmp_path / "pos_results.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["PO_NUMBER"]: r for r in csv.DictReader(fh)}
    assert set(rows) == {f"PO{d}" for d in pos}
    for digits, state in states.items():
        row = rows[f"PO{digits}"]
        assert row["STATUS"] == state.outcome.status.value
        assert row["DOWNLOAD_FOLDER"] == state.outcome.folder
        assert int(row["ATTACHMENTS_DOWNLOADED"] or 0) == state.outcome.downloaded
        if state.outcome.status is PoStatus.FAILED:
            assert "link" in row["ERROR_MESSAGE"]
    assert browser_processes_using(app_home) == []
