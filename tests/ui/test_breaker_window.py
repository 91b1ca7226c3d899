"""The breaker in the window, on scripted workers: the banner names the stopped group and why, and its one
button runs exactly that group's skipped POs again; the Settings row reads and writes both settings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.system.settings import Settings
from po_downloader.ui.breaker_settings import BreakerSettings
from po_downloader.ui.status_style import status_label
from tests.helpers.fake_worker import FakeWorker
from tests.helpers.window import fast_retries, run_to_end, statuses, window_with_sheet

pytestmark = pytest.mark.timeout(120)

DENIED = ["10000001", "10000002", "10000003", "10000004"]
FINE = ["10000005", "10000006"]


def test_the_banner_resumes_the_stopped_group_with_one_click(qtbot, tmp_path: Path, app_home: Path) -> None:
    sheet = tmp_path / "pos.csv"
    rows = [f"PO{d};2000\n" for d in DENIED] + [f"PO{d};1000\n" for d in FINE]
    sheet.write_text("PO_NUMBER;Company\n" + "".join(rows), encoding="utf-8")
    script = {d: ["noaccess"] for d in DENIED[:3]}  # the 4th (not denied any more) completes when resumed
    window = window_with_sheet(qtbot, tmp_path, DENIED + FINE, fast_retries(FakeWorker(script)))
    window.settings = replace(window.settings, breaker=2, breaker_group="Company")
    window.workers.slider.setValue(1)  # one PO at a time: the trip comes right after the 2nd PO

    run_to_end(qtbot, window, window.start_button.click)

    first = dict(zip(DENIED + FINE, statuses(window), strict=True))
    assert [first[d] for d in DENIED] == [PoStatus.NO_ACCESS] * 2 + [PoStatus.SKIPPED] * 2
    assert [first[d] for d in FINE] == [PoStatus.COMPLETED] * 2
    skipped = [d for d in DENIED if first[d] is PoStatus.SKIPPED]
    banner = window.breaker_offer.banner
    assert banner.isVisible()
    assert "Stopped sending Company 2000: its last 2 POs all ended with no access" in banner.label.text()
    assert banner.button_texts() == ["Resume Company 2000"]
    assert banner.button("Resume Company 2000").isEnabled()
    row = window.model.row(3)
    assert status_label(row.outcome.status) == "Skipped"

    calls = tmp_path / "out" / ".fake-calls"
    before = {p.name: len(p.read_text().splitlines()) for p in calls.iterdir()}
    run_to_end(qtbot, window, banner.button("Resume Company 2000").click)

    after = {p.name: len(p.read_text().splitlines()) for p in calls.iterdir()}
    again = {d for d in after if after[d] != before.get(d, 0)}
    assert again == set(skipped), "the resume runs exactly the group's skipped POs"
    second = dict(zip(DENIED + FINE, statuses(window), strict=True))
    assert (second["10000003"], second["10000004"]) == (PoStatus.NO_ACCESS, PoStatus.COMPLETED)
    assert {d: second[d] for d in DENIED[:2] + FINE} == {d: first[d] for d in DENIED[:2] + FINE}
    assert not banner.isVisible(), "the offer is gone once its group was resumed"


def test_the_settings_row_reads_and_writes_the_breaker(qtbot) -> None:
    row = BreakerSettings()
    qtbot.addWidget(row)
    row.load(Settings(breaker=7, breaker_group="Centro"))
    assert row.values() == {"breaker": 7, "breaker_group": "Centro"}
    row.count_spin.setValue(0)
    assert not row.column_edit.isEnabled(), "a column means nothing with the breaker off"
    row.column_edit.setText("  Empresa ")
    assert row.values() == {"breaker": 0, "breaker_group": "Empresa"}
