"""The same batch on a real Selenium Grid 4 (a standalone server on 127.0.0.1, 3 slots, managed downloads):
remote Chromium sessions signed in by carried cookies, files fetched back through the Grid."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.cli.messages import error_message
from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.browser.carried_cookies import CarriedSignIn
from po_downloader.engine.browser.portal import CoupaPortal, PageKind
from po_downloader.engine.browser.remote_session import carry_sign_in as carry_cookies
from po_downloader.engine.browser.remote_session import open_driver
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.output.results import results_path_for
from po_downloader.engine.run.batch import carry_sign_in, make_controller, prepare, worker_config
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.status import EXIT_BAD_INPUT
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import SPEC, Recorder, run_controller, run_in_thread, settings_for, sign_in
from tests.helpers.cli import run_args
from tests.helpers.consistency import assert_batch_consistent
from tests.helpers.demo_files import demo_files_by_po
from tests.helpers.portal import PortalProcess
from tests.helpers.report_logs import watch_portal

pytestmark = [pytest.mark.browser, pytest.mark.grid]


def _sheet(tmp_path: Path, pos: list[str]) -> Path:
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    return sheet


def _routes(results: Path) -> dict[str, str]:
    with results.open(newline="", encoding="utf-8-sig") as f:
        return {row["PO_NUMBER"]: row["ROUTE"] for row in csv.DictReader(f)}


def _grid_run(
    tmp_path: Path, portal_url: str, profile: Path, grid, mode: str, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, dict[str, str], str]:
    """10 demo POs with 3 workers through the Grid: every file, status and the results checked."""
    pos = catalog.demo_po_numbers(10)
    sheet = _sheet(tmp_path, pos)
    root = tmp_path / "downloads"
    args = run_args(sheet, root, portal_url, profile, "--grid", grid.url, "--mode", mode, workers=3)
    code = main(args)
    out = capsys.readouterr()
    assert code == 0, out.err + out.out
    assert f"3 workers on the Selenium Grid at {grid.url}" in out.out
    results = results_path_for(sheet, None)
    assert_batch_consistent(root, results, app_dirs().journal_file, demo_files_by_po(pos))
    return root, _routes(results), out.out + out.err


def test_10_pos_with_3_workers_through_the_grid_every_file_right(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, grid, capsys: pytest.CaptureFixture[str]
) -> None:
    """Browser mode: every file through the Grid's managed downloads, and no cookie value in any log."""
    root, routes, said = _grid_run(tmp_path, portal.url, signed_in_profile, grid, "browser", capsys)
    assert set(routes.values()) == {"grid"}, routes

    # The carried cookies reach neither the Grid's own log nor ours.
    settings = settings_for(portal.url, signed_in_profile, root)
    carried = carry_sign_in(worker_config(settings, app_dirs()), app_dirs())
    values = [str(c["value"]) for c in carried.cookies if len(str(c.get("value", ""))) >= 8]
    assert values, "the test must know a cookie value to look for"
    logs = grid.log_text() + (app_dirs().logs / "po-downloader.log").read_text(errors="replace") + said
    assert not [v for v in values if v in logs]


@pytest.mark.expect_log(
    "po_downloader.engine.browser.remote_session", r"the Grid lost this worker's browser session"
)
def test_the_grids_node_killed_mid_batch_and_started_again_the_batch_still_ends_right(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, grid
) -> None:
    pos = catalog.demo_po_numbers(12)
    sheet = _sheet(tmp_path, pos)
    root = tmp_path / "downloads"
    settings = settings_for(portal.url, signed_in_profile, root, grid_url=grid.url, route_mode="browser")
    dirs = app_dirs()
    batch = prepare(sheet, settings, dirs)
    recorder = Recorder()
    controller = make_controller(
        batch, dirs, BatchOptions(workers=3, max_attempts=4, backoff_base=0.2, governor=False), recorder
    )
    thread, summaries = run_in_thread(controller)
    recorder.wait(lambda e: isinstance(e, ev.PoFinished), timeout=180)
    finished_before = len(recorder.of(ev.PoFinished))
    grid.kill()  # the node (the standalone's Java process) and its browsers, mid-batch
    grid.start()
    thread.join(timeout=280)
    assert not thread.is_alive(), "the batch did not end after the Grid came back"
    (summary,) = summaries
    assert finished_before < len(pos), "the kill came after the batch's end: it proved nothing"
    died = recorder.of(ev.WorkerDied)
    assert [d for d in died if d.po is not None], f"no worker died holding a PO: {died}"
    assert summary.counts == {"COMPLETED": len(pos)}, summary.counts
    finished = [e.po.digits for e in recorder.of(ev.PoFinished)]
    assert sorted(finished) == sorted(pos), "each PO has one final word"
    assert_batch_consistent(root, results_path_for(sheet, None), dirs.journal_file, demo_files_by_po(pos))


