"""The PO facts in the window: the Settings checkbox (remembered, off by default) and the Details pane that
shows what the PO's page showed, only the facts it showed, as plain text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel

from po_downloader.demo_portal.catalog import document
from po_downloader.demo_portal.facts import demo_facts
from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import FACT_NAMES, PoFacts, PoOutcome
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings, load_settings, save_settings
from po_downloader.ui.facts_setting import fact_labels, shown_facts
from po_downloader.ui.main_window import MainWindow
from po_downloader.ui.po_details import PoDetails
from po_downloader.ui.settings_dialog import SettingsDialog
from po_downloader.ui.task_model import TaskRow
from tests.helpers.batch import settings_for
from tests.helpers.window import load_sheet

pytestmark = pytest.mark.timeout(120)

FACTS = PoFacts(
    po_status="Issued",
    total="7,877.00",
    currency="USD",
    supplier_number="SUP-0001",
    company="<b>ACME</b> Foods Inc.",  # portal text that looks like markup
    payment_term="Net 60",
    created="2025-06-26",
    requester="John Smith",
    requisition="",  # the page showed none
)


def _rows(pane: PoDetails) -> list[tuple[str, str]]:
    assert pane.facts is not None
    form = pane.facts.layout()
    assert isinstance(form, QFormLayout)
    rows = []
    for i in range(form.rowCount()):
        label = form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget()
        value = form.itemAt(i, QFormLayout.ItemRole.FieldRole).widget()
        assert isinstance(label, QLabel) and isinstance(value, QLabel)
        assert value.textFormat() == Qt.TextFormat.PlainText
        rows.append((label.text(), value.text()))
    return rows


def test_the_details_pane_shows_the_facts_the_page_showed(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "PO10000001_COMPLETED"
    outcome = PoOutcome(PoStatus.COMPLETED, folder=str(folder), route="browser", facts=FACTS)
    pane = PoDetails(TaskRow(normalise_po("PO10000001"), outcome), [])
    qtbot.addWidget(pane)
    pane.show()
    assert pane.facts is not None and pane.facts.isVisible()
    assert _rows(pane) == [
        ("PO status:", "Issued"),
        ("Total:", "7,877.00"),
        ("Currency:", "USD"),
        ("Supplier number:", "SUP-0001"),
        ("Company:", "<b>ACME</b> Foods Inc."),
        ("Payment term:", "Net 60"),
        ("Created:", "2025-06-26"),
        ("Requester:", "John Smith"),
    ]  # no "Requisition": the page showed none


def test_a_po_without_facts_shows_no_facts_box(qtbot) -> None:
    pane = PoDetails(TaskRow(normalise_po("PO10000002"), PoOutcome(PoStatus.PO_NOT_FOUND)), [])
    qtbot.addWidget(pane)
    assert pane.facts is None


def test_every_fact_has_a_name_in_the_results_order(qapp) -> None:
    assert tuple(fact_labels()) == FACT_NAMES
    assert len(set(fact_labels().values())) == len(FACT_NAMES)
    assert shown_facts(PoFacts(requester="Ana")) == [("Requester", "Ana")]


def test_the_settings_checkbox_is_off_by_default_and_its_choice_is_remembered(qtbot, tmp_path: Path) -> None:
    dialog = SettingsDialog(profiles=[])
    qtbot.addWidget(dialog)
    dialog.load(Settings())
    assert not dialog.facts_check.isChecked() and not dialog.settings().facts
    loaded = Settings(base_url="https://acme.coupahost.com", workers=3, facts=False)
    dialog.load(loaded)
    dialog.facts_check.click()
    chosen = dialog.settings()
    assert chosen.facts and chosen.with_(facts=False) == loaded  # nothing else changed
    dirs = app_dirs(tmp_path / "home")
    save_settings(dirs, chosen)
    assert load_settings(dirs).facts
    dialog.load(load_settings(dirs))
    assert dialog.facts_check.isChecked()


@pytest.mark.browser
def test_a_window_batch_with_facts_on_shows_each_pages_facts_in_details_and_the_results(
    qtbot, tmp_path: Path, portal, signed_in_profile: Path, app_home: Path
) -> None:
    window = MainWindow(app_dirs())
    qtbot.addWidget(window)
    window.show()
    window.settings = settings_for(portal.url, signed_in_profile, tmp_path / "out").with_(facts=True)
    pos = ["10000003", "10000005"]  # one with a requisition, one that shows no company
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    assert load_sheet(qtbot, window, sheet)
    window.start_button.click()
    qtbot.waitUntil(lambda: window.session.running, timeout=30_000)
    qtbot.waitUntil(lambda: not window.session.running, timeout=180_000)
    for i, digits in enumerate(pos):
        row = window.model.row(i)
        shown = demo_facts(digits, document(digits).requisition)
        assert row.outcome.status is PoStatus.COMPLETED
        assert row.outcome.facts == PoFacts(**dataclasses.asdict(shown)), digits
        pane = window.row_actions.show_details(row)
        assert pane is not None
        qtbot.addWidget(pane)
        assert dict(_rows(pane)) == {f"{label}:": value for label, value in shown_facts(row.outcome.facts)}
        assert ("Requisition:", "40000003") in _rows(pane) or digits != "10000003"
        pane.close()
    results = read_sheet(tmp_path / "pos_results.csv")
    company = results.columns.index("PO_COMPANY")
    assert [row[company] for row in results.rows] == ["ACME Chemicals S.A.", ""]
    window.log_panel.detach()
