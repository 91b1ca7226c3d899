"""Downloads on disk: in-progress names, waiting on the staging folder, pairing names, placing files,
and the PO folder's final rename."""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.events import FileBytes, bytes_in
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.downloads import (
    Placed,
    StagingDir,
    disk_problem,
    final_name_of,
    is_in_progress,
    match_arrivals,
    place_download,
    same_name_family,
)
from po_downloader.engine.output.folders import UnsafeFolder, finalise_folder, make_work_folder
from po_downloader.engine.output.naming import work_folder

Action = Callable[[], None] | None


class Script:
    """Fake time for ``StagingDir.wait``: each ``sleep`` advances the clock and runs the next action,
    which plays the browser's part (create, grow, rename files) between two polls."""

    def __init__(self, actions: list[Action]) -> None:
        self.now = 0.0
        self.actions = list(actions)
        self.sleeps = 0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds
        self.sleeps += 1
        if self.actions:
            action = self.actions.pop(0)
            if action is not None:
                action()


def write(path: Path, size: int) -> Callable[[], None]:
    return lambda: path.write_bytes(b"x" * size)


def rename(src: Path, dst: Path) -> Callable[[], None]:
    return lambda: src.rename(dst)


def names(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


# ------------------------------------------------------------------ in-progress names


@pytest.mark.parametrize(
    ("name", "in_progress"),
    [
        ("a.pdf.crdownload", True),
        ("A.PDF.CRDOWNLOAD", True),
        ("a.pdf.partial", True),
        ("a.pdf.download", True),
        ("x.tmp", True),
        (".org.chromium.Chromium.abc123", True),
        (".hidden.pdf", True),
        ("a.pdf", False),
        ("crdownload.pdf", False),
        ("report.crdownload.pdf", False),
    ],
)
def test_is_in_progress(name: str, in_progress: bool) -> None:
    assert is_in_progress(name) is in_progress


def test_final_name_of() -> None:
    assert final_name_of("a.pdf.crdownload") == "a.pdf"
    assert final_name_of("a.pdf.CRDOWNLOAD") == "a.pdf"
    assert final_name_of("a.pdf") == "a.pdf"


# ------------------------------------------------------------------ StagingDir.wait


def test_wait_returns_once_expected_files_are_complete(tmp_path: Path) -> None:
    a_part, a, b = tmp_path / "a.pdf.crdownload", tmp_path / "a.pdf", tmp_path / "b.pdf"
    script = Script([write(a_part, 10), rename(a_part, a), None, write(b, 5)])
    result = StagingDir(tmp_path).wait(2, stall_timeout=5.0, poll=0.1, clock=script.clock, sleep=script.sleep)
    assert names(result.arrived) == ["a.pdf", "b.pdf"]
    assert result.stalled == []
    assert script.sleeps == 4  # not before b.pdf was there


def test_wait_does_not_stop_while_something_is_in_progress(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"a")
    extra = tmp_path / "b.pdf.crdownload"
    extra.write_bytes(b"b")
    script = Script([None, None, rename(extra, tmp_path / "b.pdf")])
    result = StagingDir(tmp_path).wait(1, stall_timeout=5.0, poll=0.1, clock=script.clock, sleep=script.sleep)
    assert names(result.arrived) == ["a.pdf", "b.pdf"]
    assert script.sleeps == 3


def test_dot_files_count_as_in_progress(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"a")
    temp = tmp_path / ".org.chromium.Chromium.xyz"
    temp.write_bytes(b"")
    script = Script([rename(temp, tmp_path / "b.pdf")])
    result = StagingDir(tmp_path).wait(1, stall_timeout=5.0, poll=0.1, clock=script.clock, sleep=script.sleep)
    assert names(result.arrived) == ["a.pdf", "b.pdf"]


def test_stall_returns_what_arrived_and_what_is_stuck(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"a")
    (tmp_path / "b.pdf.crdownload").write_bytes(b"partial")
    script = Script([])
    result = StagingDir(tmp_path).wait(2, stall_timeout=2.0, poll=0.1, clock=script.clock, sleep=script.sleep)
    assert names(result.arrived) == ["a.pdf"]
    assert result.stalled == ["b.pdf.crdownload"]
    assert 2.0 < script.now < 2.5


def test_stall_when_a_file_never_starts(tmp_path: Path) -> None:
    script = Script([write(tmp_path / "a.pdf", 3)])
    result = StagingDir(tmp_path).wait(2, stall_timeout=1.0, poll=0.1, clock=script.clock, sleep=script.sleep)
    assert names(result.arrived) == ["a.pdf"]
    assert result.stalled == []
    assert 1.0 < script.now < 1.5  # the clock restarts when a.pdf appears at 0.1 s


def test_growing_download_keeps_the_wait_alive(tmp_path: Path) -> None:
    part = tmp_path / "big.zip.crdownload"
    actions: list[Action] = [write(part, 1)]
    for step in range(2, 12):  # grows every 0.5 s for 5 s: far longer than the 1 s stall timeout
        actions += [None] * 4 + [write(part, step * 100)]
    actions.append(rename(part, tmp_path / "big.zip"))
    script = Script(actions)
    reports: list[tuple[FileBytes, ...]] = []
    result = StagingDir(tmp_path).wait(
        1, stall_timeout=1.0, poll=0.1, clock=script.clock, sleep=script.sleep, on_progress=reports.append
    )
    progress = [bytes_in(files) for files in reports]
    assert names(result.arrived) == ["big.zip"]
    assert result.stalled == []
    assert script.now > 5.0
    assert progress[0] == 0 and progress[1] == 1 and progress[-1] == 1100
    assert progress == sorted(progress)


def test_abandoned_download_and_what_it_becomes_are_ignored(tmp_path: Path) -> None:
    part = tmp_path / "late.pdf.crdownload"
    part.write_bytes(b"old")
    staging = StagingDir(tmp_path)
    staging.abandon(["late.pdf.crdownload"])
    # The late one completes; the expected file arrives after it.
    script = Script([rename(part, tmp_path / "late.pdf"), None, write(tmp_path / "new.pdf", 2)])
    result = staging.wait(1, stall_timeout=5.0, poll=0.1, clock=script.clock, sleep=script.sleep)
    assert names(result.arrived) == ["new.pdf"]
    assert script.sleeps == 3


def test_begin_ignores_leftovers(tmp_path: Path) -> None:
    (tmp_path / "old.pdf").write_bytes(b"old")
    part = tmp_path / "older.pdf.crdownload"
    part.write_bytes(b"x")
    staging = StagingDir(tmp_path)
    staging.begin()
    script = Script([rename(part, tmp_path / "older.pdf"), write(tmp_path / "new.pdf", 1)])
    result = staging.wait(1, stall_timeout=5.0, poll=0.1, clock=script.clock, sleep=script.sleep)
    assert names(result.arrived) == ["new.pdf"]


def test_name_abandoned_by_an_earlier_po_does_not_hide_a_later_file(tmp_path: Path) -> None:
    """The stalled ``invoice.pdf`` of one PO was dropped by the browser; the next PO's (or the retry's)
    ``invoice.pdf`` must still count."""
    part = tmp_path / "invoice.pdf.crdownload"
    part.write_bytes(b"x")
    staging = StagingDir(tmp_path)
    staging.begin()
    staging.abandon(["invoice.pdf.crdownload"])
    part.unlink()  # the browser gave up on it
    staging.begin()  # next PO
    script = Script([write(tmp_path / "invoice.pdf", 4)])
    result = staging.wait(1, stall_timeout=1.0, poll=0.1, clock=script.clock, sleep=script.sleep)
    assert names(result.arrived) == ["invoice.pdf"]
    assert script.sleeps == 1


def test_wait_for_nothing_returns_at_once(tmp_path: Path) -> None:
    script = Script([])
    result = StagingDir(tmp_path / "missing").wait(
        0, stall_timeout=1.0, clock=script.clock, sleep=script.sleep
    )
    assert result.arrived == [] and result.stalled == [] and script.sleeps == 0


def test_begin_on_missing_folder_is_harmless(tmp_path: Path) -> None:
    staging = StagingDir(tmp_path / "missing")
    staging.begin()
    assert staging.ignored == set()


def test_subfolders_are_not_files(tmp_path: Path) -> None:
    (tmp_path / "sub.pdf").mkdir()
    script = Script([write(tmp_path / "a.pdf", 1)])
    result = StagingDir(tmp_path).wait(1, stall_timeout=1.0, poll=0.1, clock=script.clock, sleep=script.sleep)
    assert names(result.arrived) == ["a.pdf"]


# ------------------------------------------------------------------ match_arrivals


def test_match_exact_names() -> None:
    pairs, missing = match_arrivals(["a.pdf", "b.msg"], ["b.msg", "a.pdf"])
    assert sorted(pairs) == [("a.pdf", "a.pdf"), ("b.msg", "b.msg")]
    assert missing == []


def test_match_ignores_case() -> None:
    pairs, missing = match_arrivals(["Quote.PDF"], ["quote.pdf"])
    assert pairs == [("Quote.PDF", "quote.pdf")] and missing == []


def test_match_sanitised_names() -> None:
    pairs, missing = match_arrivals(["a/b.pdf", "c:d.txt"], ["c_d.txt", "a_b.pdf"])
    assert sorted(pairs) == [("a/b.pdf", "a_b.pdf"), ("c:d.txt", "c_d.txt")]
    assert missing == []


def test_exact_match_wins_over_order() -> None:
    pairs, _ = match_arrivals(["x.pdf", "y.pdf"], ["y.pdf", "x.pdf"])
    assert dict(pairs) == {"x.pdf": "x.pdf", "y.pdf": "y.pdf"}


def test_duplicate_names_pair_with_numbered_copies_in_order() -> None:
    pairs, missing = match_arrivals(["x.pdf", "x.pdf", "x.pdf"], ["x (1).pdf", "x.pdf", "x (2).pdf"])
    assert missing == []
    assert sorted(a for _, a in pairs) == ["x (1).pdf", "x (2).pdf", "x.pdf"]
    assert all(e == "x.pdf" for e, _ in pairs)


def test_missing_files_are_reported() -> None:
    pairs, missing = match_arrivals(["a.pdf", "b.pdf", "c.pdf"], ["c.pdf", "a.pdf"])
    assert sorted(pairs) == [("a.pdf", "a.pdf"), ("c.pdf", "c.pdf")]
    assert missing == ["b.pdf"]
    pairs, missing = match_arrivals(["a.pdf"], [])
    assert pairs == [] and missing == ["a.pdf"]


def test_unrecognisable_arrival_pairs_by_order() -> None:
    pairs, missing = match_arrivals(["Invoice March.pdf"], ["download"])
    assert pairs == [("Invoice March.pdf", "download")] and missing == []


# ------------------------------------------------------------------ place_file


def staged(tmp_path: Path, name: str, data: bytes) -> Path:
    staging = tmp_path / "staging"
    staging.mkdir(exist_ok=True)
    path = staging / name
    path.write_bytes(data)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "PO100001__WORK"
    path.mkdir()
    return path


def test_place_moves_into_the_folder(tmp_path: Path, folder: Path) -> None:
    src = staged(tmp_path, "guid-1", b"A")
    placed = place_download(src, folder, "a.pdf")
    assert placed == Placed(folder / "a.pdf", duplicate=False)
    assert placed.path.read_bytes() == b"A"
    assert not src.exists()


def test_place_never_overwrites(tmp_path: Path, folder: Path) -> None:
    (folder / "a.pdf").write_bytes(b"first")
    placed = place_download(staged(tmp_path, "g", b"second"), folder, "a.pdf")
    assert placed.path == folder / "a (2).pdf"
    assert (folder / "a.pdf").read_bytes() == b"first"
    assert placed.path.read_bytes() == b"second"


def test_the_same_file_offered_twice_is_saved_once(tmp_path: Path, folder: Path) -> None:
    """A span and a comment link to one file: identical bytes under one name are one file."""
    first = place_download(staged(tmp_path, "g1", b"same"), folder, "a.pdf")
    src = staged(tmp_path, "g2", b"same")
    second = place_download(src, folder, "a.pdf")
    assert second == Placed(first.path, duplicate=True)
    assert [p.name for p in folder.iterdir()] == ["a.pdf"]
    assert not src.exists()


def test_identical_bytes_match_a_numbered_copy_too(tmp_path: Path, folder: Path) -> None:
    place_download(staged(tmp_path, "g1", b"one"), folder, "a.pdf")
    place_download(staged(tmp_path, "g2", b"two"), folder, "a.pdf")
    again = place_download(staged(tmp_path, "g3", b"two"), folder, "A.PDF")
    assert again == Placed(folder / "a (2).pdf", duplicate=True)
    assert sorted(p.name for p in folder.iterdir()) == ["a (2).pdf", "a.pdf"]


def test_names_differing_only_in_case_both_survive_without_clashing(tmp_path: Path, folder: Path) -> None:
    place_download(staged(tmp_path, "g1", b"upper"), folder, "Report.PDF")
    lower = place_download(staged(tmp_path, "g2", b"lower"), folder, "report.pdf")
    assert lower.path.name == "report (2).pdf"
    assert len({p.name.casefold() for p in folder.iterdir()}) == 2


def test_identical_redownload_of_an_earlier_attempts_file_is_kept_once(tmp_path: Path, folder: Path) -> None:
    (folder / "a.pdf").write_bytes(b"same")
    placed = place_download(staged(tmp_path, "g", b"same"), folder, "a.pdf")
    assert placed == Placed(folder / "a.pdf", duplicate=True)
    assert [p.name for p in folder.iterdir()] == ["a.pdf"]


def test_different_bytes_under_an_earlier_name_get_a_new_name(tmp_path: Path, folder: Path) -> None:
    (folder / "a.pdf").write_bytes(b"old attempt")
    placed = place_download(staged(tmp_path, "g", b"new bytes"), folder, "a.pdf")
    assert placed.path.name == "a (2).pdf"
    assert (folder / "a.pdf").read_bytes() == b"old attempt"


def test_place_makes_the_name_safe(tmp_path: Path, folder: Path) -> None:
    assert place_download(staged(tmp_path, "g", b"x"), folder, "CON.txt").path.name == "CON_.txt"
    assert place_download(staged(tmp_path, "h", b"y"), folder, 'Nota: fiscal? "final".pdf').path.name == (
        "Nota_ fiscal_ _final_.pdf"
    )


NFC = "Fatura_Mar\u00e7o.pdf"
NFD = "Fatura_Marc\u0327o.pdf"


def test_the_two_normalisation_forms_of_one_name_with_different_bytes_both_survive(
    tmp_path: Path, folder: Path
) -> None:
    """ "Março" composed and decomposed is one name, as for a case clash: the second gets ``(2)``."""
    first = place_download(staged(tmp_path, "g1", b"one"), folder, NFC)
    second = place_download(staged(tmp_path, "g2", b"two"), folder, NFD)
    assert first.path.name == NFC
    assert second.path.name == "Fatura_Mar\u00e7o (2).pdf"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {NFC: b"one", second.path.name: b"two"}


def test_the_same_bytes_under_the_other_form_are_kept_once(tmp_path: Path, folder: Path) -> None:
    """A file already there under the decomposed form (as macOS stores names, or copied from a Mac)
    is the same file as an identical download under the composed form."""
    (folder / NFD).write_bytes(b"same")
    src = staged(tmp_path, "g", b"same")
    placed = place_download(src, folder, NFC)
    assert placed == Placed(folder / NFD, duplicate=True)
    assert [p.name for p in folder.iterdir()] == [NFD]
    assert not src.exists()


def test_a_name_on_disk_is_always_nfc(tmp_path: Path, folder: Path) -> None:
    placed = place_download(staged(tmp_path, "g", b"x"), folder, NFD)
    assert placed.path.name == NFC
    assert [p.name for p in folder.iterdir()] == [NFC]


@pytest.mark.parametrize("same_bytes", [True, False])
def test_a_link_planted_under_a_file_name_is_never_written_through(
    tmp_path: Path, folder: Path, same_bytes: bool
) -> None:
    """``a.pdf`` in the PO folder links to a file outside: the download is saved beside it as a real file
    and the file outside is neither overwritten nor counted as the download (even with the same bytes)."""
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"payload" if same_bytes else b"theirs")
    (folder / "a.pdf").symlink_to(outside)
    placed = place_download(staged(tmp_path, "g", b"payload"), folder, "a.pdf")
    assert placed == Placed(folder / "a (2).pdf", duplicate=False)
    assert not placed.path.is_symlink() and placed.path.read_bytes() == b"payload"
    assert outside.read_bytes() == (b"payload" if same_bytes else b"theirs")
    assert (folder / "a.pdf").is_symlink()


