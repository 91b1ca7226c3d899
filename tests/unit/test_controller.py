"""The controller's state machine, through real worker processes that replay a script (no browser).

Retries, a crashed or hung worker, the sign-in gate with its generations, retiring when the count
drops, pause, stop, workers that cannot start: each in a few seconds, with real pipes and processes.
"""

from __future__ import annotations

import io
import multiprocessing as mp
from pathlib import Path

import pytest

from po_downloader.cli.messages import describe
from po_downloader.cli.progress import TerminalProgress
from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import GAVE_UP_AFTER
from po_downloader.engine.run.controller import BatchController
from tests.helpers.batch import Recorder, run_in_thread, scripted_controller
from tests.helpers.fake_worker import FakeWorker

pytestmark = pytest.mark.timeout(60)


def finals(rec: Recorder) -> dict[str, ev.PoFinished]:
    return {e.po.display: e for e in rec.of(ev.PoFinished)}


def displays(events: list) -> list[str]:
    return [e.po.display for e in events]


POS = [f"1000000{i}" for i in range(1, 7)]


def test_every_po_finishes_once_with_its_status(tmp_path: Path) -> None:
    fake = FakeWorker({"10000002": ["empty"], "10000003": ["notfound"], "10000004": ["ok:3"]})
    c, rec = scripted_controller(tmp_path, POS, fake)
    summary = c.run()
    assert summary.statuses == {
        "10000001": PoStatus.COMPLETED,
        "10000002": PoStatus.NO_ATTACHMENTS,
        "10000003": PoStatus.PO_NOT_FOUND,
        "10000004": PoStatus.COMPLETED,
        "10000005": PoStatus.COMPLETED,
        "10000006": PoStatus.COMPLETED,
    }
    assert (summary.files_found, summary.files_saved) == (6, 6)
    assert summary.total_bytes == 600
    assert sorted(displays(rec.of(ev.PoFinished))) == sorted(f"PO{d}" for d in POS)
    assert len(rec.of(ev.BatchFinished)) == 1
    assert rec.of(ev.BatchFinished)[0].summary == summary
    assert rec.events[-1] == ev.BatchFinished(0, summary), "the summary is the last word"
    assert not rec.of(ev.AttemptEnded), "the workers' attempts are the controller's business"
    tally = rec.of(ev.BatchProgress)
    assert [p.done for p in tally] == [1, 2, 3, 4, 5, 6]
    assert (tally[-1].failed, tally[-1].left, tally[-1].total_bytes) == (1, 0, 600)


def test_every_po_event_carries_the_po_number_the_batch_was_given(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS[:2], FakeWorker({"10000001": ["fail", "ok:1"]}))
    c.run()
    given = {PoNumber(d) for d in POS[:2]}
    po_events = [e for e in rec.events if isinstance(e, ev.PoEvent)]
    assert po_events and {e.po for e in po_events} == given


def test_a_retryable_failure_is_retried_then_completes(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS[:2], FakeWorker({"10000001": ["fail", "ok:1"]}))
    summary = c.run()
    assert summary.statuses["10000001"] is PoStatus.COMPLETED
    assert [e.attempt for e in rec.of(ev.PoRetrying)] == [2]
    assert displays(rec.of(ev.PoRetrying)) == ["PO10000001"]
    assert sorted(displays(rec.of(ev.PoFinished))) == ["PO10000001", "PO10000002"], "one final word each"


def test_the_summary_of_a_resumed_batch_speaks_for_the_pos_it_kept_too(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS[:2], FakeWorker({"10000002": ["notfound"]}))
    c.kept = {"10000009": PoStatus.FAILED, "10000001": PoStatus.PO_NOT_FOUND}
    summary = c.run()
    # A kept PO counts once; one this run worked again is what this run found.
    assert summary.statuses == {
        "10000009": PoStatus.FAILED,
        "10000001": PoStatus.COMPLETED,
        "10000002": PoStatus.PO_NOT_FOUND,
    }
    (finished,) = rec.of(ev.BatchFinished)
    assert finished.summary == summary
    progress = rec.of(ev.BatchProgress)[-1]
    assert (progress.done, progress.failed, progress.left) == (2, 1, 0), "progress counts this run's POs"


