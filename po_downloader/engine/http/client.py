"""The portal over HTTP on the browser's session: pages and files fetched with its cookies, politely.

One ``httpx.Client`` per worker (HTTP/2 where the portal offers it, a few connections per host, the
operating system's certificate store as the browser's). Every
request first takes a token from the batch's bucket (``rate.py``). The client follows redirects itself,
and only where the browser's answer could not differ: on the portal's own host and never to a sign-in
page. A redirect anywhere else stops there and is returned as it is (its status, its ``Location`` as the
final URL, no body), so the caller decides what the browser would have shown: a sign-in, someone else's
page. The sign-in endpoint itself is never requested: an SSO that sees a request without the browser's
state could lock the user out, and the fidelity checks count SSO requests.

``429`` and ``503`` with ``Retry-After`` pause the whole batch (``Bucket.hold_until``) that long (at most
60 s) and try again; ``429``/``5xx`` without it back off 0.5 s then 1 s (with jitter); after three tries in
all the last answer is returned and the caller calls it a portal error. A connection that fails or times
out raises ``HttpUnavailable``, worded without cookies or the URL's query.
"""

from __future__ import annotations

import email.utils
import logging
import random
import ssl
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import truststore

from po_downloader.engine.browser.page_state import SignInPlaces, is_sign_in_url, on_host
from po_downloader.engine.http.cookies import CookieJar
from po_downloader.engine.http.rate import Bucket
from po_downloader.engine.system.display import url_for_record

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_TRIES = 3
BACKOFF = (0.5, 1.0, 2.0)
"""Seconds before the 2nd and 3rd try of a 429/5xx without ``Retry-After`` (plus up to half again)."""
RETRY_AFTER_CAP = 60.0
REDIRECTS = frozenset({301, 302, 303, 307, 308})
NAVIGATION_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7"
)
"""Chromium's ``Accept`` for a page and for a link it downloads: a portal that picks its answer's format
from ``Accept`` (Rails' ``respond_to``) must answer us as it answers the browser."""


class HttpUnavailable(Exception):
    """The portal could not be reached over HTTP (connection refused, reset, timed out...).

    ``detail`` is plain words with the host and path only: no cookie, no query (a signed URL's token).
    """

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class ServedPage:
    """A page as the portal served it (no script ran)."""

    url: str
    """The URL asked for."""
    final_url: str
    """Where the answer came from; a redirect the client did not follow: its ``Location``."""
    status: int
    text: str
    content_type: str
    redirects: tuple[str, ...] = ()
    """Each ``Location`` on the way, in order (the last one too when it was not followed)."""


