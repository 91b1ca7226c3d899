"""The HTTP client: redirects only where the browser's answer could not differ, the portal's pace kept
(Retry-After for every holder of the bucket, backoff, then giving up), cookies scoped and never shown."""

from __future__ import annotations

import email.utils
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from po_downloader.engine.browser.page_state import SignInPlaces
from po_downloader.engine.http.client import HttpUnavailable, PortalClient, retry_after_seconds
from po_downloader.engine.http.cookies import Cookie, CookieJar
from po_downloader.engine.http.rate import LocalBucket, RateLimit
from po_downloader.engine.system.logs import quiet_chatty_loggers
from tests.helpers.http_clients import kept
from tests.helpers.http_server import Reply, Script, serve

PLACES = SignInPlaces(portal_paths=("/sessions/new", "/saml2"), sso_hosts=("okta.com",), sso_paths=("/adfs",))
HTML = (("Content-Type", "text/html; charset=utf-8"),)
SECRET = "s3cr3t-session-value"


@dataclass
class StillTime:
    """A clock that does not move: every wait the bucket asks for is recorded, none is slept."""

    now: float = 500.0
    wall: float = 1_800_000_000.0
    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def client_for(script: Script, time: StillTime | None = None, **kwargs: object) -> PortalClient:
    time = time or StillTime()
    bucket = kwargs.pop("bucket", None) or LocalBucket(RateLimit(), clock=lambda: time.now, sleep=time.sleep)
    client = PortalClient(
        script.base,
        PLACES,
        bucket,  # type: ignore[arg-type]
        clock=lambda: time.now,
        wall_clock=lambda: time.wall,
        sleep=time.sleep,
        jitter=lambda: 0.0,
        **kwargs,  # type: ignore[arg-type]
    )
    kept(client)
    return client


@pytest.fixture
def portal() -> Iterator[Script]:
    with serve({}) as script:
        yield script


def redirect(to: str, status: int = 302) -> Reply:
    return Reply(status, (("Location", to),))


# --- redirects ----------------------------------------------------------------------------------------


def test_redirects_on_the_portals_host_are_followed(portal: Script) -> None:
    portal.routes.update(
        {
            "/order_headers/1": redirect("/order_headers/1/"),
            "/order_headers/1/": redirect(f"{portal.base}/po/1", 301),
            "/po/1": Reply(200, HTML, "<h1>PO 1 ção</h1>".encode()),
        }
    )
    page = client_for(portal).get_page(f"{portal.base}/order_headers/1")
    assert page.status == 200
    assert page.text == "<h1>PO 1 ção</h1>"
    assert page.content_type == "text/html; charset=utf-8"
    assert page.url == f"{portal.base}/order_headers/1"
    assert page.final_url == f"{portal.base}/po/1"
    assert page.redirects == (f"{portal.base}/order_headers/1/", f"{portal.base}/po/1")


def test_a_redirect_to_sign_in_stops_there_and_the_sign_in_page_is_never_asked(portal: Script) -> None:
    portal.routes["/order_headers/2"] = redirect("/sessions/new?return_to=%2Forder_headers%2F2")
    portal.routes["/sessions/new"] = Reply(200, HTML, b"<form>sign in</form>")
    page = client_for(portal).get_page(f"{portal.base}/order_headers/2")
    assert (page.status, page.text) == (302, "")
    assert page.final_url == f"{portal.base}/sessions/new?return_to=%2Forder_headers%2F2"
    assert page.redirects == (page.final_url,)
    assert portal.paths() == ["/order_headers/2"]


def test_a_redirect_to_an_identity_provider_or_another_host_is_not_followed(portal: Script) -> None:
    portal.routes["/a"] = redirect("https://acme.okta.com/app/sso/saml")
    portal.routes["/b"] = redirect("http://files.example.net/b.pdf")
    client = client_for(portal)
    assert client.get_page(f"{portal.base}/a").final_url == "https://acme.okta.com/app/sso/saml"
    other = client.get_page(f"{portal.base}/b")
    assert (other.final_url, other.status, other.text) == ("http://files.example.net/b.pdf", 302, "")
    assert portal.paths() == ["/a", "/b"]


