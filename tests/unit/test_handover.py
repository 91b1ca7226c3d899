"""The window's batch handed to the controller's process as a recipe (``run/handover``), prepared there
again by ``run/batch.prepare_again``: the message carries no row of the sheet, the batch prepared from it
is the window's (plan, result rows, kept POs, journal batch), and a sheet whose bytes changed since the
window read it is refused by its kind."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import pytest

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.column_choice import REASON_REMEMBERED, ColumnMapping, apply_mapping
from po_downloader.engine.input.plan import plan_batch
from po_downloader.engine.input.sheet import SheetError, read_sheet
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import hash_input
from po_downloader.engine.run.batch import PreparedBatch, prepare, prepare_again
from po_downloader.engine.run.handover import Handover, handover_of
from po_downloader.engine.system.paths import AppDirs, app_dirs
from po_downloader.engine.system.settings import Settings
from tests.helpers.batch import settings_for

POS = ("10000001", "10000002", "10000003", "10000004")


def sheet_of(path: Path, pos: tuple[str, ...] = POS, header: str = "PO_NUMBER") -> Path:
    path.write_text(f"{header},Supplier\n" + "".join(f"PO{d},ACME\n" for d in pos), encoding="utf-8")
    return path


def setting(tmp_path: Path) -> tuple[Settings, AppDirs]:
    (tmp_path / "profile").mkdir(exist_ok=True)
    return settings_for("http://127.0.0.1:9", tmp_path / "profile", tmp_path / "out"), app_dirs(
        tmp_path / "home"
    )


def same_batch(mine: PreparedBatch, theirs: PreparedBatch) -> None:
    assert theirs.plan.sheet.rows == mine.plan.sheet.rows
    assert theirs.plan.rows == mine.plan.rows and theirs.plan.pos == mine.plan.pos
    assert theirs.results.columns == mine.results.columns
    assert theirs.results._rows == mine.results._rows, "every result row as the window's"
    assert dict(theirs.kept) == dict(mine.kept)
    assert (theirs.config, theirs.input_path, theirs.resumed, theirs.journal_batch) == (
        mine.config,
        mine.input_path,
        mine.resumed,
        mine.journal_batch,
    )


def test_the_handover_carries_no_row_of_the_sheet(tmp_path: Path) -> None:
    settings, dirs = setting(tmp_path)
    sizes = []
    for n in (4, 5000):
        source = sheet_of(tmp_path / f"pos{n}.csv", tuple(str(10_000_001 + i) for i in range(n)))
        batch = prepare(source, settings, dirs)
        handover = handover_of(batch)
        data = pickle.dumps(handover)
        assert pickle.loads(data) == handover
        sizes.append(len(data))
    assert sizes[1] - sizes[0] < 64, f"the message grows with the sheet: {sizes}"
    assert sizes[1] < 4096


def test_a_fresh_batch_is_prepared_again_as_the_window_prepared_it(tmp_path: Path) -> None:
    settings, dirs = setting(tmp_path)
    source = sheet_of(tmp_path / "pos.csv", (*POS, "10000002", "not a po", ""))
    mine = prepare(source, settings, dirs, resume=False)
    same_batch(mine, prepare_again(handover_of(mine), dirs))


def test_earlier_outcomes_and_a_retrys_journal_batch_fill_the_rows_as_they_were_left(tmp_path: Path) -> None:
    """A retry's process gets no row from the window: the journal's outcomes of this session's run fill
    them, as the run left them."""
    settings, dirs = setting(tmp_path)
    source = sheet_of(tmp_path / "pos.csv")
    mine = prepare(source, settings, dirs, resume=False)
    with Journal.open(dirs.journal_file) as journal:
        batch_id = journal.start_batch(source, hash_input(source), {}, list(POS))
        journal.po_started(batch_id, POS[2], 1, 1)
        journal.po_finished(batch_id, POS[2], PoOutcome(PoStatus.PO_NOT_FOUND, message="no such PO"))
    handover = handover_of(mine)
    mine.journal_batch = batch_id
    again = prepare_again(handover_of(mine), dirs)
    assert again.journal_batch == batch_id
    status = again.results.columns.index("STATUS")
    rows = [row[status] for row in again.results._rows]
    assert rows == ["PENDING", "PENDING", PoStatus.PO_NOT_FOUND.value, "PENDING"]
    # Before that run: no results file when the window looked, so its rows start pending, there too.
    assert not handover.earlier
    first = prepare_again(handover, dirs)
    assert first.journal_batch is None
    assert [row[status] for row in first.results._rows] == ["PENDING"] * 4


def test_a_resumed_batch_keeps_exactly_the_pos_the_window_shows_kept(tmp_path: Path) -> None:
    settings, dirs = setting(tmp_path)
    source = sheet_of(tmp_path / "pos.csv")
    root = Path(settings.download_root)
    with Journal.open(dirs.journal_file) as journal:
        batch_id = journal.start_batch(source, hash_input(source), {}, list(POS))
        for n, digits in enumerate(POS[:2], 1):
            done = root / "ACME" / f"PO{digits}_COMPLETED"
            done.mkdir(parents=True)
            (done / "a.pdf").write_bytes(b"a")
            journal.po_started(batch_id, digits, 1, n)
            journal.file_saved(
                batch_id, digits, "a.pdf", done / "a.pdf", 1, hashlib.sha256(b"a").hexdigest(), url="u"
            )
            journal.po_finished(batch_id, digits, PoOutcome(PoStatus.COMPLETED, "ACME", str(done), 1, 1))
    mine = prepare(source, settings, dirs)
    assert mine.resumed is not None and set(mine.kept) == {POS[0], POS[1]}
    handover = handover_of(mine)
    same_batch(mine, prepare_again(handover, dirs))
    # A PO kept here and not in the window (a retry's, finished since) stays out of the kept POs.
    narrower = Handover(**{**{f: getattr(handover, f) for f in Handover.__slots__}, "kept": POS[0]})
    assert set(prepare_again(narrower, dirs).kept) == {POS[0]}


def test_a_chosen_or_remembered_po_column_is_read_again_the_same(tmp_path: Path) -> None:
    settings, dirs = setting(tmp_path)
    source = tmp_path / "pos.csv"
    source.write_text("Ref,Other\nPO10000001,PO10000009\nPO10000002,PO10000008\n", encoding="utf-8")
    mapping = ColumnMapping("Other")
    for reason in ("chosen", REASON_REMEMBERED):
        sheet = apply_mapping(read_sheet(source), mapping, reason=reason)
        mine = prepare(source, settings, dirs, plan=plan_batch(sheet), resume=False)
        again = prepare_again(handover_of(mine), dirs)
        assert [p.digits for p in again.plan.pos] == ["10000009", "10000008"]
        assert again.plan.sheet.po_column_reason == reason
        same_batch(mine, again)


@pytest.mark.parametrize("edit", ["a row added", "a PO changed", "same size, same time"])
def test_a_sheet_edited_after_the_window_read_it_is_refused_by_its_kind(tmp_path: Path, edit: str) -> None:
    settings, dirs = setting(tmp_path)
    source = sheet_of(tmp_path / "pos.csv")
    handover = handover_of(prepare(source, settings, dirs))
    stat = source.stat()
    text = source.read_text(encoding="utf-8")
    if edit == "a row added":
        source.write_text(text + "PO10000005,ACME\n", encoding="utf-8")
    elif edit == "a PO changed":
        source.write_text(text.replace("PO10000003", "PO10000033"), encoding="utf-8")
    else:  # only the bytes tell: a size and time check alone would take it
        source.write_text(text.replace("PO10000003", "PO10000008"), encoding="utf-8")
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(SheetError) as refused:
        prepare_again(handover, dirs)
    assert refused.value.kind is ErrorKind.SHEET_CHANGED_SINCE_READ
    assert refused.value.details["name"] == "pos.csv"
    assert pickle.loads(pickle.dumps(refused.value)).kind is ErrorKind.SHEET_CHANGED_SINCE_READ


def test_a_sheet_gone_since_is_refused_as_the_sheet_reader_says(tmp_path: Path) -> None:
    settings, dirs = setting(tmp_path)
    source = sheet_of(tmp_path / "pos.csv")
    handover = handover_of(prepare(source, settings, dirs))
    source.unlink()
    with pytest.raises(SheetError) as refused:
        prepare_again(handover, dirs)
    assert refused.value.kind is ErrorKind.SHEET_NOT_FOUND
