"""Resume: carry on an interrupted batch from the journal, and never save a PO's files twice.

The decisions are plain functions (unit-tested without a browser or a journal file); ``batch.py`` wires
them in and the worker (``fetch.py``) applies the per-file one.

- Which batch: the journal's latest batch of the same input path *and* bytes, if it is unfinished
  (:func:`check_resume`). An edited sheet is a new batch, and the front end says why it did not resume.
- Which POs: those final in the journal keep their outcome and are not worked again; the open ones
  (pending, cut off in flight, waiting for sign-in) are (:func:`split_pos`).
- Which files: a PO worked again is given the folder an earlier run left for it and the files the
  journal recorded there (:func:`prior_work`). The worker takes that folder over as its ``<PO>__WORK``
  folder (so no ``<PO>_COMPLETED (2)`` appears), and an attachment whose file is there with the recorded
  size and sha256 is not downloaded again (:func:`match_known`, :func:`still_there`).
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.models import KnownFile, PoNumber, PoStatus, PoTask
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.output.journal_records import (
    BatchId,
    BatchRecord,
    FileRecord,
    JournalError,
    PoState,
    hash_input,
    on_disk,
)
from po_downloader.engine.output.naming import WORK_SUFFIX, fit_component, in_name_family
from po_downloader.engine.system.display import url_for_record
from po_downloader.engine.system.hashing import sha256_file
from po_downloader.engine.system.paths import AppDirs

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ResumeCheck:
    """What the journal says about an input: a batch to resume, or an unfinished one that cannot be."""

    resumable: BatchRecord | None
    changed: BatchRecord | None = None
    """The latest batch of this path is unfinished but the file's bytes changed since: not resumed."""
    kept: int | None = None
    """How many POs resuming would keep (final, files on disk: :func:`kept_outcomes`); None if not
    counted. The window's offer says this number, so it is the CLI's resume line's, by one rule."""


@dataclass(frozen=True, slots=True)
class KeptOutcomes:
    """What resuming a batch keeps: the final POs whose outcome is still true, and those that are not."""

    states: tuple[PoState, ...]
    kept: Mapping[str, PoState]
    """POs (by digits) final in the batch whose recorded files are all on disk: not worked again."""
    files: Mapping[str, Sequence[FileRecord]]
    """The recorded files of the final POs (kept or gone)."""
    gone: tuple[str, ...]
    """POs final in the batch whose files are no longer on disk: worked again (:func:`files_gone`)."""


