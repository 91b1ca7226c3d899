"""The window on a download folder another batch holds: it says which batch, and nothing runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.root_holder import Holder
from tests.helpers.window import make_window, run_to_end, statuses

pytestmark = pytest.mark.timeout(120)


def test_a_folder_another_batch_holds_is_refused_with_that_batch_named(
    qtbot, tmp_path: Path, app_home: Path
) -> None:
    window = make_window(qtbot, tmp_path, {})
    root = tmp_path / "out"
    root.mkdir()
    with Holder(root, app_dirs().data, str(tmp_path / "march.xlsx")) as other:
        finished: list[str] = []
        window.batch_finished.connect(finished.append)
        run_to_end(qtbot, window, window.start_button.click)
        assert finished, "the window told how the batch ended"
        assert "in use by another batch" in finished[0]
        assert str(tmp_path / "march.xlsx") in finished[0] and f"process {other.proc.pid}" in finished[0]
        assert set(statuses(window)) == {PoStatus.PENDING}
        assert not (root / ".fake-calls").exists(), "no worker was given a PO"
