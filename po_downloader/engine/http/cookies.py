"""The browser's cookies as the HTTP client sends them: scoped by domain, path and scheme as Chromium scopes
them, and never shown (a session cookie is the user's sign-in: no log, repr or message may carry one).

The cookies come from DevTools' ``Network.getAllCookies`` (HttpOnly ones too). Python's ``http.cookiejar``
sends a host-only cookie of ``example.com`` to ``sub.example.com`` too; the browser does not, so the jar is
our own: it answers "which cookies go with this URL" and takes what the portal sets on the way.

What the portal sets over HTTP goes back to the browser (``taken``, then ``Cookie.to_devtools``): a portal
that rotates its session cookie in an answer to the HTTP route and invalidates the old one would otherwise
leave the browser, and the jar at the next hand-over, signed out.
"""

from __future__ import annotations

import dataclasses
import email.utils
import ipaddress
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
    http_only: bool = False
    same_site: str = ""
    """``Strict``, ``Lax``, ``None`` or "" (not said)."""
    origin: str = ""
    """``scheme://host:port`` of the answer that set it ("" from the browser): the browser binds a cookie
    to the scheme and port it came from, so it is set there with the same source."""

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
            http_only=bool(data.get("httpOnly")),
            same_site=str(data.get("sameSite") or ""),
        )

    @property
    def key(self) -> tuple[str, str, bool, str]:
        """What makes it the same cookie to the browser: a new one with this key replaces the old."""
        return (self.name, self.domain, self.host_only, self.path)

    def to_devtools(self) -> dict[str, Any]:
        """This cookie as ``Network.setCookie``'s parameters, scoped as the portal set it: a host-only one
        by its URL (a ``domain`` would widen it to subdomains), a domain one by ``.domain``. An expiry in
        the past (``Max-Age=0``) is kept: the browser's side deletes such a cookie."""
        origin = self.origin or f"{'https' if self.secure else 'http'}://{self.domain}"
        params: dict[str, Any] = {
            "name": self.name,
            "value": self.value,
            "url": origin + self.path,
            "path": self.path,
            "secure": self.secure,
            "httpOnly": self.http_only,
        }
        if not self.host_only:
            params["domain"] = "." + self.domain
        if self.same_site:
            params["sameSite"] = self.same_site
        if self.expires is not None:
            params["expires"] = self.expires
        return params

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
    """The cookies to send, replaced whole each time the browser hands its session over, and the ones the
    portal set since the last time they were handed back (``taken``)."""

    def __init__(self, *, wall_clock: Callable[[], float] = time.time) -> None:
        self._cookies: tuple[Cookie, ...] = ()
        self._wall_clock = wall_clock
        self._set: dict[tuple[str, str, bool, str], Cookie] = {}
        """By ``Cookie.key``, the last one of each, in the order they were set; deletions too."""

    def __repr__(self) -> str:
        return f"CookieJar({len(self._cookies)} cookies)"

    def __len__(self) -> int:
        return len(self._cookies)

    def replace(self, cookies: Sequence[Mapping[str, Any]]) -> None:
        """The browser's cookies from now on; what the portal set before is still to be ``taken`` (take it
        first, or the browser's older values win at the next hand-over)."""
        self._cookies = tuple(Cookie.from_devtools(c) for c in cookies if c.get("name"))

    def taken(self) -> tuple[Cookie, ...]:
        """What the portal set (or deleted: an expiry in the past) since the last call, the last value of
        each cookie, in the order set: handed out once, to go back into the browser."""
        taken, self._set = tuple(self._set.values()), {}
        return taken

    def absorb(self, url: str, set_cookies: Sequence[str]) -> None:
        """Take the ``Set-Cookie`` answers of a response to ``url``, as the browser would: a portal that
        refreshes or rotates its session cookie must see the new value next time, not the old one."""
        if not set_cookies:
            return
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2].lower()}"
        now = self._wall_clock()
        cookies = list(self._cookies)
        for line in set_cookies:
            cookie = _parsed(line, parts.scheme, host, parts.path, now)
            if cookie is None:
                continue
            key = cookie.key
            cookies = [c for c in cookies if c.key != key]
            if cookie.expires is None or cookie.expires > now:
                cookies.append(cookie)
            self._set.pop(key, None)
            self._set[key] = dataclasses.replace(cookie, origin=origin)
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
    domain, path, secure, expires, http_only, same_site = "", "", False, None, False, ""
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
        elif key == "httponly":
            http_only = True
        elif key == "samesite":
            same_site = _SAME_SITE.get(arg.lower(), "")
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
    if domain == host and _is_ip(host):
        domain = ""  # an address has no subdomains: Chromium keeps such a cookie host-only
    if secure and scheme != "https":
        return None
    if same_site == "None" and not secure:
        return None  # Chromium refuses SameSite=None without Secure
    if not path:
        path = request_path[: request_path.rfind("/")] if request_path.count("/") > 1 else "/"
    return Cookie(name, value, domain or host, not domain, path or "/", secure, expires, http_only, same_site)


_SAME_SITE = {"strict": "Strict", "lax": "Lax", "none": "None"}


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
