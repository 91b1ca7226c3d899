"""The selectors data file: the bundled copy, a user's overrides, and the errors a user can make."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from po_downloader.engine.browser.selectors import BUNDLED_NAME, Selectors, SelectorsError, load_selectors
from po_downloader.engine.system.paths import resource


def bundled() -> dict:
    return json.loads(resource(BUNDLED_NAME).read_text(encoding="utf-8"))


def test_bundled_file_loads_every_key() -> None:
    sel = load_selectors()
    data = bundled()
    assert sel.po_url == data["po_url"]
    assert sel.sign_in_places.portal_paths == tuple(data["sign_in"]["portal_paths"])
    assert sel.sign_in_places.sso_hosts == tuple(data["sign_in"]["sso_hosts"])
    assert sel.sign_in_places.sso_paths == tuple(data["sign_in"]["sso_paths"])
    assert sel.sign_in_form == tuple(data["sign_in"]["form_selectors"])
    assert sel.attachment_label_suffix == "file attachment"
    for name in Selectors.__dataclass_fields__:
        value = getattr(sel, name)
        assert value, f"{name} is empty"
        if isinstance(value, tuple):
            assert all(isinstance(v, str) and v for v in value), name


def test_missing_user_file_means_bundled(tmp_path: Path) -> None:
    assert load_selectors(tmp_path / "selectors.json") == load_selectors()


def test_user_file_overrides_one_key(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(
        json.dumps(
            {"_comment": "mine", "attachment_links": ["a.my-link"], "po_url": "{base_url}/po/{digits}"}
        ),
        encoding="utf-8",
    )
    sel = load_selectors(user)
    base = load_selectors()
    assert sel.attachment_links == ("a.my-link",)
    assert sel.po_page_url("https://x.example.com", "123456") == "https://x.example.com/po/123456"
    assert sel.attachment_spans == base.attachment_spans  # untouched keys stay bundled


def test_nested_override_keeps_the_other_nested_keys(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"sign_in": {"sso_hosts": ["idp.example.com"]}}), encoding="utf-8")
    sel = load_selectors(user)
    assert sel.sign_in_places.sso_hosts == ("idp.example.com",)
    assert sel.sign_in_places.portal_paths == load_selectors().sign_in_places.portal_paths
    assert sel.sign_in_form == load_selectors().sign_in_form


def test_the_old_sign_in_url_patterns_key_is_named_with_its_replacements(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"sign_in": {"url_patterns": ["/my-sso/"]}}), encoding="utf-8")
    with pytest.raises(SelectorsError, match=r"sign_in\.url_patterns.*sign_in\.portal_paths.*sso_hosts"):
        load_selectors(user)


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"atachment_links": ["a"]}), encoding="utf-8")
    with pytest.raises(SelectorsError, match="atachment_links"):
        load_selectors(user)


@pytest.mark.parametrize("text", ["{not json", "", "[1, 2]", '"a string"'])
def test_malformed_file_is_an_error(tmp_path: Path, text: str) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(SelectorsError, match="selectors file"):
        load_selectors(user)


@pytest.mark.parametrize("override", [{"sign_in": "oops"}, {"po_identity_markers": 5}, {"sign_in": None}])
def test_malformed_value_is_an_error(tmp_path: Path, override: dict) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps(override), encoding="utf-8")
    with pytest.raises(SelectorsError):
        load_selectors(user)


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(SelectorsError):
        load_selectors(user)


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("https://acme.coupahost.com", "https://acme.coupahost.com/order_headers/15262984"),
        ("https://acme.coupahost.com/", "https://acme.coupahost.com/order_headers/15262984"),
        ("http://127.0.0.1:8765//", "http://127.0.0.1:8765/order_headers/15262984"),
    ],
)
def test_po_page_url(base: str, url: str) -> None:
    assert load_selectors().po_page_url(base, "15262984") == url