def test_same_name_family_ignores_the_normalisation_form_and_skips_links(
    tmp_path: Path, folder: Path
) -> None:
    (folder / NFD).write_bytes(b"")
    (folder / "Fatura_MAR\u00c7O (2).PDF").write_bytes(b"")
    (tmp_path / "elsewhere").write_bytes(b"")
    (folder / "Fatura_Mar\u00e7o (3).pdf").symlink_to(tmp_path / "elsewhere")
    assert [p.name for p in same_name_family(folder, NFC)] == ["Fatura_MAR\u00c7O (2).PDF", NFD]


def test_same_name_family(folder: Path) -> None:
    for name in ("a.pdf", "A (2).PDF", "a (x).pdf", "ab.pdf", "a.pdf.txt"):
        (folder / name).write_bytes(b"")
    assert [p.name for p in same_name_family(folder, "a.pdf")] == ["A (2).PDF", "a.pdf"]
    assert same_name_family(folder / "missing", "a.pdf") == []


# ------------------------------------------------------------------ folders


def test_finalise_renames_the_work_folder(folder: Path) -> None:
    (folder / "a.pdf").write_bytes(b"A")
    final = finalise_folder(folder, "PO100001", PoStatus.COMPLETED)
    assert final == folder.parent / "PO100001_COMPLETED"
    assert (final / "a.pdf").read_bytes() == b"A"
    assert not folder.exists()


