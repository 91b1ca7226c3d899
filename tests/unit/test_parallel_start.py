"""Workers start side by side: the controller spawns every worker it wants in one pass and never waits for
one to be ready before starting the next, so a slow browser start holds up no other worker."""

from __future__ import annotations

from pathlib import Path

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from tests.helpers.batch import scripted_controller
from tests.helpers.fake_worker import FakeWorker

POS = [str(30000001 + i) for i in range(8)]


def test_every_worker_is_started_before_the_first_is_ready(tmp_path: Path) -> None:
    fake = FakeWorker(startup_seconds=0.5)
    controller, recorder = scripted_controller(tmp_path, POS, fake, workers=4)
    started_at_first_ready: list[int] = []

    def sink(event: ev.Event) -> None:
        if isinstance(event, ev.WorkerReady) and not started_at_first_ready:
            started_at_first_ready.append(len(controller.pool.handles))
        recorder(event)

    controller.sink = sink
    summary = controller.run()

    assert started_at_first_ready == [4]
    assert {e.worker for e in recorder.of(ev.WorkerReady)} == {1, 2, 3, 4}
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}


def test_a_worker_that_cannot_start_holds_up_no_other(tmp_path: Path) -> None:
    """Worker 1 never gets going; the other three are ready and work the whole batch meanwhile."""
    fake = FakeWorker(startup_seconds=0.2, start_by_worker={1: "crash"})
    controller, recorder = scripted_controller(tmp_path, POS, fake, workers=4, max_start_failures=5)
    summary = controller.run()

    ready = {e.worker for e in recorder.of(ev.WorkerReady)}
    assert 1 not in ready and {2, 3, 4} <= ready
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
