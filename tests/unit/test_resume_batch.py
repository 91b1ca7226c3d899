"""Resume through the real controller and worker processes, on scripted workers (no browser).

A crashed batch is written to the journal as the JournalRecorder would have left it; then the same sheet
is prepared and run again, as the CLI and the window do.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchId, hash_input
from po_downloader.engine.run.batch import make_controller, prepare
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import AppDirs, app_dirs
from po_downloader.engine.system.settings import Settings
from tests.helpers.batch import Recorder
from tests.helpers.consistency import results_statuses
from tests.helpers.fake_worker import FakeWorker
from tests.helpers.journal_setup import attempt_rows

pytestmark = pytest.mark.timeout(60)

POS = ("10000001", "10000002", "10000003", "10000004")
OPTIONS = BatchOptions(workers=2, max_attempts=2, backoff_base=0.05, governor=False)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def setup(tmp_path: Path) -> tuple[Path, Settings, Path]:
    source = tmp_path / "pos.csv"
    source.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in POS), encoding="utf-8")
    (tmp_path / "profile").mkdir()
    root = tmp_path / "root"
    settings = Settings(
        base_url="https://acme.coupahost.com",
        download_root=str(root),
        browser="chromium",
        profile_dir=str(tmp_path / "profile"),
    )
    return source, settings, root


def crash(dirs: AppDirs, source: Path, root: Path) -> BatchId:
    """What a SIGKILL leaves: PO1 completed with a file, PO2 in flight with a file in its work folder."""
    with Journal.open(dirs.journal_file) as journal:
        batch = journal.start_batch(source, hash_input(source), {}, list(POS))
        done = root / "ACME" / "PO10000001_COMPLETED"
        done.mkdir(parents=True)
        (done / "a.pdf").write_bytes(b"a")
        journal.po_started(batch, POS[0], 1, 1)
        journal.file_saved(batch, POS[0], "a.pdf", done / "a.pdf", 1, sha(b"a"), url="u1")
        journal.po_finished(batch, POS[0], PoOutcome(PoStatus.COMPLETED, supplier="ACME", folder=str(done)))
        work = root / "ACME" / "PO10000002__WORK"
        work.mkdir(parents=True)
        (work / "b.pdf").write_bytes(b"b")
        journal.po_started(batch, POS[1], 1, 2)
        journal.file_saved(batch, POS[1], "b.pdf", work / "b.pdf", 1, sha(b"b"), url="u2")
    return batch


def handed_out(root: Path) -> dict[str, list[dict[str, object]]]:
    tasks = root / ".fake-tasks"
    return {
        p.name: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]
        for p in sorted(tasks.iterdir())
    }


def test_a_resumed_batch_works_only_the_open_pos_in_the_same_journal_batch(
    tmp_path: Path, app_home: Path
) -> None:
    source, settings, root = setup(tmp_path)
    dirs = app_dirs()
    crashed = crash(dirs, source, root)
    batch = prepare(source, settings, dirs)
    assert batch.resumed is not None and batch.resumed.id == crashed

    summary = make_controller(batch, dirs, OPTIONS, Recorder(), worker_target=FakeWorker()).run()

    tasks = handed_out(root)
    assert sorted(tasks) == list(POS[1:])  # the completed PO is not worked again
    assert all(len(t) == 1 for t in tasks.values())
    assert tasks[POS[1]][0] == {"folder": str(root / "ACME" / "PO10000002__WORK"), "known": ["b.pdf"]}
    assert tasks[POS[2]][0] == {"folder": "", "known": []}
    assert sorted(summary.statuses) == list(POS)  # the kept PO too: the summary speaks for the sheet
    assert summary.statuses[POS[0]] is batch.kept[POS[0]].status

    with Journal.open(dirs.journal_file) as journal:
        assert [b.id for b in journal.history()] == [crashed]  # continued, not a second batch
        states = journal.po_states(crashed)
        assert journal.batch(crashed).ended_at is not None
        assert [a.outcome for a in attempt_rows(journal.path, crashed, POS[1])] == [
            "interrupted",
            "COMPLETED",
        ]
    assert {s.po: s.outcome.status for s in states} == dict.fromkeys(POS, PoStatus.COMPLETED)
    assert results_statuses(batch.results.path) == {s.po: s.outcome.status.value for s in states}


def test_a_finished_sheet_run_again_hands_each_po_its_folder_and_files(
    tmp_path: Path, app_home: Path
) -> None:
    """Re-checking a finished sheet (``--all``): a fresh batch, and each PO's worker is told what the
    earlier batch left, so it adds to that folder instead of saving everything again beside it."""
    source, settings, root = setup(tmp_path)
    dirs = app_dirs()
    crashed = crash(dirs, source, root)
    first = prepare(source, settings, dirs)
    make_controller(first, dirs, OPTIONS, Recorder(), worker_target=FakeWorker()).run()
    (root / ".fake-tasks").rename(root / ".fake-tasks-first")

    again = prepare(source, settings, dirs, rerun_all=True)
    assert again.resumed is None and len(again.work) == len(POS)
    make_controller(again, dirs, OPTIONS, Recorder(), worker_target=FakeWorker()).run()

    tasks = handed_out(root)
    assert sorted(tasks) == list(POS)
    assert tasks[POS[0]][0] == {"folder": str(root / "ACME" / "PO10000001_COMPLETED"), "known": ["a.pdf"]}
    with Journal.open(dirs.journal_file) as journal:
        assert [b.id for b in journal.history()][1:] == [crashed]


def test_a_batch_killed_after_its_last_po_resumes_to_its_end_without_working_anything(
    tmp_path: Path, app_home: Path
) -> None:
    """Every PO was final but the process died before it ended the batch (and wrote the manifest)."""
    source, settings, root = setup(tmp_path)
    dirs = app_dirs()
    with Journal.open(dirs.journal_file) as journal:
        crashed = journal.start_batch(source, hash_input(source), {}, list(POS))
        for i, po in enumerate(POS):
            journal.po_started(crashed, po, 1, 1)
            journal.po_finished(
                crashed, po, PoOutcome(PoStatus.NO_ATTACHMENTS if i % 2 else PoStatus.PO_NOT_FOUND)
            )
    batch = prepare(source, settings, dirs)
    assert batch.resumed is not None and batch.work == ()
    summary = make_controller(batch, dirs, OPTIONS, Recorder(), worker_target=FakeWorker()).run()
    assert not (root / ".fake-tasks").exists()
    assert summary.statuses == {d: o.status for d, o in batch.kept.items()} and len(summary.statuses) == 4
    with Journal.open(dirs.journal_file) as journal:
        assert not journal.batch(crashed).unfinished
    assert (tmp_path / "pos_manifest.csv").exists()
    assert results_statuses(batch.results.path) == {
        po: ("NO_ATTACHMENTS" if i % 2 else "PO_NOT_FOUND") for i, po in enumerate(POS)
    }
