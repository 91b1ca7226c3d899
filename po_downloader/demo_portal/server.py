"""A local, stdlib-only HTTP server that behaves like Coupa plus an SSO identity provider.

The portal answers on ``http://<host>:<port>`` and the identity provider on ``http://localhost:<port>``:
the same socket, but a different host for the browser, so cookies stay separate as with a real SSO host.
Behaviour can be changed while it runs through ``POST /__control`` (see :meth:`PortalState.apply_control`);
the markup/timing profile of every page is the portal-wide variant (see :mod:`.variants`).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import select
import socket
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from po_downloader.demo_portal import catalog, pages
from po_downloader.demo_portal.catalog import Attachment, Document, PageKind
from po_downloader.demo_portal.variants import CLASSIC, Variant, variant_named

log = logging.getLogger(__name__)

EventSink = Callable[[dict[str, Any]], None]

SESSION_COOKIE = "coupa_session"
SESSION_MAX_AGE = 30 * 24 * 3600
IDP_HOST = "localhost"
STALL_MAX_S = 120.0
FAIL_STATUSES = frozenset({403, 429, 500, 502, 503})
"""What ``fail_next`` can answer; 403 is a CDN's bare "Access Denied … Reference #18…" page, not Coupa's."""
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Knobs:
    """Delays that tests and the benchmark tune, in milliseconds."""

    latency_ms: int = 0
    file_latency_ms: int = 0
    render_ms: int = 300
    late_item_ms: int = 0
    native_sign_in: int = 0
    """1: a request without a session goes to the portal's own sign-in form (same origin) instead of the
    identity provider: a file link then answers with a page the browser may save as a download."""
    """> 0: every page's script adds one more file span that long after load (see ``pages.po_page``)."""
    rotate_session: int = 0
    """> 0: every PO or requisition page answer sets a new session cookie and ends the old session (a
    portal that rotates its session cookie: a client that keeps the old one is signed out)."""


class ControlError(ValueError):
    """A ``/__control`` body the portal does not understand."""


