"""``--facts`` / ``--no-facts``: this run reads the PO's facts or not; without either, the window's saved
choice holds. Like ``--mode``, the flag is for this run and is not remembered."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.cli.main import build_parser
from po_downloader.cli.run import settings_from_args
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings, load_settings, save_settings


@pytest.mark.parametrize(
    ("flags", "saved", "expected"),
    [
        ([], False, False),
        ([], True, True),  # ticked in the window's Settings
        (["--facts"], False, True),
        (["--no-facts"], True, False),
    ],
)
def test_the_flag_decides_for_this_run_and_the_saved_choice_otherwise(
    tmp_path: Path, flags: list[str], saved: bool, expected: bool
) -> None:
    dirs = app_dirs(tmp_path / "home")
    save_settings(dirs, Settings(facts=saved))
    args = build_parser().parse_args(["run", str(tmp_path / "pos.csv"), *flags])
    assert settings_from_args(args, dirs).facts is expected
    assert load_settings(dirs).facts is saved  # not remembered
