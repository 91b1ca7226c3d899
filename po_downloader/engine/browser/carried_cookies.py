"""The sign-in a remote browser is given: the cookies of a signed-in local copy for the portal and its SSO.

A profile folder cannot be copied to a Grid node, so the session travels as cookies instead. Only the
portal's and the sign-in providers' cookies go (a user's own browser profile holds many other sites'), and
never to a log, a capability, a URL, an event or a message: ``repr`` shows how many, never a value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class CarriedSignIn:
    """Cookies as CDP ``Network.getAllCookies`` reports them, carried to every remote session."""

    cookies: tuple[Mapping[str, Any], ...] = field(default=(), repr=False, compare=False)

    def __repr__(self) -> str:
        return f"CarriedSignIn({len(self.cookies)} cookies)"

    def __bool__(self) -> bool:
        return bool(self.cookies)

    def domains(self) -> list[str]:
        """The hosts the cookies belong to (bare, no leading dot): where a session must be navigated when
        it can only set a cookie on the current document's domain."""
        return sorted({str(c.get("domain", "")).lstrip(".").lower() for c in self.cookies} - {""})


def _within(host: str, domain: str) -> bool:
    """``host`` is ``domain`` or one of its subdomains."""
    return host == domain or host.endswith("." + domain)


def carried_cookies(
    cookies: Iterable[Mapping[str, Any]], base_url: str, sso_hosts: Sequence[str]
) -> CarriedSignIn:
    """The cookies to carry: those the portal's host would be sent (its own and its parent domains'), those
    of its subdomains (its SSO often lives on one), and the sign-in providers' (``sso_hosts``) with theirs."""
    portal = (urlsplit(base_url).hostname or "").lower()
    providers = [h.lower().lstrip(".") for h in sso_hosts if h]
    kept = []
    for cookie in cookies:
        domain = str(cookie.get("domain", "")).lower().lstrip(".")
        if not domain or not cookie.get("name"):
            continue
        if (
            _within(portal, domain)
            or _within(domain, portal)
            or any(_within(domain, p) or _within(p, domain) for p in providers)
        ):
            kept.append(dict(cookie))
    return CarriedSignIn(tuple(kept))
