"""A folder template with a sheet column, through the window's own batch (real Chromium).

The window's controller runs in a process of its own that prepares the batch again from the sheet: the
row values a template names must reach the workers there too, not only in the window's prepared batch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.naming import safe_component
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.main_window import MainWindow
from tests.helpers.batch import settings_for
from tests.helpers.demo_files import demo_files
from tests.helpers.window import load_sheet


@pytest.mark.browser
def test_a_window_batch_lays_out_its_folders_by_a_sheet_column_and_the_supplier(
    qtbot, tmp_path: Path, portal, signed_in_profile: Path, app_home: Path
) -> None:
    window = MainWindow(app_dirs())
    qtbot.addWidget(window)
    window.show()
    root = tmp_path / "out"
    settings = settings_for(portal.url, signed_in_profile, root)
    window.settings = settings.with_(folder_template="{Centro de custo}/{supplier}/{po}")
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER;Centro de custo\nPO10000001;4200 Obras\nPO10000002;\n", encoding="utf-8")
    assert load_sheet(qtbot, window, sheet)
    window.start_button.click()
    qtbot.waitUntil(lambda: window.session.running, timeout=30_000)
    qtbot.waitUntil(lambda: not window.session.running, timeout=180_000)
    rows = window.model.rows()
    assert [r.outcome.status for r in rows] == [PoStatus.COMPLETED, PoStatus.COMPLETED]
    for row, centre in zip(rows, ["4200 Obras", "_no Centro de custo"], strict=True):
        folder = Path(row.outcome.folder)
        assert folder.parent.parent == root / safe_component(centre), folder
        assert folder.parent.name == safe_component(row.outcome.supplier)
        files = {p.name: p.read_bytes() for p in folder.iterdir()}
        assert sorted(files.values()) == sorted(demo_files(row.po.digits).values()), row.po
    window.log_panel.detach()