def test_finalise_never_merges_into_an_existing_folder(folder: Path) -> None:
    old = folder.parent / "PO100001_COMPLETED"
    old.mkdir()
    (old / "a.pdf").write_bytes(b"old")
    (folder / "a.pdf").write_bytes(b"new")
    final = finalise_folder(folder, "PO100001", PoStatus.COMPLETED)
    assert final == folder.parent / "PO100001_COMPLETED (2)"
    assert (final / "a.pdf").read_bytes() == b"new"
    assert [p.name for p in old.iterdir()] == ["a.pdf"]
    assert (old / "a.pdf").read_bytes() == b"old"


def test_make_work_folder_makes_the_planned_folders(tmp_path: Path) -> None:
    root = tmp_path / "root"
    made = make_work_folder(root, "ACME Corp.", "PO100001")
    assert made == work_folder(root, "ACME Corp.", "PO100001")
    assert made.is_dir() and not made.is_symlink()
    assert make_work_folder(root, "ACME Corp.", "PO100001") == made  # there already: reused


def test_a_supplier_folder_in_the_other_normalisation_form_is_reused(tmp_path: Path) -> None:
    """A supplier folder written decomposed (by macOS, or copied from a Mac) is that supplier's folder;
    a composed twin that looks the same would split one supplier's POs in two."""
    root = tmp_path / "root"
    decomposed = root / "Marc\u0327o Come\u0301rcio Ltda"
    decomposed.mkdir(parents=True)
    made = make_work_folder(root, "Mar\u00e7o Com\u00e9rcio Ltda", "PO1")
    assert made == decomposed / "PO1__WORK"
    assert [p.name for p in root.iterdir()] == [decomposed.name]
    fresh = make_work_folder(root, "Jos\u0065\u0301 Ltda", "PO2")
    assert fresh.parent.name == "Jos\u00e9 Ltda"  # new folders are NFC


