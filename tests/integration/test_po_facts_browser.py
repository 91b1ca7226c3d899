"""``--facts``: the results sheet carries what each PO's page shows, read through the real browser (on a
script-drawn English variant and the pt-BR one) and from the served HTML by the HTTP route (on the
server-rendered variant); without the flag the sheet has no facts columns at all.

What each page shows comes from the demo catalog (``demo_portal/facts.py``), never from a reading.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import VARIANTS, catalog
from po_downloader.demo_portal.facts import demo_facts
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.outcome import FACT_NAMES
from po_downloader.engine.output.results import FACT_COLUMN, FACT_COLUMNS
from tests.helpers.batch import sign_in
from tests.helpers.cli import run_args
from tests.helpers.portal import PortalProcess
from tests.helpers.report_logs import watch_portal

pytestmark = pytest.mark.browser

# 10000003 and 10000006 have a requisition (the others show none); 10000005 shows no company.
POS = ["10000003", "10000004", "10000005", "10000006"]


@pytest.fixture(scope="module")
def facts_portal():
    with PortalProcess(render_ms=300, variant="served") as portal:
        watch_portal(portal)
        yield portal


@pytest.fixture(scope="module")
def facts_profile(facts_portal, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sign_in(facts_portal.url, tmp_path_factory.mktemp("facts-source") / "profile")


def _sheet(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    sheet = folder / "pos.csv"
    sheet.write_text("PO_NUMBER;Centro de custo\n" + "".join(f"PO{d};CC{d[-2:]}\n" for d in POS), "utf-8")
    return sheet


def _run(portal, profile: Path, folder: Path, capsys: pytest.CaptureFixture[str], *extra: str):
    sheet = _sheet(folder)
    code = main(run_args(sheet, folder / "downloads", portal.url, profile, *extra))
    out = capsys.readouterr()
    assert code == 0, out.err
    results = read_sheet(folder / "pos_results.csv")
    return results.columns, [dict(zip(results.columns, row, strict=True)) for row in results.rows]


def _expected(digits: str, lang: str) -> dict[str, str]:
    shown = dataclasses.asdict(demo_facts(digits, catalog.document(digits).requisition, lang))
    return {FACT_COLUMN[name]: shown[name] for name in FACT_NAMES}


@pytest.mark.parametrize("variant", ["timer", "pt-br"])
def test_the_browser_route_puts_each_pages_facts_in_the_results(
    facts_portal, facts_profile: Path, tmp_path: Path, app_home: Path, variant: str, capsys
) -> None:
    facts_portal.control(variant=variant)  # attachments drawn by a timer; pt-BR labels for pt-br
    columns, rows = _run(facts_portal, facts_profile, tmp_path, capsys, "--facts", "--mode", "browser")
    assert columns[-len(FACT_COLUMNS) :] == FACT_COLUMNS
    lang = VARIANTS[variant].lang
    for digits, row in zip(POS, rows, strict=True):
        assert (row["STATUS"], row["ROUTE"]) == ("COMPLETED", "browser")
        assert {c: row[c] for c in FACT_COLUMNS} == _expected(digits, lang), digits
    assert rows[0]["PO_REQUISITION"] == "40000003" and rows[1]["PO_REQUISITION"] == ""
    assert rows[2]["PO_COMPANY"] == "" and rows[0]["PO_COMPANY"]
    assert {row["PO_CURRENCY"] for row in rows} == {"USD"}  # the code shown after each total


def test_the_http_route_reads_the_same_facts_from_the_served_page_and_off_there_are_none(
    facts_portal, facts_profile: Path, tmp_path: Path, app_home: Path, capsys
) -> None:
    facts_portal.control(variant="served")
    columns, rows = _run(facts_portal, facts_profile, tmp_path / "on", capsys, "--facts", "--mode", "http")
    for digits, row in zip(POS, rows, strict=True):
        assert (row["STATUS"], row["ROUTE"]) == ("COMPLETED", "http")
        assert {c: row[c] for c in FACT_COLUMNS} == _expected(digits, "en"), digits
    columns, rows = _run(facts_portal, facts_profile, tmp_path / "off", capsys, "--mode", "http")
    assert not set(FACT_COLUMNS) & set(columns)
    assert [row["STATUS"] for row in rows] == ["COMPLETED"] * len(POS)
