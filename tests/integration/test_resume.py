"""Resume through the real CLI, real Chromium and the demo portal: kill everything mid-batch, run again.

The first run is SIGKILLed as a whole process group (the CLI, its workers and their browsers: no clean-up
runs) while POs are in flight. Running the same command again must say it resumes, keep what finished,
reuse the crashed POs' ``__WORK`` folders and leave every file once, with the journal, the results sheet
and the disk agreeing. Running the finished sheet again with ``--all`` re-checks every PO and adds nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.cli import run_args, run_cli, start_cli
from tests.helpers.consistency import assert_consistent, po_folders
from tests.helpers.demo_files import demo_files_by_po

pytestmark = [pytest.mark.browser, pytest.mark.timeout(420)]
COUNT = 6
"""Enough POs that the kill finds one finished, one in flight and some not begun (2 workers, each PO at
least 3 s behind the slowed files); every PO more is paid for again by the resumed and the ``--all`` run."""


def downloads_since(portal, mark: int) -> list[tuple[str, int]]:
    return [
        (e["po"], e["index"])
        for e in portal.lines()[mark:]
        if e.get("event") == "download" and e.get("complete")
    ]


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under the PO folders with its inode and mtime: a file saved again would change them."""
    return {
        str(p.relative_to(root)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for folder in po_folders(root)
        for p in folder.iterdir()
    }


def journal_says(journal_file: Path) -> set[str]:
    """The statuses the journal holds for its POs now, read-only (the CLI is writing it)."""
    if not journal_file.exists():
        return set()
    try:
        with closing(sqlite3.connect(f"{journal_file.as_uri()}?mode=ro", uri=True, timeout=1)) as con:
            return {row[0] for row in con.execute("SELECT DISTINCT status FROM pos")}
    except sqlite3.Error:  # not created yet, or its schema is being written
        return set()


def kill_mid_batch(args: list[str], app_home: Path, root: Path, portal) -> None:
    """Start the CLI in its own process group; SIGKILL the group once the *journal* holds a finished PO
    and one in flight whose ``__WORK`` folder exists. (A ``_COMPLETED`` folder on disk is not enough: the
    worker renames it before the parent records the PO, and on a busy machine the kill fell between.)"""
    journal_file = app_dirs(app_home).journal_file
    with portal.slowed(latency_ms=200, file_latency_ms=1500):
        proc = start_cli(args, app_home, new_session=True)
        deadline = time.monotonic() + 180
        try:
            while not (
                {PoStatus.COMPLETED.value, PoStatus.PROCESSING.value} <= journal_says(journal_file)
                and list(root.rglob("*__WORK"))
            ):
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "no PO finished while another was in flight"
                time.sleep(0.05)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)


def test_a_killed_batch_resumes_with_nothing_lost_and_nothing_twice_then_all_adds_nothing(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    pos = catalog.demo_po_numbers(COUNT)
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "\n".join(pos) + "\n", encoding="utf-8")
    root = tmp_path / "out"
    results = tmp_path / "pos_results.csv"
    journal_file = app_dirs(app_home).journal_file
    args = run_args(sheet, root, portal.url, signed_in_profile)

    kill_mid_batch(args, app_home, root, portal)
    with Journal.open(journal_file) as journal:
        (crashed,) = journal.history()
        assert crashed.ended_at is None  # killed: nobody finished the batch
        at_kill = {s.po: s for s in journal.po_states(crashed.id)}
    kept = {po for po, s in at_kill.items() if s.outcome.status.is_final}
    in_flight = {po for po, s in at_kill.items() if s.outcome.status is PoStatus.PROCESSING}
    assert kept and in_flight
    assert set(pos) - kept - in_flight, "the kill came after every PO had begun"
    crashed_work = [p for p in po_folders(root) if p.name.endswith("__WORK")]
    assert crashed_work, "the kill left no __WORK folder behind"

    # The same command again: it says it resumes, works only what was left, and leaves everything right.
    mark = portal.mark()
    second = run_cli(args, app_home)
    assert second.returncode == 0, second.stderr
    assert "resuming the batch of" in second.stdout
    assert f"{len(kept)} of {COUNT} POs done" in second.stdout
    fetched = downloads_since(portal, mark)
    assert not [d for d in fetched if d[0] in kept], "a PO finished before the kill was downloaded again"
    left, got = set(pos) - kept, {po for po, _ in fetched}
    assert got <= left
    # Every PO not begun at the kill is downloaded; one in flight may need nothing more: its files can all
    # have been saved (whole, hashed, in the journal) before the kill, while its list was still being
    # confirmed. Every file of every PO ends up right either way (assert_consistent, below).
    assert left - in_flight <= got
    with Journal.open(journal_file) as journal:
        assert [b.id for b in journal.history()] == [crashed.id]  # the same batch, carried on
    states = assert_consistent(root, journal_file, results, expected=demo_files_by_po(pos))
    assert {s.outcome.status for s in states} == {PoStatus.COMPLETED}
    for work in crashed_work:  # reused as the crashed PO's work folder, renamed when it finished
        assert not work.exists()
        assert (work.parent / work.name.replace("__WORK", "_COMPLETED")).is_dir()

    # The finished sheet again with --all: every PO re-checked, nothing new, so nothing saved again.
    before = tree(root)
    mark = portal.mark()
    third = run_cli([*args, "--all"], app_home)
    assert third.returncode == 0, third.stderr
    assert "resuming" not in third.stdout
    assert downloads_since(portal, mark) == []
    assert tree(root) == before
    with Journal.open(journal_file) as journal:
        latest, first = journal.history()
        assert first.id == crashed.id and not latest.unfinished
    assert_consistent(root, journal_file, results, expected=demo_files_by_po(pos))
