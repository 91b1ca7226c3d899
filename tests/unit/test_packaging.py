"""pyproject.toml lists every package by name (one of them, the resources, lives at the top level)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_lists_every_package_of_the_code_and_maps_the_resources() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    code = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "po_downloader").rglob("__init__.py")
    }
    resources = {
        ".".join(("po_downloader", *folder.relative_to(ROOT).parts))
        for folder in [ROOT / "resources", *(ROOT / "resources").iterdir()]
        if folder.is_dir()
    }
    assert sorted(setuptools["packages"]) == sorted(code | resources)
    assert setuptools["package-dir"] == {"po_downloader.resources": "resources"}


def test_a_changed_resource_changes_the_frozen_build_cache_key() -> None:
    """A stale app or wheel must not be reused after resources/ moved or changed (tests/frozen)."""
    from tests.frozen.build_cache import _inputs

    inputs = set(_inputs())
    assert ROOT / "resources" / "selectors.json" in inputs
    assert ROOT / "resources" / "icons" / "po-downloader.svg" in inputs
    assert not [p for p in inputs if p.suffix == ".ts"], "translation sources are not build inputs"
