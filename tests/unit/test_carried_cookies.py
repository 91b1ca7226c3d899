"""Which cookies a Grid's remote browsers are signed in with: the portal's and its SSO's, never others, and
never a value in a repr."""

from __future__ import annotations

from po_downloader.engine.browser.carried_cookies import CarriedSignIn, carried_cookies
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.system.settings import validate_grid_url

SSO = ("okta.com", "login.microsoftonline.com")


def cookie(name: str, domain: str, value: str = "s3cr3t-value") -> dict:
    return {"name": name, "value": value, "domain": domain, "path": "/"}


def test_the_portals_and_the_sign_in_providers_cookies_are_carried_and_no_others() -> None:
    jar = [
        cookie("session", "acme.coupahost.com"),
        cookie("shared", ".coupahost.com"),
        cookie("sso", "sso.acme.coupahost.com"),
        cookie("okta", "acme.okta.com"),
        cookie("ms", ".login.microsoftonline.com"),
        cookie("other-tenant", "globex.coupahost.com"),
        cookie("bank", ".mybank.example"),
        cookie("ads", ".google.com"),
        cookie("", "acme.coupahost.com"),
    ]
    carried = carried_cookies(jar, "https://acme.coupahost.com", SSO)
    assert sorted(c["name"] for c in carried.cookies) == ["ms", "okta", "session", "shared", "sso"]
    assert carried.domains() == [
        "acme.coupahost.com",
        "acme.okta.com",
        "coupahost.com",
        "login.microsoftonline.com",
        "sso.acme.coupahost.com",
    ]


def test_a_carried_sign_in_never_shows_a_value() -> None:
    carried = carried_cookies([cookie("session", "127.0.0.1", "tok-abcdef")], "http://127.0.0.1:8000", SSO)
    assert carried and "tok-abcdef" not in repr(carried) and "tok-abcdef" not in str(carried)
    assert repr(carried) == "CarriedSignIn(1 cookies)"
    assert not CarriedSignIn()


def test_a_grid_address_is_checked_like_the_coupa_address() -> None:
    assert validate_grid_url("http://127.0.0.1:4444") is None
    assert validate_grid_url("https://grid.acme.example") is None
    for bad in (
        "grid:4444",
        "http://grid.acme.example:4444",
        "https://u:pw@grid.acme.example",
        "https://g?x=1",
    ):
        problem = validate_grid_url(bad)
        assert problem is not None and problem.kind is ErrorKind.GRID_URL_INVALID, bad
        assert "pw" not in str(problem) and "pw" not in problem.details["url"]