def test_failures_give_up_after_max_attempts(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS[:1], FakeWorker({"10000001": ["fail"]}), max_attempts=3)
    summary = c.run()
    assert summary.statuses["10000001"] is PoStatus.FAILED
    assert "gave up after 3 attempts" in finals(rec)["PO10000001"].outcome.message


def test_giving_up_keeps_the_attempts_kind_and_says_it_gave_up(tmp_path: Path) -> None:
    """The edges show a kind instead of the message, so the kind alone would hide "gave up after": the
    outcome carries how many attempts it took (``GAVE_UP_AFTER``), and both faces word it (issue 18: the
    window words the kind in its language rather than show the English message)."""
    c, rec = scripted_controller(tmp_path, POS[:1], FakeWorker({"10000001": ["held"]}), max_attempts=2)
    c.run()
    outcome = finals(rec)["PO10000001"].outcome
    assert outcome.message == "gave up after 2 attempts: held"
    assert outcome.kind is ErrorKind.FOLDER_HELD
    assert dict(outcome.details) == {"name": "PO10000001__WORK", "detail": "in use", GAVE_UP_AFTER: "2"}
    # The retry before it carried the attempt's kind too, for the window to word.
    assert [(e.kind, e.details.get("name")) for e in rec.of(ev.PoRetrying)] == [
        (ErrorKind.FOLDER_HELD, "PO10000001__WORK")
    ]
    out = io.StringIO()
    TerminalProgress(1, out)(finals(rec)["PO10000001"])
    assert "gave up after 2 attempts: " in out.getvalue(), out.getvalue()


def test_a_worker_that_crashes_mid_po_is_replaced_and_the_po_retried(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS[:3], FakeWorker({"10000002": ["crash", "ok:2"]}))
    summary = c.run()
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    died = rec.of(ev.WorkerDied)
    assert [(d.po, d.exitcode) for d in died] == [(PoNumber("10000002"), 9)]


@pytest.mark.expect_log(
    "po_downloader.engine.run.pool", r"worker \d+ did not answer in time \(busy\); ending it"
)
def test_a_hung_worker_is_ended_by_the_watchdog(tmp_path: Path) -> None:
    c, rec = scripted_controller(
        tmp_path, POS[:2], FakeWorker({"10000001": ["hang", "ok:1"]}), po_timeout=1.5
    )
    summary = c.run()
    assert summary.statuses["10000001"] is PoStatus.COMPLETED
    assert any(e.po == PoNumber("10000001") for e in rec.of(ev.WorkerDied))


@pytest.mark.expect_log("po_downloader.engine.run.pool", r"worker \d+ stopped responding \(no heartbeat for")
def test_a_frozen_worker_is_caught_by_its_missing_heartbeat(tmp_path: Path) -> None:
    # SIGSTOP: the process, heartbeat thread included, stops; the per-PO timeout is far away.
    fake = FakeWorker({"10000001": ["freeze", "ok:1"]})
    c, rec = scripted_controller(tmp_path, POS[:2], fake, po_timeout=600, heartbeat_timeout=1.0)
    summary = c.run()
    assert summary.statuses["10000001"] is PoStatus.COMPLETED
    assert [d.po for d in rec.of(ev.WorkerDied)] == [PoNumber("10000001")]
    assert "stopped responding" in rec.of(ev.PoRetrying)[0].reason


def test_a_slow_worker_that_keeps_beating_is_left_alone(tmp_path: Path) -> None:
    fake = FakeWorker({"10000001": ["slow:2.5"]})
    c, rec = scripted_controller(tmp_path, POS[:1], fake, po_timeout=600, heartbeat_timeout=1.0)
    summary = c.run()
    assert summary.statuses["10000001"] is PoStatus.COMPLETED
    assert not rec.of(ev.WorkerDied) and not rec.of(ev.PoRetrying)


def test_workers_that_cannot_start_end_the_batch_with_a_reason(tmp_path: Path) -> None:
    c, _ = scripted_controller(tmp_path, POS[:2], FakeWorker(start="crash"), max_start_failures=2)
    summary = c.run()
    assert "workers could not start" in summary.error
    assert set(summary.statuses.values()) == {PoStatus.PENDING}