@dataclass(frozen=True)
class _Answer:
    response: httpx.Response
    """Headers read, body not yet; a redirect not followed when ``stopped``."""
    final_url: str
    redirects: tuple[str, ...]
    stopped: bool


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """``Retry-After`` as seconds to wait (capped at 60 s), from a number or an HTTP date; None without one.

    ``now`` is the wall clock (``time.time``): an HTTP date is absolute.
    """
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return min(RETRY_AFTER_CAP, float(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return min(RETRY_AFTER_CAP, max(0.0, when.timestamp() - now))


class PortalClient:
    """The browser's session without the browser: cookies in, pages and file streams out."""

    def __init__(
        self,
        base_url: str,
        sign_in: SignInPlaces,
        bucket: Bucket,
        *,
        timeout: float = 30.0,
        per_host: int = 4,
        user_agent: str = "",
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        """``transport``, the clocks, ``sleep`` and ``jitter`` are for tests."""
        self.base_url = base_url
        self.base_host = urlsplit(base_url).netloc
        self.sign_in = sign_in
        self.bucket = bucket
        self.per_host = per_host
        self._clock = clock
        self._wall_clock = wall_clock
        self._sleep = sleep
        self._jitter = jitter
        self._jar = CookieJar(wall_clock=wall_clock)
        self._timeout = httpx.Timeout(timeout)
        headers = {"Accept": NAVIGATION_ACCEPT}
        if user_agent:
            headers["User-Agent"] = user_agent
        self._client = httpx.Client(
            http2=True,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=per_host, max_keepalive_connections=per_host),
            timeout=self._timeout,
            headers=headers,
            transport=transport,
            verify=os_trust(),
        )
        self._closed = False

    def __repr__(self) -> str:
        return f"PortalClient({self.base_host!r}, {self._jar!r}, closed={self._closed})"

    @property
    def closed(self) -> bool:
        return self._closed

    def set_cookies(self, cookies: Sequence[Mapping[str, Any]]) -> None:
        """Send these cookies from now on (``Network.getAllCookies``' dicts), instead of the earlier ones."""
        self._jar.replace(cookies)
        log.debug("HTTP client for %s holds %d cookies", self.base_host, len(self._jar))

    def cookies_set(self) -> list[dict[str, Any]]:
        """What the portal set or deleted over HTTP since the last call, as ``Network.setCookie``'s
        parameters (an expiry in the past: delete it), handed out once: the browser takes them back."""
        return [cookie.to_devtools() for cookie in self._jar.taken()]

    def is_sign_in(self, url: str) -> bool:
        return is_sign_in_url(url, self.base_host, self.sign_in)

    def get_page(self, url: str) -> ServedPage:
        """The page at ``url`` as served, its body read whole (raises ``HttpUnavailable``)."""
        answer = self._answer(url)
        response = answer.response
        try:
            if answer.stopped:
                text = ""
            else:
                try:
                    response.read()
                except httpx.HTTPError as exc:
                    raise HttpUnavailable(_unreachable(answer.final_url, exc)) from exc
                text = response.text
        finally:
            response.close()
        return ServedPage(
            url=url,
            final_url=answer.final_url,
            status=response.status_code,
            text=text,
            content_type=response.headers.get("content-type", ""),
            redirects=answer.redirects,
        )

    @contextmanager
    def stream(self, url: str, *, read_timeout: float | None = None) -> Iterator[httpx.Response]:
        """The response for ``url`` with its body unread (read it with ``iter_bytes``), closed on exit.

        The same redirect rules as ``get_page``: a redirect the client would not follow comes back as the
        redirect itself (``response.is_redirect``; where it points: :func:`redirect_target`).
        ``read_timeout``: the longest silence while the body comes (a stall), instead of the client's."""
        answer = self._answer(url, read_timeout)
        try:
            yield answer.response
        finally:
            answer.response.close()

    def close(self) -> None:
        self._closed = True
        self._client.close()

    # --- one URL: redirects, then retries of each hop ---------------------------------------------------

    def _answer(self, url: str, read_timeout: float | None = None) -> _Answer:
        redirects: list[str] = []
        current = url
        while True:
            response = self._with_retries(current, read_timeout)
            location = response.headers.get("location")
            if response.status_code not in REDIRECTS or location is None:
                return _Answer(response, current, tuple(redirects), stopped=False)
            response.close()
            target = urljoin(current, location)
            redirects.append(target)
            if len(redirects) > MAX_REDIRECTS or not self._may_follow(target):
                log.debug(
                    "not following %s's redirect to %s", url_for_record(current), url_for_record(target)
                )
                return _Answer(response, target, tuple(redirects), stopped=True)
            current = target

    def _may_follow(self, url: str) -> bool:
        return on_host(url, self.base_host) and not self.is_sign_in(url)

    def _with_retries(self, url: str, read_timeout: float | None) -> httpx.Response:
        for attempt in range(1, MAX_TRIES + 1):
            response = self._send(url, read_timeout)
            status = response.status_code
            if status != 429 and status < 500 or attempt == MAX_TRIES:
                return response
            wait = retry_after_seconds(response.headers.get("retry-after"), self._wall_clock())
            response.close()
            if wait is not None and status in (429, 503):
                log.info("the portal asked to wait %.1f s (HTTP %d): all requests pause", wait, status)
                self.bucket.hold_until(self._clock() + wait)
            else:
                base = BACKOFF[attempt - 1]
                self._sleep(base + base * 0.5 * self._jitter())
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns on its last try

    def _send(self, url: str, read_timeout: float | None) -> httpx.Response:
        self.bucket.acquire()
        headers = {}
        cookie = self._jar.header_for(url)
        if cookie:
            headers["Cookie"] = cookie
        try:
            timeout = self._timeout
            if read_timeout is not None:
                timeout = httpx.Timeout(self._timeout.connect, read=read_timeout, write=self._timeout.write)
            request = self._client.build_request("GET", url, headers=headers, timeout=timeout)
            response = self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise HttpUnavailable(_unreachable(url, exc)) from None
        except httpx.InvalidURL as exc:
            raise HttpUnavailable(f"not a web address: {url_for_record(url)}") from exc
        self._jar.absorb(url, response.headers.get_list("set-cookie"))
        return response


def os_trust() -> ssl.SSLContext:
    """TLS that trusts what the operating system trusts, as the browser does: a company's own root (a TLS
    proxy's) is in the OS store, not in certifi's bundle, and the portal must not fail over HTTP only."""
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def redirect_target(response: httpx.Response) -> str:
    """Where a redirect points, as an absolute URL ("" when it is none)."""
    location = response.headers.get("location")
    return urljoin(str(response.url), location) if location else ""


def _unreachable(url: str, exc: Exception) -> str:
    """Plain words for a failed exchange: the host and path, what went wrong; never a header."""
    if isinstance(exc, httpx.TimeoutException):
        what = "no answer in time"
    elif isinstance(exc, httpx.ConnectError):
        what = "could not connect"
    elif isinstance(exc, httpx.RemoteProtocolError):
        what = "the connection broke off"
    else:
        what = type(exc).__name__
    return f"{url_for_record(url)}: {what}"