class PortalState:
    """Everything the handlers share; one lock guards it because handler threads run concurrently."""

    def __init__(self, knobs: Knobs, variant: Variant = CLASSIC) -> None:
        self._lock = threading.Lock()
        self._knobs = knobs
        self._variant = variant
        self._sessions: set[str] = set()
        self._sign_ins = 0
        self._rotations = 0
        self._page_hits: Counter[str] = Counter()
        self._api_hits: Counter[str] = Counter()
        self._downloads_completed: Counter[str] = Counter()
        self._downloads_cut: Counter[str] = Counter()
        self._fail_next: dict[str, list[int]] = {}
        self._slow_next: dict[str, list[int]] = {}
        self._slow_file_next: dict[str, list[int]] = {}
        self._denied: set[str] = set()

    @property
    def knobs(self) -> Knobs:
        with self._lock:
            return self._knobs

    @property
    def variant(self) -> Variant:
        with self._lock:
            return self._variant

    def issue_session(self) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions.add(token)
            self._sign_ins += 1
        return token

    def rotate(self, token: str | None) -> str | None:
        """A new session in place of ``token``'s, which ends now; None when ``token`` is no session."""
        with self._lock:
            if token is None or token not in self._sessions:
                return None
            self._sessions.discard(token)
            fresh = secrets.token_urlsafe(24)
            self._sessions.add(fresh)
            self._rotations += 1
            return fresh

    def is_valid(self, token: str | None) -> bool:
        with self._lock:
            return token is not None and token in self._sessions

    def count_page(self, digits: str) -> None:
        with self._lock:
            self._page_hits[digits] += 1

    def count_api(self, digits: str) -> None:
        with self._lock:
            self._api_hits[digits] += 1

    def count_download(self, digits: str, index: int, complete: bool) -> None:
        with self._lock:
            (self._downloads_completed if complete else self._downloads_cut)[f"{digits}/{index}"] += 1

    def take_failure(self, digits: str) -> int | None:
        """The status to fail this page request with, consuming one of the planned failures."""
        with self._lock:
            planned = self._fail_next.get(digits)
            if planned is None:
                return None
            status, remaining = planned
            if remaining <= 1:
                del self._fail_next[digits]
            else:
                planned[1] = remaining - 1
            return status

    def take_delay(self, digits: str) -> float:
        """Seconds to hold this page request back (longer than the client waits: a page that times out),
        consuming one of the planned slow answers; 0 when none is planned."""
        with self._lock:
            planned = self._slow_next.get(digits)
            if planned is None:
                return 0.0
            ms, remaining = planned
            if remaining <= 1:
                del self._slow_next[digits]
            else:
                planned[1] = remaining - 1
            return ms / 1000

    def take_file_delay(self, digits: str, index: int) -> float:
        """Seconds to hold this file request back before any header is sent (a download that is slow to
        begin), consuming one of the planned slow starts; 0 when none is planned."""
        with self._lock:
            key = f"{digits}/{index}"
            planned = self._slow_file_next.get(key)
            if planned is None:
                return 0.0
            ms, remaining = planned
            if remaining <= 1:
                del self._slow_file_next[key]
            else:
                planned[1] = remaining - 1
            return ms / 1000

    def denied(self, digits: str) -> bool:
        """This PO's page answers "not authorised" (``deny_access``): a company the user has no rights in."""
        with self._lock:
            return digits in self._denied

    def apply_control(self, body: dict[str, Any]) -> dict[str, Any]:
        """Apply knob changes and actions; returns what was applied.

        Keys: ``latency_ms``, ``file_latency_ms``, ``render_ms``, ``late_item_ms``, ``native_sign_in``, ``rotate_session`` (ints ≥ 0);
        ``expire_sessions`` (true drops
        every session issued so far); ``fail_next`` (a dict or list of dicts ``{"po", "status", "count"}``;
        ``null`` clears them); ``slow_next`` (the same with ``{"po", "ms", "count"}``: the next ``count`` page
        requests of that PO answer only after ``ms``); ``slow_file_next`` (``{"po", "index", "ms", "count"}``: the next
        ``count`` requests of that attachment send their headers only after ``ms``, so the browser's download
        begins late; ``null`` clears them); ``deny_access`` (a list of PO numbers whose pages answer "not
        authorised" from now on, as a company the user has no rights in; ``null`` or ``[]`` grants them
        again); ``reset_counts`` (true zeroes the hit and download counters); ``variant`` (the
        name of a :data:`~.variants.VARIANTS` entry; pages served from then on use it).
        Nothing is applied unless the whole body is valid.
        """
        unknown = set(body) - {
            *asdict(Knobs()),
            "expire_sessions",
            "fail_next",
            "slow_next",
            "slow_file_next",
            "deny_access",
            "reset_counts",
            "variant",
        }
        if unknown:
            raise ControlError(f"unknown control keys: {sorted(unknown)}")
        changes = {k: _non_negative_int(k, v) for k, v in body.items() if k in asdict(Knobs())}
        failures = _parse_fail_next(body["fail_next"]) if body.get("fail_next") is not None else []
        delays = _parse_slow_next(body["slow_next"]) if body.get("slow_next") is not None else []
        file_delays = (
            _parse_slow_file_next(body["slow_file_next"]) if body.get("slow_file_next") is not None else []
        )
        variant = _parse_variant(body["variant"]) if "variant" in body else None
        denied = _parse_deny(body["deny_access"]) if "deny_access" in body else None
        with self._lock:
            if denied is not None:
                self._denied = denied
            self._knobs = replace(self._knobs, **changes)
            if variant is not None:
                self._variant = variant
            if body.get("expire_sessions"):
                self._sessions.clear()
            if "fail_next" in body and body["fail_next"] is None:
                self._fail_next.clear()
            for digits, status, count in failures:
                if count > 0:
                    self._fail_next[digits] = [status, count]
                else:
                    self._fail_next.pop(digits, None)
            if "slow_next" in body and body["slow_next"] is None:
                self._slow_next.clear()
            for digits, ms, count in delays:
                if count > 0:
                    self._slow_next[digits] = [ms, count]
                else:
                    self._slow_next.pop(digits, None)
            if "slow_file_next" in body and body["slow_file_next"] is None:
                self._slow_file_next.clear()
            for key, ms, count in file_delays:
                if count > 0:
                    self._slow_file_next[key] = [ms, count]
                else:
                    self._slow_file_next.pop(key, None)
            if body.get("reset_counts"):
                for counter in (
                    self._page_hits,
                    self._api_hits,
                    self._downloads_completed,
                    self._downloads_cut,
                ):
                    counter.clear()
        return body

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "page_hits": dict(self._page_hits),
                "api_hits": dict(self._api_hits),
                "downloads_completed": dict(self._downloads_completed),
                "downloads_cut": dict(self._downloads_cut),
                "knobs": asdict(self._knobs),
                "variant": self._variant.name,
                "fail_next": {d: {"status": s, "remaining": n} for d, (s, n) in self._fail_next.items()},
                "slow_next": {d: {"ms": ms, "remaining": n} for d, (ms, n) in self._slow_next.items()},
                "slow_file_next": {
                    f: {"ms": ms, "remaining": n} for f, (ms, n) in self._slow_file_next.items()
                },
                "deny_access": sorted(self._denied),
                "sessions": len(self._sessions),
                "sign_ins": self._sign_ins,
                "rotations": self._rotations,
            }


