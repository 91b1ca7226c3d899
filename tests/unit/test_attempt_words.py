"""An attempt's English message and the kind the window words are made from the same facts."""

from __future__ import annotations

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.attempt_words import LINES, attempt_words
from po_downloader.engine.run.requisition import RequisitionNote


def test_a_plain_completed_attempt_says_nothing_and_has_no_kind() -> None:
    words = attempt_words(PoStatus.COMPLETED, 2, 2)
    assert (words.message, words.kind, words.details) == ("", None, {})


def test_missing_files_name_each_file_and_why_in_english_and_the_names_for_the_window() -> None:
    words = attempt_words(PoStatus.PARTIAL, 3, 1, [("b.pdf", "HTTP 500"), ("c.pdf", "never arrived")])
    assert words.message == "missing 2 of 3: b.pdf: HTTP 500; c.pdf: never arrived"
    assert words.kind is ErrorKind.FILES_MISSING
    assert words.details == {"missing": "2", "total": "3", "names": "b.pdf, c.pdf"}
    failed = attempt_words(PoStatus.FAILED, 1, 0, [("a.pdf", "HTTP 500")])
    assert (failed.message, failed.kind, failed.details["missing"]) == (
        "a.pdf: HTTP 500",
        ErrorKind.FILES_MISSING,
        "1",
    )


def test_a_success_that_must_tell_something_has_its_notes_as_details() -> None:
    req = RequisitionNote("requisition 42", "42", taken=True)
    words = attempt_words(
        PoStatus.COMPLETED,
        2,
        2,
        edited=[("a.pdf", "a (portal).pdf"), ("b.pdf", "b (portal).pdf")],
        kept_in="/out/Acme/PO1_COMPLETED",
        requisition=req,
    )
    assert words.message == (
        "attachments taken from requisition 42. a.pdf changed since it was saved: kept as it is, the portal's copy "
        "is a (portal).pdf; b.pdf changed since it was saved: kept as it is, the portal's copy is b (portal).pdf; "
        "the files saved before stay in /out/Acme/PO1_COMPLETED"
    )
    assert words.kind is ErrorKind.SAVED_WITH_NOTES
    assert words.details == {
        "edited": LINES.join(["a.pdf", "b.pdf"]),
        "copies": LINES.join(["a (portal).pdf", "b (portal).pdf"]),
        "kept_in": "/out/Acme/PO1_COMPLETED",
        "requisition": "42",
        "requisition_taken": "1",
    }


def test_an_empty_po_and_requisition_says_so() -> None:
    words = attempt_words(
        PoStatus.NO_ATTACHMENTS, 0, 0, requisition=RequisitionNote("requisition 7", "7", taken=False)
    )
    assert words.message == "no attachments on the PO or on requisition 7"
    assert (words.kind, words.details["requisition_taken"]) == (ErrorKind.SAVED_WITH_NOTES, "")
