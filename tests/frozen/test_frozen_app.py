"""The PyInstaller app that ``build_spec.py`` makes (``make dist``), run as a user would run it.

A 3-PO batch with 2 workers through real Chromium proves the frozen executable starts its own spawn
workers (``multiprocessing.freeze_support``) and finds its bundled resources.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import po_downloader
from po_downloader.demo_portal import catalog
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.output.naming import work_folder
from tests.frozen.build_cache import frozen_app
from tests.helpers.demo_files import demo_files

pytestmark = [pytest.mark.frozen, pytest.mark.timeout(900)]

# What Qt's offscreen platform says on every window show; anything else on stderr is a problem.
KNOWN_QT_NOISE = ("This plugin does not support propagateSizeHints()",)


# Every .ts of the checkout ships compiled: pt-BR, and the English plural forms.
TRANSLATIONS = sorted((Path(__file__).resolve().parents[2] / "resources" / "i18n").glob("*.ts"))


@pytest.fixture(scope="module")
def app() -> Path:
    return frozen_app()


@pytest.fixture
def exe(app: Path) -> Path:
    return app / "po-downloader"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "PO_DOWNLOADER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "SE_OFFLINE": "true"}


def test_the_bundle_holds_its_resources_and_only_this_platforms_selenium_manager(app: Path) -> None:
    resources = app / "_internal" / "po_downloader" / "resources"
    assert (resources / "selectors.json").is_file()
    assert (resources / "i18n" / "po_downloader_pt_BR.qm").is_file()
    assert (resources / "icons" / "po-downloader.svg").is_file()
    common = app / "_internal" / "selenium" / "webdriver" / "common"
    assert not (common / "windows").exists() and not (common / "macos").exists()
    assert not list((app / "_internal").rglob("libQt6Quick*")), "unused Qt modules were bundled"


def test_frozen_app_reports_its_version(exe: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(exe), "--version"],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"po-downloader {po_downloader.__version__}"


def test_frozen_app_passes_its_smoke_test_without_complaints(exe: Path, tmp_path: Path) -> None:
    """The smoke test loads every icon, reads selectors.json and loads each .qm (the pt-BR one) from the bundle."""
    result = subprocess.run(
        [str(exe), "--smoke-test"],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test ok" in result.stdout and f"{len(TRANSLATIONS)} translation(s)" in result.stdout
    unexpected = [
        line for line in result.stderr.splitlines() if line.strip() and line.strip() not in KNOWN_QT_NOISE
    ]
    assert not unexpected, "\n".join(unexpected)


@pytest.mark.browser
def test_frozen_app_downloads_a_3_po_batch_with_2_workers(
    exe: Path, tmp_path: Path, portal, signed_in_profile: Path
) -> None:
    pos = catalog.demo_po_numbers(3)
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    root = tmp_path / "downloads"
    result = subprocess.run(
        [
            str(exe),
            "run",
            str(sheet),
            "--workers",
            "2",
            "--out",
            str(root),
            "--base-url",
            portal.url,
            "--browser",
            "chromium",
            "--profile-dir",
            str(signed_in_profile),
            "--no-governor",
        ],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for digits in pos:
        folder = (
            work_folder(root, catalog.supplier_for(digits), f"PO{digits}").parent / f"PO{digits}_COMPLETED"
        )
        expected = demo_files(digits)
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == expected
    results = read_sheet(tmp_path / "pos_results.csv")
    status = results.columns.index("STATUS")
    assert [row[status] for row in results.rows] == ["COMPLETED"] * 3