def test_a_grid_with_no_free_slot_makes_the_batch_wait_say_so_and_fail_clearly(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, grid, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = [open_driver(grid.url, SPEC, timeout=120) for _ in range(3)]
    try:
        sheet = _sheet(tmp_path, catalog.demo_po_numbers(2))
        args = run_args(
            sheet, tmp_path / "out", portal.url, signed_in_profile, "--grid", grid.url, "--grid-wait", "4"
        )
        code = main(args)
    finally:
        for driver in taken:
            driver.quit()
    out = capsys.readouterr()
    assert code == EXIT_BAD_INPUT
    assert (
        f"the Selenium Grid at {grid.url} has no free browser slot (3 in all): waiting up to 4 s" in out.out
    )
    assert f"the Selenium Grid at {grid.url} had no free browser slot in 4 s" in out.err
    assert "workers on the Selenium Grid" not in out.out


def test_a_carried_sign_in_that_does_not_take_is_said_plainly(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, grid
) -> None:
    host = portal.url.split("//")[1].split(":")[0]
    stale = CarriedSignIn(
        ({"name": "coupa_session", "value": "stale-session-0000", "domain": host, "path": "/"},)
    )
    settings = settings_for(portal.url, signed_in_profile, tmp_path / "out")
    controller, recorder = run_controller(
        settings,
        catalog.demo_po_numbers(2),
        options=BatchOptions(workers=1, max_attempts=1, governor=False),
        worker={"grid_url": grid.url, "carried": stale},
    )
    summary = controller.run()
    errors = recorder.of(ev.WorkerError)
    assert [e.kind for e in errors] == [ErrorKind.GRID_NOT_SIGNED_IN], errors
    assert errors[0].details == {"url": grid.url}
    assert "stale-session-0000" not in repr(recorder.events)
    assert summary.counts.get("COMPLETED", 0) == 0
    assert "did not take" in error_message(PoDownloaderError(ErrorKind.GRID_NOT_SIGNED_IN, "", url=grid.url))


def test_auto_mode_on_the_grid_takes_the_http_route_on_the_carried_session(
    tmp_path: Path, app_home: Path, grid, capsys: pytest.CaptureFixture[str]
) -> None:
    """A portal whose served pages prove their lists: once trusted, POs go over HTTP with the remote
    browser's cookies (read through the Grid's CDP); the rest through the Grid, every file right."""
    with PortalProcess(render_ms=300, variant="served") as served:
        watch_portal(served)
        profile = sign_in(served.url, tmp_path / "profile")
        _root, routes, _said = _grid_run(tmp_path, served.url, profile, grid, "auto", capsys)
    assert set(routes.values()) <= {"grid", "http"} and "http" in routes.values(), routes


@pytest.mark.parametrize("bidi", [True, False], ids=["bidi", "add_cookie"])
def test_a_remote_session_is_signed_in_by_the_carried_cookies_either_way(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, grid, bidi: bool
) -> None:
    """BiDi ``storage.setCookie`` where the session offers it; else each cookie's site is opened and
    WebDriver ``add_cookie`` sets it there. Without the cookies the same session is on the sign-in page."""
    settings = settings_for(portal.url, signed_in_profile, tmp_path / "out")
    carried = carry_sign_in(worker_config(settings, app_dirs()), app_dirs())
    driver = open_driver(grid.url, SPEC, timeout=120)
    try:
        if not bidi:
            driver.caps = {k: v for k, v in driver.caps.items() if k != "webSocketUrl"}
        portal_page = CoupaPortal(driver, load_selectors(), portal.url, page_timeout=20)
        assert portal_page.check_signed_in().kind is PageKind.SIGN_IN, "a fresh remote browser is signed out"
        assert carry_cookies(driver, carried, portal.url) == ("bidi" if bidi else "webdriver")
        assert portal_page.check_signed_in().kind is not PageKind.SIGN_IN
    finally:
        driver.quit()
