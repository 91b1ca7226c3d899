"""The seam between a PO's decision and its downloads: any route's "these bytes, from this attachment" is
checked against the disk, placed and counted the same way, and the route taken reaches the outcome."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.browser.portal import Listing, PageKind, PageState
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.download_route import (
    Attachment,
    Fetched,
    Missing,
    NotFetched,
    RouteRound,
    unlike_staged,
)
from po_downloader.engine.models import ListVerdict, PoNumber, PoStatus, PoTask
from po_downloader.engine.run import fetch as fetch_module
from po_downloader.engine.run.fetch import FetchSettings, PoFetcher
from po_downloader.engine.system.hashing import sha256_bytes

BASE = "https://acme.example.com"
A = Attachment("a.pdf", "url", BASE + "/att/a", "a")
B = Attachment("b.pdf", "click", "", "b")
BODY = {"a.pdf": b"%PDF a", "b.pdf": b"%PDF bee"}

# ---------------------------------------------------------------- a route's word against the disk


def test_a_staged_file_with_the_reported_bytes_is_whole(tmp_path: Path) -> None:
    path = tmp_path / "g1"
    path.write_bytes(b"%PDF a")
    assert unlike_staged(Fetched(A, path, "a.pdf", size=6, sha256=sha256_bytes(b"%PDF a"))) == ""
    assert unlike_staged(Fetched(A, path, "a.pdf")) == "", "a route that cannot tell is taken at its word"


def test_a_staged_file_unlike_what_the_route_saw_is_not_whole(tmp_path: Path) -> None:
    path = tmp_path / "g1"
    path.write_bytes(b"%PDF")
    assert unlike_staged(Fetched(A, path, "a.pdf", size=6)) == "4 of 6 bytes on disk"
    wrong = sha256_bytes(b"%PDX")
    assert unlike_staged(Fetched(A, path, "a.pdf", size=4, sha256=wrong)) == (
        "the bytes on disk are not the bytes downloaded"
    )
    assert unlike_staged(Fetched(A, tmp_path / "gone", "a.pdf")).startswith("the downloaded file is gone")


# ---------------------------------------------------------------- any route, the same decision


class Portal:
    """A PO page listing A and B; nothing here starts a download (the routes do)."""

    def __init__(self) -> None:
        self.sel = load_selectors()
        self.base_url = BASE
        self.url = BASE + "/order_headers/1"

    def open_po(self, digits: str) -> PageState:
        return PageState(PageKind.PO, "", self.url)

    def wait_listing(self) -> Listing:
        """The portal's hand-over; a final list here (nothing to confirm)."""
        return self.wait_attachments()

    def wait_attachments(self) -> Listing:
        return Listing(ListVerdict.LISTED, "", (A, B))

    def supplier(self) -> str:
        return "ACME"

    def listed_now(self) -> tuple[Attachment, ...]:
        return (A, B)


class Route:
    """A route that is no browser (an HTTP one, say): it writes each file to staging itself."""

    def __init__(self, name: str, staging: Path, *, usable: bool = True, lie: int = 0) -> None:
        self.name, self.staging, self._usable, self.lie = name, staging, usable, lie
        self.asked: list[list[str]] = []

    def usable(self) -> bool:
        return self._usable

    def fetch(
        self, po: PoNumber, items: Sequence[Attachment], on_progress: Callable[[int], None]
    ) -> RouteRound:
        self.asked.append([a.name for a in items])
        got = []
        for att in items:
            path = self.staging / f"{self.name}-{att.key}"
            path.write_bytes(BODY[att.name])
            size = len(BODY[att.name]) + self.lie
            got.append(
                Fetched(att, path, att.name, size=size, sha256=sha256_bytes(BODY[att.name]), url=att.url)
            )
        return RouteRound(tuple(got))


def fetcher(tmp_path: Path, *routes: Route) -> PoFetcher:
    return PoFetcher(1, Portal(), tmp_path / "staging", FetchSettings(tmp_path / "root"), routes)  # type: ignore[arg-type]


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    path = tmp_path / "staging"
    path.mkdir()
    return path


def test_files_from_any_route_are_placed_told_and_counted(tmp_path: Path, staging: Path) -> None:
    events: list[ev.Event] = []
    ended = fetcher(tmp_path, Route("http", staging)).fetch(PoTask(PoNumber("1")), events.append)
    assert (ended.outcome.status, ended.outcome.found, ended.outcome.downloaded) == (PoStatus.COMPLETED, 2, 2)
    assert {p.name: p.read_bytes() for p in Path(ended.outcome.folder).iterdir()} == BODY
    saved = {e.name: (e.sha256, e.url) for e in events if isinstance(e, ev.FileSaved)}
    assert saved == {
        "a.pdf": (sha256_bytes(BODY["a.pdf"]), A.url),
        "b.pdf": (sha256_bytes(BODY["b.pdf"]), Portal().url),  # a click-only file: the page's address
    }
    assert list(staging.iterdir()) == []


@pytest.mark.expect_log("po_downloader.engine.run.fetch", r"not whole in staging")
def test_a_file_unlike_what_its_route_saw_is_missing_never_counted(tmp_path: Path, staging: Path) -> None:
    events: list[ev.Event] = []
    ended = fetcher(tmp_path, Route("http", staging, lie=1)).fetch(PoTask(PoNumber("1")), events.append)
    assert (ended.outcome.status, ended.outcome.found, ended.outcome.downloaded) == (PoStatus.FAILED, 2, 0)
    failed = {e.name: e.reason for e in events if isinstance(e, ev.FileFailed)}
    assert failed == {
        "a.pdf": "incomplete download (6 of 7 bytes on disk)",
        "b.pdf": "incomplete download (8 of 9 bytes on disk)",
    }
    assert not [e for e in events if isinstance(e, ev.FileSaved)]
    assert list(staging.iterdir()) == [], "the torn file is not left in staging"


def test_the_first_usable_route_takes_the_round_and_is_the_route_taken(
    tmp_path: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken: list[str] = []
    real = fetch_module.attempt_ended

    def record(*args: Any, route: str = "", **fields: Any) -> ev.AttemptEnded:
        taken.append(route)
        return real(*args, route=route, **fields)

    monkeypatch.setattr(fetch_module, "attempt_ended", record)
    gone, folder = Route("browser", staging, usable=False), Route("folder", staging)
    ended = fetcher(tmp_path, gone, folder).fetch(PoTask(PoNumber("1")), lambda e: None)
    assert ended.outcome.status is PoStatus.COMPLETED
    assert (gone.asked, folder.asked) == ([], [["a.pdf", "b.pdf"]])
    assert taken == ["folder"]
    assert ended.outcome.route == "folder"


def test_a_route_that_misses_a_file_fails_that_file_only(tmp_path: Path, staging: Path) -> None:
    class HalfRoute(Route):
        def fetch(
            self, po: PoNumber, items: Sequence[Attachment], on_progress: Callable[[int], None]
        ) -> RouteRound:
            done = super().fetch(po, items[:1], on_progress)
            return RouteRound(done.fetched, (NotFetched(items[1], Missing.STALLED, "no progress for 1 s"),))

    events: list[ev.Event] = []
    ended = fetcher(tmp_path, HalfRoute("http", staging)).fetch(PoTask(PoNumber("1")), events.append)
    assert (ended.outcome.status, ended.outcome.downloaded) == (PoStatus.PARTIAL, 1)
    assert ended.outcome.message == "missing 1 of 2: b.pdf: no progress for 1 s"
