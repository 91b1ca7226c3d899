"""Live per-file progress through the real browser: a PO with a large, slowly sent file shows its files
arriving in the table (bytes of the announced length) before the PO ends."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.main_window import MainWindow
from po_downloader.ui.task_model import TaskTableModel
from tests.helpers.batch import run_controller, settings_for, sign_in
from tests.helpers.window import load_sheet

BIG_PO = "20000011"  # a ~20 MiB file sent in paced chunks, plus a small one


@pytest.mark.browser
def test_a_large_slow_file_shows_its_bytes_in_the_table_before_the_po_ends(
    qtbot, tmp_path: Path, portal, signed_in_profile: Path, app_home: Path
) -> None:
    window = MainWindow(app_dirs())
    qtbot.addWidget(window)
    window.show()
    window.settings = settings_for(portal.url, signed_in_profile, tmp_path / "out")
    sheet = tmp_path / "pos.csv"
    sheet.write_text(f"PO_NUMBER\nPO{BIG_PO}\n", encoding="utf-8")
    assert load_sheet(qtbot, window, sheet)
    seen: list[tuple[PoStatus, str, str]] = []  # (status, Message cell, its tooltip) after each tick

    def look(_events: list) -> None:
        index = window.model.index(0, TaskTableModel.MESSAGE)
        tooltip = window.model.data(index, Qt.ItemDataRole.ToolTipRole) or ""
        seen.append((window.model.row(0).outcome.status, window.model.data(index), tooltip))

    window.session.events.connect(look)  # after the window's own handler: the table is up to date
    window.start_button.click()
    qtbot.waitUntil(lambda: window.session.running, timeout=30_000)
    qtbot.waitUntil(lambda: not window.session.running, timeout=180_000)
    row = window.model.row(0)
    assert row.outcome.status is PoStatus.COMPLETED
    big = catalog.LARGE_FILE_SIZE
    live = [(text, tip) for status, text, tip in seen if status is PoStatus.PROCESSING and "files ·" in text]
    assert live, f"no per-file progress was shown before the PO ended: {seen[-5:]}"
    partway = [
        (text, tip)
        for text, tip in live
        if re.match(r"^[01]/2 files · [\d.]+ [KM]B of ", text) and "Drawings package.zip: " in tip
    ]
    assert partway, f"the big file was never shown part-way: {live[:3]}"
    total = re.search(r"of ([\d.]+ MB)", partway[0][0])
    assert total is not None, partway[0][0]
    announced = float(total.group(1).split()[0])  # the big file's length, with the small one's if begun
    assert big / 1024 / 1024 - 0.05 <= announced <= (big + 64 * 1024) / 1024 / 1024 + 0.05, partway[0][0]
    assert window.model.data(window.model.index(0, TaskTableModel.MESSAGE)) == "", (
        "the final word replaces it"
    )
    window.log_panel.detach()


@pytest.fixture(scope="module")
def served():
    """The portal variant whose pages the HTTP route may read (its files come over HTTP, not by clicks)."""
    from tests.helpers.portal import PortalProcess
    from tests.helpers.report_logs import watch_portal

    with PortalProcess(render_ms=300, variant="served") as portal:
        watch_portal(portal)
        yield portal


@pytest.mark.browser
def test_the_http_route_reports_the_large_file_part_way_with_its_length(
    served, tmp_path: Path, app_home: Path
) -> None:
    profile = sign_in(served.url, tmp_path / "source" / "profile")
    settings = settings_for(served.url, profile, tmp_path / "downloads", route_mode="http")
    options = BatchOptions(workers=1, max_attempts=1, backoff_base=0.2, governor=False)
    controller, rec = run_controller(settings, [BIG_PO], dirs=app_dirs(tmp_path / "home"), options=options)
    controller.run()
    (finished,) = rec.of(ev.PoFinished)
    assert finished.outcome.status is PoStatus.COMPLETED and "http" in finished.outcome.route
    big = catalog.LARGE_FILE_SIZE
    files = [f for e in rec.of(ev.DownloadProgress) for f in e.files if f.name == "Drawings package.zip"]
    assert any(0 < f.received < big for f in files), f"never part-way: {files[:3]}"
    assert {f.total for f in files} == {big}, "the length the portal announced"