def test_a_config_error_ends_the_batch_at_once(tmp_path: Path) -> None:
    c, _ = scripted_controller(tmp_path, POS[:2], FakeWorker(start="config"))
    assert c.run().error == "bad selectors"


def test_a_full_disk_stops_the_batch_at_once_and_leaves_every_unfinished_po_to_do(tmp_path: Path) -> None:
    # One worker meets the full disk while the other is busy: both stop, and neither PO is failed or retried.
    fake = FakeWorker({"10000001": ["slow:20"], "10000002": ["disk"], "10000003": ["ok:1"]})
    c, rec = scripted_controller(tmp_path, POS[:4], fake)
    summary = c.run()
    assert summary.error_kind is ErrorKind.DISK_FULL
    assert summary.error_details["path"] == str(tmp_path / "downloads")
    assert not summary.stopped
    assert set(summary.statuses.values()) == {PoStatus.PENDING}
    assert not rec.of(ev.PoFinished) and not rec.of(ev.PoRetrying) and not rec.of(ev.PoRequeued)
    left = rec.of(ev.PoLeftOver)
    assert sorted(displays(left)) == [f"PO{d}" for d in POS[:4]]
    assert {e.status for e in left} == {PoStatus.PENDING}
    assert all("is full" in e.reason for e in left)
    assert [e.kind for e in rec.of(ev.WorkerError)] == [ErrorKind.DISK_FULL]
    assert not rec.of(ev.WorkerDied), "workers ended on purpose are not reported as having died"


def test_not_signed_in_at_start_on_the_cli_ends_with_sign_in_required(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS[:2], FakeWorker(start="signin"))
    summary = c.run()
    assert summary.sign_in_required
    assert set(summary.statuses.values()) == {PoStatus.SIGN_IN_REQUIRED}
    left = rec.of(ev.PoLeftOver)
    assert sorted(displays(left)) == ["PO10000001", "PO10000002"]
    assert {e.status for e in left} == {PoStatus.SIGN_IN_REQUIRED}
    assert not rec.of(ev.PoFinished)


def test_a_sign_in_request_carries_what_the_edges_need_to_word_it(tmp_path: Path) -> None:
    """A Grid's sign-in that did not take names the Grid: the request carries the worker's details (the
    window said "...at ? did not take")."""
    c, rec = scripted_controller(tmp_path, POS[:1], FakeWorker(start="grid-signin"), workers=1)
    c.run()
    (needed,) = rec.of(ev.SignInNeeded)
    assert (needed.kind, needed.details) == (ErrorKind.GRID_NOT_SIGNED_IN, {"url": "http://grid:4444"})
    assert "http://grid:4444" in describe(needed.kind, needed.details)


def test_sign_in_lost_pauses_then_resumes_on_new_workers(tmp_path: Path) -> None:
    fake = FakeWorker({"10000003": ["signin", "ok:1"]})
    c, rec = scripted_controller(tmp_path, POS, fake, workers=1, pause_on_sign_in=True)
    thread, out = run_in_thread(c)
    rec.wait(lambda e: isinstance(e, ev.SignInNeeded), timeout=30)
    first_workers = {e.worker for e in rec.of(ev.WorkerReady)}
    c.signed_in_again()
    thread.join(30)
    summary = out[0]
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    assert len(rec.of(ev.SignInNeeded)) == 1
    assert {e.worker for e in rec.of(ev.WorkerReady)} - first_workers, "a fresh worker took over"
    assert displays(rec.of(ev.PoFinished)).count("PO10000003") == 1
    requeued = rec.of(ev.PoRequeued)
    assert [(e.po, e.status) for e in requeued] == [(PoNumber("10000003"), PoStatus.SIGN_IN_REQUIRED)]
    assert requeued[0].reason == "Coupa asked to sign in again"
    assert not rec.of(ev.PoRetrying), "a requeue spends no attempt and is no retry"


def test_pause_holds_new_pos_until_resume(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS, FakeWorker({d: ["slow:0.3"] for d in POS}), workers=1)
    c.pause()
    thread, out = run_in_thread(c)
    rec.wait(lambda e: isinstance(e, ev.WorkerReady), timeout=30)
    assert not thread.join(1.0) and not rec.of(ev.PoFinished)
    c.resume()
    thread.join(30)
    assert set(out[0].statuses.values()) == {PoStatus.COMPLETED}


