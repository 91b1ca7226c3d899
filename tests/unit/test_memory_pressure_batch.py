"""A 500-PO batch on 4 workers while another process eats memory: the governor steps down, comes back up
once the memory is given back, and the batch ends with every file right (journal and results agree).

Real worker processes that write real files (``FakeWorker(write_files=True)``), the real machine readings
(``OthersLoad``: the machine's memory) and a real memory eater; only the thresholds are set from this machine's memory, so the
eater crosses them wherever the test runs.
"""

from __future__ import annotations

import logging
import statistics
import time
from pathlib import Path

import psutil
import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.batch import make_controller, prepare
from po_downloader.engine.run.governor import Governor
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import Recorder, run_in_thread, settings_for
from tests.helpers.consistency import assert_batch_consistent
from tests.helpers.fake_worker import FakeWorker, fake_files
from tests.helpers.memory_eater import MIB, MemoryEater

# alone: the governor reads the machine's memory, and tests beside it would start and end browsers.
pytestmark = [pytest.mark.timeout(240), pytest.mark.alone]
log = logging.getLogger(__name__)

POS = [str(40000001 + i) for i in range(500)]
WORKERS = 4
EAT_MIB = 2048
"""At most ~2 GiB: the machine is shared."""


def _memory_percent() -> float:
    """The machine's memory in use, as the governor reads it, steadied over a few samples."""
    samples = []
    for _ in range(5):
        samples.append(psutil.virtual_memory().percent)
        time.sleep(0.1)
    return statistics.median(samples)


def _wait_after(rec: Recorder, start: int, predicate, timeout: float = 60.0) -> int:
    """The index of the first event from ``start`` on that matches ``predicate``."""
    with rec.cond:
        found = rec.cond.wait_for(
            lambda: next((i for i in range(start, len(rec.events)) if predicate(rec.events[i])), None),
            timeout,
        )
        if found is None:
            changes = [e for e in rec.events if isinstance(e, ev.WorkerCountChanged)]
            memory = psutil.virtual_memory().percent
            raise AssertionError(
                f"no matching event in {timeout}s; memory {memory}%, count changes {changes}"
            )
        return found


def test_500_pos_on_4_workers_step_down_under_memory_pressure_and_back_up(
    tmp_path: Path, app_home: Path
) -> None:
    if psutil.virtual_memory().available < 4 * EAT_MIB * MIB:
        pytest.skip("too little free memory to eat some safely")
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in POS), encoding="utf-8")
    (tmp_path / "profile").mkdir()
    root = tmp_path / "out"
    settings = settings_for("http://127.0.0.1:9", tmp_path / "profile", root)
    dirs = app_dirs()
    # Thresholds start out of reach; they are set once the batch's own workers run (below). CPU never
    # counts here: the machine is shared, and memory is what this test is about.
    governor = Governor(
        cpu_high=100.0, cpu_ok=100.1, memory_high=100.0, memory_ok=100.0, window=2, cooldown=1.0
    )
    # Paced so the batch is still running when the count comes back up and a worker is back; from then on
    # the rest of the 500 go at full speed (all that is left to see is that every one of them ends right).
    paced_until = tmp_path / "count-restored"
    fake = FakeWorker({d: ["ok:2"] for d in POS}, write_files=True, pace=0.15, pace_until=str(paced_until))
    rec = Recorder()
    options = BatchOptions(workers=WORKERS, max_attempts=2, backoff_base=0.05, governor=True)
    controller = make_controller(
        prepare(sheet, settings, dirs), dirs, options, rec, worker_target=fake, governor=governor
    )
    thread, out = run_in_thread(controller)
    try:
        # Every worker ready (on a busy machine the last may start after 20 POs are done), and work done.
        rec.wait(
            lambda e: len({r.worker for r in rec.events if isinstance(r, ev.WorkerReady)}) == WORKERS, 120
        )
        rec.wait(lambda e: isinstance(e, ev.BatchProgress) and e.done >= 20, timeout=60)
        base = _memory_percent()
        eaten = 100.0 * EAT_MIB * MIB / psutil.virtual_memory().total
        governor.memory_ok = base + 0.35 * eaten
        governor.memory_high = base + 0.6 * eaten
        log.info(
            "memory %.1f%% in use; the eater adds %.1f%%: down above %.1f%%, back up below %.1f%%",
            base,
            eaten,
            governor.memory_high,
            governor.memory_ok,
        )

        eating = len(rec.events)  # the eater takes memory from its start, before it says it is done
        with MemoryEater(EAT_MIB) as eater:
            down = _wait_after(
                rec, eating, lambda e: isinstance(e, ev.WorkerCountChanged) and e.target < WORKERS
            )
            _wait_after(rec, down, lambda e: isinstance(e, ev.WorkerStopped))  # one really retired
            eater.free()
            freed = len(rec.events)
            up = _wait_after(
                rec, freed, lambda e: isinstance(e, ev.WorkerCountChanged) and e.target == WORKERS
            )
            _wait_after(rec, up, lambda e: isinstance(e, ev.WorkerReady))  # a worker came back
            paced_until.touch()
        thread.join(120)
        assert not thread.is_alive()
    finally:
        controller.stop()
        thread.join(30)

    events = rec.events
    changes = [(i, e) for i, e in enumerate(events) if isinstance(e, ev.WorkerCountChanged)]
    assert all(i >= eating for i, _ in changes), "the count moved before the eater ran"
    under_pressure = [e for i, e in changes if eating <= i < freed]
    assert under_pressure and all(e.target < WORKERS for e in under_pressure), under_pressure
    assert all("memory" in e.reason and e.requested == WORKERS for e in under_pressure), under_pressure
    after = [e for i, e in changes if i >= freed]
    assert after and after[-1].target == WORKERS and "back to 4 workers" in after[-1].reason, after
    # Fewer workers really ran, and new ones started on the way back up.
    stopped = [i for i, e in enumerate(events) if isinstance(e, ev.WorkerStopped) and eating <= i < freed]
    assert stopped, "no worker retired while memory was short"
    assert [e for e in events[freed:] if isinstance(e, ev.WorkerReady)], "no worker came back"

    summary = out[0]
    assert not summary.error
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED} and len(summary.statuses) == len(POS)
    assert_batch_consistent(
        root, tmp_path / "pos_results.csv", dirs.journal_file, {d: fake_files(d, 2) for d in POS}
    )
