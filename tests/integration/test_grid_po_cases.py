"""Every kind of PO page of ``test_po_cases`` worked through a real Selenium Grid: the same statuses, files
and messages as with local browsers, for a variant whose lists a script draws late behind click-only spans
(``timer``) and one with ``data-url`` spans and 404 error pages (``data-url``).

The case tests are ``test_po_cases``' own, run here on this module's ``outcome``; only the route each PO
took and the stalled file's reason are the Grid's (it sees names on the node, not bytes in flight)."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.demo_portal import VARIANTS
from po_downloader.engine import events as ev
from po_downloader.engine.run.batch import carry_sign_in, worker_config
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import run_controller, settings_for
from tests.integration import test_po_cases as cases
from tests.integration.test_po_cases import (  # noqa: F401 - collected here, on this module's outcome
    test_a_zero_byte_file_counts_as_downloaded_not_as_missing,
    test_duplicate_names_all_survive,
    test_hostile_names_are_safe_and_inside_the_root,
    test_large_and_many_files_have_right_bytes,
    test_not_found_and_no_access_have_no_folder_and_say_why,
    test_nothing_left_behind,
    test_one_name_in_two_unicode_forms_is_one_name,
    test_portal_errors_are_retried_then_failed,
    test_requisition_fallback_records_where_files_came_from,
    test_statuses,
)

pytestmark = [pytest.mark.browser, pytest.mark.grid]


@pytest.fixture(scope="module", params=["timer", "data-url"])
def outcome(request, portal, signed_in_profile, grid, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"grid-cases-{request.param}")
    dirs = app_dirs(tmp / "home")
    root = tmp / "downloads"
    portal.control(
        variant=request.param,
        reset_counts=True,
        fail_next=[
            {"po": "10000005", "status": 500, "count": 1},
            {"po": "10000006", "status": 429, "count": 1},
        ],
    )
    try:
        settings = settings_for(
            portal.url, signed_in_profile, root, download_timeout=4.0, route_mode="auto", grid_url=grid.url
        )
        carried = carry_sign_in(worker_config(settings, dirs), dirs)
        controller, rec = run_controller(
            settings,
            cases.CASES,
            dirs=dirs,
            options=BatchOptions(workers=3, max_attempts=2, backoff_base=0.2, governor=False),
            worker={"carried": carried},
        )
        summary = controller.run()
        cases.PAGE_HITS[request.param] = portal.state()["page_hits"]
    finally:
        portal.control(variant="classic")
    finals = {e.po.display: e.outcome for e in rec.of(ev.PoFinished)}
    return summary, finals, rec, root, dirs, tmp, VARIANTS[request.param]


def test_the_stalled_download_fails_that_file_only_on_the_grid(outcome) -> None:
    _, finals, rec, *_ = outcome
    done = finals["PO20000008"]
    assert (done.found, done.downloaded) == (2, 1)
    failed = [e for e in rec.of(ev.FileFailed) if e.po.display == "PO20000008"]
    assert len(failed) == 1 and "not whole on the Grid node" in failed[0].reason
    assert failed[0].name == "Stalled transfer.pdf"
    assert Path(done.folder).name == "PO20000008_PARTIAL"
    assert {p.name for p in Path(done.folder).iterdir()} == {"Packing list.pdf"}


def test_every_file_came_through_the_grid_or_http(outcome) -> None:
    _, finals, *_ = outcome
    routes = {po: o.route for po, o in finals.items() if o.route}
    assert set(routes.values()) <= {"grid", "http"}, routes
    assert finals["PO20000007"].route == "grid"