def test_stop_ends_running_pos_and_leaves_the_rest_pending(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS, FakeWorker({d: ["slow:5"] for d in POS}))
    thread, out = run_in_thread(c)
    rec.wait(lambda e: isinstance(e, ev.WorkerReady), timeout=30)
    c.stop()
    thread.join(30)
    summary = out[0]
    assert summary.stopped
    assert set(summary.statuses.values()) == {PoStatus.PENDING}
    left = rec.of(ev.PoLeftOver)
    assert sorted(displays(left)) == sorted(f"PO{d}" for d in POS)
    assert {(e.status, e.reason) for e in left} == {
        (PoStatus.PENDING, "not processed: the batch was stopped")
    }
    assert not rec.of(ev.PoFinished)


def test_lowering_the_worker_count_retires_workers_and_the_batch_still_ends(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS, FakeWorker({d: ["slow:0.4"] for d in POS}), workers=3)
    thread, out = run_in_thread(c)
    rec.wait(lambda e: isinstance(e, ev.PoFinished), timeout=30)
    c.set_workers(1)
    thread.join(30)
    assert set(out[0].statuses.values()) == {PoStatus.COMPLETED}
    assert rec.of(ev.WorkerStopped), "surplus workers were retired"
    assert [e.target for e in rec.of(ev.WorkerCountChanged)] == [1]


@pytest.mark.expect_log(
    "po_downloader.engine.run.pool", r"worker \d+ did not answer in time \(busy\); ending it"
)
def test_a_worker_the_watchdog_ends_is_joined_by_multiprocessing_with_its_exit_code(tmp_path: Path) -> None:
    """Ending a worker never reaps it behind multiprocessing's back: it learns the exit code (the fake
    worker exits 0 on SIGTERM), and no ended worker is left "running" for a later terminate() to hit a
    PID that may by then be a stranger's."""
    c, rec = scripted_controller(
        tmp_path, POS[:1], FakeWorker({"10000001": ["hang", "ok:1"]}), po_timeout=1.5, workers=1
    )
    summary = c.run()
    assert summary.statuses["10000001"] is PoStatus.COMPLETED
    assert [(d.po, d.exitcode) for d in rec.of(ev.WorkerDied)] == [(PoNumber("10000001"), 0)]
    assert [p for p in mp.active_children() if p.name.startswith("po-worker-")] == []


def count_loop_passes(c: BatchController) -> list[float]:
    """Each pass of the controller's loop ends in one wait: record its timeout."""
    timeouts: list[float] = []
    wait = c._wait_for_activity

    def counted(timeout: float) -> None:
        timeouts.append(timeout)
        wait(timeout)

    c._wait_for_activity = counted  # type: ignore[method-assign]
    return timeouts


def test_the_loop_sleeps_while_every_worker_is_busy_and_pos_are_queued(tmp_path: Path) -> None:
    """More POs than workers: one is always ready with no worker free. The loop must wait for a worker's
    word, not spin (issue #8: thousands of passes with timeout 0, 83 % of a core)."""
    fake = FakeWorker({d: ["slow:1"] for d in POS}, beat=1.0)
    c, _ = scripted_controller(tmp_path, POS, fake, governor=True)
    timeouts = count_loop_passes(c)
    summary = c.run()
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    assert all(t > 0 for t in timeouts)
    assert len(timeouts) < 150, f"{len(timeouts)} loop passes for 6 POs on 2 workers"


def test_the_loop_sleeps_while_paused(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS[:3], FakeWorker(beat=1.0), workers=1)
    timeouts = count_loop_passes(c)
    c.pause()
    thread, out = run_in_thread(c)
    rec.wait(lambda e: isinstance(e, ev.WorkerReady), timeout=30)
    before = len(timeouts)
    assert not thread.join(1.5)
    paused_passes = len(timeouts) - before
    c.resume()
    thread.join(30)
    assert set(out[0].statuses.values()) == {PoStatus.COMPLETED}
    assert paused_passes < 15, f"{paused_passes} loop passes while paused"


