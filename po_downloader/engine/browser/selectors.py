"""The data file that tells the portal driver how Coupa pages look.

Selectors are data, not code: Coupa changes its markup, and users must be able to adapt without a new
release by dropping a ``selectors.json`` into the config dir that overrides the bundled keys.
"""

from __future__ import annotations

import json
import logging
import string
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from po_downloader.engine.browser.page_state import (
    PageKind,
    PageObservation,
    PagePhrases,
    PageState,
    SignInPlaces,
    classify_page,
)
from po_downloader.engine.browser.po_facts import FactRule
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.outcome import FACT_NAMES
from po_downloader.engine.system.paths import resource

log = logging.getLogger(__name__)

BUNDLED_NAME = "selectors.json"


class SelectorsError(PoDownloaderError):
    """The selectors file is unreadable or lacks a key: a configuration error for the user to fix."""


class Shape(StrEnum):
    """What a selectors value must be; the value is the ``expected`` detail the front ends word."""

    STRINGS = "strings"
    """A non-empty list of non-empty strings: the driver cannot recognise its page without one."""
    OPTIONAL_STRINGS = "optional_strings"
    """A list of non-empty strings that may be empty: each entry only adds a way to recognise something."""
    TEXT = "text"
    """A non-empty string."""
    COMMENT = "comment"
    """Any string: a note for the person editing the file."""
    PO_URL = "po_url"
    """A string with exactly the placeholders ``{base_url}`` and ``{digits}``."""
    OBJECT = "object"
    """Reported for a nested key (``sign_in``) given as something other than a JSON object."""


FACT_WAYS = ("css", "labels")
"""How each fact is found (``facts.<fact>_css``, ``facts.<fact>_labels``): see ``browser/po_facts``."""

PO_URL_FIELDS = frozenset({"base_url", "digits"})
"""What :meth:`Selectors.po_page_url` fills in: a typo in one would fail every PO at run time."""

# Every key of the bundled file, with its shape: a key added to the file without one fails the tests.
SCHEMA: Mapping[str, Shape | Mapping[str, Shape]] = {
    "_comment": Shape.COMMENT,
    "po_url": Shape.PO_URL,
    "sign_in": {
        "portal_paths": Shape.STRINGS,
        "sso_hosts": Shape.OPTIONAL_STRINGS,
        "sso_paths": Shape.STRINGS,
        "form_selectors": Shape.STRINGS,
    },
    "error_containers": Shape.STRINGS,
    "portal_frame": Shape.STRINGS,
    "benign_containers": Shape.OPTIONAL_STRINGS,
    "not_found_phrases": Shape.STRINGS,
    "no_access_phrases": Shape.STRINGS,
    "portal_error_phrases": Shape.STRINGS,
    "po_identity_markers": Shape.STRINGS,
    "requisition_identity_markers": Shape.STRINGS,
    "loading_indicators": Shape.OPTIONAL_STRINGS,
    "loading_phrases": Shape.OPTIONAL_STRINGS,
    "attachment_sections": Shape.STRINGS,
    "attachment_section_headings": Shape.STRINGS,
    "attachment_spans": Shape.STRINGS,
    "attachment_links": Shape.STRINGS,
    "attachment_url_attributes": Shape.STRINGS,
    "attachment_count_attributes": Shape.OPTIONAL_STRINGS,
    "empty_state_selectors": Shape.OPTIONAL_STRINGS,
    "empty_state_phrases": Shape.OPTIONAL_STRINGS,
    "attachment_label_suffix": Shape.TEXT,
    "supplier_css": Shape.OPTIONAL_STRINGS,
    "supplier_labels": Shape.OPTIONAL_STRINGS,
    "requisition_links": Shape.OPTIONAL_STRINGS,
    "overlays": Shape.OPTIONAL_STRINGS,
    "modal_close_buttons": Shape.OPTIONAL_STRINGS,
    "facts": {
        **{f"{name}_{way}": Shape.OPTIONAL_STRINGS for name in FACT_NAMES for way in FACT_WAYS},
        "no_value_phrases": Shape.OPTIONAL_STRINGS,
    },
}


