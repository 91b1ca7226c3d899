"""Two batches on one download root: the second is refused before any worker starts, naming the first;
the first is untouched. Real controllers and worker processes (scripted, no browser)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from po_downloader.cli.messages import describe
from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.run.batch import make_controller, prepare
from po_downloader.engine.run.controller import BatchSummary
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.root_lock import RootBusyError, RootLock
from tests.helpers.batch import Recorder, run_in_thread, scripted_controller, settings_for
from tests.helpers.consistency import assert_batch_consistent
from tests.helpers.fake_worker import FAKE_SUPPLIER, FakeWorker, fake_files
from tests.helpers.root_holder import Holder

pytestmark = pytest.mark.timeout(60)

POS = [f"2000000{i}" for i in range(1, 7)]


def assert_refused_before_any_worker(summary: BatchSummary, rec: Recorder, root: Path) -> None:
    assert summary.error_kind is ErrorKind.ROOT_BUSY
    assert set(summary.statuses.values()) == {PoStatus.PENDING}
    assert not rec.of(ev.BatchStarted) and not rec.of(ev.WorkerReady) and not rec.of(ev.PoStarted)
    assert {e.po.digits for e in rec.of(ev.PoLeftOver)} == set(summary.statuses)
    assert rec.events[-1] == ev.BatchFinished(0, summary)
    assert not (root / ".fake-calls").exists(), "no worker was given a PO"


def test_a_root_another_process_holds_is_refused_at_once_naming_that_batch(tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")
    root = tmp_path / "downloads"
    root.mkdir()
    with Holder(root, dirs.data, "/sheets/march.xlsx") as first:
        c, rec = scripted_controller(tmp_path, POS, FakeWorker(), dirs=dirs, source="/sheets/april.csv")
        summary = c.run()
        assert_refused_before_any_worker(summary, rec, root)
        details = summary.error_details
        assert (details["input"], details["pid"], details["root"]) == (
            "/sheets/march.xlsx",
            str(first.proc.pid),
            str(root),
        )
        text = describe(summary.error_kind, details)
        assert "/sheets/march.xlsx" in text and str(first.proc.pid) in text and str(root) in text
        assert not dirs.runs.exists() or not any(dirs.runs.iterdir()), "no run was opened"


def test_a_root_whose_holder_was_killed_runs_normally(tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")
    root = tmp_path / "downloads"
    root.mkdir()
    with Holder(root, dirs.data, "/sheets/march.xlsx") as first:
        first.kill()
    c, _ = scripted_controller(tmp_path, POS, FakeWorker(), dirs=dirs, source="/sheets/april.csv")
    summary = c.run()
    assert not summary.error
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}


def test_two_batches_on_one_root_at_once_the_second_is_refused_and_the_first_completes(
    tmp_path: Path,
) -> None:
    dirs = app_dirs(tmp_path / "home")
    root = tmp_path / "downloads"
    fake = FakeWorker({d: ["ok:2"] for d in POS}, write_files=True, pace=0.3)
    first, first_rec = scripted_controller(tmp_path, POS, fake, dirs=dirs, source="/sheets/march.csv")
    # The first batch's last event: by then its root is free for the next batch.
    free_at_end: list[bool] = []

    def on_first_event(event: ev.Event) -> None:
        first_rec(event)
        if isinstance(event, ev.BatchFinished):
            try:
                RootLock.acquire(root, dirs.data).release()
                free_at_end.append(True)
            except RootBusyError:
                free_at_end.append(False)

    first.sink = on_first_event
    thread, out = run_in_thread(first)
    first_rec.wait(lambda e: isinstance(e, ev.PoStarted), timeout=30)

    second, second_rec = scripted_controller(
        tmp_path, ["30000001"], FakeWorker(), dirs=dirs, source="/sheets/april.csv"
    )
    refused = second.run()
    assert refused.error_kind is ErrorKind.ROOT_BUSY
    assert refused.error_details["input"] == "/sheets/march.csv"
    assert refused.error_details["pid"] == str(os.getpid())
    assert not second_rec.of(ev.WorkerReady) and not second_rec.of(ev.PoStarted)
    assert not first_rec.of(ev.BatchFinished), "the second batch was refused while the first ran"

    thread.join(45)
    assert not thread.is_alive()
    assert not out[0].error and set(out[0].statuses.values()) == {PoStatus.COMPLETED}
    assert free_at_end == [True]
    for digits in POS:
        folders = list(root.rglob(f"PO{digits}_*"))
        assert folders == [root / FAKE_SUPPLIER / f"PO{digits}_COMPLETED"]
        assert {p.name: p.read_bytes() for p in folders[0].iterdir()} == fake_files(digits, 2)
    assert not list((root / ".fake-calls").glob("30000001"))


def test_batches_on_different_roots_run_side_by_side(tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")
    fake = FakeWorker({d: ["slow:0.5"] for d in POS[:2]})
    a, a_rec = scripted_controller(tmp_path / "a", POS[:2], fake, dirs=dirs, source="/sheets/a.csv")
    b, _ = scripted_controller(tmp_path / "b", POS[:2], fake, dirs=dirs, source="/sheets/b.csv")
    thread, out = run_in_thread(a)
    a_rec.wait(lambda e: isinstance(e, ev.PoStarted), timeout=30)
    assert not b.run().error
    thread.join(30)
    assert not out[0].error


def test_the_same_sheet_started_twice_leaves_one_batch_in_the_journal_and_every_file_once(
    tmp_path: Path, app_home: Path
) -> None:
    """The refused start must leave nothing to resume: resuming it would fetch the first batch's POs again."""
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in POS), encoding="utf-8")
    (tmp_path / "profile").mkdir()
    root = tmp_path / "out"
    settings = settings_for("http://127.0.0.1:9", tmp_path / "profile", root)
    dirs = app_dirs()
    fake = FakeWorker({d: ["ok:2"] for d in POS}, write_files=True, pace=0.3)
    options = BatchOptions(workers=2, max_attempts=2, backoff_base=0.05, governor=False)
    first_rec, second_rec = Recorder(), Recorder()
    first = make_controller(prepare(sheet, settings, dirs), dirs, options, first_rec, worker_target=fake)
    thread, out = run_in_thread(first)
    first_rec.wait(lambda e: isinstance(e, ev.PoStarted), timeout=30)
    with pytest.raises(RootBusyError):  # insisting on resuming the running batch is refused outright
        prepare(sheet, settings, dirs, resume=True)
    second = make_controller(prepare(sheet, settings, dirs), dirs, options, second_rec, worker_target=fake)
    refused = second.run()
    assert refused.error_kind is ErrorKind.ROOT_BUSY
    assert refused.error_details["input"] == str(sheet)
    thread.join(45)
    assert not thread.is_alive() and not out[0].error

    journal = Journal.open(dirs.journal_file)
    try:
        assert len(journal.history()) == 1, "the refused start left a batch to resume"
    finally:
        journal.close()
    assert_batch_consistent(
        root, tmp_path / "pos_results.csv", dirs.journal_file, {d: fake_files(d, 2) for d in POS}
    )