def _parse_deny(value: Any) -> set[str]:
    if value is None:
        return set()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.isdigit() for v in value):
        raise ControlError("deny_access must be a list of PO numbers (digits) or null")
    return set(value)


def _non_negative_int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ControlError(f"{key} must be a number >= 0, got {value!r}")
    return int(value)


def _parse_variant(value: Any) -> Variant:
    try:
        return variant_named(value)
    except ValueError as exc:
        raise ControlError(str(exc)) from None


def _parse_fail_next(value: Any) -> list[tuple[str, int, int]]:
    items = value if isinstance(value, list) else [value]
    parsed = []
    for item in items:
        if not isinstance(item, dict) or not str(item.get("po", "")).isdigit():
            raise ControlError(f"fail_next needs {{'po': digits, 'status': int, 'count': int}}, got {item!r}")
        status = int(item.get("status", 500))
        if status not in FAIL_STATUSES:
            raise ControlError(f"fail_next status must be one of {sorted(FAIL_STATUSES)}")
        parsed.append((str(item["po"]), status, _non_negative_int("count", item.get("count", 1))))
    return parsed


def _parse_slow_next(value: Any) -> list[tuple[str, int, int]]:
    items = value if isinstance(value, list) else [value]
    parsed = []
    for item in items:
        if not isinstance(item, dict) or not str(item.get("po", "")).isdigit():
            raise ControlError(f"slow_next needs {{'po': digits, 'ms': int, 'count': int}}, got {item!r}")
        ms = _non_negative_int("ms", item.get("ms", 0))
        parsed.append((str(item["po"]), ms, _non_negative_int("count", item.get("count", 1))))
    return parsed


def _parse_slow_file_next(value: Any) -> list[tuple[str, int, int]]:
    items = value if isinstance(value, list) else [value]
    parsed = []
    for item in items:
        if (
            not isinstance(item, dict)
            or not str(item.get("po", "")).isdigit()
            or not str(item.get("index", "")).isdigit()
        ):
            raise ControlError(
                f"slow_file_next needs {{'po': digits, 'index': int, 'ms': int, 'count': int}}, got {item!r}"
            )
        ms = _non_negative_int("ms", item.get("ms", 0))
        key = f"{item['po']}/{int(item['index'])}"
        parsed.append((key, ms, _non_negative_int("count", item.get("count", 1))))
    return parsed


def ascii_fallback(name: str) -> str:
    """The plain ``filename=`` value for clients that ignore ``filename*``."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    text = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in text)
    return text or "download"


def content_disposition(name: str) -> str:
    return f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


class PortalServer(ThreadingHTTPServer):
    """Threaded server; handler threads are daemons and never joined, so stalled downloads cannot block stop."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: PortalState, sink: EventSink) -> None:
        super().__init__(address, PortalHandler)
        self.state = state
        self.sink = sink
        self.stopping = threading.Event()
        self._sink_lock = threading.Lock()
        bound_host = str(self.server_address[0])
        self.portal_host = "127.0.0.1" if bound_host in ("0.0.0.0", "") else bound_host
        self.port = int(self.server_address[1])

    @property
    def portal_origin(self) -> str:
        return f"http://{self.portal_host}:{self.port}"

    @property
    def idp_origin(self) -> str:
        return f"http://{IDP_HOST}:{self.port}"

    def emit(self, event: dict[str, Any]) -> None:
        with self._sink_lock:
            try:
                self.sink(event)
            except Exception:  # a broken sink must never break a request
                log.exception("demo portal event sink failed")

    def pause(self, seconds: float) -> bool:
        """Sleep unless the server stops first; True when it is stopping."""
        return self.stopping.wait(seconds) if seconds > 0 else self.stopping.is_set()


