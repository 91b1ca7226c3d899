"""User settings remembered between runs (base URL, download root, browser, profile...).

Stored as JSON in the platformdirs config dir. Unknown keys are ignored and missing keys take their
defaults, so a settings file from an older or newer version still loads.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.models import RouteMode
from po_downloader.engine.system.paths import AppDirs

log = logging.getLogger(__name__)

ROUTE_MODES = tuple(m.value for m in RouteMode)

BROWSERS = ("edge", "chrome", "chromium")


def default_download_root() -> Path:
    return Path.home() / "Downloads" / "Coupa POs"


@dataclass(frozen=True)
class Settings:
    base_url: str = ""
    download_root: str = ""
    browser: str = "edge"
    headless: bool = True
    profile_dir: str = ""
    """Empty: po-downloader's own sign-in profile. Otherwise a browser "User Data" directory."""
    profile_name: str = "Default"
    driver: str = ""
    workers: int = 0
    """0 means: derive from cores and free memory."""
    max_attempts: int = 3
    page_timeout: float = 30.0
    attachment_timeout: float = 20.0
    download_timeout: float = 60.0
    """A download that makes no progress for this long fails (that file only)."""
    route_mode: str = "auto"
    """How PO pages are read: ``auto`` (HTTP where the batch proved it sees what the browser sees),
    ``browser`` or ``http`` (``models.RouteMode``); anything else reads as ``auto``."""
    grid_url: str = ""
    """A Selenium Grid 4 (``http://host:4444``): workers open remote browsers there; "" for local ones."""
    grid_wait: float = 300.0
    """Seconds a batch waits for a free slot on the Grid before it fails."""
    breaker: int = 10
    """Stop sending a group once its last this-many POs all failed the same way (``run/breaker.py``); 0 or
    less: off."""
    breaker_group: str = ""
    """The sheet column whose values group POs for the breaker (a company code); "": the whole batch."""
    facts: bool = False
    """Read what each PO's page shows (status, total, payment term...) into the results (``--facts``)."""
    folder_template: str = ""
    """Where PO folders go below the root (``output/folder_template``); "" for ``{supplier}/{po}``. Checked
    against the sheet's headers when a batch is prepared, since its tokens may name the sheet's columns."""

    def __post_init__(self) -> None:
        # Every Settings holds the one spelling of the address: the saved file, the CLI flag and the
        # dialog all come through here, so "https://host:443/" never reaches a worker or the results.
        object.__setattr__(self, "base_url", normalise_base_url(self.base_url))
        object.__setattr__(self, "grid_url", normalise_base_url(self.grid_url))
        if self.route_mode not in ROUTE_MODES:
            log.warning("ignoring route mode %r: expected one of %s", self.route_mode, ", ".join(ROUTE_MODES))
            object.__setattr__(self, "route_mode", "auto")

    def with_(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def root(self) -> Path:
        return Path(self.download_root).expanduser() if self.download_root else default_download_root()


def load_settings(dirs: AppDirs) -> Settings:
    path = dirs.settings_file
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable settings file %s: %s", path, exc)
        return Settings()
    known = {f.name: f for f in dataclasses.fields(Settings)}
    values: dict[str, Any] = {}
    for key, value in raw.items() if isinstance(raw, dict) else ():
        if key not in known:
            continue
        default = known[key].default
        if not _same_kind(value, default):
            log.warning(
                "ignoring setting %s=%r in %s: expected a %s", key, value, path, type(default).__name__
            )
            continue
        values[key] = float(value) if isinstance(default, float) else value
    try:
        return Settings(**values)
    except TypeError as exc:
        log.warning("ignoring malformed settings in %s: %s", path, exc)
        return Settings()


def _same_kind(value: object, default: object) -> bool:
    """A hand-edited ``"workers": "3"`` must fall back to the default, not crash comparisons later."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


def save_settings(dirs: AppDirs, settings: Settings) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dirs.config, prefix=".settings-", suffix=".json")
    values = dataclasses.asdict(settings)
    # The CLI remembers its URL flag before it is validated: a password typed into it is not kept on disk.
    values["base_url"] = without_credentials(settings.base_url)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(values, fh, indent=2)
    os.replace(tmp, dirs.settings_file)


def _is_local_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SettingsProblem(PoDownloaderError):
    """One reason the settings cannot run a batch (an exception class, but returned as a value)."""


_DEFAULT_PORTS = {"http": 80, "https": 443}


def without_credentials(url: str) -> str:
    """``url`` with any ``user:password@`` removed: the only form of a bad address we may repeat or log."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    host = rest[:end].rpartition("@")[2]
    return f"{scheme}{sep}{host}{rest[end:]}"


def validate_base_url(url: str) -> SettingsProblem | None:
    """Why ``url`` cannot be a Coupa base URL, or None when it can.

    Credentials would be copied into every PO's URL, the results sheet and the logs (the browser's
    own sign-in is the way); a query or fragment would be glued in front of each PO's path. No message
    here ever repeats a password: credentials are checked first, and later ones show the URL without them.
    """
    if not url:
        return SettingsProblem(
            ErrorKind.NO_BASE_URL, "no Coupa URL configured (e.g. https://yourcompany.coupahost.com)"
        )
    if (bare := without_credentials(url)) != url:
        return SettingsProblem(
            ErrorKind.BASE_URL_HAS_CREDENTIALS,
            f"the Coupa URL must not contain credentials: use {bare} and sign in in the browser",
            url=bare,
        )
    parsed = urlparse(url)
    try:
        parsed.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        parsed = parsed._replace(netloc="")
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return SettingsProblem(
            ErrorKind.BASE_URL_NOT_WEB,
            f"not a web address: {url!r} (expected e.g. https://yourcompany.coupahost.com)",
            url=url,
        )
    if parsed.scheme != "https" and not _is_local_host(parsed.hostname):
        return SettingsProblem(
            ErrorKind.BASE_URL_NOT_HTTPS,
            f"use https for {parsed.hostname}: the session cookie must not travel unencrypted",
            host=parsed.hostname,
        )
    before_fragment, hash_sign, _fragment = url.partition("#")
    if "?" in before_fragment:
        bare = before_fragment.partition("?")[0]
        return SettingsProblem(
            ErrorKind.BASE_URL_HAS_QUERY, f"the Coupa URL must not contain a query (?…): use {bare}", url=bare
        )
    if hash_sign:
        return SettingsProblem(
            ErrorKind.BASE_URL_HAS_FRAGMENT,
            f"the Coupa URL must not contain a fragment (#…): use {before_fragment}",
            url=before_fragment,
        )
    return None


def normalise_base_url(url: str) -> str:
    """The one spelling of a valid base URL: no default port, no trailing slash (``https://host:443/``
    → ``https://host``), so PO URLs match the pages the browser reports. An invalid URL comes back as
    typed (trimmed), for :func:`validate_base_url` to refuse."""
    url = url.strip()
    if validate_base_url(url) is not None:
        return url
    parsed = urlparse(url)
    netloc = parsed.netloc
    if parsed.port == _DEFAULT_PORTS[parsed.scheme] or netloc.endswith(":"):
        netloc = netloc.rpartition(":")[0]
    return urlunparse((parsed.scheme, netloc, parsed.path.rstrip("/"), parsed.params, "", ""))


def validate_grid_url(url: str) -> SettingsProblem | None:
    """Why ``url`` cannot be a Grid's address (the rules of the Coupa URL: the carried sign-in travels to
    it, so https unless it is this machine, and no credentials, query or fragment), or None."""
    problem = validate_base_url(url)
    if problem is None:
        return None
    shown = problem.details.get("url") or without_credentials(url)
    return SettingsProblem(
        ErrorKind.GRID_URL_INVALID, f"not a usable Grid address: {shown} ({problem})", url=shown
    )


def validate(settings: Settings) -> list[SettingsProblem]:
    """Every problem with ``settings``; empty when they can run. The front ends word them."""
    problems = []
    if err := validate_base_url(settings.base_url):
        problems.append(err)
    if settings.grid_url and (err := validate_grid_url(settings.grid_url)):
        problems.append(err)
    if settings.browser not in BROWSERS:
        problems.append(
            SettingsProblem(
                ErrorKind.UNKNOWN_BROWSER,
                f"unknown browser {settings.browser!r}: choose one of {', '.join(BROWSERS)}",
                browser=settings.browser,
                choices=", ".join(BROWSERS),
            )
        )
    if settings.workers < 0:
        problems.append(SettingsProblem(ErrorKind.NEGATIVE_WORKERS, "the worker count cannot be negative"))
    if settings.max_attempts < 1:
        problems.append(SettingsProblem(ErrorKind.ATTEMPTS_TOO_FEW, "attempts must be at least 1"))
    for name in ("page_timeout", "attachment_timeout", "download_timeout"):
        if getattr(settings, name) <= 0:
            problems.append(
                SettingsProblem(
                    ErrorKind.TIMEOUT_NOT_POSITIVE,
                    f"{name.replace('_', ' ')} must be positive",
                    setting=name.replace("_", " "),
                )
            )
    if settings.profile_dir and not Path(settings.profile_dir).expanduser().is_dir():
        problems.append(
            SettingsProblem(
                ErrorKind.PROFILE_DIR_NOT_FOUND,
                f"browser profile folder not found: {settings.profile_dir}",
                path=settings.profile_dir,
            )
        )
    if settings.driver and not Path(settings.driver).expanduser().is_file():
        problems.append(
            SettingsProblem(
                ErrorKind.DRIVER_NOT_FOUND, f"driver not found: {settings.driver}", path=settings.driver
            )
        )
    return problems


def check_writable(root: Path) -> SettingsProblem | None:
    """Why files cannot be written under ``root``, or None."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".po-downloader-write-test-"):
            pass
    except OSError as exc:
        detail = exc.strerror or str(exc)
        return SettingsProblem(
            ErrorKind.DOWNLOAD_FOLDER_NOT_WRITABLE,
            f"cannot write to the download folder {root}: {detail}",
            path=root,
            detail=detail,
        )
    return None
