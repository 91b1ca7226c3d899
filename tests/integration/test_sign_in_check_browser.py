"""The sign-in check in a real browser against the demo portal: a signed-in profile passes, a signed-out one
is told apart, and neither check leaves a profile copy, a browser or a run marker behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine.browser.signin import verify_signed_in
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.run.batch import sign_in_setup
from po_downloader.engine.system.paths import AppDirs, app_dirs
from tests.helpers.batch import browser_processes_using, settings_for, unsigned_profile

pytestmark = pytest.mark.browser


def _nothing_left(dirs: AppDirs, app_home: Path) -> None:
    assert list(dirs.runs.glob("run-*.json")) == []
    assert not dirs.worker_profiles.exists() or list(dirs.worker_profiles.iterdir()) == []
    assert browser_processes_using(app_home) == []


def test_the_check_tells_signed_in_from_signed_out(
    tmp_path: Path, app_home: Path, portal, signed_in_profile: Path
) -> None:
    dirs = app_dirs()
    signed_in = settings_for(portal.url, signed_in_profile, tmp_path / "out")
    check = verify_signed_in(sign_in_setup(signed_in, dirs), dirs)
    assert check.ok, check.error
    _nothing_left(dirs, app_home)

    signed_out = settings_for(
        portal.url, unsigned_profile(portal.url, tmp_path / "out-profile"), tmp_path / "out"
    )
    check = verify_signed_in(sign_in_setup(signed_out, dirs), dirs)
    assert check.error is not None and check.error.kind is ErrorKind.SIGN_IN_DID_NOT_TAKE, check.error
    assert check.url != "" and check.error.details["url"] == portal.url
    _nothing_left(dirs, app_home)
