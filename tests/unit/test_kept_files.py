"""Files on disk that a PO worked again must never lose (issue 14: items 2, 4 and 12).

One PO fetched again by ``PoFetcher`` on the stand-in portal of ``test_resume`` (no browser): what is in
its folder afterwards, under which folder name, and what the PO's message says.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.browser.portal import SignInLost, StartFailed
from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from po_downloader.engine.output.folders import (
    adopt_folder,
    earlier_folders,
    folder_name_status,
    folder_status,
)
from tests.helpers.fetcher import BASE, Portal, fetch_again, known, po_folders


class SupplierPortal(Portal):
    """The stand-in portal with another spelling of the supplier's name (Coupa's data changed)."""

    def __init__(self, files: dict[str, bytes], supplier: str) -> None:
        super().__init__(files)
        self.name = supplier

    def supplier(self) -> str:
        return self.name


class FailingPortal(Portal):
    """Every download started fails at once: the browser cancels it."""

    def start(self, att: object) -> None:
        raise StartFailed("WebDriverException", "gone")


# ---------------------------------------------------------------- item 2: a file the user changed


def test_a_file_the_user_edited_in_a_finished_folder_is_kept_and_the_portals_copy_goes_beside_it(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    done = root / "ACME" / "PO1_COMPLETED"
    done.mkdir(parents=True)
    (done / "a.pdf").write_bytes(b"signed by me")  # was b"A" * 10 when it was saved
    (done / "b.pdf").write_bytes(b"B" * 10)
    portal = Portal({"a.pdf": b"A" * 10, "b.pdf": b"B" * 10})
    prior = (
        known(done / "a.pdf", b"A" * 10, f"{BASE}/att/a.pdf"),
        known(done / "b.pdf", b"B" * 10, f"{BASE}/att/b.pdf"),
    )
    result, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1"), 1, str(done), prior))
    assert portal.started == ["a.pdf"]
    assert result.outcome.status is PoStatus.COMPLETED
    assert po_folders(root) == ["ACME/PO1_COMPLETED"]
    assert {p.name: p.read_bytes() for p in done.iterdir()} == {
        "a.pdf": b"signed by me",
        "a (2).pdf": b"A" * 10,
        "b.pdf": b"B" * 10,
    }
    assert "a.pdf changed since it was saved" in result.outcome.message
    assert "a (2).pdf" in result.outcome.message


def test_a_torn_file_in_a_crashed_work_folder_is_still_replaced(tmp_path: Path) -> None:
    """Only inside a ``__WORK`` folder a run never finished is a changed file ours to replace."""
    root = tmp_path / "root"
    work = root / "ACME" / "PO1__WORK"
    work.mkdir(parents=True)
    (work / "a.pdf").write_bytes(b"torn")
    portal = Portal({"a.pdf": b"A" * 10})
    prior = (known(work / "a.pdf", b"A" * 10, f"{BASE}/att/a.pdf"),)
    result, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1"), 1, str(work), prior))
    assert result.outcome.status is PoStatus.COMPLETED and result.outcome.message == ""
    final = root / "ACME" / "PO1_COMPLETED"
    assert {p.name: p.read_bytes() for p in final.iterdir()} == {"a.pdf": b"A" * 10}


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
        assert result.outcome.status is PoStatus.COMPLETED, result.outcome.message
        final = Path(result.outcome.folder)
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


# ---------------------------------------------------------------- item 12: a worse re-run


def test_a_rerun_whose_downloads_fail_leaves_the_good_files_under_their_earlier_status(
    tmp_path: Path,
) -> None:
    """The PO ends FAILED this time, but the folder holds what the earlier run completed: it keeps the
    name that is true for it, and the message says where the files are."""
    root = tmp_path / "root"
    done = root / "ACME" / "PO1_COMPLETED"
    done.mkdir(parents=True)
    (done / "a.pdf").write_bytes(b"A" * 10)
    portal = FailingPortal({"a.pdf": b"A" * 10})
    result, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1"), 1, str(done), ()))
    assert result.outcome.status is PoStatus.FAILED
    assert po_folders(root) == ["ACME/PO1_COMPLETED"]
    assert Path(result.outcome.folder) == done and (done / "a.pdf").read_bytes() == b"A" * 10
    assert f"the files saved before stay in {done}" in result.outcome.message


def test_a_worse_rerun_still_lists_the_files_it_left_in_the_better_folder_and_only_those(
    tmp_path: Path,
) -> None:
    """The journal that knew the files is lost (nothing known): the manifest must still list them, so
    the attempt tells each listed attachment's file it leaves in the folder; a note of the user's is
    no file of the PO."""
    root = tmp_path / "root"
    done = root / "ACME" / "PO1_COMPLETED"
    done.mkdir(parents=True)
    (done / "a.pdf").write_bytes(b"A" * 10)
    (done / "my notes.txt").write_bytes(b"call the supplier")
    result, events = fetch_again(
        tmp_path, FailingPortal({"a.pdf": b"A" * 10}), PoTask(PoNumber("1"), 1, str(done), ())
    )
    assert result.outcome.status is PoStatus.FAILED and Path(result.outcome.folder) == done
    told = [(e.name, e.size, e.sha256) for e in events if isinstance(e, ev.FileSaved)]
    assert told == [("a.pdf", 10, hashlib.sha256(b"A" * 10).hexdigest())]


@pytest.mark.parametrize(
    ("earlier", "now", "named"),
    [
        ([PoStatus.COMPLETED], PoStatus.FAILED, PoStatus.COMPLETED),
        ([PoStatus.COMPLETED], PoStatus.PARTIAL, PoStatus.COMPLETED),
        ([PoStatus.PARTIAL], PoStatus.FAILED, PoStatus.PARTIAL),
        ([PoStatus.PARTIAL], PoStatus.COMPLETED, PoStatus.COMPLETED),  # better now: named for now
        ([PoStatus.FAILED, PoStatus.COMPLETED], PoStatus.PARTIAL, PoStatus.COMPLETED),
        ([PoStatus.NO_ATTACHMENTS], PoStatus.FAILED, PoStatus.FAILED),  # "none listed" is untrue now
        ([], PoStatus.FAILED, PoStatus.FAILED),  # a crashed work folder promises nothing
    ],
)
def test_the_folder_keeps_the_better_earlier_name_when_a_rerun_ends_worse(
    earlier: list[PoStatus], now: PoStatus, named: PoStatus
) -> None:
    assert folder_name_status(earlier, now) is named


def test_the_status_an_earlier_folder_was_named_with() -> None:
    assert folder_status(Path("x/PO1_COMPLETED"), "PO1") is PoStatus.COMPLETED
    assert folder_status(Path("x/po1_partial (2)"), "PO1") is PoStatus.PARTIAL
    assert folder_status(Path("x/PO1__WORK"), "PO1") is None
    assert folder_status(Path("x/PO12_COMPLETED"), "PO1") is None


class SignInMidway(Portal):
    """Coupa asks to sign in again when the first download is started."""

    def start(self, att: object) -> None:
        raise SignInLost


def test_an_attempt_cut_off_gives_a_finished_folder_its_name_back(tmp_path: Path) -> None:
    """No verdict this time (the session expired): the folder taken over is not left as ``__WORK``, so
    the retry, or the next run, still knows what the earlier run proved."""
    root = tmp_path / "root"
    done = root / "ACME" / "PO1_COMPLETED"
    done.mkdir(parents=True)
    (done / "a.pdf").write_bytes(b"A" * 10)
    portal = SignInMidway({"a.pdf": b"A" * 10})
    result, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1"), 1, str(done), ()))
    assert result.outcome.status is PoStatus.SIGN_IN_REQUIRED and result.retryable
    assert po_folders(root) == ["ACME/PO1_COMPLETED"]
    assert (done / "a.pdf").read_bytes() == b"A" * 10
