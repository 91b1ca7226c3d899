"""Settings: JSON round trip, tolerant loading, and the checks that word problems for the user."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from po_downloader.cli import messages
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.system.paths import AppDirs, app_dirs, resources_root
from po_downloader.engine.system.settings import (
    Settings,
    check_writable,
    load_settings,
    normalise_base_url,
    save_settings,
    validate,
    validate_base_url,
    without_credentials,
)

GOOD = Settings(base_url="https://acme.coupahost.com")


@pytest.fixture
def dirs(tmp_path: Path) -> AppDirs:
    return app_dirs(tmp_path / "home")


def test_missing_file_gives_defaults(dirs: AppDirs) -> None:
    assert load_settings(dirs) == Settings()


def test_round_trip(dirs: AppDirs) -> None:
    settings = Settings(
        base_url="https://acme.coupahost.com",
        download_root="/data/pos",
        browser="chrome",
        headless=False,
        profile_dir="/profiles/User Data",
        profile_name="Profile 2",
        driver="/bin/chromedriver",
        workers=6,
        max_attempts=5,
        page_timeout=45.0,
        attachment_timeout=12.5,
        download_timeout=90.0,
        route_mode="http",
        grid_url="https://grid.acme.example:4444",
        grid_wait=60.0,
        breaker=4,
        breaker_group="Company code",
        facts=True,
        folder_template="{Centro de custo}/{supplier}/{po}",
    )
    assert all(getattr(settings, f.name) != f.default for f in dataclasses.fields(Settings))
    save_settings(dirs, settings)
    assert dirs.settings_file.is_file()
    assert load_settings(dirs) == settings
    assert [p.name for p in dirs.config.iterdir()] == ["settings.json"]  # no temp file left


def test_save_replaces_the_previous_file(dirs: AppDirs) -> None:
    save_settings(dirs, Settings(workers=2))
    save_settings(dirs, Settings(workers=3))
    assert load_settings(dirs).workers == 3


def test_unknown_keys_ignored_and_missing_keys_defaulted(dirs: AppDirs) -> None:
    dirs.config.mkdir(parents=True)
    dirs.settings_file.write_text(
        json.dumps({"base_url": "https://x.coupahost.com", "from_the_future": 1}), encoding="utf-8"
    )
    assert load_settings(dirs) == Settings(base_url="https://x.coupahost.com")


@pytest.mark.expect_log(
    "po_downloader.engine.system.settings", r"ignoring setting workers='3' in .*: expected a int"
)
@pytest.mark.expect_log(
    "po_downloader.engine.system.settings", r"ignoring setting headless='no' in .*: expected a bool"
)
@pytest.mark.expect_log(
    "po_downloader.engine.system.settings", r"ignoring setting max_attempts=True in .*: expected a int"
)
@pytest.mark.expect_log(
    "po_downloader.engine.system.settings", r"ignoring setting browser=None in .*: expected a str"
)
@pytest.mark.expect_log(
    "po_downloader.engine.system.settings", r"ignoring setting download_timeout='60' in .*: expected a float"
)
def test_wrongly_typed_values_fall_back_to_their_defaults(dirs: AppDirs) -> None:
    dirs.config.mkdir(parents=True)
    raw = {
        "base_url": "https://x.coupahost.com",
        "workers": "3",
        "headless": "no",
        "max_attempts": True,
        "browser": None,
        "page_timeout": 45,
        "download_timeout": "60",
    }
    dirs.settings_file.write_text(json.dumps(raw), encoding="utf-8")
    loaded = load_settings(dirs)
    assert loaded == Settings(base_url="https://x.coupahost.com", page_timeout=45.0)
    assert isinstance(loaded.page_timeout, float)
    assert validate(loaded) == []  # no TypeError from a "3" compared with 0


_UNREADABLE = pytest.mark.expect_log(
    "po_downloader.engine.system.settings", r"ignoring unreadable settings file "
)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{broken", marks=_UNREADABLE),
        pytest.param("", marks=_UNREADABLE),
        "[1, 2]",
        "null",
        '"text"',
    ],
)
def test_corrupt_file_gives_defaults(dirs: AppDirs, text: str) -> None:
    dirs.config.mkdir(parents=True)
    dirs.settings_file.write_text(text, encoding="utf-8")
    assert load_settings(dirs) == Settings()


def test_with_ignores_none() -> None:
    changed = GOOD.with_(workers=4, browser=None)
    assert changed.workers == 4 and changed.browser == GOOD.browser and changed.base_url == GOOD.base_url


def test_root_defaults_under_downloads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    assert Settings().root == tmp_path / "Downloads" / "Coupa POs"
    assert Settings(download_root="~/pos").root == tmp_path / "pos"


# ------------------------------------------------------------------ base URL


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.coupahost.com",
        "https://acme.coupahost.com/",
        "http://127.0.0.1:8765",
        "http://localhost:8000",
        "http://[::1]:8000",
    ],
)
def test_acceptable_base_urls(url: str) -> None:
    assert validate_base_url(url) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("", "no Coupa URL"),
        ("acme.coupahost.com", "not a web address"),
        ("ftp://acme.coupahost.com", "not a web address"),
        ("https://", "not a web address"),
        ("http://acme.coupahost.com", "use https for acme.coupahost.com"),
        ("http://10.0.0.5", "use https"),
    ],
)
def test_rejected_base_urls(url: str, words: str) -> None:
    problem = validate_base_url(url)
    assert problem is not None and words in str(problem)
    assert problem.kind.is_config


@pytest.mark.parametrize(
    "url",
    [
        "https://jdoe:Hunter2pw@acme.coupahost.com",
        "https://jdoe:Hunter2pw@acme.coupahost.com:443/",
        "https://Hunter2pw@acme.coupahost.com",
        "http://jdoe:Hunter2pw@127.0.0.1:8765",
        "ftp://jdoe:Hunter2pw@acme.coupahost.com",  # credentials win over "not a web address": no echo
        "jdoe:Hunter2pw@acme.coupahost.com",
        "https://jdoe:Hunter2pw@acme.coupahost.com/?next=1#top",
    ],
)
def test_credentials_are_refused_without_ever_repeating_them(url: str) -> None:
    problem = validate_base_url(url)
    assert problem is not None and problem.kind is ErrorKind.BASE_URL_HAS_CREDENTIALS
    assert problem.kind.is_config
    shown = [str(problem), repr(problem), *problem.details.values(), messages.error_message(problem)]
    assert not [text for text in shown if "Hunter2pw" in text or "jdoe" in text]
    assert "credentials" in str(problem)
    assert "user name or password" in messages.error_message(problem)


def test_the_credentials_message_offers_the_address_without_them() -> None:
    problem = validate_base_url("https://u:p@acme.coupahost.com/coupa")
    assert problem is not None
    assert problem.details == {"url": "https://acme.coupahost.com/coupa"}
    assert messages.error_message(problem) == (
        "the Coupa URL must not contain a user name or password: pass --base-url "
        "https://acme.coupahost.com/coupa and sign in with `po-downloader sign-in`"
    )


@pytest.mark.parametrize(
    ("url", "kind", "bare"),
    [
        ("https://acme.coupahost.com/?x=1", ErrorKind.BASE_URL_HAS_QUERY, "https://acme.coupahost.com/"),
        ("https://acme.coupahost.com?", ErrorKind.BASE_URL_HAS_QUERY, "https://acme.coupahost.com"),
        ("https://acme.coupahost.com/a?b#c", ErrorKind.BASE_URL_HAS_QUERY, "https://acme.coupahost.com/a"),
        ("https://acme.coupahost.com#top", ErrorKind.BASE_URL_HAS_FRAGMENT, "https://acme.coupahost.com"),
        ("https://acme.coupahost.com/#", ErrorKind.BASE_URL_HAS_FRAGMENT, "https://acme.coupahost.com/"),
        ("http://127.0.0.1:8765/#/x?y", ErrorKind.BASE_URL_HAS_FRAGMENT, "http://127.0.0.1:8765/"),
    ],
)
def test_a_query_or_a_fragment_is_refused_with_a_kind_each(url: str, kind: ErrorKind, bare: str) -> None:
    problem = validate_base_url(url)
    assert problem is not None and problem.kind is kind and kind.is_config
    assert problem.details == {"url": bare}
    assert f"--base-url {bare}" in messages.error_message(problem)


@pytest.mark.parametrize("url", ["https://acme.coupahost.com:99999", "https://acme.coupahost.com:https"])
def test_a_port_that_is_not_a_port_is_not_a_web_address(url: str) -> None:
    problem = validate_base_url(url)
    assert problem is not None and problem.kind is ErrorKind.BASE_URL_NOT_WEB


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://acme.coupahost.com:443", "https://acme.coupahost.com"),
        ("https://acme.coupahost.com:443/", "https://acme.coupahost.com"),
        ("HTTPS://acme.coupahost.com:443", "https://acme.coupahost.com"),
        ("https://acme.coupahost.com/", "https://acme.coupahost.com"),
        ("https://acme.coupahost.com/coupa//", "https://acme.coupahost.com/coupa"),
        ("https://acme.coupahost.com:8443/", "https://acme.coupahost.com:8443"),
        ("https://acme.coupahost.com:80", "https://acme.coupahost.com:80"),  # 80 is not https's default
        ("http://localhost:80/", "http://localhost"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("http://[::1]:80/", "http://[::1]"),
        ("  https://acme.coupahost.com  ", "https://acme.coupahost.com"),
        # invalid ones are left as typed, for validation to refuse
        ("https://u:p@acme.coupahost.com:443/", "https://u:p@acme.coupahost.com:443/"),
        ("https://acme.coupahost.com:443/?x", "https://acme.coupahost.com:443/?x"),
        ("", ""),
    ],
)
def test_the_default_port_and_a_trailing_slash_are_normalised_away(url: str, normal: str) -> None:
    assert normalise_base_url(url) == normal
    assert normalise_base_url(normal) == normal


def test_every_settings_holds_the_normalised_url(dirs: AppDirs) -> None:
    settings = Settings(base_url="https://acme.coupahost.com:443/")
    assert settings.base_url == "https://acme.coupahost.com"
    assert Settings().with_(base_url="http://localhost:80/").base_url == "http://localhost"
    dirs.config.mkdir(parents=True)
    dirs.settings_file.write_text(
        json.dumps({"base_url": "https://acme.coupahost.com:443/"}), encoding="utf-8"
    )
    assert load_settings(dirs).base_url == "https://acme.coupahost.com"
    save_settings(dirs, settings)
    assert (
        json.loads(dirs.settings_file.read_text(encoding="utf-8"))["base_url"] == "https://acme.coupahost.com"
    )


def test_a_password_in_the_url_is_never_saved(dirs: AppDirs) -> None:
    save_settings(dirs, Settings(base_url="https://jdoe:Hunter2pw@acme.coupahost.com"))
    text = dirs.settings_file.read_text(encoding="utf-8")
    assert "Hunter2pw" not in text and "jdoe" not in text
    assert load_settings(dirs).base_url == "https://acme.coupahost.com"


@pytest.mark.parametrize(
    ("url", "bare"),
    [
        ("https://u:p@h/x@y", "https://h/x@y"),  # an @ in the path is not credentials
        ("https://h/x@y", "https://h/x@y"),
        ("https://a@b@h?q=@", "https://h?q=@"),
        ("u:p@h", "h"),
    ],
)
def test_without_credentials(url: str, bare: str) -> None:
    assert without_credentials(url) == bare


# ------------------------------------------------------------------ validate


def test_valid_settings_have_no_problems() -> None:
    assert validate(GOOD) == []


def test_every_problem_is_listed() -> None:
    problems = validate(
        Settings(
            base_url="",
            browser="firefox",
            workers=-1,
            max_attempts=0,
            page_timeout=0,
            attachment_timeout=-1,
            download_timeout=0,
        )
    )
    text = "\n".join(map(str, problems))
    assert len(problems) == 7
    assert [p.kind for p in problems] == [
        ErrorKind.NO_BASE_URL,
        ErrorKind.UNKNOWN_BROWSER,
        ErrorKind.NEGATIVE_WORKERS,
        ErrorKind.ATTEMPTS_TOO_FEW,
        *[ErrorKind.TIMEOUT_NOT_POSITIVE] * 3,
    ]
    assert problems[1].details == {"browser": "firefox", "choices": "edge, chrome, chromium"}
    assert "no Coupa URL" in text
    assert "unknown browser 'firefox'" in text and "edge, chrome, chromium" in text
    assert "worker count cannot be negative" in text
    assert "attempts must be at least 1" in text
    for name in ("page timeout", "attachment timeout", "download timeout"):
        assert f"{name} must be positive" in text


def test_missing_profile_and_driver_are_problems(tmp_path: Path) -> None:
    problems = validate(GOOD.with_(profile_dir=str(tmp_path / "nope"), driver=str(tmp_path / "driver")))
    assert len(problems) == 2
    assert "browser profile folder not found" in str(problems[0])
    assert "driver not found" in str(problems[1])
    assert problems[0].details == {"path": str(tmp_path / "nope")}
    (tmp_path / "nope").mkdir()
    (tmp_path / "driver").write_bytes(b"")
    assert validate(GOOD.with_(profile_dir=str(tmp_path / "nope"), driver=str(tmp_path / "driver"))) == []


# ------------------------------------------------------------------ check_writable


def test_writable_folder_is_created(tmp_path: Path) -> None:
    root = tmp_path / "a" / "b"
    assert check_writable(root) is None
    assert root.is_dir()
    assert list(root.iterdir()) == []  # the probe file is gone


def test_folder_under_a_file_is_not_writable(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    problem = check_writable(tmp_path / "file" / "sub")
    assert problem is not None and "cannot write to the download folder" in str(problem)
    assert problem.kind is ErrorKind.DOWNLOAD_FOLDER_NOT_WRITABLE


def test_read_only_folder_is_not_writable(tmp_path: Path) -> None:
    root = tmp_path / "ro"
    root.mkdir()
    root.chmod(0o500)
    try:
        if os.access(root, os.W_OK):
            pytest.skip("permissions are not enforced for this user (root)")
        problem = check_writable(root)
        assert problem is not None and str(root) in str(problem)
    finally:
        root.chmod(0o700)


def test_a_checkout_reads_its_top_level_resources() -> None:
    """The wheel and the frozen app are proven by tests/frozen (they read the copy inside the package)."""
    import po_downloader
    from po_downloader.engine.system import paths

    checkout = Path(po_downloader.__file__).resolve().parent.parent
    assert paths.resources_dir() == checkout / "resources"
    assert (paths.resources_dir() / "selectors.json").is_file()
    with pytest.raises(FileNotFoundError, match="no-such-file"):
        paths.resource("no-such-file.json")


def test_a_checkout_is_told_by_the_pyproject_beside_the_package(tmp_path: Path) -> None:
    package = tmp_path / "po_downloader"
    (package / "resources").mkdir(parents=True)  # an older checkout's leftover: never read
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    assert resources_root(package) == tmp_path / "resources"


def test_an_installed_or_frozen_package_reads_the_copy_inside_it(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "po_downloader"
    (tmp_path / "site-packages" / "resources").mkdir(parents=True)  # some other distribution's folder
    assert resources_root(package) == package / "resources"


@pytest.mark.expect_log("po_downloader.engine.system.settings", "ignoring route mode 'turbo'")
def test_the_route_mode_is_remembered_and_an_unknown_one_reads_as_auto(dirs: AppDirs) -> None:
    save_settings(dirs, Settings(route_mode="browser"))
    assert load_settings(dirs).route_mode == "browser"
    dirs.settings_file.write_text(json.dumps({"route_mode": "turbo"}), encoding="utf-8")
    assert load_settings(dirs).route_mode == "auto"
    assert Settings().route_mode == "auto"


def test_the_cli_mode_flag_wins_over_the_environment_and_the_setting(
    dirs: AppDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse

    from po_downloader.cli.run import MODE_ENV, settings_from_args

    save_settings(dirs, Settings(route_mode="http"))
    args = argparse.Namespace(mode=None)
    assert settings_from_args(args, dirs).route_mode == "http"
    monkeypatch.setenv(MODE_ENV, "browser")
    assert settings_from_args(args, dirs).route_mode == "browser"
    assert settings_from_args(argparse.Namespace(mode="auto"), dirs).route_mode == "auto"


def test_the_cli_grid_flag_wins_over_the_environment(dirs: AppDirs, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from po_downloader.cli.run import GRID_ENV, settings_from_args

    monkeypatch.delenv(GRID_ENV, raising=False)
    assert settings_from_args(argparse.Namespace(grid=None), dirs).grid_url in (None, "")
    monkeypatch.setenv(GRID_ENV, "http://127.0.0.1:4444")
    assert settings_from_args(argparse.Namespace(grid=None), dirs).grid_url == "http://127.0.0.1:4444"
    assert (
        settings_from_args(argparse.Namespace(grid="http://10.0.0.5:4444"), dirs).grid_url
        == "http://10.0.0.5:4444"
    )
