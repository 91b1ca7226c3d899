"""The browsers' staging folder planted in the root as a link (or a file): the batch refuses to start.

Browsers download into ``<root>/.po-downloader-staging/<run>/w<n>``; followed, a link there would have
every file written wherever it points. Real controller and worker processes (scripted, no browser).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.cli.messages import describe
from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.root_checks import STAGING_DIRNAME
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.error_text import kind_text
from tests.helpers.batch import scripted_controller
from tests.helpers.fake_worker import FakeWorker

pytestmark = pytest.mark.timeout(60)

POS = [f"2000000{i}" for i in range(1, 7)]


@pytest.mark.parametrize("planted", ["link", "file"])
def test_a_planted_staging_folder_stops_the_batch_before_any_worker(
    tmp_path: Path, app_home: Path, planted: str
) -> None:
    root, outside = tmp_path / "downloads", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    staging = root / STAGING_DIRNAME
    if planted == "link":
        staging.symlink_to(outside, target_is_directory=True)
    else:
        staging.write_bytes(b"not a folder")
    c, rec = scripted_controller(
        tmp_path, POS, FakeWorker(write_files=True), dirs=app_dirs(), source="/sheets/march.csv"
    )

    summary = c.run()

    assert summary.error_kind is ErrorKind.STAGING_IS_LINK
    assert set(summary.statuses.values()) == {PoStatus.PENDING}  # left to do, not failed
    assert not rec.of(ev.WorkerReady) and not rec.of(ev.PoStarted)
    assert list(outside.iterdir()) == []
    assert staging.is_symlink() if planted == "link" else staging.read_bytes() == b"not a folder"
    for words in (
        describe(summary.error_kind, summary.error_details),
        kind_text(summary.error_kind, summary.error_details),
    ):
        assert str(staging) in words and "link" in words


def test_a_real_staging_folder_left_by_an_earlier_run_is_used(tmp_path: Path, app_home: Path) -> None:
    root = tmp_path / "downloads"
    (root / STAGING_DIRNAME).mkdir(parents=True)
    c, _ = scripted_controller(
        tmp_path, ["20000001"], FakeWorker(), dirs=app_dirs(), source="/sheets/march.csv"
    )
    summary = c.run()
    assert summary.error_kind is None and summary.statuses == {"20000001": PoStatus.COMPLETED}
