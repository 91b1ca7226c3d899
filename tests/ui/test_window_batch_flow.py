"""The window's batch flow on scripted worker processes: seconds, no browser.

The real controller, pipes, event pump, table, results sheet and buttons; only the worker's browser is
replaced (``tests.helpers.fake_worker``), so what the window does with every kind of outcome is covered
in the fast subset. The browser tests in ``test_main_window.py`` keep what needs Chromium.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from po_downloader.engine.browser.signin import SignInCheck
from po_downloader.engine.events import BatchSummary
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.system.settings import Settings
from tests.helpers.window import SIX_POS as POS
from tests.helpers.window import (
    make_window,
    row_counts,
    run_to_end,
    statuses,
    still_signed_out,
)

pytestmark = pytest.mark.timeout(120)

ATTEMPTS = Settings().max_attempts


def test_every_outcome_reaches_its_row_and_the_results_sheet(qtbot, tmp_path: Path, app_home: Path) -> None:
    script = {"10000002": ["empty"], "10000003": ["notfound"], "10000004": ["fail"], "10000005": ["ok:3"]}
    window = make_window(qtbot, tmp_path, script)
    finished: list[str] = []
    window.batch_finished.connect(finished.append)
    run_to_end(qtbot, window, window.start_button.click)
    assert statuses(window) == [
        PoStatus.COMPLETED,
        PoStatus.NO_ATTACHMENTS,
        PoStatus.PO_NOT_FOUND,
        PoStatus.FAILED,
        PoStatus.COMPLETED,
        PoStatus.COMPLETED,
    ]
    assert window.model.row(4).outcome.found == window.model.row(4).outcome.downloaded == 3
    assert finished and "6 POs" in finished[0]
    qtbot.waitUntil(lambda: (tmp_path / "pos_results.csv").exists(), timeout=10_000)
    with (tmp_path / "pos_results.csv").open(encoding="utf-8-sig", newline="") as fh:
        sheet = [row["STATUS"] for row in csv.DictReader(fh)]
    assert sheet == [s.value for s in statuses(window)]
    assert window.retry_button.isEnabled()


def test_retrying_one_of_several_failed_rows_runs_and_resets_only_that_one(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    script = {d: ["fail"] * ATTEMPTS + ["ok:1"] for d in POS[:4]}  # fails every attempt of the first run
    window = make_window(qtbot, tmp_path, script)
    run_to_end(qtbot, window, window.start_button.click)
    assert statuses(window)[:4] == [PoStatus.FAILED] * 4
    run_to_end(qtbot, window, lambda: window.launcher.retry_rows([PoNumber("10000002")]))
    assert statuses(window) == [
        PoStatus.FAILED,
        PoStatus.COMPLETED,
        PoStatus.FAILED,
        PoStatus.FAILED,
        PoStatus.COMPLETED,
        PoStatus.COMPLETED,
    ]
    assert window.model.row(0).outcome.message  # the untouched failures keep their reason


def test_retry_failed_runs_every_problem_row_and_nothing_else(qtbot, tmp_path: Path, app_home: Path) -> None:
    script = {"10000003": ["fail"] * ATTEMPTS + ["ok:1"]}
    window = make_window(qtbot, tmp_path, script)
    run_to_end(qtbot, window, window.start_button.click)
    calls = tmp_path / "out" / ".fake-calls"
    before = {p.name: len(p.read_text().splitlines()) for p in calls.iterdir()}
    run_to_end(qtbot, window, window.retry_button.click)
    after = {p.name: len(p.read_text().splitlines()) for p in calls.iterdir()}
    assert set(statuses(window)) == {PoStatus.COMPLETED}
    assert {k for k in after if after[k] != before.get(k)} == {"10000003"}


def test_stop_keeps_what_finished_and_leaves_the_rest_waiting(qtbot, tmp_path: Path, app_home: Path) -> None:
    script = {d: ["slow:3"] for d in POS[2:]}
    window = make_window(qtbot, tmp_path, script)
    window.workers.slider.setValue(2)
    window.start_button.click()
    qtbot.waitUntil(lambda: row_counts(window).get(PoStatus.COMPLETED, 0) >= 2, timeout=30_000)
    window.stop_button.click()
    qtbot.waitUntil(lambda: not window.session.running, timeout=30_000)
    counts = row_counts(window)
    assert counts.get(PoStatus.COMPLETED) == 2
    assert sum(counts.values()) == len(POS)
    assert PoStatus.FAILED not in counts


def test_sign_in_lost_mid_batch_holds_the_batch_until_a_verified_sign_in(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    verdicts = [still_signed_out(), SignInCheck("https://coupa.example/user/home")]
    signed_in: list[str] = []
    window = make_window(
        qtbot,
        tmp_path,
        {"10000003": ["signin", "ok:1"]},  # the session expires on the third PO
        sign_in_action=lambda: signed_in.append("user signed in"),
        sign_in_verifier=lambda: verdicts.pop(0),
    )
    resumed: list[bool] = []
    window.sign_in_flow.signed_in.connect(lambda: resumed.append(True))
    window.workers.slider.setValue(1)  # one worker: the POs run in sheet order
    window.start_button.click()
    qtbot.waitUntil(window.sign_in_banner.isVisible, timeout=30_000)
    assert "sign in again" in window.sign_in_banner.label.text()
    qtbot.waitUntil(lambda: row_counts(window).get(PoStatus.SIGN_IN_REQUIRED) == 1, timeout=10_000)
    held = row_counts(window)
    assert held == {PoStatus.COMPLETED: 2, PoStatus.SIGN_IN_REQUIRED: 1, PoStatus.PENDING: 3}
    assert window.session.running

    window.sign_in_banner.button("Sign in…").click()
    assert not window.toolbar.sign_in.isEnabled()  # one sign-in at a time
    qtbot.waitUntil(lambda: "did not take" in window.sign_in_banner.label.text(), timeout=10_000)
    assert window.toolbar.sign_in.isEnabled()
    assert resumed == [] and window.session.running and row_counts(window) == held

    window.sign_in_banner.button("Try again…").click()
    qtbot.waitUntil(lambda: not window.session.running, timeout=60_000)
    assert resumed == [True] and signed_in == ["user signed in"] * 2
    assert not window.sign_in_banner.isVisible()
    assert set(statuses(window)) == {PoStatus.COMPLETED}
    assert "6 completed" in window.finish_banner.label.text()


def test_a_retried_po_shows_only_its_final_word_and_the_summary_comes_once(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    window = make_window(qtbot, tmp_path, {"10000001": ["fail", "ok:2"]})
    summaries: list[BatchSummary] = []
    window.session.finished.connect(summaries.append)
    run_to_end(qtbot, window, window.start_button.click)
    row = window.model.row(0)
    assert (row.outcome.status, row.attempts, row.outcome.found, row.outcome.downloaded) == (
        PoStatus.COMPLETED,
        2,
        2,
        2,
    )
    assert row.outcome.message == ""  # the retry note is gone with the final word
    assert len(summaries) == 1
    assert summaries[0].statuses == {d: PoStatus.COMPLETED for d in POS}
    assert summaries[0].total_bytes == 700  # 2 files of 100 bytes + 5 POs of one


def test_sign_in_lost_mid_batch_requeues_the_po_then_the_batch_resumes(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    window = make_window(qtbot, tmp_path, {"10000003": ["signin", "ok:1"]})
    window.workers.slider.setValue(1)
    asked: list[str] = []
    window.session.sign_in_needed.connect(asked.append)
    window.start_button.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    qtbot.waitUntil(lambda: window.model.row(2).outcome.status is PoStatus.SIGN_IN_REQUIRED, timeout=10_000)
    assert window.model.row(2).outcome.message == "Coupa asked to sign in again"
    assert window.session.running
    window.session.signed_in_again()
    qtbot.waitUntil(lambda: not window.session.running, timeout=60_000)
    assert set(statuses(window)) == {PoStatus.COMPLETED}
    assert len(asked) == 1


def test_stop_says_why_each_po_was_left_waiting(qtbot, tmp_path: Path, app_home: Path) -> None:
    window = make_window(qtbot, tmp_path, {d: ["slow:3"] for d in POS})
    window.start_button.click()
    qtbot.waitUntil(lambda: row_counts(window).get(PoStatus.PROCESSING, 0) >= 1, timeout=30_000)
    window.stop_button.click()
    qtbot.waitUntil(lambda: not window.session.running, timeout=30_000)
    rows = window.model.rows()
    assert {r.outcome.status for r in rows} == {PoStatus.PENDING}
    assert {r.outcome.message for r in rows} == {"not processed: the batch was stopped"}
    assert all((r.outcome.found, r.outcome.downloaded, r.outcome.size) == (0, 0, 0) for r in rows)
