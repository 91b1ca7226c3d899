"""The controller's lookahead through scripted worker processes: each order names the PO reserved to follow
it, and a reservation is never lost nor worked twice, whatever happens to the worker holding it."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from tests.helpers.batch import Recorder, scripted_controller
from tests.helpers.fake_worker import FakeWorker

pytestmark = pytest.mark.timeout(60)

POS = [f"1000000{i}" for i in range(1, 9)]


def aheads(root: Path) -> dict[str, list[str]]:
    """Per PO handed out: the PO named to follow it, at each hand-out ("" for none)."""
    folder = root / ".fake-ahead"
    return {p.name: p.read_text(encoding="utf-8").splitlines() for p in sorted(folder.iterdir())}


def finished_once(rec: Recorder) -> dict[str, PoStatus]:
    finals = rec.of(ev.PoFinished)
    assert len(finals) == len({e.po.digits for e in finals}), "a PO finished twice"
    return {e.po.digits: e.outcome.status for e in finals}


def test_each_order_names_the_next_po_of_that_worker_and_it_is_worked_next(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS[:5], FakeWorker(), workers=1)
    summary = c.run()
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    assert finished_once(rec) == dict.fromkeys(POS[:5], PoStatus.COMPLETED)
    named = aheads(tmp_path / "downloads")
    assert named == {po: [nxt] for po, nxt in zip(POS[:5], [*POS[1:5], ""], strict=True)}
    started = [e.po.digits for e in rec.of(ev.PoStarted)]
    assert started == POS[:5], "one worker works the POs in the sheet's order, each the one it was told"


def test_with_two_workers_every_po_is_worked_once_and_the_named_ones_follow_on_their_worker(
    tmp_path: Path,
) -> None:
    c, rec = scripted_controller(tmp_path, POS, FakeWorker(pace=0.05), workers=2)
    summary = c.run()
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    assert finished_once(rec) == dict.fromkeys(POS, PoStatus.COMPLETED)
    assert len(rec.of(ev.PoStarted)) == len(POS), "no PO was handed out twice"
    worker_of = {e.po.digits: e.worker for e in rec.of(ev.PoStarted)}
    named = [(po, nxt[0]) for po, nxt in aheads(tmp_path / "downloads").items() if nxt[0]]
    assert named, "the orders named a next PO"
    followed = [(po, nxt) for po, nxt in named if worker_of[nxt] == worker_of[po]]
    assert followed, "a named PO went to the worker that was told of it"


def test_lookahead_off_names_nothing(tmp_path: Path) -> None:
    c, _ = scripted_controller(tmp_path, POS[:4], FakeWorker(), workers=2, lookahead=False)
    assert set(c.run().statuses.values()) == {PoStatus.COMPLETED}
    assert all(nxt == [""] for nxt in aheads(tmp_path / "downloads").values())


def test_a_worker_that_dies_holding_a_reservation_loses_nothing(tmp_path: Path) -> None:
    # The only worker takes PO 1 with PO 2 reserved and dies mid-PO: a new worker works PO 2 (and PO 1
    # again after its backoff); every PO finishes once.
    fake = FakeWorker({POS[0]: ["crash", "ok:1"]})
    c, rec = scripted_controller(tmp_path, POS[:3], fake, workers=1)
    summary = c.run()
    assert aheads(tmp_path / "downloads")[POS[0]][0] == POS[1], "PO 2 was reserved when the worker died"
    assert [e.po.digits for e in rec.of(ev.WorkerDied)] == [POS[0]]
    assert finished_once(rec) == dict.fromkeys(POS[:3], PoStatus.COMPLETED)
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    starts = [e.po.digits for e in rec.of(ev.PoStarted)]
    assert sorted(starts) == sorted([POS[0], *POS[:3]]), "only the PO the worker held is worked again"


def test_a_stop_leaves_a_reserved_po_to_do_not_in_flight(tmp_path: Path) -> None:
    fake = FakeWorker({POS[0]: ["hang"]})
    c, rec = scripted_controller(tmp_path, POS[:3], fake, workers=1)

    def stop_once_started(event: ev.Event) -> None:
        rec(event)
        if isinstance(event, ev.PoStarted):
            c.stop()

    c.sink = stop_once_started
    summary = c.run()
    assert aheads(tmp_path / "downloads")[POS[0]] == [POS[1]]
    assert summary.stopped
    assert summary.statuses == dict.fromkeys(POS[:3], PoStatus.PENDING)
    left = {e.po.digits: e.status for e in rec.of(ev.PoLeftOver)}
    assert left == dict.fromkeys(POS[:3], PoStatus.PENDING)
    assert [e.po.digits for e in rec.of(ev.PoStarted)] == [POS[0]], "the reserved PO was never begun"
