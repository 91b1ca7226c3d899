"""Statuses the page did not prove (issue 14), through a real headless Chromium against the demo portal.

* a malformed ``data-url`` on a span no longer blinds the scan until the 900 s watchdog: the PO completes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.naming import safe_component
from po_downloader.engine.run.controller import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import run_controller, settings_for

pytestmark = pytest.mark.browser


def _expected_files(digits: str) -> dict[str, bytes]:
    return {
        safe_component(a.name): catalog.file_bytes(digits, a.index) for a in catalog.attachments_for(digits)
    }


def test_a_malformed_data_url_is_skipped_and_the_po_completes(
    tmp_path: Path, portal, signed_in_profile: Path
) -> None:
    """Item 8: ``new URL()`` throws on the first span's ``data-url``; once, every scan threw and only the
    per-PO watchdog ended the attempt. The watchdog here is far shorter than 900 s, and far longer than
    the PO needs, so the old code fails this test instead of hanging it."""
    settings = settings_for(portal.url, signed_in_profile, tmp_path / "out")
    controller, rec = run_controller(
        settings,
        ["20000081"],
        dirs=app_dirs(tmp_path / "home"),
        options=BatchOptions(workers=1, max_attempts=1, governor=False, po_timeout=90.0),
    )
    summary = controller.run()
    (done,) = rec.of(ev.PoFinished)
    assert summary.statuses["20000081"] is PoStatus.COMPLETED, done.message
    assert (done.found, done.downloaded) == (2, 2)
    assert {p.name: p.read_bytes() for p in Path(done.folder).iterdir()} == _expected_files("20000081")
