"""The built wheel, installed in a fresh venv outside the checkout, carries its resources and runs."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest

import po_downloader
from po_downloader.demo_portal import catalog
from po_downloader.demo_portal.setup import DEMO_SPECIALS
from po_downloader.engine.output.naming import work_folder
from tests.frozen.build_cache import RESOURCES, wheel_venv
from tests.helpers.demo_files import demo_files

pytestmark = [pytest.mark.frozen, pytest.mark.timeout(900)]


# Every .ts of the checkout ships compiled: pt-BR, and the English plural forms.
TRANSLATIONS = sorted((Path(__file__).resolve().parents[2] / "resources" / "i18n").glob("*.ts"))


@pytest.fixture(scope="module")
def venv() -> Path:
    return wheel_venv()


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "PO_DOWNLOADER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "SE_OFFLINE": "true"}


def test_the_wheel_holds_every_runtime_resource(venv: Path) -> None:
    (wheel,) = (venv / "wheel").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    resources = "po_downloader/resources/"
    assert resources + "selectors.json" in names
    assert {n for n in names if n.startswith(resources + "icons/")} == {
        resources + "icons/" + p.name for p in (RESOURCES / "icons").iterdir()
    }
    assert resources + "i18n/po_downloader_pt_BR.qm" in names
    assert not [n for n in names if n.endswith(".ts")], "translation sources are not runtime files"


def test_installed_app_reports_its_version_from_outside_the_checkout(venv: Path, tmp_path: Path) -> None:
    python = venv / "venv" / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import po_downloader.engine.system.paths as p; print(p.resources_dir())"],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert Path(where).is_relative_to(venv / "venv"), f"resources found in the checkout: {where}"
    version = subprocess.run(
        [str(venv / "venv" / "bin" / "po-downloader"), "--version"],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"po-downloader {po_downloader.__version__}"


def test_installed_app_loads_its_icons_translation_and_selectors_from_the_wheel(
    venv: Path, tmp_path: Path
) -> None:
    """The smoke test loads every icon, reads selectors.json and loads each .qm (the pt-BR one)."""
    result = subprocess.run(
        [str(venv / "venv" / "bin" / "po-downloader"), "--smoke-test"],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test ok" in result.stdout and f"{len(TRANSLATIONS)} translation(s)" in result.stdout


@pytest.mark.browser
def test_installed_app_runs_the_demo_with_2_workers(venv: Path, tmp_path: Path) -> None:
    count = len(DEMO_SPECIALS) + 1  # the least the demo sheet holds: its special cases and one ordinary PO
    root = tmp_path / "downloads"
    result = subprocess.run(
        [
            str(venv / "venv" / "bin" / "po-downloader"),
            "demo",
            "--workers",
            "2",
            "--count",
            str(count),
            "--browser",
            "chromium",
            "--out",
            str(root),
        ],
        cwd=tmp_path,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for digits in catalog.demo_po_numbers(1):
        folder = (
            work_folder(root, catalog.supplier_for(digits), f"PO{digits}").parent / f"PO{digits}_COMPLETED"
        )
        expected = demo_files(digits)
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == expected