@dataclass(frozen=True)
class Selectors:
    po_url: str
    sign_in_places: SignInPlaces
    sign_in_form: tuple[str, ...]
    error_containers: tuple[str, ...]
    portal_frame: tuple[str, ...]
    """Markup only the portal's own pages carry (its navigation, its error boxes): a not-found or no-access
    phrase is a final verdict only on such a page of the portal's host, never on a proxy's or a CDN's."""
    benign_containers: tuple[str, ...]
    not_found_phrases: tuple[str, ...]
    no_access_phrases: tuple[str, ...]
    portal_error_phrases: tuple[str, ...]
    po_identity_markers: tuple[str, ...]
    requisition_identity_markers: tuple[str, ...]
    loading_indicators: tuple[str, ...]
    loading_phrases: tuple[str, ...]
    attachment_sections: tuple[str, ...]
    attachment_section_headings: tuple[str, ...]
    attachment_spans: tuple[str, ...]
    attachment_links: tuple[str, ...]
    attachment_url_attributes: tuple[str, ...]
    attachment_count_attributes: tuple[str, ...]
    """Attributes on the attachments section or its heading whose number is the count the page states for
    its list: equal to the items shown, nothing loading, the list is final without a settle."""
    empty_state_selectors: tuple[str, ...]
    empty_state_phrases: tuple[str, ...]
    attachment_label_suffix: str
    supplier_css: tuple[str, ...]
    supplier_labels: tuple[str, ...]
    requisition_links: tuple[str, ...]
    overlays: tuple[str, ...]
    modal_close_buttons: tuple[str, ...]
    facts: tuple[FactRule, ...] = ()
    """Where each of the PO's facts is on its page (``--facts``), in ``outcome.FACT_NAMES`` order."""
    fact_blanks: tuple[str, ...] = ()
    """What a page shows where a fact has no value ("None", "—"): such a fact is blank."""

    def classify(
        self, obs: PageObservation, digits: str, base_host: str, *, requisition: bool = False
    ) -> PageState:
        """What kind of page ``obs`` is, by ``page_state``'s rules with this tenant's words and sign-in
        places: one rule for the browser's rendered page and the served HTML alike."""
        return classify_page(
            obs,
            digits=digits,
            expect=PageKind.REQUISITION if requisition else PageKind.PO,
            phrases=PagePhrases(self.not_found_phrases, self.no_access_phrases, self.portal_error_phrases),
            base_host=base_host,
            sign_in=self.sign_in_places,
        )

    def po_page_url(self, base_url: str, digits: str) -> str:
        return self.po_url.format(base_url=base_url.rstrip("/"), digits=digits)

    def identity_markers(self, digits: str, *, requisition: bool = False) -> list[str]:
        """The markers that name this very document (``{digits}`` filled in)."""
        markers = self.requisition_identity_markers if requisition else self.po_identity_markers
        return [m.replace("{digits}", digits) for m in markers]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SelectorsError(
            ErrorKind.SELECTORS_UNREADABLE, f"cannot read selectors file {path}: {exc}", path=path, detail=exc
        ) from exc
    if not isinstance(data, dict):
        raise SelectorsError(
            ErrorKind.SELECTORS_NOT_OBJECT, f"selectors file {path} must hold a JSON object", path=path
        )
    return data


_ENGLISH = {
    Shape.STRINGS: "a non-empty list of non-empty strings",
    Shape.OPTIONAL_STRINGS: "a list of non-empty strings",
    Shape.TEXT: "a non-empty string",
    Shape.COMMENT: "a string",
    Shape.PO_URL: "a string with exactly the placeholders {base_url} and {digits}",
    Shape.OBJECT: "an object",
}


def _bad_value(key: str, shape: Shape, why: str = "") -> SelectorsError:
    return SelectorsError(
        ErrorKind.SELECTORS_BAD_VALUE,
        f"selectors key {key!r} must be {_ENGLISH[shape]}{why}",
        key=key,
        expected=shape.value,
    )


def _po_url_fields(value: str) -> list[str] | None:
    """The placeholders of ``value``, or None when one has a conversion, a format or broken braces."""
    fields = []
    try:
        for _text, name, spec, conversion in string.Formatter().parse(value):
            if name is None:
                continue
            if spec or conversion:
                return None
            fields.append(name)
    except ValueError:
        return None
    return fields


def _check(value: object, shape: Shape, key: str) -> None:
    """Raise ``SELECTORS_BAD_VALUE`` naming ``key`` unless ``value`` has ``shape``: at load, not mid-batch."""
    if shape in (Shape.STRINGS, Shape.OPTIONAL_STRINGS):
        # A bare string would silently become its characters; a dict, a TypeError deep in the driver.
        ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        if ok and shape is Shape.STRINGS and not value:
            raise _bad_value(key, shape, ", not empty")
    elif shape is Shape.TEXT:
        ok = isinstance(value, str) and bool(value.strip())
    elif shape is Shape.COMMENT:
        ok = isinstance(value, str)
    elif shape is Shape.PO_URL:
        fields = _po_url_fields(value) if isinstance(value, str) else None
        if fields is not None and set(fields) != PO_URL_FIELDS:
            raise _bad_value(key, shape, f" (found {sorted(set(fields))})")
        ok = fields is not None
    else:
        ok = isinstance(value, dict)
    if not ok:
        raise _bad_value(key, shape)


