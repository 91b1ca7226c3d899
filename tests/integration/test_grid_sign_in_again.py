"""Signing in again mid-batch on a real Selenium Grid 4: the portal's sessions all end mid-batch, the user signs
in again, and the Grid's new sessions (and the HTTP route reading with their cookies) carry the new sign-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.results import results_path_for
from po_downloader.engine.run.batch import make_controller, prepare
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import Recorder, run_in_thread, settings_for, sign_in
from tests.helpers.consistency import assert_batch_consistent
from tests.helpers.demo_files import demo_files_by_po
from tests.helpers.portal import PortalProcess
from tests.helpers.report_logs import watch_portal

pytestmark = [pytest.mark.browser, pytest.mark.grid]


def test_sessions_expired_mid_batch_and_signed_in_again_the_grid_carries_the_new_sign_in(
    tmp_path: Path, app_home: Path, grid
) -> None:
    """Auto mode on a portal whose served pages prove their lists, so POs go over HTTP once trusted. Every
    session ends once a PO went over HTTP; after the sign-in again no worker meets the sign-in page, POs
    still go over HTTP (on the new sessions' cookies), and every PO ends complete with its own files."""
    with PortalProcess(render_ms=300, variant="served") as portal:
        watch_portal(portal)
        profile = sign_in(portal.url, tmp_path / "profile")
        portal.control(latency_ms=300)
        pos = catalog.demo_po_numbers(12)
        sheet = tmp_path / "pos.csv"
        sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
        root = tmp_path / "downloads"
        settings = settings_for(portal.url, profile, root, grid_url=grid.url, route_mode="auto")
        dirs = app_dirs()
        rec = Recorder()
        options = BatchOptions(workers=2, max_attempts=2, pause_on_sign_in=True, governor=False)
        controller = make_controller(prepare(sheet, settings, dirs), dirs, options, rec)
        thread, out = run_in_thread(controller)
        try:
            rec.wait(lambda e: isinstance(e, ev.PoFinished) and e.outcome.route == "http", timeout=180)
            portal.control(expire_sessions=True)  # the old cookies are worth nothing from here on
            rec.wait(lambda e: isinstance(e, ev.SignInNeeded), timeout=120)
            sign_in(portal.url, profile)  # what the user does when the window asks
            mark = len(rec.events)
            controller.signed_in_again()
            end = rec.wait(
                lambda e: (
                    isinstance(e, ev.BatchFinished)
                    or (isinstance(e, ev.SignInNeeded) and rec.events.index(e) >= mark)
                ),
                timeout=240,
            )
        finally:
            controller.stop()
            thread.join(timeout=120)
    assert isinstance(end, ev.BatchFinished), f"asked to sign in again after signing in: {end}"
    assert not thread.is_alive()

    before, after = rec.events[:mark], rec.events[mark:]
    sent_back = [e for e in before if isinstance(e, ev.PoRequeued) and e.status is PoStatus.SIGN_IN_REQUIRED]
    assert sent_back, "no PO met the expired session: the test proved nothing"
    new_workers = {e.worker for e in after if isinstance(e, ev.WorkerReady)}
    assert new_workers, "the batch went on without new sessions"
    signed_out_after = [
        e
        for e in after
        if (
            isinstance(e, ev.PoRequeued) and e.status is PoStatus.SIGN_IN_REQUIRED and e.worker in new_workers
        )
        or (isinstance(e, ev.WorkerError) and e.kind.needs_sign_in)
        or isinstance(e, ev.SignInNeeded)
    ]
    assert not signed_out_after, signed_out_after
    routes_after = [
        e.outcome.route for e in after if isinstance(e, ev.PoFinished) and e.worker in new_workers
    ]
    assert "http" in routes_after, f"no PO went over HTTP on the new sign-in: {routes_after}"

    (summary,) = out
    assert summary.counts == {"COMPLETED": len(pos)}, summary.counts
    assert not [
        e for e in rec.events if isinstance(e, ev.PoFinished) and e.outcome.status is not PoStatus.COMPLETED
    ]
    assert sorted(e.po.digits for e in rec.of(ev.PoFinished)) == sorted(pos), "each PO has one final word"
    assert_batch_consistent(root, results_path_for(sheet, None), dirs.journal_file, demo_files_by_po(pos))
