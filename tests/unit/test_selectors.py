"""The selectors data file: the bundled copy, a user's overrides, and the errors a user can make."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from po_downloader.cli import messages
from po_downloader.engine.browser.selectors import (
    BUNDLED_NAME,
    SCHEMA,
    Selectors,
    SelectorsError,
    Shape,
    load_selectors,
)
from po_downloader.engine.errors import ErrorKind
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
    assert sel.attachment_label_suffix == data["attachment_label_suffix"] == "file attachment"
    lists = {key: tuple(value) for key, value in data.items() if isinstance(value, list)}
    assert {name: getattr(sel, name) for name in lists} == lists  # each list as the file has it, in order
    # and no field is left that the file does not fill: the lists, the texts, the sign-in keys above
    assert set(Selectors.__dataclass_fields__) == {
        *lists,
        "po_url",
        "attachment_label_suffix",
        "sign_in_places",
        "sign_in_form",
        "facts",  # and the facts' rules (tests/unit/test_po_facts.py)
        "fact_blanks",
    }
    for name in Selectors.__dataclass_fields__:
        value = getattr(sel, name)
        assert value, f"{name} is empty"
        if isinstance(value, tuple) and name != "facts":
            assert all(isinstance(v, str) and v for v in value), name


def test_missing_user_file_means_bundled(tmp_path: Path) -> None:
    sel = load_selectors(tmp_path / "selectors.json")
    assert sel == load_selectors()
    assert sel.po_url == bundled()["po_url"]


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
    with pytest.raises(
        SelectorsError, match=r"sign_in\.url_patterns.*sign_in\.portal_paths.*sso_hosts"
    ) as caught:
        load_selectors(user)
    assert caught.value.kind is ErrorKind.SELECTORS_KEY_GONE
    assert caught.value.details == {
        "path": str(user),
        "key": "sign_in.url_patterns",
        "replacement": "sign_in.portal_paths, sign_in.sso_hosts, sign_in.sso_paths",
    }


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"atachment_links": ["a"]}), encoding="utf-8")
    with pytest.raises(SelectorsError, match="atachment_links") as caught:
        load_selectors(user)
    assert caught.value.kind is ErrorKind.SELECTORS_UNKNOWN_KEYS
    assert caught.value.details == {"path": str(user), "keys": "atachment_links"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("{not json", ErrorKind.SELECTORS_UNREADABLE),
        ("", ErrorKind.SELECTORS_UNREADABLE),
        ("[1, 2]", ErrorKind.SELECTORS_NOT_OBJECT),
        ('"a string"', ErrorKind.SELECTORS_NOT_OBJECT),
    ],
)
def test_malformed_file_is_an_error(tmp_path: Path, text: str, kind: ErrorKind) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(text, encoding="utf-8")
    with pytest.raises(SelectorsError, match="selectors file") as caught:
        load_selectors(user)
    assert caught.value.kind is kind
    assert caught.value.details["path"] == str(user)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"sign_in": "oops"}, Shape.OBJECT),
        ({"po_identity_markers": 5}, Shape.STRINGS),
        ({"sign_in": None}, Shape.OBJECT),
    ],
)
def test_malformed_value_is_an_error(tmp_path: Path, override: dict, expected: Shape) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps(override), encoding="utf-8")
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert caught.value.kind is ErrorKind.SELECTORS_BAD_VALUE
    assert caught.value.details == {"key": next(iter(override)), "expected": expected.value}


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert caught.value.kind is ErrorKind.SELECTORS_UNREADABLE
    assert caught.value.details["path"] == str(user)
    assert "utf-8" in caught.value.details["detail"]  # what the reader said, for the user to act on


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


# ------------------------------------------------------------------ every key has a declared shape


def bundled_keys() -> dict[str, object]:
    """Every key of the bundled file, nested ones dotted (``sign_in.sso_hosts``), with its value."""
    keys: dict[str, object] = {}
    for key, value in bundled().items():
        if isinstance(value, dict):
            keys.update({f"{key}.{sub}": v for sub, v in value.items()})
        else:
            keys[key] = value
    return keys


def override_of(dotted: str, value: object) -> dict:
    key, _, sub = dotted.partition(".")
    return {key: {sub: value}} if sub else {key: value}


def wrong_value_for(value: object) -> object:
    """A value of another type than the bundled one: the issue's dict where a list is expected."""
    if isinstance(value, list):
        return {"a": "b"}
    if isinstance(value, str):
        return ["a"]
    return "a"


def test_every_bundled_key_has_a_declared_shape() -> None:
    declared = {
        f"{key}.{sub}" if not isinstance(shape, Shape) else key
        for key, shape in SCHEMA.items()
        for sub in ([""] if isinstance(shape, Shape) else shape)
    }
    assert declared == set(bundled_keys())


@pytest.mark.parametrize("dotted", sorted(bundled_keys()))
def test_a_wrong_typed_override_of_any_key_is_refused_with_that_key_named(
    tmp_path: Path, dotted: str
) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(
        json.dumps(override_of(dotted, wrong_value_for(bundled_keys()[dotted]))), encoding="utf-8"
    )
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert caught.value.kind is ErrorKind.SELECTORS_BAD_VALUE
    assert caught.value.details["key"] == dotted
    assert dotted in messages.error_message(caught.value)


