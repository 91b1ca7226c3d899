"""A batch's folder layout (issue 18 item 1): the template checked against the sheet before anything
starts, each PO's row values carried to its task, ``--folders`` in the CLI (no browser)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.engine.input.column_choice import ColumnMapping, apply_mapping
from po_downloader.engine.input.plan import plan_batch
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import KnownFile, PoNumber, PoTask
from po_downloader.engine.output.folder_template import DEFAULT_TEMPLATE, TemplateError, parse_template
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import hash_input
from po_downloader.engine.run.batch import prepare
from po_downloader.engine.run.po_folder import batch_layout, folder_values, with_values
from po_downloader.engine.run.resume import PriorWork, with_prior
from po_downloader.engine.status import EXIT_BAD_INPUT
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings, load_settings
from tests.helpers.journal_setup import T0, Clock

SHEET = (
    "PO_NUMBER;Centro de custo;Fornecedor\n"
    "PO11111111;4100;Acme\n"
    "PO22222222;;Beta\n"
    "PO11111111;9999;Acme again\n"
    "PO33333333;4200;\n"
)


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "pos.csv"
    path.write_text(SHEET, encoding="utf-8")
    return path


def test_an_unknown_token_is_refused_by_the_cli_before_anything_starts(
    sheet: Path, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["run", str(sheet), "--out", str(out), "--base-url", "https://acme.coupahost.com"]
    code = main([*args, "--folders", "{Centro de custo}/{Cost center}/{po}"])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT
    assert err.startswith("po-downloader: the folder template uses {Cost center}, which is neither")
    assert "{Centro de custo}" in err and "--folders" in err
    assert not out.exists() and not (tmp_path / "pos_results.csv").exists()


def test_the_template_flag_is_remembered_like_the_download_folder(
    sheet: Path, tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["run", str(sheet), "--out", str(tmp_path / "out"), "--base-url", "https://acme.coupahost.com"]
    main([*args, "--folders", "{po}/{supplier}"])  # refused (must end with {po}), and said so
    assert "must end with {po}" in capsys.readouterr().err
    assert load_settings(app_dirs(app_home)).folder_template == "{po}/{supplier}"


def test_the_layout_is_checked_against_the_sheets_headers(sheet: Path) -> None:
    plan = plan_batch(read_sheet(sheet))
    assert batch_layout("{centro de custo}/{Supplier}/{po}", plan).template.sheet_tokens == (
        "centro de custo",
    )
    with pytest.raises(TemplateError, match="Cost"):
        batch_layout("{Cost}/{po}", plan)


def test_each_po_carries_its_first_rows_values_to_its_task(sheet: Path) -> None:
    plan = plan_batch(read_sheet(sheet))
    template = parse_template("{Centro de custo}/{supplier}/{po}")
    values = folder_values(template, plan)
    assert values == {
        "11111111": (("Centro de custo", "4100"),),  # the first row; the PO is one folder
        "22222222": (),  # blank: the template's fallback names it
        "33333333": (("Centro de custo", "4200"),),
    }
    known = (KnownFile("a.pdf", "", 1, "x", "/r/S/PO11111111_COMPLETED/a.pdf"),)
    prior = with_values({"11111111": PriorWork("/r/S/PO11111111_COMPLETED", known)}, values)
    task = with_prior(PoTask(PoNumber("11111111")), prior)
    assert (task.folder, task.known, task.values) == (
        "/r/S/PO11111111_COMPLETED",
        known,
        (("Centro de custo", "4100"),),
    )
    assert with_prior(PoTask(PoNumber("33333333")), prior).values == (("Centro de custo", "4200"),)


def test_no_values_travel_when_the_template_names_no_column(sheet: Path) -> None:
    plan = plan_batch(read_sheet(sheet))
    assert folder_values(parse_template(DEFAULT_TEMPLATE), plan) == {}


def test_the_mapped_supplier_column_is_carried_for_the_supplier_token(sheet: Path) -> None:
    plan = plan_batch(apply_mapping(read_sheet(sheet), ColumnMapping("PO_NUMBER", supplier="Fornecedor")))
    values = folder_values(parse_template(DEFAULT_TEMPLATE), plan)
    assert values["11111111"] == (("supplier", "Acme"),) and values["33333333"] == ()


def test_a_resumed_batch_names_year_and_month_by_the_day_it_started(sheet: Path, tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")
    (tmp_path / "profile").mkdir()
    settings = Settings(
        base_url="https://acme.coupahost.com",
        download_root=str(tmp_path / "root"),
        browser="chromium",
        profile_dir=str(tmp_path / "profile"),
        folder_template="{year}/{month}/{Centro de custo}/{po}",
    )
    with Journal.open(dirs.journal_file, now=Clock()) as journal:  # started on 2026-03-04, never finished
        journal.start_batch(sheet, hash_input(sheet), {}, ["11111111", "22222222", "33333333"])

    resumed = prepare(sheet, settings, dirs, resume=True)
    assert resumed.resumed is not None
    assert resumed.config.folders.day == T0.astimezone().date()
    assert resumed.folder_values["11111111"] == (("Centro de custo", "4100"),)
    fresh = prepare(sheet, settings, dirs, resume=False)
    assert fresh.config.folders.day == dt.date.today()
    assert fresh.config.folders.template.text == settings.folder_template
