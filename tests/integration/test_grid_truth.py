"""Two promises kept through a real Selenium Grid as on local browsers: a sign-in page the portal serves for
a file's URL is no file (the PO asks to sign in again, nothing of it on disk), and an attachment whose name
is too long for Chromium's ``NAME.crdownload`` on the node is saved under the name local browsers give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.batch import carry_sign_in, worker_config
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import ExpireOnList, run_controller, settings_for, sign_in
from tests.helpers.portal import PortalProcess
from tests.helpers.report_logs import watch_portal

pytestmark = [pytest.mark.browser, pytest.mark.grid]

LONG_PO = "20000092"


@pytest.mark.expect_log("po_downloader.engine.browser.grid_downloads", "the sign-in page came instead")
def test_a_sign_in_page_served_for_a_file_is_no_file_on_the_grid(tmp_path: Path, grid) -> None:
    with PortalProcess(render_ms=0, variant="data-url") as portal:
        watch_portal(portal)
        profile = sign_in(portal.url, tmp_path / "source")
        # The first file begins late, so the second is asked for after the session has ended.
        portal.control(
            slow_file_next=[{"po": "10000002", "index": 1, "ms": 2500, "count": 1}],
            native_sign_in=1,  # the sign-in form on the portal's own origin: a file link's answer
        )

        root = tmp_path / "downloads"
        dirs = app_dirs(tmp_path / "home")
        settings = settings_for(portal.url, profile, root, route_mode="browser", grid_url=grid.url)
        carried = carry_sign_in(worker_config(settings, dirs), dirs)
        controller, rec = run_controller(
            settings,
            ["10000002"],
            dirs=dirs,
            options=BatchOptions(workers=1, max_attempts=2, governor=False),
            sink=ExpireOnList(portal=portal),
            worker={"carried": carried},
        )
        summary = controller.run()
    assert summary.statuses == {"10000002": PoStatus.SIGN_IN_REQUIRED}
    assert summary.sign_in_required
    assert not rec.of(ev.PoFinished)
    assert [p.name for p in root.rglob("*") if p.is_file() and p.suffix == ".html"] == []


def _saved(tmp_path: Path, portal, profile: Path, **grid: str) -> dict[str, bytes]:
    """PO 20000092 worked by one worker (on the Grid when ``grid_url`` is given): its folder's files."""
    root = tmp_path / "downloads"
    dirs = app_dirs(tmp_path / "home")
    settings = settings_for(portal.url, profile, root, route_mode="browser", **grid)
    worker = {"carried": carry_sign_in(worker_config(settings, dirs), dirs)} if grid else None
    controller, rec = run_controller(
        settings,
        [LONG_PO],
        dirs=dirs,
        options=BatchOptions(workers=1, max_attempts=1, governor=False),
        worker=worker,
    )
    summary = controller.run()
    assert summary.statuses == {LONG_PO: PoStatus.COMPLETED}
    (done,) = rec.of(ev.PoFinished)
    assert done.outcome.route == ("grid" if grid else "browser")
    return {p.name: p.read_bytes() for p in Path(done.outcome.folder).iterdir()}


def test_a_name_too_long_for_the_nodes_partial_file_is_saved_as_on_local_browsers(
    tmp_path: Path, portal, signed_in_profile: Path, grid
) -> None:
    name = catalog.NEAR_LIMIT_NAME
    assert 245 <= len(name.encode()) <= 255  # too long for NAME.crdownload, not for the disk
    local = _saved(tmp_path / "local", portal, signed_in_profile)
    on_grid = _saved(tmp_path / "grid", portal, signed_in_profile, grid_url=grid.url)
    assert on_grid == local
    assert sorted(local.values()) == sorted(
        catalog.file_bytes(LONG_PO, a.index) for a in catalog.attachments_for(LONG_PO)
    )
    assert any(saved.startswith(name.split(" ")[0]) for saved in local)