@pytest.mark.parametrize("planted", ["supplier", "work"])
def test_a_folder_planted_as_a_link_is_never_followed(tmp_path: Path, planted: str) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    outside.mkdir()
    supplier = root / "ACME"
    if planted == "supplier":
        root.mkdir()
        supplier.symlink_to(outside, target_is_directory=True)
        named = "ACME in the download folder is a link to "
    else:
        supplier.mkdir(parents=True)
        (supplier / "PO1__WORK").symlink_to(outside, target_is_directory=True)
        named = re.escape(str(Path("ACME", "PO1__WORK"))) + " in the download folder is a link to "
    with pytest.raises(UnsafeFolder, match=named) as caught:
        make_work_folder(root, "ACME", "PO1")
    assert str(outside) in str(caught.value)
    assert caught.value.kind is ErrorKind.FOLDER_IS_LINK and caught.value.details["target"] == str(outside)
    assert list(outside.iterdir()) == []


def test_a_file_where_a_folder_belongs_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "ACME").write_bytes(b"not a folder")
    with pytest.raises(UnsafeFolder, match="is a file") as caught:
        make_work_folder(root, "ACME", "PO1")
    assert (caught.value.kind, caught.value.details) == (ErrorKind.FOLDER_IS_FILE, {"path": "ACME"})