_DOC_ROUTE = re.compile(r"^/(order_headers|requisition_headers)/([^/]+)/?$")
_API_ROUTE = re.compile(r"^/api/(order_headers|requisition_headers)/(\d+)/attachments/?$")
_FILE_ROUTE = re.compile(r"^/attachment_files/(\d+)/(\d+)/download/?$")


def _document_digits(route: str) -> str | None:
    """The PO/requisition number a path is about, for the request log."""
    if match := _DOC_ROUTE.match(route) or _API_ROUTE.match(route):
        return match.group(2)
    if match := _FILE_ROUTE.match(route):
        return match.group(1)
    return None


class PortalHandler(BaseHTTPRequestHandler):
    """Routes one request; the portal host needs a session cookie, the IdP host and control routes do not."""

    server: PortalServer
    protocol_version = "HTTP/1.1"
    timeout = 60
    _route = ""
    _host = ""
    _doc: str | None = None
    _has_session = False

    # -- plumbing ------------------------------------------------------------------------------------

    def handle_one_request(self) -> None:
        """Forget the previous request's details on a kept-alive connection before parsing the next."""
        self._route, self._host, self._doc, self._has_session = "", "", None, False
        super().handle_one_request()

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def version_string(self) -> str:
        return "CoupaDemo/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("demo portal: " + format, *args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Called by ``send_response``: one JSON event per answered request."""
        if self._route in ("/__state", "/__control"):
            return
        self.server.emit(
            {
                "event": "request",
                "method": self.command,
                "path": self.path,
                "status": int(code) if isinstance(code, int) else code,
                "po": self._doc,
                "host": self._host,
                "session": self._has_session,
                "t": time.time(),
            }
        )

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        self._route = url.path
        self._query = parse_qs(url.query)
        self._host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        self._doc = _document_digits(self._route)
        self._token = self._session_cookie()
        self._has_session = self.server.state.is_valid(self._token)
        try:
            if self._route == "/__state":
                self._send_json(HTTPStatus.OK, self.server.state.snapshot())
            elif self._route == "/__control":
                self._control()
            elif self._route == "/favicon.ico":
                self._send(HTTPStatus.NOT_FOUND, b"", "image/x-icon")
            elif self._route == "/robots.txt":  # public, as on a real tenant: a page of the host, signed out
                self._send(HTTPStatus.OK, b"User-agent: *\nDisallow: /\n", "text/plain")
            elif self._host == IDP_HOST:
                self._idp()
            else:
                self._portal()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True

    def _session_cookie(self) -> str | None:
        raw = self.headers.get("Cookie")
        if not raw:
            return None
        try:
            morsel = SimpleCookie(raw).get(SESSION_COOKIE)
        except CookieError:
            return None
        return morsel.value if morsel is not None else None

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _form(self) -> dict[str, str]:
        fields = parse_qs(self._read_body().decode("utf-8", "replace"), keep_blank_values=True)
        return {k: v[0] for k, v in fields.items()}

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_html(self, status: int, html: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, html.encode("utf-8"), headers=headers)

    def _send_json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json")

    def _redirect(self, location: str, headers: dict[str, str] | None = None) -> None:
        self._send(HTTPStatus.FOUND, b"", headers={"Location": location, **(headers or {})})

    def _origin(self) -> str:
        """``http://host:port`` as the browser addressed the portal, for absolute URLs in pages."""
        host = (self.headers.get("Host") or "").strip()
        return f"http://{host}" if host else self.server.portal_origin

    def _sso_url(self) -> str:
        original = self.server.portal_origin + self.path
        return f"{self.server.idp_origin}/sso/login?{urlencode({'return': original})}"

    def _safe_return(self, value: str | None) -> str:
        """Only same-portal targets, so the callback is no open redirect."""
        if not value:
            return "/user/home"
        target = urlsplit(value)
        if target.netloc and (target.scheme, target.netloc) != (
            "http",
            f"{self.server.portal_host}:{self.server.port}",
        ):
            return "/user/home"
        if not target.path.startswith("/") or target.path.startswith("//"):
            return "/user/home"
        return target.path + (f"?{target.query}" if target.query else "")

    def _session_headers(self, token: str) -> dict[str, str]:
        return {
            "Set-Cookie": f"{SESSION_COOKIE}={token}; Path=/; Max-Age={SESSION_MAX_AGE}; HttpOnly; SameSite=Lax"
        }

    # -- control -------------------------------------------------------------------------------------

    def _control(self) -> None:
        if self.command != "POST":
            self._send_json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "POST a JSON object"})
            return
        try:
            body = json.loads(self._read_body() or b"{}")
            if not isinstance(body, dict):
                raise ControlError("body must be a JSON object")
            applied = self.server.state.apply_control(body)
        except (ValueError, ControlError) as exc:
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
            return
        self.server.emit({"event": "control", "applied": applied, "t": time.time()})
        self._send_json(HTTPStatus.OK, self.server.state.snapshot())

    # -- identity provider ---------------------------------------------------------------------------

    def _idp(self) -> None:
        if self._route != "/sso/login":
            self._send_html(HTTPStatus.NOT_FOUND, pages.status_page(404))
        elif self.command == "POST":
            form = self._form()
            if not form.get("username", "").strip() or not form.get("password", ""):
                error = "Enter your username and password."
                self._send_html(HTTPStatus.OK, pages.sso_login_page(form.get("return", ""), error))
                return
            token = self.server.state.issue_session()
            query = urlencode({"token": token, "return": form.get("return", "")})
            self._redirect(f"{self.server.portal_origin}/sso/callback?{query}")
        else:
            self._send_html(HTTPStatus.OK, pages.sso_login_page(self._query.get("return", [""])[0]))

    # -- portal --------------------------------------------------------------------------------------

    def _portal(self) -> None:
        route = self._route
        if route == "/sso/callback":
            self._callback()
        elif route in ("/sessions", "/sessions/new") and self.command == "POST":
            self._native_sign_in()
        elif route == "/sessions/new":
            if self._has_session:
                self._redirect("/user/home")
            else:
                self._send_html(HTTPStatus.OK, pages.native_sign_in_page(self._query.get("return", [""])[0]))
        elif not self._has_session:
            self._not_signed_in()
        elif self.command != "GET":
            self._send_html(HTTPStatus.METHOD_NOT_ALLOWED, pages.status_page(405))
        else:
            self._signed_in_get(route)

    def _not_signed_in(self) -> None:
        if _API_ROUTE.match(self._route):
            self._send_json(
                HTTPStatus.UNAUTHORIZED, {"error": "session expired", "login_url": self._sso_url()}
            )
        elif self.server.state.knobs.native_sign_in:
            self._redirect(f"/sessions/new?{urlencode({'return': self.path})}")  # the portal's own form
        else:
            self._redirect(self._sso_url())

    def _callback(self) -> None:
        token = self._query.get("token", [""])[0]
        target = self._safe_return(self._query.get("return", [""])[0])
        if not self.server.state.is_valid(token):
            self._redirect(f"{self.server.idp_origin}/sso/login?{urlencode({'return': target})}")
            return
        self._redirect(target, self._session_headers(token))

    def _native_sign_in(self) -> None:
        form = self._form()
        target = self._safe_return(form.get("return"))
        if not form.get("user[login]", "").strip() or not form.get("user[password]", ""):
            self._send_html(HTTPStatus.OK, pages.native_sign_in_page(target, "Invalid email or password."))
            return
        token = self.server.state.issue_session()
        self._redirect(target, self._session_headers(token))

    def _signed_in_get(self, route: str) -> None:
        variant = self.server.state.variant
        simple: dict[str, Callable[[Variant], str]] = {
            "/user/home": pages.home_page,
            "/order_headers": pages.order_list_page,
            "/requisition_headers": pages.requisition_list_page,
            "/help/attachment_policy": pages.help_page,
        }
        if route in ("/", "/user", "/user/"):
            self._redirect("/user/home")
        elif route.rstrip("/") in simple:
            self._send_html(HTTPStatus.OK, simple[route.rstrip("/")](variant))
        elif match := _DOC_ROUTE.match(route):
            self._document_page(match.group(1) == "requisition_headers", match.group(2))
        elif match := _API_ROUTE.match(route):
            self._attachments_api(match.group(1) == "requisition_headers", match.group(2))
        elif match := _FILE_ROUTE.match(route):
            self._file(match.group(1), int(match.group(2)))
        else:
            self._send_html(HTTPStatus.NOT_FOUND, pages.not_found_page(variant))

    def _lookup(self, is_requisition: bool, digits: str) -> Document:
        if not digits.isdigit():
            return Document(digits, is_requisition, PageKind.NOT_FOUND)
        return catalog.requisition(digits) if is_requisition else catalog.document(digits)

    def _document_page(self, is_requisition: bool, digits: str) -> None:
        self.server.state.count_page(digits)
        if self.server.pause(self.server.state.knobs.latency_ms / 1000):
            return
        if self.server.pause(self.server.state.take_delay(digits)):
            return
        planned = self.server.state.take_failure(digits)
        if planned is not None:
            self._error_status(planned)
            return
        doc = self._lookup(is_requisition, digits)
        variant = self.server.state.variant
        rotated = self._rotated_session()
        if not is_requisition and self.server.state.denied(digits):
            doc = replace(doc, page=PageKind.NOT_AUTHORIZED)
        match doc.page:
            case PageKind.OK:
                # "immediate" has no attachments API to be late, so a late document is a late page.
                if variant.render == "immediate" and self.server.pause(doc.extra_render_ms / 1000):
                    return
                page = pages.requisition_page if is_requisition else pages.po_page
                late = self.server.state.knobs.late_item_ms
                self._send_html(HTTPStatus.OK, page(doc, variant, self._origin(), late), rotated)
            case PageKind.NOT_AUTHORIZED | PageKind.NOT_AUTHORIZED_PT:
                portuguese = doc.page is PageKind.NOT_AUTHORIZED_PT
                html = pages.not_authorized_page(portuguese, variant, is_requisition=is_requisition)
                self._send_html(variant.no_access_status(), html, rotated)
            case PageKind.SERVER_ERROR:
                self._error_status(500, rotated)
            case _:
                html = pages.not_found_page(variant, document_page=True, is_requisition=is_requisition)
                self._send_html(variant.not_found_status(), html, rotated)

    def _rotated_session(self) -> dict[str, str] | None:
        """With ``rotate_session``: the ``Set-Cookie`` of a new session, this request's one ended."""
        if not self.server.state.knobs.rotate_session:
            return None
        fresh = self.server.state.rotate(self._token)
        return self._session_headers(fresh) if fresh else None

    def _error_status(self, status: int, headers: dict[str, str] | None = None) -> None:
        if status == 403:  # a CDN in front of the portal blocked this one request
            reference = f"18.{secrets.token_hex(4)}.{int(time.time())}.{secrets.token_hex(3)}"
            self._send_html(status, pages.cdn_denied_page(self._origin() + self.path, reference))
            return
        if status == 429:
            headers = {**(headers or {}), "Retry-After": "2"}
        self._send_html(status, pages.status_page(status), headers)

    def _attachments_api(self, is_requisition: bool, digits: str) -> None:
        self.server.state.count_api(digits)
        doc = self._lookup(is_requisition, digits)
        delay_ms = self.server.state.knobs.render_ms + doc.extra_render_ms
        if self.server.pause(delay_ms / 1000):
            return
        if doc.page is not PageKind.OK:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        self._send_json(HTTPStatus.OK, {"document": digits, "attachments": pages.api_items(doc)})

    # -- files ---------------------------------------------------------------------------------------

    def _file(self, digits: str, index: int) -> None:
        att = catalog.attachment(digits, index)
        if att is None:
            self._send_html(HTTPStatus.NOT_FOUND, pages.not_found_page(self.server.state.variant))
            return
        delay = self.server.state.take_file_delay(digits, index)
        if delay and self._client_left_during(delay):
            # Told like any other download, so a test waiting for this request's end hears of it now,
            # not minutes later (a late answer could then be taken for a later test's download).
            self.close_connection = True
            self.server.emit(
                {
                    "event": "download",
                    "po": digits,
                    "index": index,
                    "name": att.name,
                    "bytes": 0,
                    "size": att.size,
                    "complete": False,
                    "t": time.time(),
                }
            )
            return
        if self.server.pause(0):
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", att.content_type)
        self.send_header("Content-Length", str(att.size))
        self.send_header("Content-Disposition", content_disposition(att.name))
        self.send_header("Cache-Control", "private, no-store")
        self.end_headers()
        sent = 0
        try:
            sent = self._stream(att, catalog.file_chunks(digits, index))
        finally:
            complete = sent == att.size
            if not complete:
                self.close_connection = True
            self.server.state.count_download(digits, index, complete)
            self.server.emit(
                {
                    "event": "download",
                    "po": digits,
                    "index": index,
                    "name": att.name,
                    "bytes": sent,
                    "size": att.size,
                    "complete": complete,
                    "t": time.time(),
                }
            )

    def _stream(self, att: Attachment, body: Iterable[bytes]) -> int:
        """Write the body (its pieces in order) as the attachment's behaviour says; returns the bytes sent."""
        sent = 0
        try:
            self.wfile.flush()
            if self.server.pause(self.server.state.knobs.file_latency_ms / 1000):
                return sent
            if att.stall:
                self.wfile.write(b"".join(body)[: catalog.STALL_SENT_BYTES])
                sent = catalog.STALL_SENT_BYTES
                self._hold_open(STALL_MAX_S)
                return sent
            for piece in _pieces(body, catalog.LARGE_CHUNK_BYTES if att.chunk_delay_s else _CHUNK):
                self.wfile.write(piece)
                sent += len(piece)
                if att.chunk_delay_s and sent < att.size and self.server.pause(att.chunk_delay_s):
                    return sent
        except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
            log.debug("demo portal: client dropped %s/%s after %d bytes", att.doc, att.index, sent)
        return sent

    def _client_left_during(self, seconds: float) -> bool:
        """Hold this request back ``seconds`` (a download slow to begin); True, early, when the server
        stops or the client hangs up meanwhile (a browser that gave up on it, or was closed)."""
        deadline = time.monotonic() + seconds
        conn: socket.socket = self.connection
        while (left := deadline - time.monotonic()) > 0:
            if self.server.stopping.is_set():
                return True
            readable, _, _ = select.select([conn], [], [], min(0.25, left))
            if not readable:
                continue
            try:
                if not conn.recv(1, socket.MSG_PEEK):
                    return True
            except OSError:
                return True
            return self.server.pause(max(0.0, deadline - time.monotonic()))  # more bytes: wait them out
        return self.server.stopping.is_set()

    def _hold_open(self, limit_s: float) -> None:
        """Keep a stalled response open until the client leaves, the server stops or the limit passes."""
        deadline = time.monotonic() + limit_s
        conn: socket.socket = self.connection
        while not self.server.stopping.is_set() and time.monotonic() < deadline:
            readable, _, _ = select.select([conn], [], [], 0.25)
            if readable:
                try:
                    if not conn.recv(1, socket.MSG_PEEK):
                        return
                except OSError:
                    return


