"""The browser's cookies as the HTTP client sends them: scoped by domain, path and scheme as Chromium scopes
them, and never shown (a session cookie is the user's sign-in: no log, repr or message may carry one).

The cookies come from DevTools' ``Network.getAllCookies`` (HttpOnly ones too). Python's ``http.cookiejar``
sends a host-only cookie of ``example.com`` to ``sub.example.com`` too; the browser does not, so the jar is
our own: it answers "which cookies go with this URL" and takes what the portal sets on the way.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Cookie:
    name: str
    value: str = field(repr=False)
    domain: str
    """Lower case, without a leading dot."""
    host_only: bool
    """Only to ``domain`` itself (the browser got it without a Domain attribute), not its subdomains."""
    path: str = "/"
    secure: bool = False
    expires: float | None = None
    """Seconds since the epoch; None for a session cookie."""

    @classmethod
    def from_devtools(cls, data: Mapping[str, Any]) -> Cookie:
        """One cookie as ``Network.getAllCookies`` reports it."""
        domain = str(data.get("domain", "")).lower()
        expires = data.get("expires")
        session = bool(data.get("session")) or not isinstance(expires, int | float) or expires <= 0
        return cls(
            name=str(data.get("name", "")),
            value=str(data.get("value", "")),
            domain=domain.lstrip("."),
            host_only=not domain.startswith("."),
            path=str(data.get("path") or "/"),
            secure=bool(data.get("secure")),
            expires=None if session else float(expires),  # type: ignore[arg-type]
        )

    def goes_to(self, scheme: str, host: str, path: str, now: float) -> bool:
        if self.expires is not None and self.expires <= now:
            return False
        if self.secure and scheme != "https":
            return False
        if host != self.domain and (self.host_only or not host.endswith("." + self.domain)):
            return False
        return _path_matches(path or "/", self.path)


def _path_matches(request_path: str, cookie_path: str) -> bool:
    """RFC 6265 5.1.4: the same path, or below it at a ``/``."""
    if request_path == cookie_path:
        return True
    return request_path.startswith(cookie_path) and (
        cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
    )


class CookieJar:
    """The cookies to send, replaced whole each time the browser hands its session over."""

    def __init__(self, *, wall_clock: Callable[[], float] = time.time) -> None:
        self._cookies: tuple[Cookie, ...] = ()
        self._wall_clock = wall_clock

    def __repr__(self) -> str:
        return f"CookieJar({len(self._cookies)} cookies)"

    def __len__(self) -> int:
        return len(self._cookies)

    def replace(self, cookies: Sequence[Mapping[str, Any]]) -> None:
        self._cookies = tuple(Cookie.from_devtools(c) for c in cookies if c.get("name"))

    def absorb(self, url: str, set_cookies: Sequence[str]) -> None:
        """Take the ``Set-Cookie`` answers of a response to ``url``, as the browser would: a portal that
        refreshes or rotates its session cookie must see the new value next time, not the old one."""
        if not set_cookies:
            return
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        now = self._wall_clock()
        cookies = list(self._cookies)
        for line in set_cookies:
            cookie = _parsed(line, parts.scheme, host, parts.path, now)
            if cookie is None:
                continue
            cookies = [
                c for c in cookies if (c.name, c.domain, c.path) != (cookie.name, cookie.domain, cookie.path)
            ]
            if cookie.expires is None or cookie.expires > now:
                cookies.append(cookie)
        self._cookies = tuple(cookies)

    def header_for(self, url: str) -> str:
        """The ``Cookie`` header for ``url`` ("" when none goes): longer paths first, as browsers send them."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        now = self._wall_clock()
        chosen = [c for c in self._cookies if c.goes_to(parts.scheme, host, parts.path, now)]
        chosen.sort(key=lambda c: -len(c.path))
        return "; ".join(f"{c.name}={c.value}" for c in chosen)


def _parsed(line: str, scheme: str, host: str, request_path: str, now: float) -> Cookie | None:
    """One ``Set-Cookie`` line (RFC 6265 section 5.2), or None when the browser would ignore it."""
    pair, *attributes = line.split(";")
    name, equals, value = pair.partition("=")
    name, value = name.strip(), value.strip()
    if not equals or not name:
        return None
    domain, path, secure, expires = "", "", False, None
    max_age: float | None = None
    for attribute in attributes:
        key, _, arg = attribute.partition("=")
        key, arg = key.strip().lower(), arg.strip()
        if key == "domain" and arg:
            domain = arg.lstrip(".").lower()
        elif key == "path" and arg.startswith("/"):
            path = arg
        elif key == "secure":
            secure = True
        elif key == "max-age" and arg.lstrip("-").isdigit():
            max_age = float(arg)
        elif key == "expires":
            try:
                expires = email.utils.parsedate_to_datetime(arg).timestamp()
            except (TypeError, ValueError, IndexError):
                pass
    if max_age is not None:
        expires = now + max_age if max_age > 0 else 0.0
    if domain and host != domain and not host.endswith("." + domain):
        return None  # a cookie for someone else's domain
    if secure and scheme != "https":
        return None
    if not path:
        path = request_path[: request_path.rfind("/")] if request_path.count("/") > 1 else "/"
    return Cookie(name, value, domain or host, not domain, path or "/", secure, expires)
