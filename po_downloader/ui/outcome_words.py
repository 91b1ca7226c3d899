"""A PO's outcome in the window's language: worded from the event's kind, status and counts, never from
the engine's English ``reason`` (kept for the logs and the results sheet), with numerus plurals."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import GAVE_UP_AFTER
from po_downloader.engine.run.attempt_words import LINES
from po_downloader.ui.error_text import kind_text


class OutcomeWords(QObject):
    """What the table says of a PO between and after attempts, worded here from the event's data (its
    status, kind and counts), never from the engine's English ``reason`` (kept for the logs and the
    results sheet). Numerus strings go through ``self.tr``: pyside6-lupdate sees a count only there."""

    def outcome(self, kind: ErrorKind, details: Mapping[str, str], message: str = "") -> str:
        """A kind's sentence; after the batch gave up on the PO, prefixed by how many attempts it took.
        An outcome's kind in an English window: the engine's ``message`` (the same, with its detail)."""
        if kind.is_outcome and message and self.speaks_english():
            return message
        notes = self.notes(details)
        if kind is ErrorKind.SAVED_WITH_NOTES:
            return "; ".join(notes)
        text = "; ".join([kind_text(kind, details), *notes])
        attempts = details.get(GAVE_UP_AFTER, "")
        if not attempts.isdigit():
            return text
        return self.tr("gave up after %n attempts: {reason}", "", int(attempts)).format(reason=text)

    def notes(self, details: Mapping[str, str]) -> list[str]:
        """What a PO's outcome must also tell (``attempt_words``' details): where its files came from, the
        files the user changed and kept, the folder that keeps an earlier run's files."""
        told = []
        if number := details.get("requisition", ""):
            if details.get("requisition_taken"):
                told.append(self.tr("attachments taken from requisition {number}").format(number=number))
            else:
                told.append(
                    self.tr("no attachments on the PO or on requisition {number}").format(number=number)
                )
        copies = details.get("copies", "").split(LINES)
        for mine, copy in zip(details.get("edited", "").split(LINES), copies, strict=False):
            if mine:
                said = self.tr(
                    "{mine} changed since it was saved: kept as it is, the portal's copy is {copy}"
                )
                told.append(said.format(mine=mine, copy=copy))
        if kept_in := details.get("kept_in", ""):
            told.append(self.tr("the files saved before stay in {folder}").format(folder=kept_in))
        return told

    def retrying(
        self, attempt: int, delay: float, reason: str, kind: ErrorKind | None, details: Mapping[str, str]
    ) -> str:
        """The next attempt and when, and why: its kind worded, else the engine's English ``reason``, but
        only in a window that speaks English (a translated one leaves it to the log)."""
        when = self.tr("Retry {attempt} in {seconds}s").format(attempt=attempt, seconds=f"{delay:.0f}")
        if kind is not None and not (kind.is_outcome and self.speaks_english()):
            why = kind_text(kind, details)
        else:
            why = reason if self.speaks_english() else ""
        return f"{when}: {why}" if why else when

    def file_failed(self, name: str, reason: str) -> str:
        """A file the attempt could not save: the engine's English reason only in an English window."""
        return (
            f"{name}: {reason}" if self.speaks_english() else self.tr("{name}: not saved").format(name=name)
        )

    def speaks_english(self) -> bool:
        """The window shows the source language (no translation of ours answers): the engine's English
        then reads as the rest of the window does."""
        return self.tr("Retry {attempt} in {seconds}s") == "Retry {attempt} in {seconds}s"

    def requeued(self, status: PoStatus) -> str:
        if status is PoStatus.SIGN_IN_REQUIRED:
            return self.tr("Coupa asked to sign in again")
        return self.tr("checked again through the browser")

    def left_over(self, status: PoStatus) -> str:
        if status is PoStatus.SIGN_IN_REQUIRED:
            return self.tr("not processed: Coupa needs you to sign in again")
        return self.tr("not processed: the batch was stopped")

    def governor(self, reason: str, cause: str, percent: float) -> str:
        """Why the governor runs fewer workers than asked, in the window's language (the engine's English
        ``reason`` repeats the count the label already shows: only a reason without a cause is shown)."""
        load = f"{percent:.0f}"
        if cause == "cpu":
            return self.tr("other programs use {percent}% of the CPU").format(percent=load)
        if cause == "memory":
            return self.tr("memory is {percent}% used").format(percent=load)
        if cause == "recovering":
            return self.tr("the computer has room again: adding workers back one at a time")
        return reason if self.speaks_english() else ""


_WORDS: list[OutcomeWords] = []


def outcome_words() -> OutcomeWords:
    """One wording object for the window (made on first use, once a QCoreApplication exists)."""
    if not _WORDS:
        _WORDS.append(OutcomeWords())
    return _WORDS[0]
