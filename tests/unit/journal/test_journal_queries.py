"""What the journal answers: the unfinished batch resume offers, the history, and the manifest export."""

from __future__ import annotations

import csv
import hashlib
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import hash_input
from po_downloader.engine.output.manifest import MANIFEST_COLUMNS, manifest_path_for
from tests.helpers.journal_setup import POS, finish_all, save, start


def test_find_unfinished_matches_path_and_hash_of_a_crashed_batch(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    journal.po_started(batch, "100001", 1, 1)
    found = journal.find_unfinished(sheet, hash_input(sheet))
    assert found is not None and found.id == batch and found.ended_at is None
    assert journal.find_unfinished(sheet, "another hash") is None
    assert journal.find_unfinished(sheet.with_name("other.csv"), hash_input(sheet)) is None


def test_a_finished_batch_is_not_unfinished_but_a_stopped_one_is(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet)
    finish_all(journal, batch)
    assert journal.find_unfinished(sheet, hash_input(sheet)) is None
    stopped = start(journal, sheet)
    journal.finish_batch(stopped, stopped=True)
    found = journal.find_unfinished(sheet, hash_input(sheet))
    assert found is not None and found.id == stopped


def test_sign_in_left_at_the_end_is_unfinished(journal: Journal, sheet: Path) -> None:
    batch = start(journal, sheet, POS[:1])
    journal.po_started(batch, "100001", 1, 1)
    journal.po_finished(batch, "100001", PoOutcome(PoStatus.SIGN_IN_REQUIRED, message="sign in"))
    journal.finish_batch(batch, stopped=False)
    found = journal.find_unfinished(sheet, hash_input(sheet))
    assert found is not None and found.open_pos == 1


def test_a_later_finished_run_supersedes_an_older_unfinished_one(journal: Journal, sheet: Path) -> None:
    start(journal, sheet)  # crashed
    fresh = start(journal, sheet)
    finish_all(journal, fresh)
    assert journal.find_unfinished(sheet, hash_input(sheet)) is None


def test_history_is_newest_first_and_limited(journal: Journal, sheet: Path, tmp_path: Path) -> None:
    ids = [start(journal, sheet) for _ in range(5)]
    journal.po_started(ids[4], "100001", 1, 1)
    save(journal, ids[4], "100001", tmp_path / "w", "a.pdf", b"12345")
    history = journal.history(limit=3)
    assert [r.id for r in history] == ids[:1:-1]
    assert (history[0].files, history[0].bytes) == (1, 5)
    assert [r.id for r in journal.history(limit=100)] == ids[::-1]
    assert journal.history(limit=0) == []


def test_manifest_lists_every_file_the_sheets_pos_have_on_disk_from_all_its_batches(
    journal: Journal, sheet: Path, tmp_path: Path
) -> None:
    first = start(journal, sheet)
    for po in POS:
        journal.po_started(first, po, 1, 1)
        save(journal, first, po.digits, tmp_path / po.digits, "a.pdf", po.digits.encode())
    journal.finish_batch(first, stopped=False)
    gone = tmp_path / POS[2].digits / "a.pdf"
    gone.unlink()  # deleted since: not listed
    again = start(journal, sheet)  # a re-run that saved nothing (refused, not signed in) ...
    journal.po_started(again, POS[1], 1, 1)  # ... or saved one file again, at the same path
    save(journal, again, POS[1].digits, tmp_path / POS[1].digits, "a.pdf", POS[1].digits.encode())
    target = tmp_path / "manifest.csv"
    assert journal.export_manifest(again, target) == 2
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = [(r["PO"], r["Folder"]) for r in csv.DictReader(fh)]
    assert rows == [(po.display, str(tmp_path / po.digits)) for po in POS[:2]]  # each file once
    assert journal.export_manifest(first, target) == 2  # an older batch's manifest: its own batches


def test_manifest_bytes_columns_and_order(journal: Journal, sheet: Path, tmp_path: Path) -> None:
    batch = start(journal, sheet)
    root = tmp_path / "root"
    # saved out of input order: the manifest follows the input's order
    journal.po_started(batch, "100003", 1, 1)
    save(journal, batch, "100003", root / "W3", "=cmd.pdf", b"evil")
    journal.po_started(batch, "100001", 1, 2)
    save(journal, batch, "100001", root / "W1", "Orçamento, final.pdf", b"")
    (root / "W1").rename(root / "PO100001_COMPLETED")  # as the worker finalises the folder
    journal.po_finished(
        batch, "100001", PoOutcome(PoStatus.COMPLETED, folder=str(root / "PO100001_COMPLETED"))
    )
    target = manifest_path_for(sheet)
    assert journal.export_manifest(batch, target) == 2

    empty_sha = hashlib.sha256(b"").hexdigest()
    evil_sha = hashlib.sha256(b"evil").hexdigest()
    expected = (
        "\ufeffPO,File,Size (bytes),SHA-256,Source URL,Time (UTC),Folder\r\n"
        f'PO100001,"Orçamento, final.pdf",0,{empty_sha},"https://x/Orçamento, final.pdf",'
        f"2026-03-04 05:06:12,{root / 'PO100001_COMPLETED'}\r\n"
        f"PO100003,'=cmd.pdf,4,{evil_sha},https://x/=cmd.pdf,2026-03-04 05:06:10,{root / 'W3'}\r\n"
    )
    assert target.read_bytes() == expected.encode("utf-8")
    with target.open(encoding="utf-8-sig", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == MANIFEST_COLUMNS
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []


def test_manifest_time_is_utc_whatever_the_clock_zone(path: Path, sheet: Path, tmp_path: Path) -> None:
    brt = datetime(2026, 1, 2, 18, 30, tzinfo=timezone(timedelta(hours=-3)))  # 21:30 UTC
    with Journal.open(path, now=lambda: brt) as j:
        batch = start(j, sheet)
        j.po_started(batch, "100001", 1, 1)
        save(j, batch, "100001", tmp_path / "w", "a.pdf", b"a")
        j.export_manifest(batch, tmp_path / "m.csv")
    with (tmp_path / "m.csv").open(encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["Time (UTC)"] == "2026-01-02 21:30:00"


def test_a_manifest_that_cannot_be_replaced_leaves_the_old_one(
    journal: Journal, sheet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = start(journal, sheet)
    target = tmp_path / "pos_manifest.csv"
    target.write_bytes(b"old manifest")

    def locked(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(PermissionError):
        journal.export_manifest(batch, target)
    assert target.read_bytes() == b"old manifest"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["pos_manifest.csv", "pos.csv", "data"])
