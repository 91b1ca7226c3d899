"""The browser's two download routes, each on a stand-in portal: what each reports for every attachment
(its own file, or why not), and which of them a worker tries first."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from po_downloader.engine.browser.download_routes import TrackedDownloads, WatchedFolder, browser_routes
from po_downloader.engine.browser.portal import StartFailed
from po_downloader.engine.download_route import Attachment, Fetched, Missing, NotFetched
from po_downloader.engine.models import PoNumber
from po_downloader.engine.output.downloads import StagingDir

BASE = "https://acme.example.com"
PO = PoNumber("1")


class Portal:
    """Starting an attachment writes the file the browser would save (``saves``) or raises (``refuses``)."""

    url = BASE + "/order_headers/1"

    def __init__(self, staging: Path, saves: dict[str, str], refuses: tuple[str, ...] = ()) -> None:
        self.staging, self.saves, self.refuses = staging, saves, refuses

    def start(self, att: Attachment) -> None:
        if att.name in self.refuses:
            raise StartFailed("ElementNotInteractableException", "")
        if att.name in self.saves:
            (self.staging / self.saves[att.name]).write_bytes(b"%PDF " + att.name.encode())

    def on_sign_in_page(self) -> bool:
        return False

    def is_sign_in_url(self, url: str) -> bool:
        return "/sso/" in url


def test_the_folder_route_credits_each_arrival_to_its_attachment_and_says_why_the_others_are_missing(
    tmp_path: Path,
) -> None:
    a, b, c = (Attachment(n, "click", "", n) for n in ("Quote.pdf", "Spec.pdf", "Terms.pdf"))
    portal = Portal(tmp_path, saves={"Quote.pdf": "Quote (1).pdf"}, refuses=("Terms.pdf",))
    route = WatchedFolder(portal, StagingDir(tmp_path), stall_timeout=0.3)  # type: ignore[arg-type]
    done = route.fetch(PO, [a, b, c], lambda received: None)
    assert route.name == "folder"
    assert done.fetched == (Fetched(a, tmp_path / "Quote (1).pdf", "Quote (1).pdf", url=""),)
    assert done.missed == (
        NotFetched(c, Missing.NOT_STARTED, "could not click (ElementNotInteractableException)"),
        NotFetched(b, Missing.NEVER_ARRIVED, "never arrived", needed=0),
    )
    assert not done.interrupted


class Tracker:
    """DevTools downloads: each start begins one; ``a.pdf`` completes, any other is cancelled."""

    alive = True

    def __init__(self, staging: Path, total: int) -> None:
        self.staging, self.total, self.begun, self.kept = staging, total, 0, None

    def mark(self) -> int:
        return self.begun

    def wait_begin(self, after: int, timeout: float, accept: Any = None) -> SimpleNamespace:
        self.begun += 1
        return SimpleNamespace(guid=f"g{self.begun}")

    def end_round(self, keep: Any) -> tuple[()]:
        self.kept = set(keep)
        return ()

    def info(self, guid: str) -> SimpleNamespace:
        return SimpleNamespace(total_bytes=self.total)

    def wait_done(self, guids: list[str], **kw: Any) -> Any:
        (self.staging / "g1").write_bytes(b"%PDF whole")
        done = SimpleNamespace(
            guid="g1",
            url=BASE + "/a.pdf",
            suggested_filename="download",
            path=self.staging / "g1",
            received_bytes=10,
        )
        return SimpleNamespace(completed=(done,), stalled=(), interrupted=False)


def test_the_tracked_route_reports_the_bytes_it_saw_and_what_a_cancelled_download_needed(
    tmp_path: Path,
) -> None:
    a = Attachment("a.pdf", "url", BASE + "/a.pdf", "a")
    big = Attachment("big.zip", "url", BASE + "/big.zip", "big")
    tracker = Tracker(tmp_path, total=1 << 30)
    route = TrackedDownloads(Portal(tmp_path, {}), tracker, stall_timeout=1.0)  # type: ignore[arg-type]
    done = route.fetch(PO, [a, big], lambda received: None)
    assert route.name == "browser"
    # Chromium's placeholder name "download" is no name: the listed one is used.
    assert done.fetched == (Fetched(a, tmp_path / "g1", "a.pdf", size=10, url=a.url),)
    assert done.missed == (
        NotFetched(big, Missing.CANCELLED, "the browser cancelled the download", needed=1 << 30),
    )
    assert tracker.kept == {"g1", "g2"}


def test_a_worker_tries_the_tracked_route_while_devtools_answers_then_the_folder(tmp_path: Path) -> None:
    portal, staging = Portal(tmp_path, {}), StagingDir(tmp_path)
    tracker = Tracker(tmp_path, total=0)
    routes = browser_routes(portal, staging, tracker, stall_timeout=1.0)  # type: ignore[arg-type]
    assert [(r.name, r.usable()) for r in routes] == [("browser", True), ("folder", True)]
    tracker.alive = False
    assert [(r.name, r.usable()) for r in routes] == [("browser", False), ("folder", True)]
    assert [r.name for r in browser_routes(portal, staging, None, stall_timeout=1.0)] == ["folder"]  # type: ignore[arg-type]


@pytest.mark.expect_log("po_downloader.engine.browser.download_routes", "the sign-in page came instead")
def test_a_download_that_is_the_sign_in_page_is_no_file_and_ends_the_round_unproven(tmp_path: Path) -> None:
    """The session ended between the list and the download: the portal's redirect to sign-in was saved as
    "SSO.html". It is no attachment's file: dropped, and the round is interrupted (sign in again)."""
    a = Attachment("a.pdf", "url", BASE + "/a.pdf", "a")

    class SignedOut(Tracker):
        def wait_done(self, guids: list[str], **kw: Any) -> Any:
            (self.staging / "g1").write_bytes(b"<html>sign in</html>")
            page = SimpleNamespace(
                guid="g1",
                url=BASE + "/sso/login?return=/a.pdf",
                suggested_filename="login.html",
                path=self.staging / "g1",
                received_bytes=20,
            )
            return SimpleNamespace(completed=(page,), stalled=(), interrupted=False)

    tracker = SignedOut(tmp_path, total=20)
    route = TrackedDownloads(Portal(tmp_path, {}), tracker, stall_timeout=1.0)  # type: ignore[arg-type]
    done = route.fetch(PO, [a], lambda received: None)
    assert done.fetched == ()
    assert done.missed == (NotFetched(a, Missing.NEVER_ARRIVED, "the portal asked to sign in again"),)
    assert done.interrupted
    assert tracker.kept == set()  # dropped with the round: never placed in the PO's folder