def test_the_root_itself_may_be_a_link(tmp_path: Path) -> None:
    """The user chose the root; only what is planted inside it is refused."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "root").symlink_to(real, target_is_directory=True)
    made = make_work_folder(tmp_path / "root", "ACME", "PO1")
    assert (real / "ACME" / "PO1__WORK").is_dir() and made.is_dir()


def test_finalise_uses_the_status_name(folder: Path) -> None:
    assert finalise_folder(folder, "PM100001", PoStatus.PARTIAL).name == "PM100001_PARTIAL"


# ---------------------------------------------------------------- the disk itself


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_write_that_failed_for_space_is_a_full_disk_naming_the_root(tmp_path: Path, code: int) -> None:
    problem = disk_problem(tmp_path, tmp_path / "a" / "b", error=OSError(code, os.strerror(code)))
    assert problem is not None and problem.kind is ErrorKind.DISK_FULL
    assert problem.details["path"] == str(tmp_path)
    assert problem.details["free"].endswith("B")  # the space left, in human units


def test_a_write_refused_by_a_read_only_disk_is_a_read_only_disk(tmp_path: Path) -> None:
    problem = disk_problem(tmp_path, tmp_path, error=OSError(errno.EROFS, "Read-only file system"))
    assert problem is not None and problem.kind is ErrorKind.DISK_READ_ONLY
    assert problem.details == {"path": str(tmp_path)}


def test_other_write_errors_are_not_the_disk(tmp_path: Path) -> None:
    """A denied or vanished file is one PO's trouble: the PO fails and is retried, the batch goes on."""
    for code in (errno.EACCES, errno.ENOENT, errno.EIO):
        assert disk_problem(tmp_path, tmp_path, error=OSError(code, os.strerror(code))) is None


