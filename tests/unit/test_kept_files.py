"""Files on disk that a PO worked again must never lose (issue 14: items 2, 4 and 12).

One PO fetched again by ``PoFetcher`` on the stand-in portal of ``test_resume`` (no browser): what is in
its folder afterwards, under which folder name, and what the PO's message says.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from po_downloader.engine.output.folders import adopt_folder, earlier_folders
from tests.unit.test_resume import BASE, Portal, fetch_again, known


class SupplierPortal(Portal):
    """The stand-in portal with another spelling of the supplier's name (Coupa's data changed)."""

    def __init__(self, files: dict[str, bytes], supplier: str) -> None:
        super().__init__(files)
        self.name = supplier

    def supplier(self) -> str:
        return self.name


# ---------------------------------------------------------------- item 4: one folder, two spellings


@contextlib.contextmanager
def bind_mount(source: Path, target: Path) -> Iterator[None]:
    """``target`` becomes ``source`` under another name, as a case-insensitive disk makes ``Acme`` of
    ``ACME``. Needs root (and a kernel that allows it); the test is skipped otherwise."""
    target.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a bind mount needs root")
    made = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"no bind mount here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(target)], check=True)


def _resumed_with_another_case(tmp_path: Path) -> tuple[ev.AttemptEnded, Path]:
    root = tmp_path / "root"
    work = root / "ACME" / "PO1__WORK"  # the interrupted run: Coupa spelled the supplier "ACME"
    work.mkdir(parents=True)
    (work / "a.pdf").write_bytes(b"A" * 10)
    portal = SupplierPortal({"a.pdf": b"A" * 10, "b.pdf": b"B" * 10}, "Acme")  # now "Acme"
    prior = (known(work / "a.pdf", b"A" * 10, f"{BASE}/att/a.pdf"),)
    result, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1"), 1, str(work), prior))
    return result, root


def test_a_resumed_po_whose_supplier_changed_case_keeps_its_files_on_a_case_insensitive_disk(
    tmp_path: Path,
) -> None:
    """``ACME`` and ``Acme`` are one folder (a bind mount stands in for NTFS/APFS, which cannot be
    mounted here: no vfat, no casefold in this kernel). The merge once compared each file with itself,
    deleted it, then removed the folder."""
    (tmp_path / "root" / "ACME").mkdir(parents=True)
    with bind_mount(tmp_path / "root" / "ACME", tmp_path / "root" / "Acme"):
        result, root = _resumed_with_another_case(tmp_path)
        assert result.status is PoStatus.COMPLETED, result.message
        final = Path(result.folder)
        assert {p.name: p.read_bytes() for p in final.iterdir()} == {"a.pdf": b"A" * 10, "b.pdf": b"B" * 10}


def test_one_folder_under_two_spellings_is_never_merged_into_itself(tmp_path: Path) -> None:
    """Without any mount: ``ACME/../ACME/PO1__WORK`` is ``ACME/PO1__WORK`` on every disk."""
    root = tmp_path / "root"
    work = root / "ACME" / "PO1__WORK"
    work.mkdir(parents=True)
    (work / "a.pdf").write_bytes(b"A")
    other_spelling = root / "ACME" / ".." / "ACME" / "PO1__WORK"
    assert earlier_folders(work, "PO1", str(other_spelling)) == []
    assert not adopt_folder(other_spelling, work, root)
    assert (work / "a.pdf").read_bytes() == b"A"