@pytest.mark.parametrize("key", [k for k, v in SCHEMA.items() if not isinstance(v, Shape)])
def test_a_nested_key_given_as_a_list_is_refused_with_its_name(tmp_path: Path, key: str) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({key: ["a"]}), encoding="utf-8")
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert (caught.value.kind, caught.value.details["key"]) == (ErrorKind.SELECTORS_BAD_VALUE, key)
    assert caught.value.details["expected"] == Shape.OBJECT


def test_a_list_key_given_as_an_object_says_what_it_must_be(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"sign_in": {"sso_hosts": {"okta.com": True}}}), encoding="utf-8")
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert (
        messages.error_message(caught.value)
        == "selectors key 'sign_in.sso_hosts' must be a list of non-empty strings"
    )


def test_an_unknown_sub_key_is_refused_with_its_dotted_name(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"sign_in": {"sso_hostz": ["idp.example.com"]}}), encoding="utf-8")
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert caught.value.kind is ErrorKind.SELECTORS_UNKNOWN_KEYS
    assert caught.value.details["keys"] == "sign_in.sso_hostz"


def _dotted_with(shape: Shape) -> list[str]:
    return sorted(k for k in bundled_keys() if _shape_of(k) is shape)


def _shape_of(dotted: str) -> object:
    key, _, sub = dotted.partition(".")
    shape = SCHEMA[key]
    return shape[sub] if sub and not isinstance(shape, Shape) else shape


@pytest.mark.parametrize("dotted", _dotted_with(Shape.STRINGS))
def test_an_empty_list_is_refused_where_the_driver_needs_one(tmp_path: Path, dotted: str) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps(override_of(dotted, [])), encoding="utf-8")
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert (caught.value.kind, caught.value.details["key"]) == (ErrorKind.SELECTORS_BAD_VALUE, dotted)
    assert "not empty" in messages.error_message(caught.value)


@pytest.mark.parametrize("dotted", _dotted_with(Shape.OPTIONAL_STRINGS))
def test_an_empty_list_is_accepted_where_entries_only_add_recognition(tmp_path: Path, dotted: str) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps(override_of(dotted, [])), encoding="utf-8")
    sel, base = load_selectors(user), load_selectors()
    assert _field_of(sel, dotted) == ()
    assert _field_of(base, dotted), "the bundled list is not empty, so the override took effect"
    others = [k for k in bundled_keys() if k != dotted and _shape_of(k) is not Shape.COMMENT]
    assert all(_field_of(sel, k) == _field_of(base, k) for k in others)  # the rest stays bundled


def _field_of(sel: Selectors, dotted: str) -> object:
    """The ``Selectors`` value a dotted key of the file fills (the sign-in keys live in two fields)."""
    if dotted == "sign_in.form_selectors":
        return sel.sign_in_form
    key, _, sub = dotted.partition(".")
    if key == "facts":  # ``facts.<fact>_css`` / ``_labels`` fill that fact's rule; the phrases, fact_blanks
        if sub == "no_value_phrases":
            return sel.fact_blanks
        name, _, way = sub.rpartition("_")
        return getattr(next(rule for rule in sel.facts if rule.name == name), way)
    return getattr(sel.sign_in_places, sub) if sub else getattr(sel, key)


def test_an_empty_string_in_a_list_is_refused(tmp_path: Path) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"overlays": [".modal", "  "]}), encoding="utf-8")
    with pytest.raises(SelectorsError, match="overlays") as caught:
        load_selectors(user)
    assert caught.value.kind is ErrorKind.SELECTORS_BAD_VALUE
    assert caught.value.details == {"key": "overlays", "expected": Shape.OPTIONAL_STRINGS.value}


# ------------------------------------------------------------------ po_url's placeholders


@pytest.mark.parametrize(
    "po_url",
    [
        "{base_url}/order_headers/{digit}",  # a typo: every PO would fail at run time
        "{base_url}/order_headers/",  # no {digits}: every PO the same page
        "https://acme.coupahost.com/order_headers/{digits}",  # no {base_url}: the setting ignored
        "{base_url}/order_headers/{digits}/{extra}",
        "{base_url}/order_headers/{}",
        "{base_url}/order_headers/{digits!r}",
        "{base_url}/order_headers/{digits:>10}",
        "{base_url}/order_headers/{digits.real}",
        "{base_url}/order_headers/{digits",
        "{base_url}/order_headers/digits}",
        "",
        5,
        ["{base_url}/order_headers/{digits}"],
    ],
)
def test_po_url_with_a_wrong_placeholder_is_refused_naming_po_url(tmp_path: Path, po_url: object) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"po_url": po_url}), encoding="utf-8")
    with pytest.raises(SelectorsError) as caught:
        load_selectors(user)
    assert (caught.value.kind, caught.value.details["key"]) == (ErrorKind.SELECTORS_BAD_VALUE, "po_url")
    assert messages.error_message(caught.value) == (
        "selectors key 'po_url' must be a string with exactly the placeholders {base_url} and {digits}"
    )


@pytest.mark.parametrize(
    ("po_url", "url"),
    [
        ("{base_url}/order_headers/{digits}", "https://x.example.com/order_headers/42"),
        ("{base_url}/po/{digits}?tab=attachments", "https://x.example.com/po/42?tab=attachments"),
        ("{base_url}/a/{digits}/b/{digits}", "https://x.example.com/a/42/b/42"),
    ],
)
def test_po_url_with_exactly_its_placeholders_is_accepted(tmp_path: Path, po_url: str, url: str) -> None:
    user = tmp_path / "selectors.json"
    user.write_text(json.dumps({"po_url": po_url}), encoding="utf-8")
    assert load_selectors(user).po_page_url("https://x.example.com", "42") == url