@dataclass(frozen=True, slots=True)
class PriorWork:
    """What an earlier run left on disk for one PO: its folder and the files recorded in it."""

    folder: str
    known: tuple[KnownFile, ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    """The PO's row values for the folder template: not earlier work, but per PO to its task the same way."""


def decide_resume(
    latest: BatchRecord | None, same_bytes: BatchRecord | None, input_sha256: str
) -> ResumeCheck:
    """``latest``: the latest batch of the input path; ``same_bytes``: the journal's unfinished batch of
    the path with these bytes. Only the latest batch counts: a fresh run supersedes an older one."""
    if same_bytes is not None and (latest is None or latest.id == same_bytes.id):
        return ResumeCheck(same_bytes)
    if latest is not None and latest.unfinished and latest.input_sha256 != input_sha256:
        return ResumeCheck(None, changed=latest)
    return ResumeCheck(None)


def check_resume(
    dirs: AppDirs, input_path: Path, digest: str = "", *, count_kept: bool = False
) -> ResumeCheck:
    """Ask the journal about ``input_path``; a journal (or input) that cannot be read means "nothing to
    resume", logged: it must never stop a batch from starting. ``digest``: the SHA-256 of the bytes the
    sheet on screen was read from (``Sheet.sha256``), so the file is not read again and the decision is
    about those very bytes; without it the file is hashed. ``count_kept``: also count the POs resuming
    would keep (:attr:`ResumeCheck.kept`; a look at each kept file, so only for an offer to the user)."""
    try:
        digest = digest or hash_input(input_path)
        if not dirs.journal_file.exists():
            return ResumeCheck(None)
        with Journal.open(dirs.journal_file) as journal:
            check = decide_resume(
                journal.latest_for_input(input_path), journal.find_unfinished(input_path, digest), digest
            )
            if count_kept and check.resumable is not None:
                kept = len(kept_outcomes(journal, check.resumable.id).kept)
                check = dataclasses.replace(check, kept=kept)
            return check
    except (JournalError, sqlite3.Error, OSError) as exc:
        log.warning("could not look for an unfinished batch of %s in the journal: %s", input_path, exc)
        return ResumeCheck(None)


def split_pos(
    pos: Sequence[PoNumber], states: Iterable[PoState]
) -> tuple[dict[str, PoState], tuple[PoNumber, ...]]:
    """POs final in the journal (kept, by digits) and the POs still to work, in input order."""
    final = {s.po: s for s in states if not s.is_open}
    kept = {po.digits: final[po.digits] for po in pos if po.digits in final}
    return kept, tuple(po for po in pos if po.digits not in kept)


def kept_outcomes(journal: Journal, batch: BatchId, pos: Sequence[PoNumber] | None = None) -> KeptOutcomes:
    """What resuming ``batch`` keeps, among ``pos`` (the plan; None: every PO of the batch): the one
    decision behind the CLI's resume line, the window's offer and the resumed run itself. Raises what
    the journal raises."""
    states = tuple(journal.po_states(batch))
    kept = split_pos(pos, states)[0] if pos is not None else {s.po: s for s in states if not s.is_open}
    files = {digits: journal.files_of(batch, digits) for digits in kept}
    gone = files_gone(kept, files)
    for digits in gone:
        del kept[digits]
    return KeptOutcomes(states, kept, files, tuple(gone))


def resumes_whole_sheet(plan: BatchPlan, states: Iterable[PoState]) -> bool:
    """The batch to resume holds, still open, a PO of a row ``plan`` skips as already ``COMPLETED`` (the
    batch was started, or last resumed, with ``--all``): the resumed run must work the whole sheet again.

    A resume carries on the batch's own plan, not the smaller one the plain command line asks for: else
    the POs it skips stay open in the batch for good, the batch never ends, and the offer to resume
    comes back at every launch. The sheet's ``COMPLETED`` cell is no proof of files on disk (a status is
    a promise), so those POs are worked, not closed with the cell's word; the ones the batch already
    finished are kept as any resume keeps them (:func:`kept_outcomes`)."""
    still_open = {s.po for s in states if s.is_open}
    return any(r.kind == "done" and r.po is not None and r.po.digits in still_open for r in plan.rows)


def files_gone(kept: Mapping[str, PoState], files: Mapping[str, Sequence[FileRecord]]) -> list[str]:
    """The kept POs (by digits) whose recorded files are not all on disk with their recorded size.

    A final outcome is kept on resume only while it is still true: a ``COMPLETED`` PO whose files were
    deleted or moved since is worked again (its attachments downloaded again), never reported done. Only
    sizes are checked, not hashes: resume must stay quick for a big sheet, and a file that changed in
    place is the worker's to find when the PO is next worked."""
    return [digits for digits in kept if not all(on_disk(f.path, f.size) for f in files.get(digits, ()))]


def prior_work(latest: Mapping[str, tuple[str, Sequence[FileRecord]]], root: Path) -> dict[str, PriorWork]:
    """Each PO's earlier folder under this download ``root`` (another root is another tree of files),
    with the files recorded in it (``Journal.latest_folders`` gives ``latest``)."""
    out: dict[str, PriorWork] = {}
    for digits, (folder, files) in latest.items():
        if not folder or not Path(folder).is_relative_to(root):
            continue
        known = tuple(KnownFile(f.name, f.url, f.size, f.sha256, f.path) for f in files)
        out[digits] = PriorWork(folder, known)
    return out


def prior_folders(journal: Journal, work: Sequence[PoNumber], root: Path) -> dict[str, PriorWork]:
    """What earlier runs left on disk for the POs about to be worked (any batch: folders are per root);
    empty, logged, if the journal cannot say: the worker's own checks still keep every file once."""
    try:
        return prior_work(journal.latest_folders(work), root)
    except (JournalError, sqlite3.Error, OSError) as exc:
        log.warning("the journal could not say what earlier runs left (%s); working from scratch", exc)
        return {}


def with_prior(task: PoTask, prior: Mapping[str, PriorWork]) -> PoTask:
    """The task with what the PO's earlier run left, for the worker to reuse."""
    found = prior.get(task.po.digits)
    if found is None:
        return task
    return dataclasses.replace(task, folder=found.folder, known=found.known, values=found.values)


def match_known(name: str, url: str, known: list[KnownFile], max_len: int | None = None) -> KnownFile | None:
    """The recorded file that is this attachment (``name`` as listed, ``url`` if the page gives one),
    taken out of ``known`` so two attachments never claim one file.

    By URL when both have one; else by name, as saved (safe, maybe ``name (2).ext``). A guess that is
    wrong costs nothing: the file is only kept if its bytes check out, else it is downloaded again.

    URLs are compared without their query on both sides (:func:`url_for_record`): the journal keeps no
    query, because a signed one is a credential, and a signature changes at every page load anyway. A
    query is also what may tell two files apart (``download?id=1``, ``?id=2``), so when the page's URL
    had one, the path alone is not proof: the name must agree too. Two attachments of one page with the
    same path are matched by name only (the caller passes no URL for them: :func:`shared_paths`)."""
    path = url_for_record(url)
    queried = path != url
    safe = fit_component(name, max_len)  # as place_download named it, within the same path budget
    for k in known:
        if path and url_for_record(k.url) == path and (not queried or in_name_family(k.name, safe)):
            known.remove(k)
            return k
    for k in known:
        if not (url and k.url) and in_name_family(k.name, safe, max_len):
            known.remove(k)
            return k
    return None


def shared_paths(urls: Iterable[str]) -> frozenset[str]:
    """The URL paths (query dropped) that more than one of ``urls`` share: they cannot tell files apart."""
    seen: set[str] = set()
    shared: set[str] = set()
    for url in urls:
        path = url_for_record(url)
        if path:
            (shared if path in seen else seen).add(path)
    return frozenset(shared)


def still_there(known: KnownFile, folder: Path) -> Path | None:
    """The recorded file under ``folder`` (where the PO is worked now) if its size and sha256 match."""
    path = folder / Path(known.path).name
    try:
        if path.is_symlink() or path.stat().st_size != known.size:
            return None
        return path if sha256_file(path) == known.sha256 else None
    except OSError:
        return None


def in_crashed_work(known: KnownFile) -> bool:
    """The file was recorded in a ``<PO>__WORK`` folder, one a run never finished (a crash, a full disk).

    Only there may a file whose bytes changed be ours to replace: it was torn on its way in. In a
    finished ``<PO>_<STATUS>`` folder changed bytes are the user's (an annotated or signed PDF).
    """
    return Path(known.path).parent.name.endswith(WORK_SUFFIX)


def users_copy(known: KnownFile, folder: Path) -> Path | None:
    """The recorded file under ``folder`` if its bytes changed since it was saved in a finished folder:
    the user's now, never deleted or overwritten; the portal's copy is saved beside it."""
    path = folder / Path(known.path).name
    if in_crashed_work(known) or path.is_symlink() or not path.is_file():
        return None
    return path


def drop_changed(known: KnownFile, folder: Path) -> bool:
    """Remove the recorded file under ``folder`` whose bytes are no longer those recorded, when it was
    torn in a crashed work folder (:func:`in_crashed_work`): it is downloaded again, and the good copy
    must not land beside it as ``name (2)``. A file of a finished folder is never removed. True if a file
    was removed."""
    path = folder / Path(known.path).name
    if not in_crashed_work(known) or path.is_symlink() or not path.is_file():
        return False
    try:
        path.unlink()
    except OSError as exc:
        log.info("could not remove %s, which changed since it was saved: %s", path, exc)
        return False
    log.info("%s changed since it was saved (size or sha256); downloading it again", path)
    return True


def result_of(state: PoState, files: Sequence[FileRecord]) -> tuple[PoOutcome, datetime | None]:
    """The outcome the journal holds for one PO, with the names of its files, and when it was reached
    (what a resumed batch writes back). A PO the crash caught in flight is pending again, as
    :meth:`Journal.reopen_batch` records it."""
    names = tuple(Path(f.path).name for f in files)
    outcome = dataclasses.replace(state.outcome, names=names)
    if outcome.status is PoStatus.PROCESSING:
        outcome = dataclasses.replace(outcome, status=PoStatus.PENDING, message="interrupted")
    return outcome, state.finished_at.astimezone() if state.finished_at else None


__all__ = [
    "KeptOutcomes",
    "PriorWork",
    "ResumeCheck",
    "check_resume",
    "decide_resume",
    "drop_changed",
    "files_gone",
    "in_crashed_work",
    "kept_outcomes",
    "match_known",
    "shared_paths",
    "prior_work",
    "result_of",
    "resumes_whole_sheet",
    "split_pos",
    "still_there",
    "users_copy",
    "with_prior",
]
