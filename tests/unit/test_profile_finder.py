"""Finding the browsers' profiles: where each browser keeps its User Data, and the profiles it holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from po_downloader.engine.browser.profile_finder import default_user_data_dir, list_profiles


def write(path: Path, data: bytes = b"x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_list_profiles_reads_local_state(tmp_path: Path) -> None:
    root = tmp_path / "User Data"
    cache = {
        "Profile 10": {"name": "Ten"},
        "Profile 2": {"name": "Work"},
        "Default": {"name": "Me"},
        "Gone": {},
    }
    write(root / "Local State", json.dumps({"profile": {"info_cache": cache}}).encode())
    for name in ("Default", "Profile 2", "Profile 10"):
        (root / name).mkdir()
    assert list_profiles(root) == [("Default", "Me"), ("Profile 2", "Work"), ("Profile 10", "Ten")]


def test_list_profiles_without_local_state(tmp_path: Path) -> None:
    write(tmp_path / "Default" / "Preferences", b"{}")
    write(tmp_path / "Profile 1" / "Preferences", b"{}")
    (tmp_path / "Crashpad").mkdir()
    assert list_profiles(tmp_path) == [("Default", "Default"), ("Profile 1", "Profile 1")]
    assert list_profiles(tmp_path / "missing") == []


@pytest.mark.parametrize(
    ("browser", "expected"),
    [
        ("edge", r"C:\Users\ann\AppData\Local\Microsoft\Edge\User Data"),
        ("chrome", r"C:\Users\ann\AppData\Local\Google\Chrome\User Data"),
        ("chromium", r"C:\Users\ann\AppData\Local\Chromium\User Data"),
    ],
)
def test_default_user_data_dir_windows(browser: str, expected: str) -> None:
    env = {"LOCALAPPDATA": r"C:\Users\ann\AppData\Local"}
    assert str(default_user_data_dir(browser, platform="win32", env=env, home=Path("/unused"))) == expected


def test_default_user_data_dir_windows_without_localappdata() -> None:
    result = default_user_data_dir("edge", platform="win32", env={}, home=Path(r"C:\Users\bob"))
    assert str(result) == r"C:\Users\bob\AppData\Local\Microsoft\Edge\User Data"


@pytest.mark.parametrize(
    ("browser", "expected"),
    [
        ("edge", "/Users/ann/Library/Application Support/Microsoft Edge"),
        ("chrome", "/Users/ann/Library/Application Support/Google/Chrome"),
        ("chromium", "/Users/ann/Library/Application Support/Chromium"),
    ],
)
def test_default_user_data_dir_macos(browser: str, expected: str) -> None:
    assert default_user_data_dir(browser, platform="darwin", env={}, home=Path("/Users/ann")) == Path(
        expected
    )


@pytest.mark.parametrize(
    ("browser", "env", "expected"),
    [
        ("edge", {}, "/home/ann/.config/microsoft-edge"),
        ("chrome", {}, "/home/ann/.config/google-chrome"),
        ("chromium", {}, "/home/ann/.config/chromium"),
        ("chromium", {"XDG_CONFIG_HOME": "/data/cfg"}, "/data/cfg/chromium"),
        ("chrome", {"XDG_CONFIG_HOME": "relative"}, "/home/ann/.config/google-chrome"),
    ],
)
def test_default_user_data_dir_linux(browser: str, env: dict[str, str], expected: str) -> None:
    assert default_user_data_dir(browser, platform="linux", env=env, home=Path("/home/ann")) == Path(expected)


def test_default_user_data_dir_rejects_unknown_browser() -> None:
    with pytest.raises(ValueError, match="unknown browser"):
        default_user_data_dir("firefox", platform="linux", env={}, home=Path("/home/ann"))
