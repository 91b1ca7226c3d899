"""Truth does not depend on a quick machine: a 5× CPU-throttled browser, and both cores kept busy.

Timer-rendered attachments and a quiet gap after the last request are the pages where "it looked
settled" used to become NO_ATTACHMENTS; here every status and every byte must still be right.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output.naming import safe_component
from po_downloader.engine.run.batch import worker_config
from po_downloader.engine.run.controller import BatchController
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import Recorder, settings_for

pytestmark = pytest.mark.browser

POS = [
    "20000001",
    "20000002",
    "20000004",
    "20000005",
    "20000007",
    "20000014",
    "10000001",
    "10000002",
    "10000004",
]


def expected_status(digits: str) -> PoStatus:
    doc = catalog.document(digits)
    match doc.page:
        case catalog.PageKind.NOT_FOUND:
            return PoStatus.PO_NOT_FOUND
        case catalog.PageKind.NOT_AUTHORIZED | catalog.PageKind.NOT_AUTHORIZED_PT:
            return PoStatus.NO_ACCESS
    return PoStatus.COMPLETED if doc.attachments else PoStatus.NO_ATTACHMENTS


def run_batch(portal, profile: Path, tmp: Path, variant: str, *, cpu_throttle: float = 1.0):
    dirs = app_dirs(tmp / "home")
    root = tmp / "downloads"
    settings = settings_for(portal.url, profile, root)
    config = worker_config(settings, dirs)
    config = dataclasses.replace(
        config, browser=dataclasses.replace(config.browser, cpu_throttle=cpu_throttle)
    )
    recorder = Recorder()
    portal.control(variant=variant)
    try:
        controller = BatchController(
            config,
            [PoNumber(d) for d in POS],
            recorder,
            BatchOptions(workers=2, max_attempts=2, backoff_base=0.2, governor=False),
            dirs,
        )
        summary = controller.run()
    finally:
        portal.control(variant="classic")
    return summary, {e.po.display: e for e in recorder.of(ev.PoFinished)}


def check(summary, finals) -> None:
    assert {d: summary.statuses[d] for d in POS} == {d: expected_status(d) for d in POS}
    for digits in POS:
        atts = catalog.attachments_for(digits)
        if expected_status(digits) is not PoStatus.COMPLETED:
            continue
        folder = Path(finals[f"PO{digits}"].outcome.folder)
        on_disk = sorted(p.read_bytes() for p in folder.iterdir())
        assert on_disk == sorted(catalog.file_bytes(digits, a.index) for a in atts), digits
        if len({a.name for a in atts}) == len(atts):
            assert {p.name for p in folder.iterdir()} == {safe_component(a.name) for a in atts}


@pytest.fixture
def busy_cores() -> Iterator[None]:
    """Two processes that keep both cores at 100 % for the whole test (ours, ended by their handle)."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        yield
    finally:
        for proc in spinners:
            proc.kill()
            proc.wait(timeout=10)


@pytest.mark.parametrize("variant", ["gap", "timer"])
def test_cpu_throttled_browser_gets_every_status_and_byte_right(
    portal, signed_in_profile, tmp_path, variant
) -> None:
    check(*run_batch(portal, signed_in_profile, tmp_path, variant, cpu_throttle=5.0))


@pytest.mark.alone  # its spinners would slow whatever runs beside it, and that test would not say so
def test_busy_machine_gets_every_status_and_byte_right(
    portal, signed_in_profile, tmp_path, busy_cores
) -> None:
    check(*run_batch(portal, signed_in_profile, tmp_path, "gap"))