def test_a_worker_that_cannot_start_is_retried_while_the_others_work(tmp_path: Path) -> None:
    """Replacements 2, 3 and 4 crash at start, more times in a row than max_start_failures: worker 1 is
    running, so the batch goes on and worker 5 takes the second place."""
    # Each PO takes 2 s until worker 5 is ready (the file ``go``), so the three crashes (each a whole
    # process start, seconds on a busy machine) and worker 5's start happen while worker 1 works (up to a
    # minute): a fixed pace (1.5 s POs) still let worker 1 end the batch first on a loaded machine.
    go = tmp_path / "go"
    fake = FakeWorker(start_by_worker={2: "crash", 3: "crash", 4: "crash"}, pace=2.0, pace_until=str(go))
    c, rec = scripted_controller(
        tmp_path, [f"100000{i:02d}" for i in range(1, 31)], fake, max_start_failures=2
    )
    thread, out = run_in_thread(c)
    rec.wait(lambda e: isinstance(e, ev.WorkerReady) and e.worker == 5, timeout=240)
    go.touch()
    thread.join(120)
    summary = out[0]
    assert summary.error == ""
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    assert sorted((d.worker, d.exitcode, d.po) for d in rec.of(ev.WorkerDied)) == [
        (2, 3, None),
        (3, 3, None),
        (4, 3, None),
    ]
    assert 5 in {e.worker for e in rec.of(ev.WorkerReady)}, "it was retried until one started"


@pytest.mark.expect_log(
    "po_downloader.engine.run.controller", r"a worker could not be started: no more processes"
)
def test_a_worker_process_that_cannot_be_made_is_retried_not_fatal(tmp_path: Path) -> None:
    c, _ = scripted_controller(tmp_path, POS[:4], FakeWorker())
    spawn, calls = c.pool.spawn, []

    def failing_once(now: float, generation: int):
        calls.append(now)
        if len(calls) == 2:
            raise OSError("no more processes")
        return spawn(now, generation)

    c.pool.spawn = failing_once  # type: ignore[method-assign]
    summary = c.run()
    assert summary.error == ""
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    assert len(calls) >= 3, "the failed start was tried again"


@pytest.mark.expect_log(
    "po_downloader.engine.run.pool",
    r"could not remove .* \(held by antivirus\); it is left for the next clean-up",
)
def test_a_folder_that_cannot_be_removed_is_left_for_the_sweep_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def held(path: Path) -> None:
        if path.exists():
            raise PermissionError("held by antivirus")

    monkeypatch.setattr("po_downloader.engine.run.pool.remove_tree", held)
    c, rec = scripted_controller(tmp_path, POS[:4], FakeWorker({"10000002": ["crash", "ok:1"]}))
    summary = c.run()
    assert summary.error == ""
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    assert len(rec.of(ev.BatchFinished)) == 1
    markers = list(c.dirs.runs.iterdir())
    assert len(markers) == 1, "the run marker stays, so the next start's sweep removes the folders"
    assert str(c.pool.profiles_dir) in markers[0].read_text()


def test_a_po_that_always_meets_sign_in_while_others_complete_fails_with_the_url(tmp_path: Path) -> None:
    """The GUI signs in again each time it is asked; the PO's page always looks like sign-in. Without a
    bound it is requeued for ever (a requeue spends no attempt)."""
    c, rec = scripted_controller(
        tmp_path, POS[:3], FakeWorker({"10000002": ["signin"]}), workers=1, pause_on_sign_in=True
    )

    def sink(event: ev.Event) -> None:
        rec(event)
        if isinstance(event, ev.SignInNeeded):
            c.signed_in_again()

    c.sink = sink
    summary = c.run()
    assert summary.statuses == {
        "10000001": PoStatus.COMPLETED,
        "10000002": PoStatus.FAILED,
        "10000003": PoStatus.COMPLETED,
    }
    failed = finals(rec)["PO10000002"]
    assert failed.outcome.url == "http://127.0.0.1:9/login?po=10000002"
    assert failed.outcome.url in failed.outcome.message and "sign-in page" in failed.outcome.message
    assert len(rec.of(ev.SignInNeeded)) == 1, "asked once (the session's turn), then it is the PO's"
    assert displays(rec.of(ev.PoFinished)).count("PO10000002") == 1
