"""A run of a results sheet (only its unfinished rows) killed, then run again with ``--all``: real CLI,
Chromium, demo portal.

The killed run's journal batch holds only the rows it had to do. The ``--all`` run resumes it for the
sheet's whole plan: the PO it had left is carried on, the others are worked, and the batch ends in the
journal (no resume offered again), with the results and the disk agreeing.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.cli import run_args, run_cli, start_cli
from tests.helpers.consistency import assert_consistent
from tests.helpers.demo_files import demo_files_by_po

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def test_a_killed_run_of_a_results_sheet_resumes_for_the_whole_sheet_with_all(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    pos = catalog.demo_po_numbers(3)
    sheet = tmp_path / "june.csv"  # an earlier results sheet: only the FAILED row is to do
    sheet.write_text(
        "PO_NUMBER,STATUS\n"
        + "".join(f"PO{d},{s}\n" for d, s in zip(pos, ["COMPLETED", "FAILED", "COMPLETED"], strict=True)),
        encoding="utf-8",
    )
    root = tmp_path / "out"
    args = run_args(sheet, root, portal.url, signed_in_profile)
    with portal.slowed(latency_ms=200, file_latency_ms=1500):
        proc = start_cli(args, app_home, new_session=True)
        deadline = time.monotonic() + 120
        try:
            while not list(root.rglob("*__WORK")):
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the PO never got going"
                time.sleep(0.05)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=30)

    again = run_cli([*args, "--all"], app_home)

    assert again.returncode == 0, again.stderr
    assert "resuming the batch of" in again.stdout and "0 of 3 POs done" in again.stdout
    journal_file = app_dirs(app_home).journal_file
    with Journal.open(journal_file) as journal:
        (batch,) = journal.history()  # the killed run's batch, carried on for the whole sheet
        assert not batch.unfinished, batch
    states = assert_consistent(
        root, journal_file, tmp_path / "june_results.csv", expected=demo_files_by_po(pos)
    )
    assert [s.outcome.status for s in states] == [PoStatus.COMPLETED] * 3