def _pieces(body: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The body cut into writes of at most ``size`` bytes."""
    for data in body:
        for start in range(0, len(data), size):
            yield data[start : start + size]


@dataclass(frozen=True, slots=True)
class RunningPortal:
    """A portal serving in a daemon thread; ``stop()`` releases stalled downloads and closes the socket."""

    server: PortalServer
    thread: threading.Thread

    @property
    def base_url(self) -> str:
        return self.server.portal_origin

    @property
    def idp_url(self) -> str:
        return self.server.idp_origin

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def state(self) -> PortalState:
        return self.server.state

    def stop(self, timeout: float = 5.0) -> None:
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout)


def _log_sink(event: dict[str, Any]) -> None:
    log.debug("demo portal event: %s", event)


def start_portal(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    latency_ms: int = 0,
    file_latency_ms: int = 0,
    render_ms: int = 300,
    variant: str | Variant = CLASSIC.name,
    sink: EventSink | None = None,
) -> RunningPortal:
    """Bind and serve in a daemon thread; events go to ``sink`` (default: debug logging).

    ``variant`` is a name from :data:`~.variants.VARIANTS` (ValueError for any other) or a :class:`Variant`.
    """
    if host == IDP_HOST:
        raise ValueError("the portal host must differ from the SSO host 'localhost'; use 127.0.0.1")
    chosen = variant if isinstance(variant, Variant) else variant_named(variant)
    knobs = Knobs(latency_ms=latency_ms, file_latency_ms=file_latency_ms, render_ms=render_ms)
    state = PortalState(knobs, chosen)
    server = PortalServer((host, port), state, sink or _log_sink)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.name = f"demo-portal-{server.port}"
    thread.start()
    log.info(
        "demo portal serving on %s (SSO host %s, variant %s)",
        server.portal_origin,
        server.idp_origin,
        chosen.name,
    )
    return RunningPortal(server, thread)
