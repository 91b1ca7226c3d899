"""The controller's trust in served pages, with scripted workers: lists are decided over HTTP only after
two checks agreed; one disagreement sends the rest to the browser and works again what HTTP decided."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from tests.helpers.batch import scripted_controller
from tests.helpers.fake_worker import FakeWorker

POS = [f"1000000{i}" for i in range(1, 7)]


@pytest.mark.expect_log("po_downloader.engine.run.controller", "served page and browser disagree")
def test_http_decides_after_two_agreeing_checks_and_a_disagreement_sends_its_pos_back(tmp_path: Path) -> None:
    script = {
        "10000001": ["agree"],
        "10000002": ["agree"],
        "10000003": ["http"],
        "10000004": ["http"],
        "10000005": ["disagree"],
        "10000006": ["http"],
    }
    c, rec = scripted_controller(tmp_path, POS, FakeWorker(script), workers=1)
    summary = c.run()
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    finals = [(e.po.digits, e.outcome.route) for e in rec.of(ev.PoFinished)]
    # 3 and 4 were decided over HTTP, then worked again by the browser once 5 disagreed; 6 never saw HTTP.
    assert finals == [
        ("10000001", "browser"),
        ("10000002", "browser"),
        ("10000003", "http"),
        ("10000004", "http"),
        ("10000005", "browser"),
        ("10000006", "browser"),
        ("10000003", "browser"),
        ("10000004", "browser"),
    ]
    again = [e for e in rec.of(ev.PoRequeued) if e.status is PoStatus.PENDING]
    assert {e.po.digits for e in again} == {"10000003", "10000004"}
    assert all("checked again through the browser: the attachment lists differ" in e.reason for e in again)
    (told,) = rec.of(ev.HttpProbe)  # the disagreement reaches the faces; the routine probes do not
    assert told.result is ev.ProbeResult.DISAGREED
    progress = rec.of(ev.BatchProgress)[-1]
    assert (progress.done, progress.left) == (6, 0)  # each PO counted once in the end
    assert summary.files_saved == 6


def test_browser_mode_gives_no_task_a_plan(tmp_path: Path) -> None:
    c, rec = scripted_controller(tmp_path, POS[:2], FakeWorker({d: ["http"] for d in POS}), workers=1)
    c.trust.mode = c.trust.mode.__class__("browser")
    c.run()
    assert {e.outcome.route for e in rec.of(ev.PoFinished)} == {"browser"}