def test_a_redirect_loop_stops_after_five(portal: Script) -> None:
    portal.routes.update({f"/r{i}": redirect(f"/r{i + 1}") for i in range(10)})
    page = client_for(portal).get_page(f"{portal.base}/r0")
    assert page.status == 302
    assert portal.paths() == [f"/r{i}" for i in range(6)]
    assert page.final_url == f"{portal.base}/r6"


# --- the portal's pace --------------------------------------------------------------------------------


def test_retry_after_pauses_every_holder_of_the_bucket(portal: Script) -> None:
    portal.routes["/busy"] = [Reply(429, (("Retry-After", "2"),)), Reply(200, HTML, b"ok")]
    portal.routes["/other"] = Reply(200, HTML, b"other")
    time = StillTime()
    bucket = LocalBucket(RateLimit(), clock=lambda: time.now, sleep=time.sleep)
    first, second = client_for(portal, time, bucket=bucket), client_for(portal, time, bucket=bucket)
    assert first.get_page(f"{portal.base}/busy").text == "ok"
    assert time.slept == [pytest.approx(2.0)]
    # The clock stood still: the other worker's next request must wait out the same pause.
    assert second.get_page(f"{portal.base}/other").text == "other"
    assert len(time.slept) == 2 and time.slept[1] >= 2.0
    assert portal.paths() == ["/busy", "/busy", "/other"]


def test_retry_after_as_an_http_date_and_capped(portal: Script) -> None:
    time = StillTime()
    date = email.utils.formatdate(time.wall + 30, usegmt=True)
    portal.routes["/date"] = [Reply(503, (("Retry-After", date),)), Reply(200, HTML, b"ok")]
    portal.routes["/long"] = [Reply(429, (("Retry-After", "3600"),)), Reply(200, HTML, b"ok")]
    client = client_for(portal, time)
    assert client.get_page(f"{portal.base}/date").status == 200
    assert time.slept == [pytest.approx(30.0)]
    time.now += 100
    assert client.get_page(f"{portal.base}/long").status == 200
    assert time.slept[1] == pytest.approx(60.0)


def test_retry_after_words() -> None:
    assert retry_after_seconds("7", 0.0) == 7.0
    assert retry_after_seconds(None, 0.0) is None
    assert retry_after_seconds("soon", 0.0) is None
    assert retry_after_seconds(email.utils.formatdate(1000.0, usegmt=True), 2000.0) == 0.0


def test_5xx_backs_off_then_gives_up_with_the_last_answer(portal: Script) -> None:
    portal.routes["/down"] = Reply(503, HTML, b"sorry")
    time = StillTime()
    page = client_for(portal, time).get_page(f"{portal.base}/down")
    assert (page.status, page.text) == (503, "sorry")
    assert portal.paths() == ["/down"] * 3
    assert time.slept == [0.5, 1.0]


def test_a_429_without_retry_after_backs_off_with_jitter(portal: Script) -> None:
    portal.routes["/flaky"] = [Reply(429), Reply(500), Reply(200, HTML, b"ok")]
    time = StillTime()
    client = client_for(portal, time)
    client._jitter = lambda: 1.0
    assert client.get_page(f"{portal.base}/flaky").text == "ok"
    assert time.slept == [0.75, 1.5]


def test_every_request_takes_a_token_first(portal: Script) -> None:
    portal.routes.update({"/a": redirect("/b"), "/b": Reply(500), "/c": Reply(200)})
    taken: list[str] = []

    class Counting:
        def acquire(self) -> None:
            taken.append("token")

        def hold_until(self, monotonic_deadline: float) -> None:
            pass

    client = client_for(portal, bucket=Counting())
    client.get_page(f"{portal.base}/a")
    client.get_page(f"{portal.base}/c")
    assert len(taken) == len(portal.seen) == 5


