"""The session ends between a PO's list and its downloads: the portal answers a file's URL with its
sign-in page, which the browser would save as "login.html". That page is no attachment: the PO is never
COMPLETED on it, nothing of it lands in the PO's folder, and the batch asks to sign in again."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import ExpireOnList, run_controller, settings_for, sign_in
from tests.helpers.portal import PortalProcess

pytestmark = pytest.mark.browser


@pytest.mark.expect_log("po_downloader.engine.browser.download_routes", "the sign-in page came instead")
def test_a_sign_in_page_served_for_a_file_is_no_file(tmp_path: Path) -> None:
    with PortalProcess(render_ms=0, variant="data-url") as portal:
        profile = sign_in(portal.url, tmp_path / "source")
        # The first file begins late, so the second is asked for after the session has ended.
        portal.control(
            slow_file_next=[{"po": "10000002", "index": 1, "ms": 2500, "count": 1}],
            native_sign_in=1,  # the sign-in form on the portal's own origin: a file link's answer
        )

        root = tmp_path / "downloads"
        settings = settings_for(portal.url, profile, root, route_mode="browser")
        controller, rec = run_controller(
            settings,
            ["10000002"],
            dirs=app_dirs(tmp_path / "home"),
            options=BatchOptions(workers=1, max_attempts=2, governor=False),
            sink=ExpireOnList(portal=portal),
        )
        summary = controller.run()
    assert summary.statuses == {"10000002": PoStatus.SIGN_IN_REQUIRED}
    assert summary.sign_in_required
    assert not rec.of(ev.PoFinished)
    assert [p.name for p in root.rglob("*") if p.is_file() and p.suffix == ".html"] == []
