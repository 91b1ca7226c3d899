"""Two po-downloader processes started at once on one download root: one works, the other refuses at once
and names it; the one that works completes with every file right (real Chromium, the demo portal)."""

from __future__ import annotations

import csv
import subprocess
import time
from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import browser_processes_using
from tests.helpers.cli import run_args, start_cli
from tests.helpers.consistency import assert_batch_consistent
from tests.helpers.demo_files import demo_files_by_po

pytestmark = pytest.mark.browser


def _start(sheet: Path, root: Path, app_home: Path, portal_url: str, profile: Path) -> subprocess.Popen[str]:
    return start_cli(run_args(sheet, root, portal_url, profile), app_home)


def _sheet(path: Path, pos: list[str]) -> Path:
    path.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    return path


def test_two_instances_on_one_root_one_runs_the_other_refuses_naming_it(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    pos = catalog.demo_po_numbers(10)
    sheets = {
        "march": (_sheet(tmp_path / "march.csv", pos[:5]), pos[:5]),
        "april": (_sheet(tmp_path / "april.csv", pos[5:]), pos[5:]),
    }
    root = tmp_path / "downloads"
    with portal.slowed(latency_ms=300):
        procs = {
            name: _start(sheet, root, app_home, portal.url, signed_in_profile)
            for name, (sheet, _) in sheets.items()
        }
        outs = {name: proc.communicate(timeout=240) for name, proc in procs.items()}
    codes = {name: proc.returncode for name, proc in procs.items()}
    refused = [name for name, code in codes.items() if code == 2]
    assert len(refused) == 1, (codes, outs)
    (loser,) = refused
    (winner,) = set(sheets) - {loser}
    assert codes[winner] == 0, outs[winner]

    # The refused one says which batch holds the folder: its sheet and its process.
    err = outs[loser][1]
    assert "is in use by another po-downloader batch" in err, err
    assert str(sheets[winner][0]) in err and f"process {procs[winner].pid}" in err, err
    with (tmp_path / f"{loser}_results.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert {row["STATUS"] for row in csv.DictReader(fh)} == {"PENDING"}
    for digits in sheets[loser][1]:
        assert not list(root.rglob(f"PO{digits}_*")), "the refused batch downloaded nothing"

    # The one that ran: every file once with the portal's bytes; journal and results agree.
    expected = demo_files_by_po(sheets[winner][1])
    assert_batch_consistent(
        root,
        tmp_path / f"{winner}_results.csv",
        app_dirs(app_home).journal_file,
        expected,
        input_path=sheets[winner][0],
    )
    assert browser_processes_using(app_home) == []


def test_a_killed_instance_does_not_block_the_next_one_on_its_root(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    pos = catalog.demo_po_numbers(10)
    march, april = _sheet(tmp_path / "march.csv", pos[:6]), _sheet(tmp_path / "april.csv", pos[6:])
    root = tmp_path / "downloads"
    with portal.slowed(latency_ms=400):
        first = _start(march, root, app_home, portal.url, signed_in_profile)
        deadline = time.monotonic() + 90
        while not list(root.rglob("*_COMPLETED")):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "no PO completed in time"
            time.sleep(0.2)
        first.kill()  # SIGKILL: no chance to let go of anything
        first.communicate(timeout=30)
    second = _start(april, root, app_home, portal.url, signed_in_profile)
    out, err = second.communicate(timeout=240)
    assert second.returncode == 0, err
    assert "in use" not in err
    expected = demo_files_by_po(pos[6:])
    for digits, files in expected.items():
        (folder,) = root.rglob(f"PO{digits}_*")
        assert folder.name == f"PO{digits}_COMPLETED"
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    assert browser_processes_using(app_home) == []
