"""What kind of page the browser is on, decided from positive evidence only.

The portal module observes a page (title, HTTP status, headings, error boxes, a few markers) and this
module decides; no Selenium here, so every rule has a fast unit test and saved pages can be replayed.
The rules, in order, are the issue's promise that a status is proven by the page:

1. a sign-in URL (a sign-in path of the portal, an identity provider's host or sign-in path) is a sign-in page;
2. HTTP 429/5xx is a portal error (retried);
3. an error phrase inside an error container, or in the title, names the error (not found, no access,
   portal error) — and wins over any layout, because Coupa's error pages share the PO page's chrome;
   benign banners are excluded by the observer before the text gets here. "Not found" and "no access"
   are final verdicts, so they need the portal's own page: its host *and* its frame (``portal_frame``:
   its navigation or its error boxes). The same words on a page without them ("Access Denied" from a
   CDN, a corporate proxy, a firewall, even on the portal's host) prove nothing about the PO: UNPROVEN,
   which is retried, naming what answered;
4. HTTP 401 is a sign-in; a bare 403, 404 or 410 (no phrase) is UNPROVEN: a status alone is not the
   portal's word;
5. the page is *this* PO (or requisition) only when it names itself: its number in the title or a
   heading, or a marker made for this very number (``form[action*='/order_headers/{digits}']``);
6. a sign-in form with none of the above is a sign-in page;
7. anything else is UNKNOWN: the caller keeps looking, then calls it a portal error (retried).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import cast
from urllib.parse import urlparse


class PageKind(StrEnum):
    PO = "PO"
    REQUISITION = "REQUISITION"
    SIGN_IN = "SIGN_IN"
    NOT_FOUND = "NOT_FOUND"
    NO_ACCESS = "NO_ACCESS"
    PORTAL_ERROR = "PORTAL_ERROR"
    UNPROVEN = "UNPROVEN"
    """An error page that is not the portal's word on this PO: another host's page, a page without the
    portal's frame (a proxy's, a CDN's), or a bare HTTP 403/404. ``detail`` names who answered what."""
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class PageState:
    kind: PageKind
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class PageObservation:
    """What the browser showed at one moment; produced by the portal module, or replayed from a file."""

    url: str
    title: str = ""
    http_status: int | None = None
    """The document's HTTP status (Navigation Timing); None when the browser does not say."""
    ready: bool = False
    headings: tuple[str, ...] = ()
    """Texts of ``h1``/``h2``/``[role=heading]`` outside benign banners."""
    error_texts: tuple[str, ...] = ()
    """Texts of the error containers, with any benign banner inside them cut out."""
    identity_marker: bool = False
    """A selector made for this document's number matched."""
    sign_in_form: bool = False
    portal_frame: bool = False
    """Markup only the portal's own pages carry (selectors ``portal_frame``) is on the page."""

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> PageObservation:
        status = data.get("http_status")
        return cls(
            url=str(data.get("url", "")),
            title=str(data.get("title", "")),
            http_status=int(status) if isinstance(status, int | float) and status else None,
            ready=bool(data.get("ready")),
            headings=tuple(str(t) for t in cast("Iterable[object]", data.get("headings", ()) or ())),
            error_texts=tuple(str(t) for t in cast("Iterable[object]", data.get("error_texts", ()) or ())),
            identity_marker=bool(data.get("identity_marker")),
            sign_in_form=bool(data.get("sign_in_form")),
            portal_frame=bool(data.get("portal_frame")),
        )


@dataclass(frozen=True)
class PagePhrases:
    """The words that name an error, in every language the tenant may use (from the selectors file)."""

    not_found: tuple[str, ...]
    no_access: tuple[str, ...]
    portal_error: tuple[str, ...]


RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class SignInPlaces:
    """Where a browser signs in, from the selectors file (``sign_in``): never "any other host".

    A page on another host is sign-in only when that host is a known identity provider or the path is a
    sign-in path; an attachment served by a CDN or S3 is neither. Paths are prefixes that end at a word
    boundary: ``/saml`` matches ``/saml``, ``/saml2/idp/SSO`` and ``/saml/acs``, not ``/saml-guide.pdf``.
    """

    portal_paths: tuple[str, ...]
    """Sign-in paths on the portal's own host (Coupa's ``/sessions/new``, its SAML/SSO endpoints)."""
    sso_hosts: tuple[str, ...]
    """Identity-provider hosts; each covers its subdomains (``okta.com``: ``acme.okta.com``)."""
    sso_paths: tuple[str, ...]
    """Sign-in paths on any other host: self-hosted identity providers (ADFS, Shibboleth, Keycloak...)."""


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_port(netloc: str, scheme: str) -> tuple[str, int | None]:
    parsed = urlparse(f"{scheme}://{netloc}")
    try:
        port = parsed.port
    except ValueError:
        port = None
    return (parsed.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def _path_matches(path: str, prefixes: tuple[str, ...]) -> bool:
    path = path.lower() or "/"
    for prefix in prefixes:
        prefix = prefix.lower()
        if prefix.endswith("/") and path == prefix[:-1]:
            return True
        if not path.startswith(prefix):
            continue
        following = path[len(prefix) : len(prefix) + 1]
        if prefix.endswith("/") or not following or not (following.isalpha() or following in "-_"):
            return True
    return False


def _host_matches(host: str, hosts: tuple[str, ...]) -> bool:
    return any(host == h.lower() or host.endswith("." + h.lower()) for h in hosts)


def is_sign_in_url(url: str, base_host: str, places: SignInPlaces) -> bool:
    """``url`` is a sign-in page: a sign-in path of the portal (``base_host``, its ``host[:port]``), or an
    identity provider's host or sign-in path elsewhere. Only http(s) pages can be one."""
    parsed = urlparse(url)
    if parsed.scheme not in _DEFAULT_PORTS:
        return False
    host, port = _host_port(parsed.netloc, parsed.scheme)
    if (host, port) == _host_port(base_host, parsed.scheme):
        return _path_matches(parsed.path, places.portal_paths)
    return _host_matches(host, places.sso_hosts) or _path_matches(parsed.path, places.sso_paths)


def on_host(url: str, base_host: str) -> bool:
    """``url`` is on the portal's own host and port (``base_host`` is its ``host[:port]``)."""
    parsed = urlparse(url)
    if parsed.scheme not in _DEFAULT_PORTS:
        return False
    return _host_port(parsed.netloc, parsed.scheme) == _host_port(base_host, parsed.scheme)


def _who(url: str) -> str:
    """The host (and a non-default port) that served ``url``, as the user would recognise it."""
    parsed = urlparse(url)
    return parsed.netloc or url or "the browser"


def _unproven(obs: PageObservation, text: str, base_host: str) -> PageState:
    """What answered instead of the portal, and why it is no verdict, for the message the user reads."""
    status = f" HTTP {obs.http_status}" if obs.http_status else ""
    said = f" {text}" if text else ""
    if not on_host(obs.url, base_host):
        why = "not the portal's host"
    elif not obs.portal_frame:
        why = "not the portal's own page"
    else:
        why = "no not-found or no-access message"
    return PageState(PageKind.UNPROVEN, f"{_who(obs.url)} answered{status}{said} ({why})", obs.url)


def names_number(text: str, digits: str) -> bool:
    """``digits`` appears in ``text`` as a whole number (``PO #123``, not ``41234``)."""
    return bool(digits) and re.search(rf"(?<!\d){re.escape(digits)}(?!\d)", text) is not None


def _phrase_in(texts: tuple[str, ...], phrases: tuple[str, ...]) -> str | None:
    for text in texts:
        low = " ".join(text.split()).casefold()
        if any(" ".join(p.split()).casefold() in low for p in phrases):
            return " ".join(text.split())[:200]
    return None


def classify_page(
    obs: PageObservation,
    *,
    digits: str,
    expect: PageKind,
    phrases: PagePhrases,
    base_host: str,
    sign_in: SignInPlaces,
) -> PageState:
    """The page's kind from ``obs``; ``expect`` is PO or REQUISITION, the page we asked for."""
    url = obs.url
    if is_sign_in_url(url, base_host, sign_in):
        return PageState(PageKind.SIGN_IN, "redirected to sign-in", url)
    status = obs.http_status
    if status in RETRY_STATUSES or (status is not None and status >= 500):
        return PageState(PageKind.PORTAL_ERROR, f"HTTP {status} {obs.title}".strip(), url)
    texts = (*obs.error_texts, obs.title)
    portals_own = obs.portal_frame and on_host(url, base_host)
    for kind, words in (
        (PageKind.NOT_FOUND, phrases.not_found),
        (PageKind.NO_ACCESS, phrases.no_access),
        (PageKind.PORTAL_ERROR, phrases.portal_error),
    ):
        hit = _phrase_in(texts, words)
        if hit is None:
            continue
        if kind is PageKind.PORTAL_ERROR or portals_own:
            return PageState(kind, hit, url)
        return _unproven(obs, hit, base_host)
    if status == 401:
        return PageState(PageKind.SIGN_IN, "HTTP 401", url)
    if status in (403, 404, 410):
        said = next((" ".join(t.split())[:200] for t in (obs.title, *obs.headings) if t.strip()), "")
        return _unproven(obs, said, base_host)
    if obs.identity_marker or any(names_number(t, digits) for t in (obs.title, *obs.headings)):
        return PageState(expect, "", url)
    if obs.sign_in_form:
        return PageState(PageKind.SIGN_IN, "sign-in form", url)
    if status is not None and status >= 400:
        return PageState(PageKind.PORTAL_ERROR, f"HTTP {status} {obs.title}".strip(), url)
    return PageState(PageKind.UNKNOWN, obs.title[:200], url)
