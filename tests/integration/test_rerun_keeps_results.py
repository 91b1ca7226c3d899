"""A run that never gets going leaves the results and the manifest of the run before: real CLI, Chromium.

A 3-PO sheet completes; the same sheet is run again with ``--all`` in ways that cannot work a single PO
(an empty profile folder; a profile that is not signed in). The terminal says what went wrong, and the
results file, the manifest and the files on disk stay as the completed run left them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from tests.helpers.batch import unsigned_profile
from tests.helpers.cli import run_args

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def listed(manifest: Path) -> list[tuple[str, str, str]]:
    with manifest.open(encoding="utf-8-sig", newline="") as fh:
        return [(r["PO"], r["File"], r["SHA-256"]) for r in csv.DictReader(fh)]


def on_disk(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".po-downloader" not in str(p)}


@pytest.fixture
def completed(tmp_path: Path, app_home: Path, portal, signed_in_profile: Path, capsys) -> Path:
    sheet = tmp_path / "pos.csv"
    sheet.write_text(
        "PO_NUMBER\n" + "".join(f"PO{d}\n" for d in catalog.demo_po_numbers(3)), encoding="utf-8"
    )
    assert main(run_args(sheet, tmp_path / "out", portal.url, signed_in_profile, workers=1)) == 0
    capsys.readouterr()
    return sheet


@pytest.mark.parametrize("profile_kind", ["empty", "not-signed-in"])
def test_a_rerun_that_works_no_po_keeps_the_results_and_the_manifest(
    tmp_path: Path, app_home: Path, portal, completed: Path, profile_kind: str, capsys
) -> None:
    results, manifest, root = tmp_path / "pos_results.csv", tmp_path / "pos_manifest.csv", tmp_path / "out"
    before_results, before_manifest, before_files = results.read_bytes(), listed(manifest), on_disk(root)
    assert len(before_manifest) == sum(len(catalog.attachments_for(d)) for d in catalog.demo_po_numbers(3))
    profile = tmp_path / "empty-profile"
    if profile_kind == "empty":
        profile.mkdir()
    else:
        unsigned_profile(portal.url, profile)

    code = main(run_args(completed, root, portal.url, profile, "--all", workers=1))

    out = capsys.readouterr()
    assert code == 2, out
    assert results.read_bytes() == before_results  # every row still says COMPLETED, as last time
    assert f"results: {results} (unchanged" in out.out
    assert listed(manifest) == before_manifest  # the files are on disk: the manifest lists them
    assert on_disk(root) == before_files
