"""The demo portal over plain HTTP: SSO redirects, sign-in, pages, attachments API, files and control knobs."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urljoin, urlsplit

import pytest

from po_downloader.demo_portal import __main__ as portal_main
from po_downloader.demo_portal import catalog, pages
from po_downloader.demo_portal.server import RunningPortal, start_portal
from po_downloader.demo_portal.variants import (
    CLASSIC,
    DATA_URL_ATTRIBUTES,
    GAP_MS,
    VARIANTS,
    Variant,
    span_url,
    timer_delay_ms,
    variant_named,
)
from tests.helpers.portal import PortalProcess


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """A cookie-keeping HTTP client that never follows redirects, so each hop can be checked."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, url: str, form: dict[str, str] | None = None, json_body: Any = None) -> Reply:
        data, headers = None, {}
        if form is not None:
            data = urlencode(form).encode()
        if json_body is not None:
            data, headers = json.dumps(json_body).encode(), {"Content-Type": "application/json"}
        try:
            with self._opener.open(
                urllib.request.Request(url, data=data, headers=headers), timeout=10
            ) as resp:
                return Reply(resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as err:
            with err:
                return Reply(err.code, dict(err.headers), err.read())

    def session_cookie(self) -> str | None:
        return next((c.value for c in self.jar if c.name == "coupa_session"), None)

    def sign_in(self, portal: RunningPortal, target: str = "/order_headers/10000001") -> Reply:
        """Walk the SSO chain by hand and return the final page."""
        login = self.request(portal.base_url + target).headers["Location"]
        return_url = parse_qs(urlsplit(login).query)["return"][0]
        callback = self.request(
            f"{portal.idp_url}/sso/login", form={"username": "buyer", "password": "x", "return": return_url}
        )
        final = self.request(callback.headers["Location"])
        return self.request(portal.base_url + final.headers["Location"])


class Events:
    """Collects in-process portal events and waits for one that matches."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._cond = threading.Condition()

    def __call__(self, event: dict[str, Any]) -> None:
        with self._cond:
            self.items.append(event)
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 5.0) -> dict[str, Any]:
        with self._cond:
            found = self._cond.wait_for(lambda: next((e for e in self.items if predicate(e)), None), timeout)
        if found is None:
            raise TimeoutError(f"no matching event in {self.items[-10:]}")
        return found


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def portal(events: Events) -> Iterator[RunningPortal]:
    running = start_portal(render_ms=0, sink=events)
    yield running
    running.stop()


@pytest.fixture
def client(portal: RunningPortal) -> Client:
    signed_in = Client()
    assert signed_in.sign_in(portal).status == 200
    return signed_in


# --- catalog ------------------------------------------------------------------------------------------


def test_catalog_files_are_deterministic_distinct_and_typed() -> None:
    pos = catalog.demo_po_numbers(30)
    assert pos[:2] == ["10000001", "10000002"] and len(pos) == 30
    bodies = {}
    for po in pos:
        atts = catalog.attachments_for(po)
        assert 1 <= len(atts) <= 3
        assert len({a.name for a in atts}) == len(atts)
        for att in atts:
            body = catalog.file_bytes(po, att.index)
            assert body == catalog.file_bytes(po, att.index)
            assert len(body) == att.size and 2048 <= att.size <= 60 * 1024
            if att.name.endswith(".pdf"):
                assert body.startswith(b"%PDF-1.4\n")
            bodies[(po, att.index)] = body
    assert len(set(bodies.values())) == len(bodies)
    kinds = {a.kind for po in pos for a in catalog.attachments_for(po)}
    assert kinds == {"file", "comment"}


def test_catalog_suppliers_include_hostile_names() -> None:
    suppliers = {catalog.supplier_for(po) for po in catalog.demo_po_numbers(len(catalog.SUPPLIERS))}
    assert {
        "Café & Companhia Ltda.",
        "Müller GmbH",
        "ACME / Filial 2",
        "CON",
        "Fornecedor: *Teste*?",
        "..",
    } <= suppliers
    assert any(len(s) == 200 for s in suppliers)


def test_catalog_offers_one_name_in_both_unicode_forms() -> None:
    first, second, again = catalog.attachments_for("20000015")
    assert first.name == unicodedata.normalize("NFC", second.name) != second.name == again.name
    assert catalog.file_bytes("20000015", 1) != catalog.file_bytes("20000015", 2)
    assert catalog.file_bytes("20000015", 3) == catalog.file_bytes("20000015", 1)
    assert len(catalog.file_bytes("20000015", 3)) == again.size
    assert again.kind == "comment"
    nfd, nfc = catalog.supplier_for("20000015"), catalog.supplier_for("20000016")
    assert nfd != nfc == unicodedata.normalize("NFC", nfd)


def test_catalog_special_scenarios() -> None:
    assert all(
        catalog.document(d).page != catalog.PageKind.NOT_FOUND
        for d in catalog.SCENARIOS
        if d[0] == "2" and d != "20000001"
    )
    assert [a.name for a in catalog.attachments_for("20000007")] == ["Invoice.pdf"] * 3
    assert [a.kind for a in catalog.attachments_for("20000007")] == ["file", "file", "comment"]
    assert len(set(catalog.file_bytes("20000007", i) for i in (1, 2, 3))) == 3
    assert {"../../evil.pdf", "CON.txt", "...", "résumé ünïcødé 請求書.pdf"} <= {
        a.name for a in catalog.attachments_for("20000010")
    }
    assert any(len(a.name) == 200 for a in catalog.attachments_for("20000010"))
    assert (
        catalog.attachments_for("20000006") == [] and catalog.document("20000006").requisition == "30000006"
    )
    assert len(catalog.attachments_for("30000006")) == 2
    assert len(catalog.attachments_for("20000012")) == 8
    long_names = [a.name for a in catalog.attachments_for("20000091")]
    assert all(110 <= len(n) <= 120 and n.endswith(".pdf") for n in long_names)
    assert long_names[0][:100] == long_names[1][:100] and len(catalog.supplier_for("20000091")) > 90
    assert catalog.attachments_for("20000011")[0].size > 20 * 1024 * 1024
    assert catalog.document("99999999").page is catalog.PageKind.NOT_FOUND


# --- sign-in ------------------------------------------------------------------------------------------


def test_page_without_session_redirects_to_sso_host(portal: RunningPortal, events: Events) -> None:
    reply = Client().request(portal.base_url + "/order_headers/10000001")
    assert reply.status == 302
    location = urlsplit(reply.headers["Location"])
    assert (location.hostname, location.port, location.path) == ("localhost", portal.port, "/sso/login")
    assert parse_qs(location.query)["return"] == [portal.base_url + "/order_headers/10000001"]
    logged = events.wait_for(lambda e: e.get("path") == "/order_headers/10000001")
    assert logged == logged | {"event": "request", "status": 302, "po": "10000001", "session": False}
    assert logged["host"] == "127.0.0.1"


def test_sso_sign_in_sets_persistent_cookie_then_pages_load(portal: RunningPortal) -> None:
    browser = Client()
    login_page = browser.request(f"{portal.idp_url}/sso/login?return=x")
    assert all(m in login_page.text for m in ('id="username"', 'id="password"', 'type="submit"'))
    final = browser.sign_in(portal, "/order_headers/10000002")
    assert final.status == 200 and "<title>PO #10000002 - Coupa</title>" in final.text
    (cookie,) = [c for c in browser.jar if c.name == "coupa_session"]
    assert cookie.domain == "127.0.0.1" and not cookie.discard and cookie.expires is not None
    assert cookie.expires > time.time() + 29 * 24 * 3600
    assert browser.request(portal.base_url + "/").headers["Location"] == "/user/home"
    home = browser.request(portal.base_url + "/user/home")
    assert home.status == 200 and "<title>Coupa Home</title>" in home.text


def test_sso_rejects_empty_credentials_and_foreign_return(portal: RunningPortal) -> None:
    browser = Client()
    empty = browser.request(
        f"{portal.idp_url}/sso/login", form={"username": "", "password": "", "return": ""}
    )
    assert empty.status == 200 and 'id="username"' in empty.text
    hop = browser.request(
        f"{portal.idp_url}/sso/login",
        form={"username": "u", "password": "p", "return": "http://evil.example/"},
    )
    assert browser.request(hop.headers["Location"]).headers["Location"] == "/user/home"


def test_native_sign_in_form(portal: RunningPortal) -> None:
    browser = Client()
    form = browser.request(portal.base_url + "/sessions/new")
    assert form.status == 200
    assert all(m in form.text for m in ('id="user_email"', 'id="user_password"', 'type="submit"'))
    reply = browser.request(
        portal.base_url + "/sessions", form={"user[login]": "a@b.c", "user[password]": "pw"}
    )
    assert reply.status == 302 and "Max-Age=2592000" in reply.headers["Set-Cookie"]
    assert browser.request(portal.base_url + "/order_headers/10000001").status == 200


# --- pages --------------------------------------------------------------------------------------------


def test_po_page_markup_has_markers_but_no_attachments_yet(client: Client, portal: RunningPortal) -> None:
    html = client.request(portal.base_url + "/order_headers/10000003").text
    supplier = catalog.supplier_for("10000003")
    assert f'data-supplier-name="{supplier}">{supplier}</span>' in html
    assert 'id="order_header_requisition_header"' in html
    assert '<a href="/requisition_headers/40000003">Requisition 40000003</a>' in html
    assert 'class="page_buttons_right orderHeaderShowFloatingSection floatingSectionOnTop"' in html
    assert '<div class="loading" aria-busy="true">' in html
    assert "/attachment_files/" not in html and "Nota Fiscal 3.pdf" not in html
    assert html.index("supplier-info") > html.index("<section")
    assert 'role="dialog"' not in html and 'class="notice"' not in html


@pytest.mark.parametrize(
    ("po", "marker"),
    [
        ("20000001", "<h1>Oops! We couldn't find what you wanted</h1>"),
        ("20000002", "You are not authorized to view this page"),
        ("20000003", "Você não tem permissão para acessar esta página"),
        ("12x", "Oops! We couldn't find what you wanted"),
        ("30000006", "Oops! We couldn't find what you wanted"),
    ],
)
def test_error_pages_answer_200_with_flash_error(
    client: Client, portal: RunningPortal, po: str, marker: str
) -> None:
    reply = client.request(f"{portal.base_url}/order_headers/{po}")
    assert reply.status == 200
    flash = re.search(r'<div class="flash_error">(.*?)</div>', reply.text, re.S)
    assert flash is not None and marker in flash.group(1)
    assert "order_header_requisition_header" not in reply.text


def test_special_po_pages(client: Client, portal: RunningPortal) -> None:
    notice = client.request(portal.base_url + "/order_headers/20000004").text
    assert (
        '<div class="notice">' in notice and "Access denied" in notice and 'class="flash_error"' not in notice
    )
    assert 'id="order_header_requisition_header"' in notice
    modal = client.request(portal.base_url + "/order_headers/20000013").text
    assert (
        '<div role="dialog" aria-modal="true"' in modal
        and 'class="modal"' in modal
        and 'class="close"' in modal
    )
    no_req = client.request(portal.base_url + "/order_headers/20000005").text
    assert (
        "/requisition_headers/"
        not in no_req.split('id="order_header_requisition_header"')[1].split("</div>")[0]
    )
    po = client.request(portal.base_url + "/order_headers/20000006").text
    assert '<a href="/requisition_headers/30000006">Requisition 30000006</a>' in po
    req = client.request(portal.base_url + "/requisition_headers/30000006")
    assert req.status == 200 and "<title>Requisition #30000006 - Coupa</title>" in req.text
    assert "/api/requisition_headers/30000006/attachments" in req.text
    assert client.request(portal.base_url + "/order_headers").status == 200


# --- attachments API and files -------------------------------------------------------------------------


def test_attachments_api_matches_catalog(client: Client, portal: RunningPortal) -> None:
    for path, digits in (("order_headers", "20000007"), ("requisition_headers", "30000006")):
        reply = client.request(f"{portal.base_url}/api/{path}/{digits}/attachments")
        assert reply.status == 200 and reply.headers["Content-Type"] == "application/json"
        expected = [(a.index, a.name, a.kind, a.size, a.url_path) for a in catalog.attachments_for(digits)]
        got = [(i["index"], i["name"], i["kind"], i["size"], i["url"]) for i in reply.json()["attachments"]]
        assert got == expected
    assert Client().request(portal.base_url + "/api/order_headers/10000001/attachments").status == 401


def test_file_bytes_and_content_disposition(client: Client, portal: RunningPortal) -> None:
    for att in catalog.attachments_for("20000010"):
        reply = client.request(portal.base_url + att.url_path)
        assert reply.status == 200
        assert reply.body == catalog.file_bytes("20000010", att.index)
        assert int(reply.headers["Content-Length"]) == att.size
        disposition = reply.headers["Content-Disposition"]
        assert disposition.startswith('attachment; filename="')
        encoded = re.search(r"filename\*=UTF-8''(\S+)$", disposition)
        assert encoded is not None and unquote(encoded.group(1)) == att.name
        fallback = re.search(r'filename="([^"]*)"', disposition)
        assert fallback is not None and fallback.group(1).isascii()
    first = catalog.attachments_for("10000001")[0]
    assert client.request(portal.base_url + first.url_path).headers["Content-Type"] == "application/pdf"
    assert client.request(portal.base_url + "/attachment_files/10000001/9/download").status == 404


def test_a_zero_byte_file_is_served_empty_and_complete(
    client: Client, portal: RunningPortal, events: Events
) -> None:
    blank = catalog.attachment("20000018", 1)
    assert blank is not None and blank.size == 0 and catalog.file_bytes("20000018", 1) == b""
    reply = client.request(portal.base_url + blank.url_path)
    assert (reply.status, reply.headers["Content-Length"], reply.body) == (200, "0", b"")
    served = events.wait_for(lambda e: e["event"] == "download" and e["po"] == "20000018")
    assert (served["bytes"], served["size"], served["complete"]) == (0, 0, True)


def test_a_huge_file_is_only_ever_made_in_pieces() -> None:
    """200 MiB: the server sends it and tests hash it piece by piece; nobody may hold it whole."""
    huge = catalog.attachment("20000017", 1)
    assert huge is not None and huge.streamed and huge.size > 200 * 1024 * 1024
    with pytest.raises(ValueError, match="streamed"):
        catalog.file_bytes("20000017", 1)
    digest, total = hashlib.sha256(), 0
    for piece in catalog.file_chunks("20000017", 1):
        assert len(piece) <= catalog.STREAM_CHUNK + 1024
        digest.update(piece)
        total += len(piece)
    assert total == huge.size
    assert digest.hexdigest() == catalog.file_sha256("20000017", 1)  # the same bytes every time
    assert b"".join(catalog.file_chunks("20000017", 2)) == catalog.file_bytes("20000017", 2)


def test_download_without_session_redirects_to_sso(portal: RunningPortal) -> None:
    reply = Client().request(portal.base_url + "/attachment_files/10000001/1/download")
    assert reply.status == 302 and reply.headers["Location"].startswith(f"{portal.idp_url}/sso/login?")


def test_stalled_file_does_not_block_other_requests(
    client: Client, portal: RunningPortal, events: Events
) -> None:
    stalled = http.client.HTTPConnection("127.0.0.1", portal.port, timeout=10)
    try:
        stalled.request(
            "GET",
            "/attachment_files/20000008/2/download",
            headers={"Cookie": f"coupa_session={client.session_cookie()}"},
        )
        response = stalled.getresponse()
        assert int(response.headers["Content-Length"]) == 48 * 1024
        received = b""
        while len(received) < catalog.STALL_SENT_BYTES:
            received += response.read1(catalog.STALL_SENT_BYTES - len(received))
        assert received == catalog.file_bytes("20000008", 2)[: catalog.STALL_SENT_BYTES]
        started = time.monotonic()
        other = client.request(portal.base_url + "/attachment_files/20000008/1/download")
        assert other.status == 200 and other.body == catalog.file_bytes("20000008", 1)
        assert time.monotonic() - started < 2
    finally:
        stalled.close()
    cut = events.wait_for(lambda e: e["event"] == "download" and e["index"] == 2)
    assert cut == cut | {"po": "20000008", "complete": False, "bytes": catalog.STALL_SENT_BYTES}
    assert portal.state.snapshot()["downloads_cut"] == {"20000008/2": 1}


# --- knobs and state ----------------------------------------------------------------------------------


def test_fail_next_then_recovery(client: Client, portal: RunningPortal) -> None:
    url = portal.base_url + "/order_headers/10000003"
    state = client.request(
        portal.base_url + "/__control", json_body={"fail_next": {"po": "10000003", "status": 500}}
    )
    assert state.json()["fail_next"] == {"10000003": {"status": 500, "remaining": 1}}
    failed = client.request(url)
    assert failed.status == 500 and "We're sorry, but something went wrong." in failed.text
    assert client.request(url).status == 200
    client.request(
        portal.base_url + "/__control", json_body={"fail_next": {"po": "10000003", "status": 429, "count": 2}}
    )
    throttled = [client.request(url) for _ in range(2)]
    assert [r.status for r in throttled] == [429, 429] and "Too Many Requests" in throttled[0].text
    assert throttled[0].headers["Retry-After"] == "2"
    assert client.request(url).status == 200
    assert client.request(portal.base_url + "/order_headers/20000009").status == 500
    assert client.request(portal.base_url + "/order_headers/20000009").status == 500


def test_fail_next_403_is_a_cdns_bare_access_denied_page_then_the_po(
    client: Client, portal: RunningPortal
) -> None:
    """A CDN in front of the portal blocks one request: none of the portal's markup, only its words."""
    url = portal.base_url + "/order_headers/10000003"
    client.request(portal.base_url + "/__control", json_body={"fail_next": {"po": "10000003", "status": 403}})
    blocked = client.request(url)
    assert blocked.status == 403
    assert "<TITLE>Access Denied</TITLE>" in blocked.text and "Reference&#32;&#35;18." in blocked.text
    assert "top_nav" not in blocked.text and "flash" not in blocked.text and "/user/home" not in blocked.text
    assert client.request(url).status == 200


def test_the_requisitions_of_issue_14_and_a_malformed_data_url(client: Client, portal: RunningPortal) -> None:
    assert catalog.document("20000071").requisition == "30000071"
    assert catalog.requisition("30000071").page is catalog.PageKind.NOT_FOUND
    assert catalog.requisition("30000072").page is catalog.PageKind.NOT_AUTHORIZED
    assert client.request(portal.base_url + "/requisition_headers/30000072").status == 200
    api = client.request(portal.base_url + "/api/order_headers/20000081/attachments").json()["attachments"]
    assert [a.get("malformed_url") for a in api] == [catalog.MALFORMED_URL, None]


def test_slow_next_holds_a_page_past_the_clients_patience_then_answers_at_once(
    client: Client, portal: RunningPortal
) -> None:
    state = client.request(
        portal.base_url + "/__control", json_body={"slow_next": {"po": "10000004", "ms": 3000, "count": 1}}
    )
    assert state.json()["slow_next"] == {"10000004": {"ms": 3000, "remaining": 1}}
    impatient = http.client.HTTPConnection("127.0.0.1", portal.port, timeout=0.5)
    try:
        impatient.request(
            "GET", "/order_headers/10000004", headers={"Cookie": f"coupa_session={client.session_cookie()}"}
        )
        with pytest.raises(TimeoutError):
            impatient.getresponse()
    finally:
        impatient.close()
    assert client.request(portal.base_url + "/order_headers/10000004").status == 200
    assert portal.state.snapshot()["slow_next"] == {}


def test_slow_file_next_holds_one_attachments_headers_then_serves_it_at_once(
    client: Client, portal: RunningPortal
) -> None:
    """A download that begins late: nothing, not even a header, until ``ms`` passed; the next request of
    the same file (and any other file) is answered at once."""
    body = {"slow_file_next": {"po": "10000004", "index": 1, "ms": 3000, "count": 1}}
    state = client.request(portal.base_url + "/__control", json_body=body)
    assert state.json()["slow_file_next"] == {"10000004/1": {"ms": 3000, "remaining": 1}}
    impatient = http.client.HTTPConnection("127.0.0.1", portal.port, timeout=0.5)
    try:
        impatient.request(
            "GET",
            "/attachment_files/10000004/1/download",
            headers={"Cookie": f"coupa_session={client.session_cookie()}"},
        )
        with pytest.raises(TimeoutError):
            impatient.getresponse()
    finally:
        impatient.close()
    again = client.request(portal.base_url + "/attachment_files/10000004/1/download")
    assert again.status == 200 and again.body == catalog.file_bytes("10000004", 1)
    assert portal.state.snapshot()["slow_file_next"] == {}
    bad = {"slow_file_next": {"po": "10000004", "ms": 5}}
    assert client.request(portal.base_url + "/__control", json_body=bad).status == 400


def test_a_held_file_request_whose_client_hangs_up_ends_at_once_and_is_told_incomplete(
    client: Client, portal: RunningPortal, events: Events
) -> None:
    """A browser that gave up on a held download (or was closed) ends the hold: the portal tells of it
    now, sending nothing, instead of answering minutes later (a complete download then, when a later
    test is already watching the portal's downloads)."""
    body = {"slow_file_next": {"po": "10000004", "index": 1, "ms": 600_000, "count": 1}}
    assert client.request(portal.base_url + "/__control", json_body=body).status == 200
    leaver = http.client.HTTPConnection("127.0.0.1", portal.port, timeout=5)
    leaver.request(
        "GET",
        "/attachment_files/10000004/1/download",
        headers={"Cookie": f"coupa_session={client.session_cookie()}"},
    )
    events.wait_for(lambda e: e["event"] == "control" and "slow_file_next" in e["applied"])
    leaver.close()
    told = events.wait_for(lambda e: e["event"] == "download" and e["po"] == "10000004")
    assert (told["index"], told["bytes"], told["complete"]) == (1, 0, False)


def test_control_rejects_unknown_keys_and_bad_values(portal: RunningPortal) -> None:
    anyone = Client()
    assert anyone.request(portal.base_url + "/__control", json_body={"bogus": 1}).status == 400
    assert anyone.request(portal.base_url + "/__control", json_body={"latency_ms": -5}).status == 400
    bad_status = {"fail_next": {"po": "10000001", "status": 404}}
    assert anyone.request(portal.base_url + "/__control", json_body=bad_status).status == 400
    bad_delay = {"slow_next": {"po": "10000001", "ms": -1}}
    assert anyone.request(portal.base_url + "/__control", json_body=bad_delay).status == 400


def test_expire_sessions_sends_next_request_to_sign_in(
    client: Client, portal: RunningPortal, events: Events
) -> None:
    url = portal.base_url + "/order_headers/10000001"
    assert client.request(url).status == 200
    state = client.request(portal.base_url + "/__control", json_body={"expire_sessions": True}).json()
    assert state["sessions"] == 0
    events.wait_for(lambda e: e["event"] == "control" and e["applied"] == {"expire_sessions": True})
    expired = client.request(url)
    assert expired.status == 302 and expired.headers["Location"].startswith(f"{portal.idp_url}/sso/login?")
    assert client.sign_in(portal).status == 200


def test_rotate_session_gives_each_document_page_a_new_session_and_ends_the_old(
    client: Client, portal: RunningPortal
) -> None:
    url = portal.base_url + "/order_headers/10000001"
    first = client.session_cookie()
    client.request(portal.base_url + "/__control", json_body={"rotate_session": 1})
    page = client.request(url)
    second = client.session_cookie()
    assert page.status == 200 and "HttpOnly" in page.headers["Set-Cookie"] and second not in (None, first)
    stale = Client()
    stale.jar.set_cookie(next(c for c in client.jar if c.value == second))
    assert client.request(portal.base_url + "/order_headers/20000001").status == 200  # not found: rotates too
    assert client.session_cookie() not in (None, first, second)
    assert stale.request(url).status == 302  # the old session ended
    assert portal.state.snapshot()["rotations"] == 2 and portal.state.snapshot()["sessions"] == 1


def test_state_counts_pages_and_completed_downloads(client: Client, portal: RunningPortal) -> None:
    for _ in range(2):
        client.request(portal.base_url + "/order_headers/10000002")
    client.request(portal.base_url + "/api/order_headers/10000002/attachments")
    client.request(portal.base_url + "/attachment_files/10000002/1/download")
    # The server counts a download once its handler has written the last byte, which can be just after
    # the client has read it: wait for that, within a bound.
    deadline = time.monotonic() + 5
    while True:
        state = Client().request(portal.base_url + "/__state").json()
        if state["downloads_completed"] or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert state["page_hits"] == {"10000001": 1, "10000002": 2}
    assert state["api_hits"] == {"10000002": 1}
    assert state["downloads_completed"] == {"10000002/1": 1}
    assert state["knobs"] == {
        "latency_ms": 0,
        "file_latency_ms": 0,
        "render_ms": 0,
        "late_item_ms": 0,
        "native_sign_in": 0,
        "rotate_session": 0,
    }
    assert state["sessions"] == 1
    reset = client.request(
        portal.base_url + "/__control", json_body={"reset_counts": True, "render_ms": 120}
    ).json()
    assert reset["page_hits"] == {} and reset["knobs"]["render_ms"] == 120
    started = time.monotonic()
    client.request(portal.base_url + "/api/order_headers/10000002/attachments")
    assert time.monotonic() - started >= 0.12


# --- the subprocess entry point -----------------------------------------------------------------------


def test_portal_process_prints_url_and_logs_json_lines(tmp_path: Any) -> None:
    log_file = tmp_path / "portal.jsonl"
    with PortalProcess(render_ms=0, latency_ms=0, log_file=log_file) as proc:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", proc.url)
        mark = proc.mark()
        reply = Client().request(proc.url + "/order_headers/10000004")
        assert reply.status == 302
        event = proc.wait_for(lambda e: e.get("po") == "10000004", since=mark)
        assert event["event"] == "request" and event["status"] == 302 and event["session"] is False
        assert proc.control(latency_ms=5)["knobs"]["latency_ms"] == 5
        proc.wait_for(lambda e: e["event"] == "control")
        assert proc.state()["knobs"]["latency_ms"] == 5
        with pytest.raises(TimeoutError, match="no matching portal event"):
            proc.wait_for(lambda e: e.get("po") == "nope", timeout=0.2)
    assert proc.returncode == 0
    logged = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    assert logged == proc.lines()


# --- variants -----------------------------------------------------------------------------------------


class _Markup(HTMLParser):
    """The attachment spans and comment links of one HTML text, as a browser would see the attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.spans: list[dict[str, str]] = []
        self.comment_links: list[str] = []
        self._in_comment_box = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "span" and values.get("role") == "button":
            self.spans.append(values)
        elif tag == "div":
            self._in_comment_box = "commentAttachments" in values.get("class", "")
        elif tag == "a" and self._in_comment_box and "attachment_file" in values.get("href", ""):
            self.comment_links.append(values["href"])


def _config(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="attachments_config">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found.group(1))


def _embedded(html: str) -> list[dict[str, Any]]:
    return json.loads(base64.b64decode(_config(html)["data"]).decode("utf-8"))["attachments"]


def _flash(html: str) -> str:
    found = re.search(r'<div class="flash_error">(.*?)</div>', html, re.S)
    assert found is not None, html
    return found.group(1)


def _expected_items(digits: str) -> list[dict[str, Any]]:
    return [
        {"index": a.index, "name": a.name, "kind": a.kind, "size": a.size, "url": a.url_path}
        for a in catalog.attachments_for(digits)
    ]


@pytest.fixture
def varied(request: pytest.FixtureRequest, events: Events) -> Iterator[tuple[RunningPortal, Client]]:
    """A signed-in client on a portal running the variant named by the test's parameter."""
    running = start_portal(render_ms=0, variant=request.param, sink=events)
    try:
        signed_in = Client()
        assert signed_in.sign_in(running).status == 200
        yield running, signed_in
    finally:
        running.stop()


ALL_VARIANTS = pytest.mark.parametrize("varied", list(VARIANTS), indirect=True)


def test_named_variants_and_their_axes() -> None:
    axes = {
        name: (
            v.render,
            v.span_style,
            v.comments,
            v.empty_state,
            v.error_layout,
            v.error_http,
            v.banner,
            v.lang,
        )
        for name, v in VARIANTS.items()
    }
    assert axes == {
        "classic": ("xhr", "click", "with_items", True, "bare", 200, False, "en"),
        "immediate": ("immediate", "mixed", "first_html", True, "full", 404, True, "en"),
        "timer": ("timer", "click", "first_html", False, "full", 200, True, "en"),
        "data-url": ("xhr", "data_url", "first_html", True, "bare", 404, False, "en"),
        "gap": ("xhr_gap", "mixed", "with_items", False, "full", 200, True, "en"),
        "pt-br": ("timer", "data_url", "first_html", True, "full", 200, True, "pt"),
        "served": ("immediate", "data_url", "first_html", True, "full", 404, True, "en"),
    }
    assert VARIANTS["classic"] is CLASSIC and CLASSIC.empty_text == "None"
    assert [VARIANTS["data-url"].url_attribute(n) for n in range(4)] == [
        "data-url",
        "data-href",
        "data-download-url",
        "data-url",
    ]
    assert [VARIANTS["gap"].url_attribute(n) for n in range(3)] == ["data-url", None, "data-url"]
    assert VARIANTS["timer"].url_attribute(0) is None
    assert [timer_delay_ms(d) for d in ("30000006", "10000003", "10000001")] == [1000, 2000, 3000]
    assert timer_delay_ms("20000014", 4000) == 6000
    assert pages._TEXTS["en"].keys() == pages._TEXTS["pt"].keys()
    with pytest.raises(
        ValueError, match="valid variants: classic, immediate, timer, data-url, gap, pt-br, served"
    ):
        variant_named("nope")
    with pytest.raises(ValueError, match="unknown variant"):
        start_portal(variant="nope")


@ALL_VARIANTS
def test_variant_po_page_first_html(varied: tuple[RunningPortal, Client]) -> None:
    portal, client = varied
    variant = portal.state.variant
    immediate = variant.render == "immediate"
    html = client.request(portal.base_url + "/order_headers/20000007").text
    markup = _Markup(html)
    # What every variant keeps: the number in title and h1, the markers, the supplier, the toolbar.
    assert re.search(r"<title>[^<]*#20000007 - Coupa</title>", html)
    h1 = re.search(r'<h1 class="page_title">(.*?)</h1>', html)
    assert h1 is not None and "#20000007" in h1.group(1)
    assert 'id="order_header_requisition_header"' in html
    assert 'data-supplier-name="Duplicate Names Inc.">Duplicate Names Inc.</span>' in html
    assert 'class="page_buttons_right orderHeaderShowFloatingSection floatingSectionOnTop"' in html
    heading = "Anexos" if variant.lang == "pt" else "Attachments"
    section = html.split('id="attachments_section">')[1].split("</section>")[0]
    assert section.startswith(f"<h2>{heading} ")
    # What differs: spans in the first HTML, the spinner, the API call, early comment links.
    assert len(markup.spans) == (2 if immediate else 0)
    assert _Markup(section).spans == markup.spans  # the spans sit inside the attachments section
    assert ('<div class="loading" aria-busy="true">' in html) is variant.uses_api
    assert ("/api/order_headers/20000007/attachments" in html) is variant.uses_api
    early = variant.comments == "first_html" or immediate
    assert markup.comment_links == (["/attachment_files/20000007/3/download"] if early else [])
    config = _config(html)
    assert (config["render"], config["span_style"], config["comments"]) == (
        variant.render,
        variant.span_style,
        variant.comments,
    )
    if variant.uses_api:
        assert config["data"] is None
    else:
        assert _embedded(html) == _expected_items("20000007")
    # Outside the spans of an immediate page, no file name or URL is in the page source.
    other = client.request(portal.base_url + "/order_headers/10000003").text
    assert ("Nota Fiscal 3.pdf" in other) is immediate
    assert ("/attachment_files/" in other) is immediate
    assert Client().request(portal.base_url + "/order_headers/20000007").status == 302


@ALL_VARIANTS
def test_variant_empty_state(varied: tuple[RunningPortal, Client]) -> None:
    portal, client = varied
    variant = portal.state.variant
    html = client.request(portal.base_url + "/order_headers/20000005").text
    expected = {
        "classic": "None",
        "immediate": "No attachments",
        "data-url": "No attachments",
        "served": "No attachments",
    }.get(variant.name, "Nenhum anexo" if variant.name == "pt-br" else "")
    assert _config(html)["empty"] == expected
    listing = html.split('id="attachments_list">')[1].split("</div>")[0]
    if variant.render == "immediate":
        assert listing == f'<span class="none">{expected}</span>'
    else:
        assert listing == ""


def test_immediate_mixed_spans_carry_data_url_on_even_positions(
    events: Events,
) -> None:
    running = start_portal(render_ms=0, variant="immediate", sink=events)
    try:
        client = Client()
        client.sign_in(running)
        html = client.request(running.base_url + "/order_headers/20000010").text
        spans = _Markup(html).spans
        atts = catalog.attachments_for("20000010")
        assert [s["aria-label"] for s in spans] == [a.name + " file attachment" for a in atts]
        assert [s["title"] for s in spans] == [a.name for a in atts]
        for position, (span, att) in enumerate(zip(spans, atts, strict=True)):
            data = {k: v for k, v in span.items() if k.startswith("data-")}
            if position % 2:
                assert data == {}
            else:
                assert data == {"data-url": att.url_path}
                reply = client.request(running.base_url + data["data-url"])
                assert reply.status == 200 and reply.body == catalog.file_bytes("20000010", att.index)
        assert running.state.snapshot()["api_hits"] == {}
    finally:
        running.stop()


def test_data_url_spans_rotate_three_attributes_that_all_download(events: Events) -> None:
    # The data-url variants render through the page script; the same rule, server-side, is checkable here.
    running = start_portal(
        render_ms=0, variant=Variant("probe", render="immediate", span_style="data_url"), sink=events
    )
    try:
        client = Client()
        client.sign_in(running)
        page_url = running.base_url + "/order_headers/20000012"
        markup = _Markup(client.request(page_url).text)
        files = [a for a in catalog.attachments_for("20000012") if a.kind == "file"]
        assert len(markup.spans) == len(files) == 7
        seen = []
        for position, (span, att) in enumerate(zip(markup.spans, files, strict=True)):
            ((attribute, url),) = [(k, v) for k, v in span.items() if k.startswith("data-")]
            assert attribute == DATA_URL_ATTRIBUTES[position % 3]
            assert url == span_url(attribute, att.url_path, running.base_url)
            assert "attachment_file" in url
            seen.append(attribute)
            reply = client.request(urljoin(page_url, url))
            assert reply.status == 200 and reply.body == catalog.file_bytes("20000012", att.index)
        assert set(seen) == {"data-url", "data-href", "data-download-url"}
        assert markup.spans[1]["data-href"].endswith("/download?disposition=attachment")
        assert markup.spans[2]["data-download-url"].startswith(running.base_url + "/attachment_files/")
        assert markup.comment_links == ["/attachment_files/20000012/8/download"]
    finally:
        running.stop()


@pytest.mark.parametrize("varied", ["timer", "pt-br"], indirect=True)
def test_timer_variant_embeds_data_and_never_calls_the_api(varied: tuple[RunningPortal, Client]) -> None:
    portal, client = varied
    for digits in ("10000003", "20000014", "30000006"):
        path = "requisition_headers" if digits.startswith("3") else "order_headers"
        html = client.request(f"{portal.base_url}/{path}/{digits}").text
        config = _config(html)
        assert config["render"] == "timer" and config["api"] is None
        extra = catalog.document(digits).extra_render_ms if path == "order_headers" else 0
        assert config["delay_ms"] == timer_delay_ms(digits, extra)
        assert _embedded(html) == _expected_items(digits)
        markup = re.sub(r"<script>.*?</script>", "", html, flags=re.S)  # the shared page script aside
        assert "/api/" not in html and "aria-busy" not in markup and 'class="loading"' not in markup
    assert _config(client.request(portal.base_url + "/order_headers/10000003").text)["delay_ms"] == 2000
    assert _config(client.request(portal.base_url + "/order_headers/20000014").text)["delay_ms"] == 6000
    assert portal.state.snapshot()["api_hits"] == {}


@pytest.mark.parametrize("varied", ["gap"], indirect=True)
def test_gap_variant_waits_after_the_api(varied: tuple[RunningPortal, Client]) -> None:
    portal, client = varied
    config = _config(client.request(portal.base_url + "/order_headers/10000003").text)
    assert config["render"] == "xhr_gap" and config["gap_ms"] == GAP_MS == 900
    assert config["api"] == "/api/order_headers/10000003/attachments"
    api = client.request(portal.base_url + config["api"])
    assert [i["url"] for i in api.json()["attachments"]] == [i["url"] for i in _expected_items("10000003")]


@ALL_VARIANTS
def test_variant_error_pages_status_and_layout(varied: tuple[RunningPortal, Client]) -> None:
    portal, client = varied
    variant = portal.state.variant
    pt = variant.lang == "pt"
    not_found = (
        "Desculpe, não encontramos o que você procurava" if pt else "Oops! We couldn't find what you wanted"
    )
    no_access = (
        "Você não tem permissão para acessar esta página"
        if pt
        else "You are not authorized to view this page"
    )
    cases = [
        ("/order_headers/20000001", variant.not_found_status(), not_found),
        ("/order_headers/12x", variant.not_found_status(), not_found),
        ("/order_headers/20000002", variant.no_access_status(), no_access),
        (
            "/order_headers/20000003",
            variant.no_access_status(),
            "Você não tem permissão para acessar esta página",
        ),
        ("/requisition_headers/30000099", variant.not_found_status(), not_found),
    ]
    assert (variant.not_found_status(), variant.no_access_status()) == (
        (404, 403) if variant.error_http == 404 else (200, 200)
    )
    for path, status, phrase in cases:
        reply = client.request(portal.base_url + path)
        assert reply.status == status, path
        html = reply.text
        assert phrase in _flash(html)
        digits = path.rsplit("/", 1)[1]
        assert digits not in html and "order_header_requisition_header" not in html
        assert "aria-busy" not in html and "data-supplier-name" not in html and "attachment_file" not in html
        title = re.search(r"<title>(.*?)</title>", html)
        assert title is not None and "#" not in title.group(1)
        if variant.error_layout == "full":
            requisition = path.startswith("/requisition_headers/")
            kind = "requisition" if requisition else "order"
            assert f'<body class="{kind}_headers show">' in html
            toolbar = "requisitionHeader" if requisition else "orderHeader"
            assert f'class="page_buttons_right {toolbar}ShowFloatingSection floatingSectionOnTop"' in html
            assert '<div class="attachments" id="attachments_list"></div>' in html
            assert '<span class="supplier-name"></span>' in html
            assert html.count("<section") >= 3
        else:
            assert 'class="page_buttons_right' not in html and "<section" not in html
        if phrase == no_access and variant.error_layout == "full":
            assert "<h1>" not in _flash(html)  # just text inside div.flash_error
    assert client.request(portal.base_url + "/no/such/route").status == 404
    assert client.request(portal.base_url + "/attachment_files/10000001/9/download").status == 404


@ALL_VARIANTS
def test_variant_banner_on_every_layout_page(varied: tuple[RunningPortal, Client]) -> None:
    portal, client = varied
    variant = portal.state.variant
    phrases = (
        ['"Página não encontrada"', '"Você não tem permissão"']
        if variant.lang == "pt"
        else ['"Page Not Found"', '"Oops! We couldn\'t find what you wanted"', '"You are not authorized"']
    )
    for path in (
        "/user/home",
        "/order_headers",
        "/order_headers/10000003",
        "/requisition_headers/30000006",
        "/order_headers/20000001",
        "/order_headers/20000002",
        "/help/attachment_policy",
    ):
        html = client.request(portal.base_url + path).text
        banner = re.search(r'<div class="announcement" role="status"[^>]*>(.*?)</div>', html)
        assert (banner is not None) is variant.banner, path
        if banner is not None:
            assert all(p in banner.group(1) for p in phrases)
            assert html.index("announcement") > html.index('<div id="main_content">')
        if 'class="flash_error"' in html:
            assert "announcement" not in _flash(html)
        assert html.index('<div id="top_nav">') < html.index('<div id="flash_messages">')


@ALL_VARIANTS
def test_special_pos_behave_the_same_in_every_variant(
    varied: tuple[RunningPortal, Client],
) -> None:
    portal, client = varied
    notice = client.request(portal.base_url + "/order_headers/20000004").text
    assert f'<div class="notice">{catalog.MAINTENANCE_NOTICE}</div>' in notice
    modal = client.request(portal.base_url + "/order_headers/20000013").text
    assert '<div role="dialog" aria-modal="true"' in modal and 'data-dismiss="modal"' in modal
    po = client.request(portal.base_url + "/order_headers/20000006").text
    assert '<a href="/requisition_headers/30000006">' in po
    req = client.request(portal.base_url + "/requisition_headers/30000006")
    assert req.status == 200 and re.search(r"<title>[^<]*#30000006 - Coupa</title>", req.text)
    assert '<a href="/order_headers/20000006">' in req.text and "#30000006</span></h1>" in req.text
    assert client.request(portal.base_url + "/order_headers/20000009").status == 500
    client.request(portal.base_url + "/__control", json_body={"fail_next": {"po": "10000005", "status": 503}})
    assert client.request(portal.base_url + "/order_headers/10000005").status == 503
    assert client.request(portal.base_url + "/order_headers/10000005").status == 200
    for att in catalog.attachments_for("20000007"):
        assert client.request(portal.base_url + att.url_path).body == catalog.file_bytes(
            "20000007", att.index
        )
    expected = [a.name for a in catalog.attachments_for("20000012") if a.kind == "file"]
    page = client.request(portal.base_url + "/order_headers/20000012").text
    if portal.state.variant.render == "immediate":
        assert [s["title"] for s in _Markup(page).spans] == expected
    elif not portal.state.variant.uses_api:
        assert [i["name"] for i in _embedded(page) if i["kind"] == "file"] == expected


def test_pt_br_variant_texts() -> None:
    pt = VARIANTS["pt-br"]
    po = pages.po_page(catalog.document("10000003"), pt, "http://127.0.0.1:1")
    assert '<html lang="pt-BR">' in po and "<title>Pedido #10000003 - Coupa</title>" in po
    h1 = re.search(r'<h1 class="page_title">(.*?)</h1>', po)
    assert h1 is not None and re.sub(r"<[^>]+>", "", h1.group(1)) == "Pedido de compra #10000003"
    assert "<h2>Anexos " in po and "<h2>Comentários</h2>" in po and "<label>Fornecedor</label>" in po
    assert '<a href="/requisition_headers/40000003">' in po
    req = pages.requisition_page(catalog.requisition("30000006"), pt)
    assert "<title>Requisição #30000006 - Coupa</title>" in req and '<html lang="pt-BR">' in req
    assert "Desculpe, não encontramos o que você procurava" in _flash(
        pages.not_found_page(pt, document_page=True)
    )
    assert "Você não tem permissão para acessar esta página" in _flash(pages.not_authorized_page(False, pt))
    assert _config(pages.po_page(catalog.document("20000005"), pt))["empty"] == "Nenhum anexo"
    loading = pages.po_page(catalog.document("10000003"), Variant("pt-xhr", lang="pt"))
    assert '<div class="loading" aria-busy="true">Carregando anexos…</div>' in loading
    now = pages.po_page(catalog.document("10000003"), Variant("pt-now", render="immediate", lang="pt"))
    labels = [s["aria-label"] for s in _Markup(now).spans]
    assert labels == [a.name + " file attachment" for a in catalog.attachments_for("10000003")]


def test_control_switches_variant_at_run_time(client: Client, portal: RunningPortal) -> None:
    control = portal.base_url + "/__control"
    page = portal.base_url + "/order_headers/10000003"
    assert Client().request(portal.base_url + "/__state").json()["variant"] == "classic"
    assert _config(client.request(page).text)["render"] == "xhr"
    switched = client.request(control, json_body={"variant": "timer"})
    assert switched.status == 200 and switched.json()["variant"] == "timer"
    assert _config(client.request(page).text)["render"] == "timer"
    rejected = client.request(control, json_body={"variant": "bogus", "render_ms": 55})
    assert rejected.status == 400
    assert all(name in rejected.json()["error"] for name in VARIANTS)
    assert client.request(control, json_body={"variant": 3}).status == 400
    state = client.request(portal.base_url + "/__state").json()
    assert state["variant"] == "timer" and state["knobs"]["render_ms"] == 0
    assert client.request(control, json_body={"variant": "classic"}).json()["variant"] == "classic"
    assert 'aria-busy="true"' in client.request(page).text


def test_variant_cli_flag_and_portal_process() -> None:
    with pytest.raises(SystemExit):
        portal_main._parse_args(["--variant", "bogus"])
    assert portal_main._parse_args([]).variant == "classic"
    with PortalProcess(render_ms=0, variant="gap") as proc:
        assert proc.state()["variant"] == "gap"
        assert proc.control(variant="pt-br")["variant"] == "pt-br"


def test_deny_access_makes_a_company_of_pos_not_authorised_until_granted(
    client: Client, portal: RunningPortal
) -> None:
    control = portal.base_url + "/__control"
    page = portal.base_url + "/order_headers/10000003"
    other = portal.base_url + "/order_headers/10000004"
    assert "You are not authorized" not in client.request(page).text
    denied = client.request(control, json_body={"deny_access": ["10000003"]})
    assert denied.status == 200 and denied.json()["deny_access"] == ["10000003"]
    assert "You are not authorized to view this page" in client.request(page).text
    assert "You are not authorized" not in client.request(other).text
    assert client.request(control, json_body={"deny_access": "10000003"}).status == 400
    assert client.request(control, json_body={"deny_access": ["PO1"]}).status == 400
    assert client.request(control, json_body={"deny_access": None}).json()["deny_access"] == []
    assert "You are not authorized" not in client.request(page).text
