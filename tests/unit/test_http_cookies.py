"""The jar's bookkeeping of what the portal set over HTTP: each cookie's last value, scoped as the portal
set it, handed out once to go back into the browser; deletions too; never shown."""

from __future__ import annotations

from po_downloader.engine.http.cookies import Cookie, CookieJar

NOW = 1_800_000_000.0
SECRET = "s3cr3t-rotated-value"


def jar() -> CookieJar:
    return CookieJar(wall_clock=lambda: NOW)


def test_what_the_portal_set_is_handed_out_once_with_its_last_value_in_the_order_set() -> None:
    j = jar()
    j.absorb("https://coupa.example.com/order_headers/1", ["_session=one; Path=/; Secure; HttpOnly"])
    j.absorb("https://coupa.example.com/order_headers/2", ["pref=x; Path=/", "_session=two; Path=/; Secure"])
    taken = j.taken()
    assert [(c.name, c.value) for c in taken] == [("pref", "x"), ("_session", "two")]
    assert j.taken() == ()  # once
    j.absorb("https://coupa.example.com/order_headers/3", ["_session=three; Path=/; Secure"])
    assert [(c.name, c.value) for c in j.taken()] == [("_session", "three")]


def test_nothing_is_taken_when_the_portal_set_nothing_or_what_the_browser_would_refuse() -> None:
    j = jar()
    j.absorb("https://coupa.example.com/p", [])
    j.absorb(
        "http://coupa.example.com/p",
        [
            "foreign=1; Domain=example.org; Path=/",  # someone else's domain
            "tls=1; Secure; Path=/",  # Secure over plain HTTP
            "cross=1; SameSite=None; Path=/",  # SameSite=None without Secure
            "=nameless; Path=/",
        ],
    )
    assert j.taken() == ()
    assert len(j) == 0


def test_a_taken_cookie_keeps_its_scope_as_the_portal_set_it() -> None:
    j = jar()
    j.absorb(
        "https://coupa.example.com:8443/order_headers/1?token=abc",
        [
            "_session=s; Path=/; Secure; HttpOnly; SameSite=lax; Max-Age=60",
            "wide=w; Domain=.Example.com; Path=/",
            "here=h",  # no Path: the folder of the URL that set it
        ],
    )
    session, wide, here = j.taken()
    assert (session.domain, session.host_only, session.path, session.secure, session.http_only) == (
        "coupa.example.com",
        True,
        "/",
        True,
        True,
    )
    assert (session.same_site, session.expires, session.origin) == (
        "Lax",
        NOW + 60,
        "https://coupa.example.com:8443",
    )
    assert (wide.domain, wide.host_only, wide.http_only, wide.expires) == ("example.com", False, False, None)
    assert here.path == "/order_headers"


def test_to_devtools_scopes_a_host_only_cookie_by_its_url_and_a_domain_one_by_its_dotted_domain() -> None:
    j = jar()
    j.absorb(
        "https://coupa.example.com:8443/x/y",
        ["_session=s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=60", "wide=w; Domain=example.com"],
    )
    session, wide = (c.to_devtools() for c in j.taken())
    assert session == {
        "name": "_session",
        "value": "s",
        "url": "https://coupa.example.com:8443/",
        "path": "/",
        "secure": True,
        "httpOnly": True,
        "sameSite": "Strict",
        "expires": NOW + 60,
    }
    assert "domain" not in session  # a domain would widen it to every subdomain
    assert wide == {
        "name": "wide",
        "value": "w",
        "url": "https://coupa.example.com:8443/x",
        "domain": ".example.com",
        "path": "/x",
        "secure": False,
        "httpOnly": False,
    }


def test_a_domain_attribute_naming_an_address_stays_host_only() -> None:
    j = jar()
    j.absorb("http://127.0.0.1:5000/p", ["s=1; Domain=127.0.0.1; Path=/"])
    (cookie,) = j.taken()
    assert cookie.host_only and "domain" not in cookie.to_devtools()


def test_deletions_are_taken_too_with_an_expiry_in_the_past() -> None:
    j = jar()
    j.replace([{"name": "gone", "value": "x", "domain": "coupa.example.com", "path": "/"}])
    j.absorb(
        "https://coupa.example.com/p",
        ["gone=; Max-Age=0; Path=/", "old=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"],
    )
    assert j.header_for("https://coupa.example.com/p") == ""
    gone, old = j.taken()
    assert gone.expires is not None and gone.expires <= NOW
    assert old.expires is not None and old.expires <= NOW
    assert gone.to_devtools()["expires"] <= NOW  # the browser's side deletes it


def test_a_cookie_set_then_deleted_is_handed_out_as_deleted() -> None:
    j = jar()
    j.absorb("https://coupa.example.com/p", ["flash=1; Path=/"])
    j.absorb("https://coupa.example.com/q", ["flash=; Max-Age=0; Path=/"])
    (flash,) = j.taken()
    assert flash.expires == 0.0


def test_host_only_and_domain_cookies_of_one_name_are_two_cookies_as_in_the_browser() -> None:
    j = jar()
    j.replace(
        [
            {"name": "s", "value": "host", "domain": "example.com", "path": "/"},
            {"name": "s", "value": "wide", "domain": ".example.com", "path": "/"},
        ]
    )
    j.absorb("https://example.com/p", ["s=newwide; Domain=example.com; Path=/"])
    assert j.header_for("https://example.com/p") == "s=host; s=newwide"
    (taken,) = j.taken()
    assert not taken.host_only


def test_replacing_the_jar_with_the_browsers_cookies_keeps_what_is_still_to_be_handed_back() -> None:
    j = jar()
    j.absorb("https://coupa.example.com/p", ["_session=new; Path=/"])
    j.replace([{"name": "_session", "value": "old", "domain": "coupa.example.com", "path": "/"}])
    assert [c.value for c in j.taken()] == ["new"]


def test_from_devtools_reads_http_only_and_same_site() -> None:
    cookie = Cookie.from_devtools(
        {"name": "s", "value": "v", "domain": "h", "path": "/", "httpOnly": True, "sameSite": "Lax"}
    )
    assert (cookie.http_only, cookie.same_site) == (True, "Lax")


def test_no_value_shows_in_a_repr() -> None:
    j = jar()
    j.absorb("https://coupa.example.com/p", [f"_session={SECRET}; Path=/; HttpOnly"])
    texts = [repr(j), *(repr(c) for c in j.taken())]
    assert [t for t in texts if SECRET in t] == []
