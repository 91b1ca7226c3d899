"""The browser's cookies as the HTTP client sends them: scoped by domain, path and scheme as Chromium scopes
them, and never shown (a session cookie is the user's sign-in: no log, repr or message may carry one).

The cookies come from DevTools' ``Network.getAllCookies`` (HttpOnly ones too). Python's ``http.cookiejar``
sends a host-only cookie of ``example.com`` to ``sub.example.com`` too; the browser does not, so the jar is
our own, and it only has to answer "which cookies go with this URL".
"""

from __future__ import annotations

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

    def header_for(self, url: str) -> str:
        """The ``Cookie`` header for ``url`` ("" when none goes): longer paths first, as browsers send them."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        now = self._wall_clock()
        chosen = [c for c in self._cookies if c.goes_to(parts.scheme, host, parts.path, now)]
        chosen.sort(key=lambda c: -len(c.path))
        return "; ".join(f"{c.name}={c.value}" for c in chosen)
