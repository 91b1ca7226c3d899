"""The HTTP route through the real browser's session, on the demo portal's server-rendered variant.

A served page decides a PO only once the batch has checked that verdict against the browser; both routes
save the same bytes under the same names; a served page the browser contradicts ends HTTP for the batch;
an expired session is never an answer; a browser signed in again hands its fresh cookies over; and no
cookie ever reaches a log, the journal, the results or the manifest.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from po_downloader.demo_portal import catalog
from po_downloader.engine import events as ev
from po_downloader.engine.browser.page_state import PageKind
from po_downloader.engine.browser.profile_copy import SourceProfile
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.http.client import PortalClient
from po_downloader.engine.http.rate import LocalBucket, RateLimit
from po_downloader.engine.http.served_portal import ServedPortal
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import FORM, SPEC, Recorder, run_controller, settings_for, sign_in
from tests.helpers.cli import run_args, run_cli
from tests.helpers.demo_files import demo_files
from tests.helpers.portal import PortalProcess

pytestmark = pytest.mark.browser

LISTED = ["10000001", "10000002", "10000003", "10000004", "20000007"]
EXPECTED = {
    **dict.fromkeys(LISTED, PoStatus.COMPLETED),
    "20000005": PoStatus.NO_ATTACHMENTS,
    "20000006": PoStatus.COMPLETED,  # from its requisition
    "20000001": PoStatus.PO_NOT_FOUND,
    "20000002": PoStatus.NO_ACCESS,
}


@pytest.fixture(scope="module")
def served():
    with PortalProcess(render_ms=300, variant="served") as portal:
        yield portal


@pytest.fixture(scope="module")
def served_profile(served, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sign_in(served.url, tmp_path_factory.mktemp("served-source") / "profile")


@pytest.fixture
def own_served(tmp_path: Path):
    """A served portal and a profile signed in to it, for a test that ends sessions."""
    with PortalProcess(render_ms=300, variant="served") as portal:
        yield portal, sign_in(portal.url, tmp_path / "own-source")


def _run(portal, profile: Path, tmp: Path, mode: str, pos, *, workers: int = 1, sink=None):
    settings = settings_for(portal.url, profile, tmp / "downloads", route_mode=mode)
    controller, rec = run_controller(
        settings,
        pos,
        dirs=app_dirs(tmp / "home"),
        options=BatchOptions(workers=workers, max_attempts=2, backoff_base=0.2, governor=False),
        sink=sink,
    )
    summary = controller.run()
    finals = {e.po.digits: e.outcome for e in rec.of(ev.PoFinished)}
    return summary, finals, rec, tmp / "downloads"


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_auto_mode_checks_each_verdict_in_the_browser_before_http_decides_it(
    served, served_profile: Path, tmp_path: Path
) -> None:
    order = [*LISTED[:3], "20000005", "20000001", "20000002", *LISTED[3:], "20000006"]
    summary, finals, _rec, _root = _run(served, served_profile, tmp_path, "auto", order)
    assert {d: summary.statuses[d] for d in order} == {d: EXPECTED[d] for d in order}
    routes = {d: finals[d].route for d in order}
    # The first two lists, the first empty one and the first of each error page: checked by the browser.
    assert [routes[d] for d in LISTED[:2]] == ["browser", "browser"]
    assert routes["20000005"] == "" and routes["20000001"] == "" and routes["20000002"] == ""
    # Then HTTP decides lists and fetches their files.
    assert [routes[d] for d in (LISTED[2], *LISTED[3:])] == ["http"] * 3
    for digits in LISTED:  # every file whole (20000007 lists three files named Invoice.pdf)
        got = sorted(p.read_bytes() for p in Path(finals[digits].folder).iterdir())
        assert got == sorted(catalog.file_bytes(digits, a.index) for a in catalog.attachments_for(digits))


def test_both_routes_save_the_same_bytes_under_the_same_names(
    served, served_profile: Path, tmp_path: Path
) -> None:
    pos = list(EXPECTED)
    by_browser = _run(served, served_profile, tmp_path / "b", "browser", pos, workers=2)
    by_http = _run(served, served_profile, tmp_path / "h", "http", pos, workers=2)
    assert by_browser[0].statuses == by_http[0].statuses == EXPECTED
    assert {d: o.route for d, o in by_browser[1].items()} == dict.fromkeys(pos, "browser") | {
        d: "" for d in ("20000005", "20000001", "20000002")
    }
    assert {d for d, o in by_http[1].items() if o.route == "http"} == set(pos)
    tree = _tree(by_browser[3])
    assert tree and _tree(by_http[3]) == tree
    # Every saved name and folder, byte for byte: the same placement whichever route fetched it.
    for d in pos:
        assert (by_browser[1][d].found, by_browser[1][d].downloaded, by_browser[1][d].size) == (
            by_http[1][d].found,
            by_http[1][d].downloaded,
            by_http[1][d].size,
        )


@pytest.mark.expect_log("po_downloader.engine.run.controller", "served page and browser disagree")
@pytest.mark.expect_log("po_downloader.engine.run.served_reads", "the served page and the browser disagree")
def test_a_served_page_the_browser_contradicts_ends_http_for_the_batch(
    served, served_profile: Path, tmp_path: Path
) -> None:
    """The page's script adds an item the served HTML does not have: the first check catches it, no PO
    is decided over HTTP, and every PO gets the browser's whole list."""
    served.control(late_item_ms=300)
    try:
        summary, finals, rec, _root = _run(served, served_profile, tmp_path, "auto", LISTED[:4])
    finally:
        served.control(late_item_ms=0)
    assert set(summary.statuses.values()) == {PoStatus.COMPLETED}
    (disagreed,) = rec.of(ev.HttpProbe)
    assert disagreed.result is ev.ProbeResult.DISAGREED and "Late addendum.pdf" in disagreed.detail
    assert all(o.route != "http" for o in finals.values())
    for digits in LISTED[:4]:
        assert finals[digits].found == len(catalog.attachments_for(digits)) + 1  # the late item counted