def test_a_start_refused_for_a_busy_root_leaves_the_last_runs_results_and_manifest(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same sheet started again while the root is held (the first run still shutting down, another
    instance): the refused run, through the real CLI, must not turn the finished rows into PENDING."""
    from po_downloader.cli.main import main

    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in POS[:3]), encoding="utf-8")
    (tmp_path / "profile").mkdir()
    root = tmp_path / "out"
    settings = settings_for("http://127.0.0.1:9", tmp_path / "profile", root)
    dirs = app_dirs()
    fake = FakeWorker(write_files=True)
    options = BatchOptions(workers=1, governor=False)
    done = make_controller(
        prepare(sheet, settings, dirs), dirs, options, Recorder(), worker_target=fake
    ).run()
    assert set(done.statuses.values()) == {PoStatus.COMPLETED}
    results, manifest = tmp_path / "pos_results.csv", tmp_path / "pos_manifest.csv"
    before = results.read_bytes(), manifest.read_bytes()
    args = ["run", str(sheet), "--out", str(root), "--base-url", "http://127.0.0.1:9"]
    with Holder(root, dirs.data, str(sheet)):
        code = main([*args, "--profile-dir", str(tmp_path / "profile"), "--all", "--no-governor"])
    out = capsys.readouterr()
    assert code == 2, out
    assert (results.read_bytes(), manifest.read_bytes()) == before
    assert f"results: {results} (unchanged" in out.out
