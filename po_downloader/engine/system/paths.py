"""Where po-downloader keeps its own files, and where bundled resources are found.

Everything the app writes outside the download root lives under these directories, so one
``--dev-dir`` (or ``PO_DOWNLOADER_HOME``) can redirect all of it for tests and development.
"""

from __future__ import annotations

import ctypes
import importlib.resources
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "po-downloader"
HOME_ENV = "PO_DOWNLOADER_HOME"


@dataclass(frozen=True, slots=True)
class AppDirs:
    config: Path
    data: Path
    cache: Path
    state: Path

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def user_selectors_file(self) -> Path:
        """A user's override of the bundled selectors (Coupa changes its markup between releases)."""
        return self.config / "selectors.json"

    @property
    def signin_profile(self) -> Path:
        """po-downloader's own browser profile that the user signs in to once."""
        return self.data / "signin-profile"

    @property
    def journal_file(self) -> Path:
        """The batch journal (SQLite): history, resume and manifests; data, not cache, so never purged."""
        return self.data / "journal.sqlite3"

    @property
    def worker_profiles(self) -> Path:
        return self.cache / "worker-profiles"

    @property
    def runs(self) -> Path:
        return self.state / "runs"

    @property
    def logs(self) -> Path:
        return self.state / "logs"


def app_dirs(base: Path | None = None) -> AppDirs:
    """Platform directories, or all of them under ``base`` (or ``$PO_DOWNLOADER_HOME``) when given."""
    base = base or (Path(os.environ[HOME_ENV]) if os.environ.get(HOME_ENV) else None)
    if base is not None:
        base = base.expanduser().resolve()
        return AppDirs(base / "config", base / "data", base / "cache", base / "state")
    return AppDirs(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
    )


WINDOWS_MAX_PATH = 259
"""MAX_PATH (260) less the terminating NUL: the longest full path Windows opens without long paths."""


PATH_LIMIT_ENV = "PO_DOWNLOADER_PATH_LIMIT"
"""Tests only: a path limit (e.g. ``259``) to keep to on any OS, so the Windows budget is exercised by a
real batch on Linux; the worker processes inherit it. Unset, the OS decides (:func:`path_limit`)."""


def path_limit() -> int | None:
    """The longest full path this process may write, when names must be cut to keep to it; else None.

    Windows keeps to MAX_PATH unless long paths are enabled for the system (the ``LongPathsEnabled``
    policy) *and* the program declares ``longPathAware`` in its manifest (python.exe does; the frozen
    app does, see ``installer/windows/po-downloader.manifest``): ``RtlAreLongPathsEnabled`` answers for
    both. macOS (1024) and Linux (4096) leave room for any root plus the 120-character names we make.
    """
    forced = os.environ.get(PATH_LIMIT_ENV, "").strip()
    if forced.isdigit():
        return int(forced)
    if sys.platform != "win32":
        return None
    return None if _long_paths_enabled() else WINDOWS_MAX_PATH


def _long_paths_enabled() -> bool:
    try:
        ntdll = getattr(ctypes, "WinDLL")("ntdll")  # noqa: B009  (absent off Windows: mypy sees Linux)
        ntdll.RtlAreLongPathsEnabled.restype = ctypes.c_ubyte
        return bool(ntdll.RtlAreLongPathsEnabled())
    except (OSError, AttributeError):  # before Windows 10 1607: no long paths at all
        return False


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by this user only: profile copies hold session cookies."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        path.chmod(0o700)
    return path


def resources_dir() -> Path:
    """The ``resources/`` folder (selectors.json, icons, translations): one rule for every way the app runs.

    The package's location decides (``importlib.resources`` knows it installed, editable and frozen alike;
    PyInstaller's importer maps the package to ``sys._MEIPASS/po_downloader``): see :func:`resources_root`.
    Qt and ``open()`` need real files, so a zipped install is refused.
    """
    root = resources_root(Path(str(importlib.resources.files("po_downloader"))))
    if not root.is_dir():
        raise FileNotFoundError(f"bundled resources missing: {root} (po-downloader must not run from a zip)")
    return root


def resources_root(package: Path) -> Path:
    """Where ``resources/`` is for the package folder ``package``.

    A checkout (``pyproject.toml`` beside the package; an editable install runs from one) reads the sources
    at its top level, ``<checkout>/resources``. Anything shipped reads the copy inside the package,
    ``po_downloader/resources``: the wheel installs it there (pyproject maps the top-level folder to the
    data package ``po_downloader.resources``) and ``build_spec.py`` bundles it there. The checkout is asked
    first so that a leftover ``po_downloader/resources`` of an older checkout is never read.
    """
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "resources"
    return package / "resources"


def resource(name: str) -> Path:
    path = resources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"bundled resource missing: {path}")
    return path