def test_an_expired_session_over_http_is_never_an_answer(own_served, tmp_path: Path) -> None:
    """The session ends after the first PO: HTTP sees the sign-in redirect, hands the PO to the browser,
    which says so; no PO after it is judged empty, missing or done."""
    portal, profile = own_served
    pos = ["10000001", "20000005", "20000001", "10000002"]

    class ExpireAfterFirst(Recorder):
        def __call__(self, event: ev.Event) -> None:
            super().__call__(event)
            if isinstance(event, ev.PoFinished) and len(self.of(ev.PoFinished)) == 1:
                portal.control(expire_sessions=True)

    summary, finals, *_ = _run(portal, profile, tmp_path, "http", pos, sink=ExpireAfterFirst())
    first = next(iter(finals))
    for digits in pos:
        if digits != first:
            assert summary.statuses[digits] in (PoStatus.SIGN_IN_REQUIRED, PoStatus.PENDING), digits
    assert summary.sign_in_required


def test_a_browser_signed_in_again_hands_its_fresh_cookies_over(own_served, tmp_path: Path) -> None:
    served, served_profile = own_served
    sel = load_selectors()
    session = BrowserSession.open(
        SPEC, SourceProfile(served_profile, "Default", own=False), tmp_path / "copy", None, sel, served.url
    )
    client = PortalClient(served.url, sel.sign_in_places, LocalBucket(RateLimit()))
    try:
        page = ServedPortal(client, sel, served.url, session.cookies)
        page.refresh_session()
        assert page.open_po("10000001").kind is PageKind.PO
        served.control(expire_sessions=True)
        page.refresh_session()
        assert page.open_po("10000001").kind is PageKind.SIGN_IN
        driver = session.portal.driver  # the user signs in again in this browser
        driver.get(served.url + "/order_headers/10000001")
        for css, value in FORM.items():
            driver.find_element("css selector", css).send_keys(value)
        driver.find_element("css selector", "button[type=submit]").click()
        session.portal.open_po("10000001")
        page.refresh_session()  # no restart: the next PO takes the browser's cookies as they are now
        assert page.open_po("10000001").kind is PageKind.PO
    finally:
        client.close()
        session.quit()


def test_no_cookie_reaches_a_log_the_journal_the_results_or_the_manifest(
    served, served_profile: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "in" / "pos.csv"
    sheet.parent.mkdir()
    sheet.write_text("PO\n" + "\n".join(EXPECTED) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    done = run_cli(
        ["-v", *run_args(sheet, tmp_path / "out", served.url, served_profile, "--mode", "http", workers=1)],
        home,
    )
    assert done.returncode == 1, done.stderr  # not found and no access are problems
    sel = load_selectors()
    copy = tmp_path / "probe"
    shutil.copytree(served_profile, copy)
    session = BrowserSession.open(
        SPEC, SourceProfile(copy, "Default", own=False), tmp_path / "copy", None, sel, served.url
    )
    try:
        values = {c["value"] for c in session.cookies() if len(c.get("value", "")) >= 8}
    finally:
        session.quit()
    assert values, "the signed-in profile has a session cookie"
    written = [p for p in (*home.rglob("*"), *sheet.parent.rglob("*")) if p.is_file()]
    assert any("journal" in p.name or p.suffix == ".sqlite" or p.suffix == ".db" for p in written)
    texts = [done.stdout.encode(), done.stderr.encode(), *(p.read_bytes() for p in written)]
    for value in values:
        assert not any(value.encode() in t for t in texts)


def test_a_served_page_slower_than_the_page_timeout_goes_to_the_browser(
    served, served_profile: Path, tmp_path: Path
) -> None:
    """The HTTP read gives up at the browser's page timeout, proves nothing, and the browser works the PO."""
    served.control(slow_next=[{"po": "10000002", "ms": 8_000, "count": 1}])
    try:
        settings = settings_for(
            served.url, served_profile, tmp_path / "downloads", page_timeout=3.0, route_mode="http"
        )
        controller, rec = run_controller(
            settings,
            ["10000002"],
            dirs=app_dirs(tmp_path / "home"),
            options=BatchOptions(workers=1, max_attempts=1, governor=False),
        )
        summary = controller.run()
    finally:
        served.control(slow_next=None)
    assert summary.statuses == {"10000002": PoStatus.COMPLETED}
    (done,) = rec.of(ev.PoFinished)
    assert done.outcome.route == "browser"
    assert {p.name: p.read_bytes() for p in Path(done.outcome.folder).iterdir()} == demo_files("10000002")
