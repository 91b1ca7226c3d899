"""The remote browser's BiDi download events read into one record per download, and the ``grid`` route's use
of them: a sign-in page served for a file is no file, a file the browser does not account for is not taken,
and a file saved under its download's id is named as the site suggested."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine.browser.grid_download_events import END, WILL_BEGIN, DownloadEvents, read_event
from po_downloader.engine.download_route import Attachment, Missing
from po_downloader.engine.models import PoNumber
from tests.unit.test_grid_downloads import Node, Portal, route

PO = PoNumber("1")
URL = "https://acme.example.com/att/a"
A = Attachment("a.pdf", "url", URL, "a")
B = Attachment("b.pdf", "click", "", "b")
LONG = "Relatório " + "ç" * 120 + ".pdf"  # 250 bytes


def test_an_end_event_completes_what_began_with_its_file_on_the_node() -> None:
    began = read_event(WILL_BEGIN, {"download": "g1", "url": URL, "suggestedFilename": LONG}, None)
    assert began is not None and began.status == "" and began.file_name == ""
    ended = read_event(
        END, {"download": "g1", "url": URL, "status": "complete", "filepath": "/n/d/g1"}, began
    )
    assert ended is not None
    assert (ended.suggested_filename, ended.status, ended.file_name, ended.url) == (
        LONG,
        "complete",
        "g1",
        URL,
    )
    cancelled = read_event(END, {"download": "g2", "url": URL, "status": "canceled"}, None)
    assert cancelled is not None and cancelled.status == "canceled" and cancelled.file_name == ""
    assert read_event(END, {"url": URL}, None) is None
    assert read_event("browsingContext.load", {"download": "g3"}, None) is None


def test_only_an_ended_download_answers_for_its_file() -> None:
    events = DownloadEvents(clock=iter(range(100)).__next__, sleep=lambda s: None)
    events.record(WILL_BEGIN, {"download": "g1", "url": URL, "suggestedFilename": "a.pdf"})
    assert events.ended_as("g1") is None
    assert events.wait_end("g1", 3) is None
    events.record(END, {"download": "g1", "url": URL, "status": "complete", "filepath": "/n/d/g1"})
    got = events.ended_as("g1")
    assert got is not None and got.suggested_filename == "a.pdf"
    events.forget()
    assert events.ended_as("g1") is None


class SignInPortal(Portal):
    def is_sign_in_url(self, url: str) -> bool:
        return "/sessions/new" in url


class Browser(DownloadEvents):
    """The node's browser: each file that lands on the node is reported as coming from ``sources[name]``."""

    def __init__(self, sources: dict[str, tuple[str, str]]) -> None:
        super().__init__(clock=iter(range(10_000)).__next__, sleep=lambda s: None)
        self.sources = sources

    def ended_as(self, file_name: str):  # type: ignore[no-untyped-def]
        if file_name in self.sources:
            url, suggested = self.sources[file_name]
            self.record(WILL_BEGIN, {"download": file_name, "url": url, "suggestedFilename": suggested})
            self.record(END, {"download": file_name, "url": url, "status": "complete", "filepath": file_name})
        return super().ended_as(file_name)


@pytest.mark.expect_log("po_downloader.engine.browser.grid_downloads", "the sign-in page came instead")
def test_a_sign_in_page_served_for_a_file_ends_the_round_as_sign_in_again(tmp_path: Path) -> None:
    node = Node(tmp_path / "node", {"b": ("g1", b"<html>sign in</html>")})
    grid = route(tmp_path, node, SignInPortal(node))
    grid.events = Browser({"g1": ("https://acme.example.com/sessions/new?return=x", "login.html")})
    got = grid.fetch(PO, [B, A], lambda n: None)
    assert got.interrupted and got.fetched == ()
    assert [(m.attachment.key, m.kind) for m in got.missed] == [
        ("b", Missing.NEVER_ARRIVED),
        ("a", Missing.NEVER_ARRIVED),
    ]
    assert not list(node.folder.iterdir()) and list((tmp_path / "staging").iterdir()) == []


def test_a_file_saved_under_its_id_is_named_as_the_site_suggested(tmp_path: Path) -> None:
    node = Node(tmp_path / "node", {"b": ("g1", b"%PDF long")})
    grid = route(tmp_path, node, SignInPortal(node))
    grid.events = Browser({"g1": ("https://acme.example.com/att/b", LONG)})
    got = grid.fetch(PO, [B], lambda n: None)
    assert [(f.attachment.key, f.name, f.size) for f in got.fetched] == [("b", LONG, 9)]
    assert not got.interrupted and got.missed == ()


def test_a_file_the_browser_does_not_account_for_is_not_taken(tmp_path: Path) -> None:
    node = Node(tmp_path / "node", {"b": ("g1", b"%PDF ?")})
    grid = route(tmp_path, node, SignInPortal(node))
    grid.events = Browser({})
    got = grid.fetch(PO, [B], lambda n: None)
    assert got.fetched == ()
    assert [(m.attachment.key, m.kind) for m in got.missed] == [("b", Missing.NEVER_ARRIVED)]
    assert "did not say where" in got.missed[0].reason
