"""A provisional list (complete-looking, not yet proven) is fetched at once and confirmed after the downloads;
the PO's status is decided only on the confirmed list."""

from __future__ import annotations

from pathlib import Path

from po_downloader.engine import events as ev
from po_downloader.engine.browser.portal import Listing
from po_downloader.engine.download_route import Attachment
from po_downloader.engine.models import ListVerdict, PoNumber, PoStatus, PoTask
from tests.helpers.fetcher import BASE, Portal, fetch_again


def att(name: str) -> Attachment:
    return Attachment(name, "url", f"{BASE}/att/{name}", name)


class Handover(Portal):
    """Hands ``first`` over as provisional; ``confirm_listing`` answers ``confirmed`` (and counts calls)."""

    def __init__(self, files: dict[str, bytes], first: list[str], confirmed: Listing) -> None:
        super().__init__(files)
        self.first = [att(n) for n in first]
        self.confirmed = confirmed
        self.confirms = 0
        self.started_before_confirm: list[str] = []

    def wait_listing(self) -> Listing:
        return Listing(ListVerdict.LISTED, "", tuple(self.first), provisional=True)

    def confirm_listing(self) -> Listing:
        self.confirms += 1
        self.started_before_confirm = list(self.started)
        return self.confirmed

    def listed_now(self) -> tuple[Attachment, ...]:
        return self.confirmed.items


FILES = {"a.pdf": b"A" * 10, "b.pdf": b"B" * 20}


def test_the_provisional_list_is_downloaded_before_it_is_confirmed(tmp_path: Path) -> None:
    confirmed = Listing(ListVerdict.LISTED, "", (att("a.pdf"), att("b.pdf")))
    portal = Handover(FILES, ["a.pdf", "b.pdf"], confirmed)
    ended, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1")))
    assert portal.confirms == 1
    assert portal.started_before_confirm == ["a.pdf", "b.pdf"]
    assert ended.outcome.status is PoStatus.COMPLETED
    assert (ended.outcome.found, ended.outcome.downloaded) == (2, 2)


def test_items_the_confirmation_adds_are_fetched_and_counted(tmp_path: Path) -> None:
    confirmed = Listing(ListVerdict.LISTED, "", (att("a.pdf"), att("b.pdf")))
    portal = Handover(FILES, ["a.pdf"], confirmed)
    ended, events = fetch_again(tmp_path, portal, PoTask(PoNumber("1")))
    assert portal.started == ["a.pdf", "b.pdf"]
    assert ended.outcome.status is PoStatus.COMPLETED
    assert (ended.outcome.found, ended.outcome.downloaded) == (2, 2)
    found = [e.names for e in events if isinstance(e, ev.AttachmentsFound)]
    assert found == [("a.pdf",), ("b.pdf",)]


def test_an_unconfirmed_list_fails_the_po_for_a_retry_whatever_was_downloaded(tmp_path: Path) -> None:
    """The downloads went well, but the page never proved the list: no COMPLETED on a guess."""
    confirmed = Listing(ListVerdict.UNCONFIRMED, "the attachments list kept changing for 20 s")
    portal = Handover(FILES, ["a.pdf"], confirmed)
    ended, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1")))
    assert ended.outcome.status is PoStatus.FAILED
    assert ended.retryable
    assert portal.started == ["a.pdf"]


def test_an_item_taken_off_the_list_fails_the_po_for_a_retry(tmp_path: Path) -> None:
    confirmed = Listing(ListVerdict.LISTED, "", (att("a.pdf"),))
    portal = Handover(FILES, ["a.pdf", "b.pdf"], confirmed)
    ended, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1")))
    assert ended.outcome.status is PoStatus.FAILED
    assert ended.retryable
    assert "changed" in ended.outcome.message


def test_a_final_list_is_never_confirmed_again(tmp_path: Path) -> None:
    """A list the page proved at once (a stated count, the settle already past) goes straight through."""

    class Final(Handover):
        def wait_listing(self) -> Listing:
            return Listing(ListVerdict.LISTED, "", tuple(self.first))

    portal = Final(FILES, ["a.pdf", "b.pdf"], Listing(ListVerdict.LISTED, "", (att("a.pdf"), att("b.pdf"))))
    ended, _ = fetch_again(tmp_path, portal, PoTask(PoNumber("1")))
    assert ended.outcome.status is PoStatus.COMPLETED
    assert portal.confirms == 0