def test_a_dropped_download_is_the_disk_only_when_the_file_cannot_fit(tmp_path: Path) -> None:
    """Without an error of its own (the browser only says "cancelled") the free space decides."""
    assert disk_problem(tmp_path, tmp_path / "staging" / "w1", needed=10) is None
    problem = disk_problem(tmp_path, tmp_path / "staging" / "w1", needed=1 << 60)
    assert problem is not None and problem.kind is ErrorKind.DISK_FULL


@pytest.mark.skipif(not hasattr(os, "statvfs"), reason="POSIX asks statvfs whether a disk is read-only")
def test_a_dropped_download_on_a_read_only_disk_is_a_read_only_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.statvfs
    monkeypatch.setattr(os, "statvfs", lambda p: SimpleNamespace(f_flag=real(p).f_flag | os.ST_RDONLY))
    problem = disk_problem(tmp_path, tmp_path / "staging", needed=10)
    assert problem is not None and problem.kind is ErrorKind.DISK_READ_ONLY


def _cross_device(monkeypatch: pytest.MonkeyPatch, staged: Path) -> None:
    """``os.replace`` of the staged file fails as between two disks; every other rename works."""
    real = os.replace

    def replace(src: object, dst: object) -> None:
        if Path(str(src)) == staged:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)


def test_a_file_is_copied_whole_into_a_folder_on_another_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = tmp_path / "staging" / "guid"
    staged.parent.mkdir()
    staged.write_bytes(b"%PDF whole")
    folder = tmp_path / "po"
    folder.mkdir()
    _cross_device(monkeypatch, staged)
    placed = place_download(staged, folder, "a.pdf")
    assert placed == Placed(folder / "a.pdf", duplicate=False)
    assert [(p.name, p.read_bytes()) for p in folder.iterdir()] == [("a.pdf", b"%PDF whole")]
    assert not staged.exists()


def test_a_copy_cut_short_by_a_full_disk_leaves_nothing_that_looks_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    staged = tmp_path / "staging" / "guid"
    staged.parent.mkdir()
    staged.write_bytes(b"%PDF whole")
    folder = tmp_path / "po"
    folder.mkdir()
    _cross_device(monkeypatch, staged)

    def half_then_full(src: Path, dst: Path) -> None:
        Path(dst).write_bytes(b"%PDF")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", half_then_full)
    with pytest.raises(OSError) as caught:
        place_download(staged, folder, "a.pdf")
    assert caught.value.errno == errno.ENOSPC
    assert list(folder.iterdir()) == []  # no short "a.pdf", no leftover partial
    assert staged.read_bytes() == b"%PDF whole"  # still in staging, for the next attempt