def _validated(data: Mapping[str, Any]) -> None:
    """Every key of :data:`SCHEMA` is present in ``data`` with its shape."""
    for key, shape in SCHEMA.items():
        if key not in data:
            raise SelectorsError(
                ErrorKind.SELECTORS_MISSING_KEY, f"selectors key {key!r} is missing", key=key
            )
        if isinstance(shape, Shape):
            _check(data[key], shape, key)
            continue
        _check(data[key], Shape.OBJECT, key)
        for sub, sub_shape in shape.items():
            dotted = f"{key}.{sub}"
            if sub not in data[key]:
                raise SelectorsError(
                    ErrorKind.SELECTORS_MISSING_KEY, f"selectors key {dotted!r} is missing", key=dotted
                )
            _check(data[key][sub], sub_shape, dotted)


def _unknown_keys(override: Mapping[str, Any]) -> list[str]:
    """Keys of a user's file that :data:`SCHEMA` does not declare, nested ones dotted (``sign_in.foo``)."""
    unknown = []
    for key, value in override.items():
        shape = SCHEMA.get(key)
        if shape is None:
            unknown.append(key)
        elif not isinstance(shape, Shape) and isinstance(value, dict):
            unknown.extend(f"{key}.{sub}" for sub in value if sub not in shape)
    return sorted(unknown)


def load_selectors(user_file: Path | None = None) -> Selectors:
    """Bundled selectors, overridden key by key by ``user_file`` when it exists.

    Every value is checked against :data:`SCHEMA` here, so a malformed file is one clear
    :class:`SelectorsError` naming the key when the window opens or a worker starts, never a TypeError.
    """
    data = _read(resource(BUNDLED_NAME))
    if user_file is not None and user_file.exists():
        override = _read(user_file)
        if isinstance(override.get("sign_in"), dict) and "url_patterns" in override["sign_in"]:
            raise SelectorsError(
                ErrorKind.SELECTORS_KEY_GONE,
                f"{user_file}: sign_in.url_patterns is gone: list the portal's own sign-in paths in"
                " sign_in.portal_paths, identity-provider hosts in sign_in.sso_hosts and their paths in"
                " sign_in.sso_paths",
                path=user_file,
                key="sign_in.url_patterns",
                replacement="sign_in.portal_paths, sign_in.sso_hosts, sign_in.sso_paths",
            )
        if unknown := _unknown_keys(override):
            raise SelectorsError(
                ErrorKind.SELECTORS_UNKNOWN_KEYS,
                f"{user_file}: unknown keys {unknown}",
                path=user_file,
                keys=", ".join(unknown),
            )
        log.info(
            "using selector overrides from %s: %s", user_file, sorted(k for k in override if k[0] != "_")
        )
        # A nested key merges sub-key by sub-key; any other value (even a stray dict) replaces, then is checked.
        data = {
            **data,
            **{k: {**data[k], **v} if _nested(k) and isinstance(v, dict) else v for k, v in override.items()},
        }
    _validated(data)
    return Selectors(
        po_url=data["po_url"],
        sign_in_places=SignInPlaces(
            portal_paths=tuple(data["sign_in"]["portal_paths"]),
            sso_hosts=tuple(data["sign_in"]["sso_hosts"]),
            sso_paths=tuple(data["sign_in"]["sso_paths"]),
        ),
        sign_in_form=tuple(data["sign_in"]["form_selectors"]),
        attachment_label_suffix=data["attachment_label_suffix"],
        facts=tuple(
            FactRule(name, tuple(data["facts"][f"{name}_css"]), tuple(data["facts"][f"{name}_labels"]))
            for name in FACT_NAMES
        ),
        fact_blanks=tuple(data["facts"]["no_value_phrases"]),
        **{name: tuple(data[name]) for name in _FLAT_LISTS},
    )


def _nested(key: str) -> bool:
    return not isinstance(SCHEMA[key], Shape)


# The Selectors fields read straight from a top-level list of the same name.
_FLAT_LISTS = tuple(
    name for name, shape in SCHEMA.items() if shape in (Shape.STRINGS, Shape.OPTIONAL_STRINGS)
)
