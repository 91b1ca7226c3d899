"""Each listed attachment is credited only with its own download, even when a download begins late.

A download that begins after the begin timeout makes the worker click the attachment as well: the same
file then downloads twice, and the late copy must never be taken for the next attachment's file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.naming import safe_component
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import run_controller, settings_for

pytestmark = pytest.mark.browser

PO = "10000005"
"""Two file spans; in the ``data-url`` variant both carry their URL (``data-url``, ``data-href``)."""
BEGIN = 4.0
"""The worker's begin timeout here: short, so the test is cheap."""


def test_a_download_that_begins_late_is_not_credited_to_the_next_attachment(
    portal, signed_in_profile, tmp_path: Path
) -> None:
    """Attachment 1 answers its first request only after the begin timeout (so the worker clicks it and
    it downloads twice); attachment 2 takes a while to begin, so attachment 1's late copy begins while
    the worker waits for attachment 2. Each file is still its own: COMPLETED with 2 distinct files."""
    first, second = catalog.attachments_for(PO)
    since = portal.mark()
    portal.control(
        variant="data-url",
        slow_file_next=[
            {"po": PO, "index": first.index, "ms": int((BEGIN + 1.5) * 1000), "count": 1},
            {"po": PO, "index": second.index, "ms": int(BEGIN * 1000 * 0.6), "count": 1},
        ],
    )
    try:
        settings = settings_for(portal.url, signed_in_profile, tmp_path / "downloads")
        controller, rec = run_controller(
            settings,
            [PO],
            dirs=app_dirs(tmp_path / "home"),
            options=BatchOptions(workers=1, max_attempts=1, governor=False),
            worker={"begin_timeout": BEGIN},
        )
        summary = controller.run()
    finally:
        portal.control(variant="classic", slow_file_next=None)
    (done,) = rec.of(ev.PoFinished)

    def first_file(e: dict) -> bool:
        return e.get("event") == "download" and e.get("po") == PO and e.get("index") == first.index

    # The case happened: attachment 1 was asked for twice (its late URL request, then the click). The
    # portal tells of a request when it ends, which for the dropped copy may be just after the batch.
    seen: list[dict] = []
    portal.wait_for(lambda e: first_file(e) and (seen.append(e) or len(seen) == 2), since=since)
    fetched = [e for e in portal.lines()[since:] if first_file(e)]
    assert len(fetched) == 2, f"attachment 1 should have been fetched twice (late, then clicked): {fetched}"
    assert summary.statuses == {PO: PoStatus.COMPLETED}, done.outcome.message
    assert (done.outcome.found, done.outcome.downloaded) == (2, 2)
    assert {p.name: p.read_bytes() for p in Path(done.outcome.folder).iterdir()} == {
        safe_component(a.name): catalog.file_bytes(PO, a.index) for a in (first, second)
    }
    saved = [e.name for e in rec.of(ev.FileSaved)]
    assert sorted(saved) == sorted(safe_component(a.name) for a in (first, second))
