"""The sign-in check opens what a worker would: the batch's browser, profile, address and selectors."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine.browser.profile_copy import SourceProfile
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.run.batch import ConfigError, sign_in_setup, worker_config
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings


def test_the_check_gets_the_workers_browser_profile_and_selectors(tmp_path: Path, app_home: Path) -> None:
    dirs = app_dirs()
    user_data = tmp_path / "User Data"
    (user_data / "Profile 2").mkdir(parents=True)
    settings = Settings(
        base_url="https://acme.coupahost.com",
        download_root=str(tmp_path / "out"),
        browser="chrome",
        headless=False,
        profile_dir=str(user_data),
        profile_name="Profile 2",
        page_timeout=12.5,
    )
    setup = sign_in_setup(settings, dirs)
    config = worker_config(settings, dirs)
    assert (setup.base_url, setup.browser, setup.page_timeout) == (config.base_url, config.browser, 12.5)
    assert setup.source == SourceProfile(user_data.resolve(), "Profile 2", own=False) == config.source()
    assert setup.selectors_file is None

    dirs.user_selectors_file.parent.mkdir(parents=True, exist_ok=True)
    dirs.user_selectors_file.write_text("{}", encoding="utf-8")
    assert sign_in_setup(settings, dirs).selectors_file == dirs.user_selectors_file


def test_the_check_refuses_what_a_batch_refuses(tmp_path: Path, app_home: Path) -> None:
    settings = Settings(base_url="https://acme.coupahost.com", download_root=str(tmp_path / "out"))
    with pytest.raises(ConfigError) as refused:
        sign_in_setup(settings, app_dirs())
    assert refused.value.kind is ErrorKind.NO_SIGN_IN_PROFILE
