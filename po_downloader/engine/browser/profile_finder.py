"""Finding the browsers' profiles on this machine, for the settings dialog: where each browser keeps its
User Data, and which profiles (directory and display name) it holds. Read-only: nothing here copies.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from po_downloader.engine.system.settings import BROWSERS

log = logging.getLogger(__name__)

LOCAL_STATE = "Local State"
"""The User Data file that names the profiles (and holds the key the cookies are sealed with)."""

_WINDOWS_DIRS = {
    "edge": ("Microsoft", "Edge", "User Data"),
    "chrome": ("Google", "Chrome", "User Data"),
    "chromium": ("Chromium", "User Data"),
}
_MACOS_DIRS = {"edge": ("Microsoft Edge",), "chrome": ("Google", "Chrome"), "chromium": ("Chromium",)}
_LINUX_DIRS = {"edge": "microsoft-edge", "chrome": "google-chrome", "chromium": "chromium"}


def default_user_data_dir(
    browser: str,
    *,
    platform: str = sys.platform,
    env: Mapping[str, str] = os.environ,
    home: Path | None = None,
) -> Path:
    """Where ``browser`` keeps its User Data on ``platform``; pure, so every OS's answer can be tested.

    ``home`` defaults to the current user's home directory.
    """
    if browser not in BROWSERS:
        raise ValueError(f"unknown browser {browser!r}; expected one of {', '.join(BROWSERS)}")
    home = Path.home() if home is None else home
    path: PurePath
    if platform == "win32":
        local = env.get("LOCALAPPDATA") or str(PureWindowsPath(home, "AppData", "Local"))
        path = PureWindowsPath(local, *_WINDOWS_DIRS[browser])
    elif platform == "darwin":
        path = PurePosixPath(home, "Library", "Application Support", *_MACOS_DIRS[browser])
    else:
        config = env.get("XDG_CONFIG_HOME", "")
        base = PurePosixPath(config) if config.startswith("/") else PurePosixPath(home, ".config")
        path = base / _LINUX_DIRS[browser]
    return Path(str(path))


def _profile_sort_key(name: str) -> tuple[bool, int, str]:
    match = re.fullmatch(r"Profile (\d+)", name)
    return (name != "Default", int(match.group(1)) if match else sys.maxsize, name)


def list_profiles(user_data_dir: Path) -> list[tuple[str, str]]:
    """``(directory name, display name)`` of each profile that exists on disk, ``Default`` first."""
    names: dict[str, str] = {}
    try:
        local_state = json.loads((user_data_dir / LOCAL_STATE).read_text(encoding="utf-8"))
        cache = local_state.get("profile", {}).get("info_cache", {})
        for directory, info in cache.items():
            names[directory] = str(info.get("name") or directory) if isinstance(info, dict) else directory
    except (OSError, ValueError, AttributeError) as exc:
        log.debug("no usable %s in %s: %s", LOCAL_STATE, user_data_dir, exc)
    if not names and user_data_dir.is_dir():
        # No Local State: any directory with Preferences is a profile.
        names = {p.parent.name: p.parent.name for p in user_data_dir.glob("*/Preferences")}
    existing = [name for name in names if (user_data_dir / name).is_dir()]
    return [(name, names[name]) for name in sorted(existing, key=_profile_sort_key)]
