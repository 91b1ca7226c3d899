"""Ctrl-C/SIGTERM and a killed app: finished files kept, browsers ended, copies removed (now or next start)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.run_markers import sweep_stale_runs
from tests.helpers.batch import browser_processes_using
from tests.helpers.cli import run_args

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]


def _start_cli(tmp_path: Path, app_home: Path, portal_url: str, profile: Path, n: int) -> subprocess.Popen:
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "\n".join(catalog.demo_po_numbers(n)) + "\n", encoding="utf-8")
    env = dict(os.environ, PO_DOWNLOADER_HOME=str(app_home), PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "po_downloader",
            *run_args(sheet, tmp_path / "out", portal_url, profile),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_completed_folder(root: Path, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not list(root.rglob("*_COMPLETED")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no PO completed in time"
        time.sleep(0.2)


def test_sigterm_stops_cleanly_and_keeps_finished_downloads(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    with portal.slowed(latency_ms=400):
        proc = _start_cli(tmp_path, app_home, portal.url, signed_in_profile, 12)
        _wait_for_completed_folder(tmp_path / "out", proc)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "stopped before the end" in err
    done = list((tmp_path / "out").rglob("*_COMPLETED"))
    assert done
    for folder in done:
        digits = folder.name.split("_")[0][2:]
        assert len(list(folder.iterdir())) == len(catalog.attachments_for(digits))
    results = (tmp_path / "pos_results.csv").read_text(encoding="utf-8-sig")
    assert results.count("COMPLETED") >= len(done)
    assert "PENDING" in results  # what did not run is recorded as not done
    assert browser_processes_using(app_home) == []
    dirs = app_dirs(app_home)
    assert not any(dirs.worker_profiles.rglob("*"))
    assert not any(dirs.runs.iterdir())


def test_a_killed_app_leaves_nothing_after_the_next_start(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    with portal.slowed(latency_ms=400):
        proc = _start_cli(tmp_path, app_home, portal.url, signed_in_profile, 12)
        _wait_for_completed_folder(tmp_path / "out", proc)
        proc.kill()  # no chance to clean up
        proc.communicate(timeout=30)
    dirs = app_dirs(app_home)
    assert list(dirs.runs.iterdir()), "the run marker should survive a crash"
    # Workers notice their controller is gone and quit their browsers; the next start sweeps the rest.
    report = sweep_stale_runs(dirs.runs)
    assert report.runs == 1
    deadline = time.monotonic() + 20
    while browser_processes_using(app_home) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert browser_processes_using(app_home) == []
    assert not any(dirs.worker_profiles.rglob("*"))
    assert not any(dirs.runs.iterdir())
    assert not [p for p in (tmp_path / "out" / ".po-downloader-staging").rglob("*") if p.is_file()]
    assert list((tmp_path / "out").rglob("*_COMPLETED")), "finished downloads must survive"
