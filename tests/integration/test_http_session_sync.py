"""One session for the browser and the HTTP route, through the real browser: a portal that rotates its
session cookie on every PO page answer (and ends the old session) leaves neither signed out, because what
the portal set over HTTP goes back into the browser before the browser, or the next PO, needs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.browser.page_state import PageKind
from po_downloader.engine.browser.profile_copy import SourceProfile
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.http.client import PortalClient
from po_downloader.engine.http.cookies import CookieJar
from po_downloader.engine.http.rate import LocalBucket, RateLimit
from po_downloader.engine.http.served_portal import ServedPortal
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import SPEC, Recorder, run_controller, settings_for, sign_in
from tests.helpers.portal import PortalProcess

pytestmark = pytest.mark.browser

EXPECTED = {
    "10000001": PoStatus.COMPLETED,
    "20000005": PoStatus.NO_ATTACHMENTS,
    "20000001": PoStatus.PO_NOT_FOUND,
    "10000002": PoStatus.COMPLETED,
    "20000006": PoStatus.COMPLETED,  # from its requisition: two pages read, two rotations
    "20000002": PoStatus.NO_ACCESS,
    "10000003": PoStatus.COMPLETED,
    "10000004": PoStatus.COMPLETED,
    "20000007": PoStatus.COMPLETED,
}
SESSION_COOKIE = "coupa_session"


@pytest.fixture
def rotating(tmp_path: Path):
    """A served portal and a profile signed in to it; every PO page answer rotates the session."""
    with PortalProcess(render_ms=300, variant="served") as portal:
        profile = sign_in(portal.url, tmp_path / "source")
        portal.control(rotate_session=1)
        yield portal, profile


def test_a_batch_over_http_completes_every_po_and_its_browser_stays_signed_in(
    rotating, tmp_path: Path
) -> None:
    """HTTP decides the first POs (each read rotates the session); then the tenant's pages stop proving
    their lists, so the served read rotates the session and the browser works the PO: it must be on
    the session the portal just set, not the one the read ended."""
    portal, profile = rotating

    class BrowserAfterThree(Recorder):
        def __call__(self, event: ev.Event) -> None:
            super().__call__(event)
            if isinstance(event, ev.PoFinished) and len(self.of(ev.PoFinished)) == 3:
                portal.control(variant="classic")  # click-only spans: served pages prove no list

    settings = settings_for(portal.url, profile, tmp_path / "downloads", route_mode="http")
    controller, rec = run_controller(
        settings,
        list(EXPECTED),
        dirs=app_dirs(tmp_path / "home"),
        options=BatchOptions(workers=1, max_attempts=1, governor=False),
        sink=BrowserAfterThree(),
    )
    summary = controller.run()
    assert summary.statuses == EXPECTED
    assert not summary.sign_in_required
    routes = {e.po.digits: e.outcome.route for e in rec.of(ev.PoFinished)}
    assert "http" in routes.values() and "browser" in routes.values(), routes
    assert portal.state()["rotations"] >= len(EXPECTED)  # the portal did rotate on every read


def test_the_browser_takes_the_session_the_portal_set_over_http_with_its_scope(
    rotating, tmp_path: Path
) -> None:
    portal, profile = rotating
    sel = load_selectors()
    session = BrowserSession.open(
        SPEC, SourceProfile(profile, "Default", own=False), tmp_path / "copy", None, sel, portal.url
    )
    client = PortalClient(portal.url, sel.sign_in_places, LocalBucket(RateLimit()))
    try:
        page = ServedPortal(client, sel, portal.url, session.cookies, session.set_cookies)
        page.refresh_session()
        before = portal.state()["rotations"]
        assert page.open_po("10000001").kind is PageKind.PO  # read over HTTP: the old session ends
        assert portal.state()["rotations"] == before + 1
        page.refresh_session()  # the new one goes into the browser, then comes back
        (cookie,) = [c for c in session.cookies() if c["name"] == SESSION_COOKIE]
        assert (cookie["domain"], cookie["path"], cookie["httpOnly"], cookie["sameSite"]) == (
            "127.0.0.1",  # host-only, as the portal set it
            "/",
            True,
            "Lax",
        )
        assert session.portal.open_po("10000002").kind is PageKind.PO  # the browser is signed in
        page.refresh_session()
        assert page.open_po("10000003").kind is PageKind.PO  # and so is the HTTP route after it

        # A cookie set, then deleted, over HTTP: the browser sets it with its path and flags, then drops it.
        jar = CookieJar()
        url = portal.url + "/order_headers/10000001"
        jar.absorb(url, ["extra=1; Path=/order_headers; HttpOnly; SameSite=Strict"])
        session.set_cookies([c.to_devtools() for c in jar.taken()])
        (extra,) = [c for c in session.cookies() if c["name"] == "extra"]
        assert (extra["domain"], extra["path"], extra["httpOnly"], extra["sameSite"], extra["session"]) == (
            "127.0.0.1",
            "/order_headers",
            True,
            "Strict",
            True,
        )
        jar.absorb(url, ["extra=; Max-Age=0; Path=/order_headers"])
        session.set_cookies([c.to_devtools() for c in jar.taken()])
        assert [c for c in session.cookies() if c["name"] == "extra"] == []
        assert [c["name"] for c in session.cookies()].count(SESSION_COOKIE) == 1
    finally:
        client.close()
        session.quit()
