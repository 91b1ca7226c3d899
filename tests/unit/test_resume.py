"""Resume: the decisions as plain functions, the journal's answers, ``prepare`` and one PO's fetch.

No browser and no worker process here: the fetch half runs ``PoFetcher`` on a stand-in portal whose
"downloads" are files the test writes, so it can count exactly which attachments were fetched again.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.browser.portal import Listing
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.plan import plan_batch
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import KnownFile, ListVerdict, PoNumber, PoStatus, PoTask
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output import results as results_module
from po_downloader.engine.output.folders import adopt_folder, earlier_folders
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import BatchId, BatchRecord, FileRecord, PoState, hash_input
from po_downloader.engine.run.batch import ResumeError, prepare
from po_downloader.engine.run.resume import (
    PriorWork,
    check_resume,
    decide_resume,
    match_known,
    prior_work,
    resumes_whole_sheet,
    shared_paths,
    split_pos,
    still_there,
    with_prior,
)
from po_downloader.engine.system.paths import AppDirs, app_dirs
from po_downloader.engine.system.settings import Settings
from tests.helpers.fetcher import BASE, Portal, fetch_again, known, po_folders, sha

T0 = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


def record(
    id: int, digest: str = "h", *, ended: bool = False, counts: dict[str, int] | None = None
) -> BatchRecord:
    return BatchRecord(
        BatchId(id),
        "/in.csv",
        digest,
        {},
        T0,
        T0 if ended else None,
        False,
        counts or {"PENDING": 1},
        0,
        0,
    )


def state(po: str, status: PoStatus, folder: str = "", work: str = "") -> PoState:
    return PoState(po, f"PO{po}", 0, PoOutcome(status, "ACME", folder), 1, 1, work, None, None)


# ---------------------------------------------------------------- which batch


def test_the_latest_unfinished_batch_of_the_same_bytes_is_resumed() -> None:
    same = record(3)
    assert decide_resume(same, same, "h").resumable == same


def test_a_newer_batch_of_other_bytes_supersedes_an_older_unfinished_one() -> None:
    check = decide_resume(record(4, "other", ended=True, counts={"COMPLETED": 1}), record(3), "h")
    assert check.resumable is None and check.changed is None


def test_an_unfinished_batch_of_a_sheet_since_edited_is_not_resumed_and_says_so() -> None:
    latest = record(5, "old")
    check = decide_resume(latest, None, "new")
    assert check.resumable is None and check.changed == latest


def test_nothing_in_the_journal_is_nothing_to_resume() -> None:
    assert decide_resume(None, None, "h").resumable is None


def test_check_resume_asks_the_journal_by_path_and_bytes(tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO\n1\n2\n", encoding="utf-8")
    assert check_resume(dirs, sheet).resumable is None  # no journal yet: nothing, and no journal made
    assert not dirs.journal_file.exists()
    read = hash_input(sheet)  # the bytes the sheet on screen was read from
    with Journal.open(dirs.journal_file) as journal:
        batch = journal.start_batch(sheet, read, {}, ["1", "2"])
        journal.po_started(batch, "1", 1, 1)
    found = check_resume(dirs, sheet).resumable
    assert found is not None and found.id == batch and found.open_pos == 2
    sheet.write_text("PO\n1\n2\n3\n", encoding="utf-8")
    assert check_resume(dirs, sheet).resumable is None
    # Given them, those bytes decide, not what the file holds by now, and it is not read again.
    assert check_resume(dirs, sheet, read).resumable is not None
    sheet.unlink()
    assert check_resume(dirs, sheet, read).resumable is not None


@pytest.mark.expect_log("po_downloader.engine.run.resume", r"could not look for an unfinished batch")
def test_a_journal_that_cannot_be_read_means_nothing_to_resume_not_an_error(tmp_path: Path) -> None:
    dirs = app_dirs(tmp_path / "home")
    dirs.journal_file.parent.mkdir(parents=True, exist_ok=True)
    dirs.journal_file.write_bytes(b"this is not a database" * 100)
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO\n1\n", encoding="utf-8")
    assert check_resume(dirs, sheet).resumable is None


# ---------------------------------------------------------------- which POs, which files


def test_final_pos_are_kept_and_open_ones_worked_in_input_order() -> None:
    pos = [PoNumber(d) for d in ("1", "2", "3", "4", "5")]
    states = [
        state("1", PoStatus.COMPLETED),
        state("2", PoStatus.PENDING),
        state("3", PoStatus.PO_NOT_FOUND),
        state("4", PoStatus.SIGN_IN_REQUIRED),
        state("5", PoStatus.PROCESSING),
    ]
    kept, todo = split_pos(pos, states)
    assert sorted(kept) == ["1", "3"]
    assert [p.digits for p in todo] == ["2", "4", "5"]


def test_prior_work_keeps_only_folders_under_this_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    inside = root / "ACME" / "PO1__WORK"
    rec = FileRecord("1", "a.pdf", str(inside / "a.pdf"), 3, "s", "PO", "u", 1, T0)
    prior = prior_work(
        {"1": (str(inside), [rec]), "2": (str(tmp_path / "elsewhere" / "PO2_COMPLETED"), [])}, root
    )
    assert list(prior) == ["1"]
    assert prior["1"] == PriorWork(str(inside), (KnownFile("a.pdf", "u", 3, "s", str(inside / "a.pdf")),))
    task = with_prior(PoTask(PoNumber("1"), 2), prior)
    assert (task.attempt, task.folder, task.known) == (2, str(inside), prior["1"].known)
    assert with_prior(PoTask(PoNumber("9")), prior) == PoTask(PoNumber("9"))


def test_an_attachment_matches_its_file_by_url_else_by_saved_name_and_only_once() -> None:
    a = KnownFile("a.pdf", "https://x/a", 1, "s1", "/f/a.pdf")
    b = KnownFile("Report (2).PDF", "", 1, "s2", "/f/Report (2).PDF")
    c = KnownFile("report.pdf", "", 1, "s3", "/f/report.pdf")
    pool = [a, b, c]
    assert match_known("renamed.pdf", "https://x/a", pool) == a  # the URL says it is the same file
    assert match_known("other.pdf", "https://x/other", pool) is None
    assert match_known("report.pdf", "", pool) == b  # "report (2).pdf" is of the family, any case
    assert match_known("report.pdf", "", pool) == c
    assert match_known("report.pdf", "", pool) is None  # each file is claimed once
    assert pool == []


def test_a_signed_url_matches_its_file_recorded_without_the_query_only_with_its_name() -> None:
    """The journal keeps URLs without their query (a signature is a credential); the page lists them signed,
    with a signature that changes at every load. The path matches, but only with the name: a query may be
    what tells two files apart."""
    signed = "https://x/dl?X-Amz-Signature=abc&token=t"
    quote = KnownFile("Quote.pdf", "https://x/dl", 1, "s1", "/f/Quote.pdf")
    old = KnownFile("Drawing.pdf", "https://x/old?sig=zzz", 1, "s2", "/f/Drawing.pdf")  # an older journal
    pool = [quote, old]
    assert match_known("Other.pdf", signed, pool) is None  # same path, another name: not proof
    assert match_known("Quote.pdf", signed, pool) == quote
    assert match_known("Drawing.pdf", "https://x/old?sig=new", pool) == old
    assert pool == []
    unsigned = KnownFile("a.pdf", "https://x/a", 1, "s", "/f/a.pdf")
    assert match_known("renamed.pdf", "https://x/a", [unsigned]) == unsigned  # no query: the path decides


def test_paths_shared_by_two_attachments_of_a_page_are_found() -> None:
    urls = ["https://x/dl?id=1", "https://x/dl?id=2", "https://x/a?sig=1", "", ""]
    assert shared_paths(urls) == {"https://x/dl"}


def test_an_attachment_listed_decomposed_matches_its_file_saved_composed() -> None:
    """Files are saved in NFC; a page (or macOS) may list the name decomposed: it is the same file, as
    ``place_download`` judges it, so it is not downloaded again."""
    saved = KnownFile("Fatura_Mar\u00e7o (2).pdf", "", 1, "s", "/f/Fatura_Mar\u00e7o (2).pdf")
    pool = [saved]
    assert match_known("Fatura_Marc\u0327o.pdf", "", pool) == saved and pool == []


def test_a_file_is_kept_only_with_its_recorded_size_and_sha256(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"abc")
    good = known(tmp_path / "old" / "a.pdf", b"abc")  # recorded in another folder: found here by name
    assert still_there(good, tmp_path) == tmp_path / "a.pdf"
    assert still_there(known(tmp_path / "a.pdf", b"abd"), tmp_path) is None  # same size, other bytes
    assert still_there(known(tmp_path / "a.pdf", b"abcd"), tmp_path) is None
    assert still_there(known(tmp_path / "gone.pdf", b"abc"), tmp_path) is None


# ---------------------------------------------------------------- folders taken over


def test_an_earlier_final_folder_becomes_the_work_folder(tmp_path: Path) -> None:
    root = tmp_path / "root"
    old = root / "ACME" / "PO1_PARTIAL"
    old.mkdir(parents=True)
    (old / "a.pdf").write_bytes(b"a")
    work = root / "ACME" / "PO1__WORK"
    assert adopt_folder(old, work, root)
    assert not old.exists() and (work / "a.pdf").read_bytes() == b"a"


def test_an_earlier_folder_beside_an_existing_work_folder_is_merged_in_once(tmp_path: Path) -> None:
    root = tmp_path / "root"
    old, work = root / "Old name" / "PO1_COMPLETED", root / "ACME" / "PO1__WORK"
    old.mkdir(parents=True)
    work.mkdir(parents=True)
    (old / "a.pdf").write_bytes(b"same")
    (work / "a.pdf").write_bytes(b"same")
    (old / "b.pdf").write_bytes(b"b")
    assert adopt_folder(old, work, root)
    assert sorted(p.name for p in work.iterdir()) == ["a.pdf", "b.pdf"]
    assert not old.exists() and not old.parent.exists()  # the emptied supplier folder goes too


@pytest.mark.expect_log("po_downloader.engine.output.folders", r"not reusing .*: it is not inside")
def test_a_folder_outside_the_root_or_a_symlink_is_never_taken_over(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "elsewhere" / "PO1_COMPLETED"
    outside.mkdir(parents=True)
    (outside / "keep.pdf").write_bytes(b"k")
    link = root / "ACME" / "PO1_COMPLETED"
    link.parent.mkdir()
    link.symlink_to(outside)
    work = root / "ACME" / "PO1__WORK"
    assert not adopt_folder(link, work, root)
    assert not work.exists() and (outside / "keep.pdf").exists()
    assert not adopt_folder(outside, work, root)
    assert (outside / "keep.pdf").exists() and not work.exists()


# ---------------------------------------------------------------- one PO fetched again


def test_a_po_worked_again_adds_only_what_is_new_to_its_own_folder(tmp_path: Path) -> None:
    root = tmp_path / "root"
    old = root / "ACME" / "PO1_COMPLETED"
    old.mkdir(parents=True)
    (old / "a.pdf").write_bytes(b"A" * 10)
    (old / "b.pdf").write_bytes(b"B" * 10)
    portal = Portal({"a.pdf": b"A" * 10, "b.pdf": b"B" * 10, "c.pdf": b"new"})
    prior = (
        known(old / "a.pdf", b"A" * 10, f"{BASE}/att/a.pdf"),
        known(old / "b.pdf", b"B" * 10, f"{BASE}/att/b.pdf"),
    )
    result, events = fetch_again(tmp_path, portal, PoTask(PoNumber("1"), 1, str(old), prior))
    assert portal.started == ["c.pdf"]  # a and b were there with their bytes: not downloaded again
    assert (result.outcome.status, result.outcome.found, result.outcome.downloaded) == (
        PoStatus.COMPLETED,
        3,
        3,
    )
    assert po_folders(root) == ["ACME/PO1_COMPLETED"]  # no "PO1_COMPLETED (2)"
    final = root / "ACME" / "PO1_COMPLETED"
    assert sorted(p.name for p in final.iterdir()) == ["a.pdf", "b.pdf", "c.pdf"]
    saved = {e.name: e for e in events if isinstance(e, ev.FileSaved)}
    assert sorted(saved) == ["a.pdf", "b.pdf", "c.pdf"]
    assert saved["a.pdf"].sha256 == sha(b"A" * 10) and saved["c.pdf"].sha256 == sha(b"new")
    assert sorted(result.outcome.names) == ["a.pdf", "b.pdf", "c.pdf"]


def test_a_file_whose_bytes_changed_is_downloaded_again_and_kept_once(tmp_path: Path) -> None:
    root = tmp_path / "root"
    work = root / "ACME" / "PO1__WORK"  # left by a crash
    work.mkdir(parents=True)
    (work / "a.pdf").write_bytes(b"A" * 10)
    (work / "b.pdf").write_bytes(b"torn")
    portal = Portal({"a.pdf": b"A" * 10, "b.pdf": b"B" * 10})
    prior = (
        known(work / "a.pdf", b"A" * 10, f"{BASE}/att/a.pdf"),
        known(work / "b.pdf", b"B" * 10, f"{BASE}/att/b.pdf"),
    )
    result, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1"), 1, str(work), prior))
    assert portal.started == ["b.pdf"]
    assert result.outcome.status is PoStatus.COMPLETED
    final = root / "ACME" / "PO1_COMPLETED"
    assert po_folders(root) == ["ACME/PO1_COMPLETED"]
    assert {p.name: p.read_bytes() for p in final.iterdir()} == {"a.pdf": b"A" * 10, "b.pdf": b"B" * 10}


def test_earlier_folders_are_the_recorded_one_then_any_final_folder_of_the_po_beside_it(
    tmp_path: Path,
) -> None:
    supplier = tmp_path / "ACME"
    for name in ("PO1_PARTIAL", "PO1_COMPLETED (2)", "PO12_COMPLETED", "PO1_NOTES", "PO1__WORK"):
        (supplier / name).mkdir(parents=True)
    recorded = tmp_path / "Old" / "PO1_FAILED"
    found = earlier_folders(supplier / "PO1__WORK", "PO1", str(recorded))
    assert found == [recorded, supplier / "PO1_COMPLETED (2)", supplier / "PO1_PARTIAL"]
    assert earlier_folders(tmp_path / "nowhere" / "PO1__WORK", "PO1") == []


def test_a_folder_the_journal_does_not_know_is_taken_over_too(tmp_path: Path) -> None:
    """No journal record (an older version, a cleared history): the PO's final folder beside the work
    folder is still worked in, identical bytes kept once, and no "(2)" folder appears."""
    root = tmp_path / "root"
    old = root / "ACME" / "PO1_COMPLETED"
    old.mkdir(parents=True)
    (old / "a.pdf").write_bytes(b"A" * 10)
    portal = Portal({"a.pdf": b"A" * 10, "b.pdf": b"B"})
    result, events = fetch_again(tmp_path, portal, PoTask(PoNumber("1")))
    assert portal.started == ["a.pdf", "b.pdf"]  # nothing known: fetched, but saved once
    assert (result.outcome.status, result.outcome.downloaded) == (PoStatus.COMPLETED, 2)
    # Both are the PO's files, so this batch's journal (and manifest) lists both, each once.
    assert sorted(e.name for e in events if isinstance(e, ev.FileSaved)) == ["a.pdf", "b.pdf"]
    assert sorted(result.outcome.names) == ["a.pdf", "b.pdf"]
    assert po_folders(root) == ["ACME/PO1_COMPLETED"]
    assert {p.name: p.read_bytes() for p in old.iterdir()} == {"a.pdf": b"A" * 10, "b.pdf": b"B"}


# ---------------------------------------------------------------- prepare


def settings(tmp_path: Path) -> Settings:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return Settings(
        base_url=BASE, download_root=str(tmp_path / "root"), browser="chromium", profile_dir=str(profile)
    )


def sheet(tmp_path: Path, pos: tuple[str, ...] = ("10000001", "10000002", "10000003")) -> Path:
    path = tmp_path / "pos.csv"
    path.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    return path


def statuses(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [r["STATUS"] for r in csv.DictReader(fh)]


def crashed_batch(dirs: AppDirs, input_path: Path, root: Path) -> BatchId:
    """PO1 completed with a file, PO2 in flight with one file in its work folder, PO3 not reached."""
    with Journal.open(dirs.journal_file) as journal:
        batch = journal.start_batch(
            input_path, hash_input(input_path), {}, ["10000001", "10000002", "10000003"]
        )
        done = root / "ACME" / "PO10000001_COMPLETED"
        done.mkdir(parents=True)
        (done / "a.pdf").write_bytes(b"a")
        journal.po_started(batch, "10000001", 1, 1)
        journal.file_saved(batch, "10000001", "a.pdf", done / "a.pdf", 1, sha(b"a"), url="u1")
        journal.po_finished(
            batch,
            "10000001",
            PoOutcome(PoStatus.COMPLETED, supplier="ACME", folder=str(done), found=1, downloaded=1),
        )
        work = root / "ACME" / "PO10000002__WORK"
        work.mkdir(parents=True)
        (work / "b.pdf").write_bytes(b"b")
        journal.po_started(batch, "10000002", 1, 2)
        journal.file_saved(batch, "10000002", "b.pdf", work / "b.pdf", 1, sha(b"b"), url="u2")
    return batch


def test_a_fresh_batch_never_blanks_an_existing_results_file(tmp_path: Path, app_home: Path) -> None:
    source = sheet(tmp_path)
    results = tmp_path / "pos_results.csv"
    results.write_text("PO_NUMBER,STATUS\nPO10000001,COMPLETED\n", encoding="utf-8")
    batch = prepare(source, settings(tmp_path), app_dirs(), resume=False)
    assert results.read_text(encoding="utf-8") == "PO_NUMBER,STATUS\nPO10000001,COMPLETED\n"
    assert batch.resumed is None and batch.work == batch.plan.pos


def test_a_new_results_file_is_written_before_the_batch_starts(tmp_path: Path, app_home: Path) -> None:
    batch = prepare(sheet(tmp_path), settings(tmp_path), app_dirs())
    assert statuses(batch.results.path) == ["PENDING"] * 3


def test_resuming_rebuilds_the_results_from_the_journal_and_works_only_open_pos(
    tmp_path: Path, app_home: Path
) -> None:
    source = sheet(tmp_path)
    dirs = app_dirs()
    batch_id = crashed_batch(dirs, source, tmp_path / "root")
    # The results file lags behind the journal (the crash came before its flush): rebuilt, not trusted.
    (tmp_path / "pos_results.csv").write_text("PO_NUMBER,STATUS\nPO10000001,PENDING\n", encoding="utf-8")
    batch = prepare(source, settings(tmp_path), dirs)
    assert batch.resumed is not None and batch.resumed.id == batch_id
    assert {d: o.status for d, o in batch.kept.items()} == {"10000001": PoStatus.COMPLETED}
    assert (batch.kept["10000001"].supplier, batch.kept["10000001"].names) == ("ACME", ("a.pdf",))
    assert [p.digits for p in batch.work] == ["10000002", "10000003"]
    assert statuses(batch.results.path) == ["COMPLETED", "PENDING", "PENDING"]
    assert batch.results.value(0, "AttachmentName") == "a.pdf"
    assert batch.results.value(1, "ERROR_MESSAGE") == "interrupted"


def test_fresh_ignores_the_unfinished_batch(tmp_path: Path, app_home: Path) -> None:
    source = sheet(tmp_path)
    crashed_batch(app_dirs(), source, tmp_path / "root")
    batch = prepare(source, settings(tmp_path), app_dirs(), resume=False)
    assert batch.resumed is None and len(batch.work) == 3


def test_resume_asked_for_with_nothing_to_resume_is_a_clear_error(tmp_path: Path, app_home: Path) -> None:
    with pytest.raises(ResumeError) as caught:
        prepare(sheet(tmp_path), settings(tmp_path), app_dirs(), resume=True)
    assert caught.value.kind is ErrorKind.NOTHING_TO_RESUME


def test_a_changed_sheet_starts_fresh_and_says_which_batch_it_did_not_resume(
    tmp_path: Path, app_home: Path
) -> None:
    source = sheet(tmp_path)
    crashed_batch(app_dirs(), source, tmp_path / "root")
    sheet(tmp_path, ("10000001", "10000002", "10000003", "10000004"))
    batch = prepare(source, settings(tmp_path), app_dirs())
    assert batch.resumed is None and batch.not_resumed is not None and len(batch.work) == 4
    with pytest.raises(ResumeError) as caught:
        prepare(source, settings(tmp_path), app_dirs(), resume=True)
    assert caught.value.kind is ErrorKind.RESUME_INPUT_CHANGED


def test_the_journal_gives_each_po_the_folder_of_the_latest_batch_that_left_one(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        first = journal.start_batch(tmp_path / "a.csv", "h1", {}, ["1", "2", "3"])
        journal.po_started(first, "1", 1, 1)
        journal.file_saved(first, "1", "a.pdf", tmp_path / "ACME" / "PO1__WORK" / "a.pdf", 1, "s1")
        journal.po_finished(
            first, "1", PoOutcome(PoStatus.COMPLETED, folder=str(tmp_path / "ACME" / "PO1_COMPLETED"))
        )
        journal.po_started(first, "2", 1, 1)
        journal.file_saved(first, "2", "b.pdf", tmp_path / "ACME" / "PO2__WORK" / "b.pdf", 1, "s2")
        second = journal.start_batch(tmp_path / "other.csv", "h2", {}, ["1", "2", "3"])
        journal.po_started(second, "1", 1, 1)  # worked again, nothing saved yet: the first batch still says
        latest = journal.latest_folders(["1", "2", "3"])
        journal.po_finished(
            second, "1", PoOutcome(PoStatus.PARTIAL, folder=str(tmp_path / "ACME" / "PO1_PARTIAL"))
        )
        after = journal.latest_folders(["1"])
    assert sorted(latest) == ["1", "2"]  # PO3 never had a folder
    folder, files = latest["1"]
    assert folder == str(tmp_path / "ACME" / "PO1_COMPLETED")
    assert [(f.name, f.path) for f in files] == [
        ("a.pdf", str(tmp_path / "ACME" / "PO1_COMPLETED" / "a.pdf"))
    ]
    assert latest["2"][0] == str(tmp_path / "ACME" / "PO2__WORK")  # unfinished: its work folder
    assert after["1"] == (str(tmp_path / "ACME" / "PO1_PARTIAL"), [])


@pytest.mark.expect_log("po_downloader.engine.run.batch", r"rebuilt from the journal wait to be written")
def test_a_locked_results_file_does_not_stop_a_resume(
    tmp_path: Path, app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = sheet(tmp_path)
    crashed_batch(app_dirs(), source, tmp_path / "root")
    locked = tmp_path / "pos_results.csv"
    locked.write_text("PO_NUMBER,STATUS\n", encoding="utf-8")

    def excel_holds_it(src: str, dst: str) -> None:
        raise PermissionError(13, "The process cannot access the file", dst)

    monkeypatch.setattr(results_module.os, "replace", excel_holds_it)
    batch = prepare(source, settings(tmp_path), app_dirs())
    assert batch.resumed is not None and batch.results.dirty  # still to be written, by the recorder
    assert locked.read_text(encoding="utf-8") == "PO_NUMBER,STATUS\n"


def test_a_po_that_lists_nothing_now_leaves_its_earlier_files_where_they_are(tmp_path: Path) -> None:
    root = tmp_path / "root"
    old = root / "ACME" / "PO1_COMPLETED"
    old.mkdir(parents=True)
    (old / "a.pdf").write_bytes(b"A")

    class Emptied(Portal):
        def wait_attachments(self) -> Listing:
            return Listing(ListVerdict.EMPTY, "", ())

        def requisition_url(self) -> str:
            return ""

    portal = Emptied({})
    result, _ = fetch_again(
        tmp_path, portal, PoTask(PoNumber("1"), 1, str(old), (known(old / "a.pdf", b"A"),))
    )
    assert result.outcome.status is PoStatus.NO_ATTACHMENTS
    assert (old / "a.pdf").read_bytes() == b"A"  # not renamed to a NO_ATTACHMENTS folder full of files


def test_a_resume_works_the_whole_sheet_only_when_the_batch_holds_a_skipped_row_still_open(
    tmp_path: Path,
) -> None:
    """The batch was started with --all when a PO of a row the plain plan skips (COMPLETED in the sheet)
    is open in it; a skipped PO it finished, or one it never held, asks for nothing more."""
    path = tmp_path / "june.csv"
    path.write_text("PO_NUMBER,STATUS\nPO10000001,COMPLETED\nPO10000002,FAILED\n", encoding="utf-8")
    plan = plan_batch(read_sheet(path))
    assert resumes_whole_sheet(plan, [state("10000001", PoStatus.PENDING)])
    assert resumes_whole_sheet(plan, [state("10000001", PoStatus.PROCESSING)])
    assert not resumes_whole_sheet(plan, [state("10000001", PoStatus.COMPLETED)])
    assert not resumes_whole_sheet(plan, [state("10000002", PoStatus.PENDING)])
    assert not resumes_whole_sheet(
        plan_batch(read_sheet(path), rerun_all=True), [state("10000001", PoStatus.PENDING)]
    )
