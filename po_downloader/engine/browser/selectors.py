"""The data file that tells the portal driver how Coupa pages look.

Selectors are data, not code: Coupa changes its markup, and users must be able to adapt without a new
release by dropping a ``selectors.json`` into the config dir that overrides the bundled keys.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from po_downloader.engine.browser.page_state import SignInPlaces
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.system.paths import resource

log = logging.getLogger(__name__)

BUNDLED_NAME = "selectors.json"


class SelectorsError(PoDownloaderError):
    """The selectors file is unreadable or lacks a key: a configuration error for the user to fix."""


@dataclass(frozen=True)
class Selectors:
    po_url: str
    sign_in_places: SignInPlaces
    sign_in_form: tuple[str, ...]
    error_containers: tuple[str, ...]
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
    empty_state_selectors: tuple[str, ...]
    empty_state_phrases: tuple[str, ...]
    attachment_label_suffix: str
    supplier_css: tuple[str, ...]
    supplier_labels: tuple[str, ...]
    requisition_links: tuple[str, ...]
    overlays: tuple[str, ...]
    modal_close_buttons: tuple[str, ...]

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


def _strings(data: dict[str, Any], *path: str) -> tuple[str, ...]:
    """A list of non-empty strings at ``path``; a bare string would silently become its characters."""
    value: Any = data
    for key in path:
        value = value[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        key = ".".join(path)
        raise SelectorsError(
            ErrorKind.SELECTORS_BAD_VALUE,
            f"selectors key {key!r} must be a list of non-empty strings",
            key=key,
        )
    return tuple(value)


def load_selectors(user_file: Path | None = None) -> Selectors:
    """Bundled selectors, overridden key by key by ``user_file`` when it exists."""
    data = _read(resource(BUNDLED_NAME))
    if user_file is not None and user_file.exists():
        override = _read(user_file)
        unknown = set(override) - set(data)
        if unknown:
            raise SelectorsError(
                ErrorKind.SELECTORS_UNKNOWN_KEYS,
                f"{user_file}: unknown keys {sorted(unknown)}",
                path=user_file,
                keys=", ".join(sorted(unknown)),
            )
        log.info(
            "using selector overrides from %s: %s", user_file, sorted(k for k in override if k[0] != "_")
        )
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
        data = {
            **data,
            **{k: v if not isinstance(v, dict) else {**data[k], **v} for k, v in override.items()},
        }
    try:
        return Selectors(
            po_url=str(data["po_url"]),
            sign_in_places=SignInPlaces(
                portal_paths=_strings(data, "sign_in", "portal_paths"),
                sso_hosts=_strings(data, "sign_in", "sso_hosts"),
                sso_paths=_strings(data, "sign_in", "sso_paths"),
            ),
            sign_in_form=_strings(data, "sign_in", "form_selectors"),
            error_containers=_strings(data, "error_containers"),
            benign_containers=_strings(data, "benign_containers"),
            not_found_phrases=_strings(data, "not_found_phrases"),
            no_access_phrases=_strings(data, "no_access_phrases"),
            portal_error_phrases=_strings(data, "portal_error_phrases"),
            po_identity_markers=_strings(data, "po_identity_markers"),
            requisition_identity_markers=_strings(data, "requisition_identity_markers"),
            loading_indicators=_strings(data, "loading_indicators"),
            loading_phrases=_strings(data, "loading_phrases"),
            attachment_sections=_strings(data, "attachment_sections"),
            attachment_section_headings=_strings(data, "attachment_section_headings"),
            attachment_spans=_strings(data, "attachment_spans"),
            attachment_links=_strings(data, "attachment_links"),
            attachment_url_attributes=_strings(data, "attachment_url_attributes"),
            empty_state_selectors=_strings(data, "empty_state_selectors"),
            empty_state_phrases=_strings(data, "empty_state_phrases"),
            attachment_label_suffix=str(data["attachment_label_suffix"]),
            supplier_css=_strings(data, "supplier_css"),
            supplier_labels=_strings(data, "supplier_labels"),
            requisition_links=_strings(data, "requisition_links"),
            overlays=_strings(data, "overlays"),
            modal_close_buttons=_strings(data, "modal_close_buttons"),
        )
    except (KeyError, TypeError) as exc:
        raise SelectorsError(
            ErrorKind.SELECTORS_MISSING_KEY,
            f"selectors file is missing or has a malformed key: {exc}",
            key=exc,
        ) from exc
