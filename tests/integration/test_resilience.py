"""Killed workers, a resource governor under load, sign-in lost at the start and in the middle."""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import re
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchRecord, FileRecord, PoState
from po_downloader.engine.output.results import results_path_for
from po_downloader.engine.run.batch import make_controller, prepare
from po_downloader.engine.run.governor import Governor, Reading
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import (
    Recorder,
    browser_processes_using,
    run_controller,
    run_in_thread,
    settings_for,
    sign_in,
    unsigned_profile,
)
from tests.helpers.cli import run_args
from tests.helpers.consistency import assert_batch_consistent
from tests.helpers.demo_files import demo_files

pytestmark = pytest.mark.browser


FILE_REQUEST = re.compile(r"^/attachment_files/(\d+)/(\d+)/download/?$")


def test_worker_killed_mid_po_is_retried_elsewhere_and_completes_once(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    pos = catalog.demo_po_numbers(6)
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    settings = settings_for(portal.url, signed_in_profile, tmp_path / "out")
    dirs = app_dirs()
    rec = Recorder()
    options = BatchOptions(workers=2, max_attempts=3, backoff_base=0.2, governor=False)
    # Every file's headers go out at once and its body 1.5 s later: a download is in flight that long.
    with portal.slowed(file_latency_ms=1500):
        since = portal.mark()
        controller = make_controller(prepare(sheet, settings, dirs), dirs, options, rec)
        thread, out = run_in_thread(controller)
        # The second file of a PO has begun: the first is downloaded (staged), the second in flight.
        request = portal.wait_for(
            lambda e: (
                e.get("event") == "request"
                and bool(m := FILE_REQUEST.match(e.get("path", "")))
                and int(m.group(2)) >= 2
            ),
            timeout=90,
            since=since,
        )
        digits = FILE_REQUEST.match(request["path"]).group(1)
        started = [e for e in rec.of(ev.PoStarted) if e.po.digits == digits]
        victim = started[-1].worker
        pid = next(e.pid for e in rec.of(ev.WorkerReady) if e.worker == victim)
        os.kill(pid, signal.SIGKILL)
        thread.join(timeout=180)
        assert not thread.is_alive()

    died = [e for e in rec.of(ev.WorkerDied) if e.worker == victim]
    assert died and died[0].po is not None and died[0].po.digits == digits
    assert not [e for e in rec.of(ev.FileSaved) if e.worker == victim and e.po.digits == digits], (
        "the kill came before the PO's downloads were placed"
    )
    finals = [e for e in rec.of(ev.PoFinished) if e.po.digits == digits]
    assert len(finals) == 1 and finals[0].outcome.status is PoStatus.COMPLETED
    assert finals[0].worker != victim
    assert {p.name: p.read_bytes() for p in Path(finals[0].outcome.folder).iterdir()} == demo_files(digits)
    assert set(out[0].statuses.values()) == {PoStatus.COMPLETED}
    # Every PO: its files once with the portal's bytes, no "(2)", no __WORK; journal and results agree.
    assert_batch_consistent(
        tmp_path / "out",
        tmp_path / "pos_results.csv",
        dirs.journal_file,
        {d: demo_files(d) for d in pos},
    )
    assert browser_processes_using(app_home) == []
    assert not any(app_dirs().worker_profiles.rglob("*"))


def test_governor_lowers_and_restores_the_worker_count(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    readings = iter([Reading(97.0, 40.0)] * 4 + [Reading(10.0, 40.0)] * 1000)
    with portal.slowed(latency_ms=600):
        settings = settings_for(portal.url, signed_in_profile, tmp_path / "out")
        controller, rec = run_controller(
            settings,
            catalog.demo_po_numbers(14),
            options=BatchOptions(workers=3, max_attempts=2, governor=True),
            readings=lambda: next(readings),
            governor=Governor(window=2, cooldown=1.0),
        )
        summary = controller.run()
    targets = [e.target for e in rec.of(ev.WorkerCountChanged)]
    assert targets[:2] == [2, 1], targets
    assert targets[-1] == 3, targets
    assert "CPU 97% > 80%" in rec.of(ev.WorkerCountChanged)[0].reason
    # Fewer workers really ran: one retired for each step down, and new ones started on the way up.
    assert len(rec.of(ev.WorkerStopped)) >= 2 + 3
    assert len(rec.of(ev.WorkerReady)) > 3
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}


def test_not_signed_in_at_start_is_reported_plainly(
    tmp_path: Path, app_home: Path, portal, capsys: pytest.CaptureFixture[str]
) -> None:
    from po_downloader.cli.main import main

    profile = unsigned_profile(portal.url, tmp_path / "unsigned")
    sheet = tmp_path / "pos.csv"
    sheet.write_text(
        "PO_NUMBER\n" + "\n".join(f"PO{d}" for d in catalog.demo_po_numbers(3)) + "\n", encoding="utf-8"
    )
    code = main(
        [
            "run",
            str(sheet),
            "--out",
            str(tmp_path / "out"),
            "--base-url",
            portal.url,
            "--browser",
            "chromium",
            "--profile-dir",
            str(profile),
            "--workers",
            "2",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "po-downloader sign-in" in err
    results = (tmp_path / "pos_results.csv").read_text(encoding="utf-8-sig")
    assert results.count("SIGN_IN_REQUIRED") == 3
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("PO*"))
    assert browser_processes_using(app_home) == []


SIGNED_OUT_BEGIN = 5.0
"""Seconds a download may take to begin in the CLI sign-in test (the engine's 10 s, halved): a file started
just as the session expires answers with the sign-in page and never begins, and the worker only looks for
the sign-in page after this wait and its click fallback's. Downloads here begin in well under a second."""


def _sheet_batch(tmp_path: Path, settings, pos: list[str], options: BatchOptions, **worker):
    """The batch as both front ends run it (``prepare`` + ``make_controller``): the results sheet beside
    ``pos.csv`` and the journal in the data dir are written, with a Recorder as the front end's sink.
    ``worker`` overrides ``WorkerConfig`` fields no setting reaches (``begin_timeout``)."""
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "\n".join(f"PO{d}" for d in pos) + "\n", encoding="utf-8")
    batch = prepare(sheet, settings, app_dirs())
    batch.config = replace(batch.config, log_level=logging.INFO, **worker)
    rec = Recorder()
    return make_controller(batch, app_dirs(), options, rec), rec, batch


def _journal_batches() -> list[tuple[BatchRecord, list[PoState], dict[str, list[FileRecord]]]]:
    """Every batch of the journal, oldest first, with its POs' states and files."""
    with Journal.open(app_dirs().journal_file) as journal:
        return [
            (b, states, {s.po: journal.files_of(b.id, s.po) for s in states})
            for b in reversed(journal.history())
            for states in [journal.po_states(b.id)]
        ]


def _results(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {row["PO_NUMBER"]: row for row in csv.DictReader(fh)}


def _assert_journal_and_results_match_the_disk(
    root: Path,
    states: list[PoState],
    files: dict[str, list[FileRecord]],
    results: dict[str, dict[str, str]],
    carried: frozenset[str] = frozenset(),
) -> None:
    """Finished POs: their folder holds exactly the files the journal lists, with those hashes. Open POs:
    no final folder, and any file the journal lists for them is at its recorded place. The results sheet
    says what the journal says. No work folder is left by a finished PO, no folder is doubled."""
    for state in states:
        name = f"PO{state.po}"
        row = results[name]
        assert row["STATUS"] == state.outcome.status.value, state
        assert row["DOWNLOAD_FOLDER"] == state.outcome.folder, state
        if state.outcome.status is PoStatus.COMPLETED:
            folder = Path(state.outcome.folder)
            assert folder.name == f"{name}_COMPLETED"
            on_disk = {p.name: p.read_bytes() for p in folder.iterdir()}
            assert on_disk == demo_files(state.po)
            if state.po in carried:
                # Files an earlier batch left in the work folder are kept, not saved again, so this
                # batch's journal lists only the rest (carrying their records over is resume's job).
                assert {r.name for r in files[state.po]} <= set(on_disk), state
            else:
                assert sorted(r.name for r in files[state.po]) == sorted(on_disk), state
            for record in files[state.po]:
                assert Path(record.path) == folder / record.name
                assert record.sha256 == hashlib.sha256(on_disk[record.name]).hexdigest()
            assert int(row["ATTACHMENTS_DOWNLOADED"]) == state.outcome.downloaded == len(on_disk)
        else:
            assert state.is_open and state.outcome.folder == "", state
            assert not list(root.rglob(f"{name}_*")), state
            for record in files[state.po]:
                assert Path(record.path).read_bytes() and Path(record.path).parent.name.endswith("__WORK")
        assert len(list(root.rglob(f"{name}_*"))) <= 1, "a PO folder was doubled"


def test_sign_in_lost_mid_batch_pauses_then_resumes_where_it_stopped(
    tmp_path: Path, app_home: Path, fresh_portal
) -> None:
    profile = sign_in(fresh_portal.url, tmp_path / "source")
    fresh_portal.control(latency_ms=300)
    pos = catalog.demo_po_numbers(10)
    root = tmp_path / "out"
    settings = settings_for(fresh_portal.url, profile, root)
    controller, rec, batch = _sheet_batch(
        tmp_path,
        settings,
        pos,
        BatchOptions(workers=2, max_attempts=2, pause_on_sign_in=True, governor=False),
    )
    thread, out = run_in_thread(controller)
    rec.wait(lambda e: isinstance(e, ev.PoFinished) and e.outcome.status is PoStatus.COMPLETED, timeout=90)
    fresh_portal.control(expire_sessions=True)
    rec.wait(lambda e: isinstance(e, ev.SignInNeeded), timeout=90)
    sign_in(fresh_portal.url, profile)  # what the user does when the window asks
    controller.signed_in_again()
    thread.join(timeout=180)
    assert not thread.is_alive(), rec.events[-15:]

    sent_back = {e.po for e in rec.of(ev.PoRequeued) if e.status is PoStatus.SIGN_IN_REQUIRED}
    assert sent_back, "no PO met the sign-in page"
    assert set(out[0].statuses.values()) == {PoStatus.COMPLETED}
    for po in sent_back:
        assert [e.outcome.status for e in rec.of(ev.PoFinished) if e.po == po][-1] is PoStatus.COMPLETED
        digits = po.digits
        folder = next((tmp_path / "out").rglob(f"{po}_COMPLETED"))
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == demo_files(digits)
    assert not rec.of(ev.PoRetrying), "a lost session must not use up attempts"
    # Nothing was ever wrongly failed or called empty on the way, even for a moment.
    assert {e.outcome.status for e in rec.of(ev.PoFinished)} == {PoStatus.COMPLETED}
    assert not rec.of(ev.FileFailed)

    ((record, states, files),) = _journal_batches()
    assert not record.unfinished
    assert {s.po for s in states} == set(pos)
    assert {s.outcome.status for s in states} == {PoStatus.COMPLETED}
    _assert_journal_and_results_match_the_disk(root, states, files, _results(batch.results.path))
    assert not list(root.rglob("*__WORK"))
    assert browser_processes_using(app_home) == []


def test_sign_in_lost_mid_batch_on_the_cli_stops_cleanly_and_says_what_to_do(
    tmp_path: Path, app_home: Path, fresh_portal, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = sign_in(fresh_portal.url, tmp_path / "source")
    fresh_portal.control(latency_ms=300)
    pos = catalog.demo_po_numbers(8)
    root = tmp_path / "out"
    settings = settings_for(fresh_portal.url, profile, root)
    controller, rec, batch = _sheet_batch(
        tmp_path,
        settings,
        pos,
        BatchOptions(workers=2, max_attempts=2, governor=False),
        begin_timeout=SIGNED_OUT_BEGIN,
    )
    thread, out = run_in_thread(controller)
    rec.wait(lambda e: isinstance(e, ev.PoFinished) and e.outcome.status is PoStatus.COMPLETED, timeout=90)
    fresh_portal.control(expire_sessions=True)
    thread.join(timeout=120)
    summary = out[0]
    assert summary.sign_in_required
    statuses = set(summary.statuses.values())
    assert PoStatus.COMPLETED in statuses and PoStatus.SIGN_IN_REQUIRED in statuses
    assert PoStatus.FAILED not in statuses
    # Only completed, waiting-for-sign-in or never-reached: nothing failed, partial or "no attachments".
    assert statuses <= {PoStatus.COMPLETED, PoStatus.SIGN_IN_REQUIRED, PoStatus.PENDING}
    assert {e.outcome.status for e in rec.of(ev.PoFinished)} <= {
        PoStatus.COMPLETED,
        PoStatus.SIGN_IN_REQUIRED,
    }
    assert browser_processes_using(app_home) == []

    ((record, states, files),) = _journal_batches()
    assert record.unfinished
    assert {s.po: s.outcome.status for s in states} == summary.statuses
    _assert_journal_and_results_match_the_disk(root, states, files, _results(batch.results.path))

    # Signed in again, the same command on the results sheet carries on: only what was left is fetched.
    from po_downloader.cli.main import main

    sign_in(fresh_portal.url, profile)
    done_before = {s.po for s in states if s.outcome.status is PoStatus.COMPLETED}
    results_sheet = batch.results.path
    code = main(
        [
            *run_args(results_sheet, root, fresh_portal.url, profile),
        ]
    )
    assert code == 0, capsys.readouterr().err
    _, (record2, states2, files2) = _journal_batches()
    assert not record2.unfinished
    assert {s.po for s in states2} == set(pos) - done_before
    assert {s.outcome.status for s in states2} == {PoStatus.COMPLETED}
    rows = _results(results_path_for(results_sheet))
    assert {r["STATUS"] for r in rows.values()} == {"COMPLETED"}
    for digits in pos:
        (folder,) = root.rglob(f"PO{digits}_*")
        assert folder.name == f"PO{digits}_COMPLETED"
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == demo_files(digits)
        assert rows[f"PO{digits}"]["DOWNLOAD_FOLDER"] == str(folder)
    carried = frozenset(s.po for s in states if s.is_open and files[s.po])
    _assert_journal_and_results_match_the_disk(root, states2, files2, rows, carried)
    assert not list(root.rglob("*__WORK"))
    assert browser_processes_using(app_home) == []