# --- failures in plain words, without secrets ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_refused_connection_is_http_unavailable_without_query_or_cookie(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    base = f"http://127.0.0.1:{free_port()}"
    client = PortalClient(base, PLACES, LocalBucket())
    kept(client)
    client.set_cookies([{"name": "_session", "value": SECRET, "domain": "127.0.0.1", "path": "/"}])
    with pytest.raises(HttpUnavailable) as caught:
        client.get_page(f"{base}/attachment_file/1?X-Amz-Signature=abc123")
    assert caught.value.detail == f"{base}/attachment_file/1: could not connect"
    assert str(caught.value) == caught.value.detail
    assert caught.value.__cause__ is None and caught.value.__context__ is not None
    assert "abc123" not in caplog.text and SECRET not in caplog.text


def test_a_body_that_stops_coming_times_out_as_http_unavailable(portal: Script) -> None:
    portal.routes["/slow"] = Reply(200, HTML, b"x" * 100, send=10, stall=True)
    with pytest.raises(HttpUnavailable, match="no answer in time"):
        client_for(portal, timeout=0.3).get_page(f"{portal.base}/slow")


def test_cookies_go_only_where_the_browser_sends_them(portal: Script) -> None:
    portal.routes.update({"/files/a": Reply(200), "/filesystem": Reply(200), "/": Reply(200)})
    client = client_for(portal)
    client.set_cookies(
        [
            {"name": "host", "value": "1", "domain": "127.0.0.1", "path": "/", "session": True},
            {"name": "files", "value": "2", "domain": "127.0.0.1", "path": "/files", "expires": -1},
            {"name": "secure", "value": "3", "domain": "127.0.0.1", "path": "/", "secure": True},
            {"name": "other", "value": "4", "domain": "coupa.example.com", "path": "/"},
            {"name": "gone", "value": "5", "domain": "127.0.0.1", "path": "/", "expires": 1000.0},
        ]
    )
    for path in ("/files/a", "/filesystem", "/"):
        client.get_page(portal.base + path)
    sent = [seen.headers.get("Cookie") for seen in portal.seen]
    assert sent == ["files=2; host=1", "host=1", "host=1"]
    client.set_cookies([{"name": "fresh", "value": "6", "domain": "127.0.0.1", "path": "/"}])
    client.get_page(portal.base + "/")
    assert portal.seen[-1].headers.get("Cookie") == "fresh=6"


def test_cookies_the_portal_sets_are_sent_next_time_as_the_browser_would(portal: Script) -> None:
    portal.routes["/rotate/set"] = Reply(
        200,
        (
            ("Set-Cookie", "_session=new; Path=/; HttpOnly; SameSite=Lax"),
            ("Set-Cookie", "gone=; Max-Age=0; Path=/"),
            ("Set-Cookie", "here=1"),  # no Path: /rotate, the folder of the URL that set it
            ("Set-Cookie", "tls=1; Secure; Path=/"),
            ("Set-Cookie", "foreign=1; Domain=example.com; Path=/"),
        ),
    )
    portal.routes["/rotate/next"] = Reply(200)
    portal.routes["/elsewhere"] = Reply(200)
    client = client_for(portal)
    client.set_cookies(
        [
            {"name": "_session", "value": "old", "domain": "127.0.0.1", "path": "/"},
            {"name": "gone", "value": "x", "domain": "127.0.0.1", "path": "/"},
        ]
    )
    for path in ("/rotate/set", "/rotate/next", "/elsewhere"):
        client.get_page(portal.base + path)
    sent = [seen.headers.get("Cookie") for seen in portal.seen]
    assert sent == ["_session=old; gone=x", "here=1; _session=new", "_session=new"]  # longer paths first


