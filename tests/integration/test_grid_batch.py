"""The same batch on a real Selenium Grid 4 (a standalone server on 127.0.0.1, 3 slots, managed downloads):
remote Chromium sessions signed in by carried cookies, files fetched back through the Grid."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from po_downloader.engine.output.results import results_path_for
from po_downloader.engine.run.batch import _carried, worker_config
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import settings_for
from tests.helpers.cli import run_args
from tests.helpers.consistency import assert_batch_consistent
from tests.helpers.demo_files import demo_files_by_po

pytestmark = [pytest.mark.browser, pytest.mark.grid]


def _sheet(tmp_path: Path, pos: list[str]) -> Path:
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    return sheet


def _routes(results: Path) -> dict[str, str]:
    with results.open(newline="", encoding="utf-8-sig") as f:
        return {row["PO_NUMBER"]: row["ROUTE"] for row in csv.DictReader(f)}


def test_10_pos_with_3_workers_through_the_grid_every_file_right(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, grid, capsys: pytest.CaptureFixture[str]
) -> None:
    pos = catalog.demo_po_numbers(10)
    sheet = _sheet(tmp_path, pos)
    root = tmp_path / "downloads"
    args = run_args(
        sheet, root, portal.url, signed_in_profile, "--grid", grid.url, "--mode", "browser", workers=3
    )
    code = main(args)
    out = capsys.readouterr()
    assert code == 0, out.err + out.out
    assert f"3 workers on the Selenium Grid at {grid.url}" in out.out
    results = results_path_for(sheet, None)
    assert_batch_consistent(root, results, app_dirs().journal_file, demo_files_by_po(pos))
    assert set(_routes(results).values()) <= {"grid", ""}, _routes(results)
    assert "grid" in _routes(results).values()

    # The carried cookies reach neither the Grid's own log nor ours.
    settings = settings_for(portal.url, signed_in_profile, root)
    carried = _carried(worker_config(settings, app_dirs()), app_dirs())
    values = [str(c["value"]) for c in carried.cookies if len(str(c.get("value", ""))) >= 8]
    assert values, "the test must know a cookie value to look for"
    logs = (
        grid.log_text()
        + (app_dirs().logs / "po-downloader.log").read_text(errors="replace")
        + out.out
        + out.err
    )
    assert not [v for v in values if v in logs]