def test_what_the_portal_sets_is_handed_out_once_for_the_browser_with_its_scope(portal: Script) -> None:
    portal.routes["/order_headers/1"] = Reply(
        200,
        (
            ("Set-Cookie", "_session=new; Path=/; HttpOnly; SameSite=Lax"),
            ("Set-Cookie", "gone=; Max-Age=0; Path=/"),
        ),
    )
    portal.routes["/files/2"] = Reply(
        200, (("Set-Cookie", "_session=newer; Path=/; HttpOnly; SameSite=Lax"),)
    )
    client = client_for(portal)
    client.set_cookies([{"name": "_session", "value": "old", "domain": "127.0.0.1", "path": "/"}])
    client.get_page(portal.base + "/order_headers/1")
    with client.stream(portal.base + "/files/2") as response:
        response.read()
    handed = client.cookies_set()
    assert [(c["name"], c["value"], c.get("expires")) for c in handed] == [
        ("gone", "", 0.0),  # a deletion: the browser's side deletes it
        ("_session", "newer", None),  # the last value, not each one on the way
    ]
    assert handed[1] == {
        "name": "_session",
        "value": "newer",
        "url": portal.base + "/",  # the scheme and port it came from: the browser binds it to them
        "path": "/",
        "secure": False,
        "httpOnly": True,
        "sameSite": "Lax",
    }
    assert client.cookies_set() == []  # once


def test_domain_cookies_reach_subdomains_and_host_only_ones_do_not() -> None:
    jar = CookieJar(wall_clock=lambda: 0.0)
    jar.replace(
        [
            {"name": "wide", "value": "w", "domain": ".example.com", "path": "/"},
            {"name": "own", "value": "o", "domain": "example.com", "path": "/"},
            {"name": "tls", "value": "t", "domain": "coupa.example.com", "path": "/", "secure": True},
        ]
    )
    assert jar.header_for("https://coupa.example.com/x") == "wide=w; tls=t"
    assert jar.header_for("https://example.com/x") == "wide=w; own=o"
    assert jar.header_for("http://coupa.example.com/x") == "wide=w"
    assert jar.header_for("https://evilexample.com/x") == ""


def test_cookie_values_are_in_no_log_repr_or_message(
    portal: Script, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    portal.routes["/p"] = Reply(200, (*HTML, ("Set-Cookie", f"_rotated={SECRET}x; HttpOnly")), b"ok")
    portal.routes["/cut"] = Reply(200, HTML, b"x" * 100, send=10, stall=True)
    client = client_for(portal, timeout=0.3)
    client.set_cookies([{"name": "_session", "value": SECRET, "domain": "127.0.0.1", "path": "/"}])
    client.get_page(f"{portal.base}/p?token=abc")
    with pytest.raises(HttpUnavailable) as caught:
        client.get_page(f"{portal.base}/cut")
    assert portal.seen[0].headers.get("Cookie") == f"_session={SECRET}"  # it was sent ...
    texts = [caplog.text, repr(client), str(caught.value), repr(caught.value), repr(client._jar)]
    texts += [repr(Cookie("_session", SECRET, "127.0.0.1", True))]
    assert [t for t in texts if SECRET in t] == []  # ... and shown nowhere


def test_http2_header_blocks_stay_out_of_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    """hpack logs whole header blocks at DEBUG (a Set-Cookie too): the app keeps it at warnings."""
    import hpack

    quiet_chatty_loggers()
    caplog.set_level(logging.DEBUG)
    block = hpack.Encoder().encode([(b"cookie", SECRET.encode()), (b"set-cookie", SECRET.encode())])
    hpack.Decoder().decode(block)
    assert SECRET not in caplog.text


def test_the_user_agent_and_accept_are_the_browsers(portal: Script) -> None:
    portal.routes["/"] = Reply(200)
    client_for(portal, user_agent="Mozilla/5.0 Edg/140").get_page(portal.base + "/")
    assert portal.seen[0].headers.get("User-Agent") == "Mozilla/5.0 Edg/140"
    assert portal.seen[0].headers.get("Accept", "").startswith("text/html,application/xhtml+xml")


def test_tls_trusts_the_operating_systems_store_as_the_browser_does() -> None:
    import truststore

    client = PortalClient("https://coupa.example.com", PLACES, LocalBucket())
    kept(client)
    assert isinstance(client._client._transport._pool._ssl_context, truststore.SSLContext)  # type: ignore[attr-defined]
