"""The HTTP route: whole files hashed as they arrive and named as Chromium names them, every failure a
``NotFetched`` with nothing left in staging, a sign-in ending the round with what arrived kept."""

from __future__ import annotations

import errno
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from po_downloader.engine.browser.page_state import SignInPlaces
from po_downloader.engine.download_route import Attachment, Fetched, Missing, unlike_staged
from po_downloader.engine.events import FileBytes, bytes_in
from po_downloader.engine.http import http_route
from po_downloader.engine.http.client import PortalClient
from po_downloader.engine.http.http_route import HttpRoute
from po_downloader.engine.http.rate import LocalBucket
from po_downloader.engine.models import PoNumber
from tests.helpers.http_clients import kept
from tests.helpers.http_server import Reply, Script, serve

PLACES = SignInPlaces(portal_paths=("/sessions/new",), sso_hosts=(), sso_paths=())
PO = PoNumber("20000004")


def pdf(name: str) -> tuple[tuple[str, bytes | str], ...]:
    from urllib.parse import quote

    return (
        ("Content-Type", "application/pdf"),
        ("Content-Disposition", f"attachment; filename*=UTF-8''{quote(name, safe='')}"),
    )


@pytest.fixture
def portal() -> Iterator[Script]:
    with serve({}) as script:
        yield script


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    path = tmp_path / "staging"
    path.mkdir()
    return path


def route_for(portal: Script, staging: Path, *, per_host: int = 4, stall: float = 60.0) -> HttpRoute:
    client = PortalClient(portal.base, PLACES, LocalBucket(), per_host=per_host, timeout=5.0)
    kept(client)
    return HttpRoute(client, staging, stall_timeout=stall)


def att(portal: Script, path: str, name: str = "listed.pdf", kind: str = "url") -> Attachment:
    return Attachment(name=name, kind=kind, url=portal.base + path if path else "", key=f"{name}|{path}")


def po() -> PoNumber:
    return PO


def test_files_are_streamed_whole_hashed_and_named_as_chromium_names_them(
    portal: Script, staging: Path
) -> None:
    big = bytes(range(256)) * 1024  # 256 KiB: several chunks
    portal.routes["/attachment_file/1"] = Reply(200, pdf('Nota: fiscal? "final".pdf'), big)
    portal.routes["/attachment_file/2?download=1"] = Reply(200, (("Content-Type", "text/plain"),), b"")
    portal.routes["/files/"] = Reply(200, (), b"no name at all")
    seen: list[tuple[FileBytes, ...]] = []
    items = [
        att(portal, "/attachment_file/1", "first.pdf"),
        att(portal, "/attachment_file/2?download=1", "zero.txt"),
        att(portal, "/files/", "Listed name.pdf"),
    ]
    result = route_for(portal, staging).fetch(po(), items, seen.append)
    assert result.missed == () and not result.interrupted
    first, zero, unnamed = result.fetched
    assert [f.attachment for f in result.fetched] == items
    assert first.name == "Nota_ fiscal_ _final_.pdf"
    assert (first.size, first.sha256) == (len(big), hashlib.sha256(big).hexdigest())
    assert first.path.read_bytes() == big and first.path.parent == staging
    assert first.url == items[0].url
    assert (zero.name, zero.size, zero.path.read_bytes()) == ("2", 0, b"")  # the URL's last segment
    assert unnamed.name == "Listed name.pdf"  # Chromium's "download": the browser route takes the listed name
    assert all(unlike_staged(f) == "" for f in result.fetched)
    totals = [bytes_in(files) for files in seen]
    assert totals == sorted(totals) and totals[-1] == len(big) + len(b"no name at all")
    assert sorted(p.name for p in staging.iterdir()) == sorted(f.path.name for f in result.fetched)
    assert not [p for p in staging.iterdir() if p.name.endswith(".part")]


def test_a_short_body_is_incomplete_and_leaves_no_part(portal: Script, staging: Path) -> None:
    portal.routes["/short"] = Reply(200, pdf("short.pdf"), b"x" * 100_000, send=30_000)
    result = route_for(portal, staging).fetch(po(), [att(portal, "/short")], lambda n: None)
    (missed,) = result.missed
    assert missed.kind == Missing.INCOMPLETE and missed.needed == 100_000
    assert "broke off" in missed.reason
    assert result.fetched == () and list(staging.iterdir()) == []


def test_a_stalled_body_is_stalled_and_leaves_no_part(portal: Script, staging: Path) -> None:
    portal.routes["/stall"] = Reply(200, pdf("stall.pdf"), b"x" * 100_000, send=10_000, stall=True)
    result = route_for(portal, staging, stall=0.3).fetch(po(), [att(portal, "/stall")], lambda n: None)
    (missed,) = result.missed
    assert (missed.kind, missed.reason) == (Missing.STALLED, "no progress for 0 s")
    assert list(staging.iterdir()) == []


@pytest.mark.parametrize("status", [403, 404, 410, 500])
def test_an_error_status_never_arrived(portal: Script, staging: Path, status: int) -> None:
    portal.routes["/gone"] = Reply(status, (("Content-Type", "text/html"),), b"<h1>Oops</h1>")
    result = route_for(portal, staging).fetch(po(), [att(portal, "/gone")], lambda n: None)
    (missed,) = result.missed
    assert (missed.kind, missed.reason) == (
        Missing.NEVER_ARRIVED,
        f"the portal answered HTTP {status} for it",
    )
    assert not result.interrupted and list(staging.iterdir()) == []


def test_a_refused_connection_never_arrived(staging: Path) -> None:
    from tests.unit.test_http_client import free_port

    base = f"http://127.0.0.1:{free_port()}"
    client = PortalClient(base, PLACES, LocalBucket())
    kept(client)
    item = Attachment("a.pdf", "url", f"{base}/a?sig=1", "a")
    (missed,) = HttpRoute(client, staging).fetch(po(), [item], lambda n: None).missed
    assert (missed.kind, missed.reason) == (Missing.NEVER_ARRIVED, f"{base}/a: could not connect")


@pytest.mark.parametrize("answer", ["401", "redirect"])
def test_a_sign_in_mid_round_interrupts_it_keeping_what_arrived(
    portal: Script, staging: Path, answer: str
) -> None:
    portal.routes["/a"] = Reply(200, pdf("a.pdf"), b"first file")
    if answer == "401":
        portal.routes["/b"] = Reply(401, (("Content-Type", "text/html"),), b"sign in")
    else:
        portal.routes["/b"] = Reply(302, (("Location", "/sessions/new?return_to=%2Fb"),))
    portal.routes["/c"] = Reply(200, pdf("c.pdf"), b"third file")
    items = [att(portal, "/a", "a.pdf"), att(portal, "/b", "b.pdf"), att(portal, "/c", "c.pdf")]
    result = route_for(portal, staging, per_host=1).fetch(po(), items, lambda n: None)
    assert result.interrupted
    assert [(f.attachment, f.path.read_bytes()) for f in result.fetched] == [(items[0], b"first file")]
    assert [(m.attachment, m.kind) for m in result.missed] == [
        (items[1], Missing.NEVER_ARRIVED),
        (items[2], Missing.NOT_STARTED),
    ]
    assert portal.paths() == ["/a", "/b"]  # neither the sign-in page nor the rest was asked for


def test_click_only_and_off_host_attachments_need_the_browser(portal: Script, staging: Path) -> None:
    portal.routes["/elsewhere"] = Reply(
        302, (("Location", "https://bucket.s3.example.net/f.pdf?X-Amz-Signature=x"),)
    )
    items = [att(portal, "", "click.pdf", kind="click"), att(portal, "/elsewhere", "s3.pdf")]
    result = route_for(portal, staging).fetch(po(), items, lambda n: None)
    assert [(m.kind, m.reason) for m in result.missed] == [
        (Missing.NOT_STARTED, "only a click starts it: needs the browser"),
        (Missing.NOT_STARTED, "the portal sends it to bucket.s3.example.net: needs the browser"),
    ]
    assert portal.paths() == ["/elsewhere"]


def test_several_files_at_once_each_its_own(portal: Script, staging: Path) -> None:
    bodies = {f"/f{i}": f"body {i} ".encode() * (1000 + i) for i in range(7)}
    for path, body in bodies.items():
        portal.routes[path] = Reply(200, pdf("Invoice.pdf"), body)
    items = [att(portal, path, "Invoice.pdf") for path in bodies]
    result = route_for(portal, staging, per_host=3).fetch(po(), items, lambda n: None)
    assert [f.attachment for f in result.fetched] == items
    assert [f.path.read_bytes() for f in result.fetched] == list(bodies.values())
    assert len({f.path for f in result.fetched}) == 7


class FullDisk(io.BytesIO):
    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_removes_the_part_and_everything_staged_then_raises(
    portal: Script, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal.routes["/a"] = Reply(200, pdf("a.pdf"), b"small")
    portal.routes["/b"] = Reply(200, pdf("b.pdf"), b"no room for this")
    real_open = open

    def open_(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(path, mode, *args, **kwargs)
        if len(list(staging.iterdir())) > 1:  # the second file: the disk is full now
            handle.write = FullDisk().write  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr(http_route, "open", open_, raising=False)
    items = [att(portal, "/a", "a.pdf"), att(portal, "/b", "b.pdf")]
    with pytest.raises(OSError) as caught:
        route_for(portal, staging, per_host=1).fetch(po(), items, lambda n: None)
    assert caught.value.errno == errno.ENOSPC
    assert list(staging.iterdir()) == []


def test_the_route_is_unusable_once_its_client_is_closed(portal: Script, staging: Path) -> None:
    route = route_for(portal, staging)
    assert route.name == "http" and route.usable()
    route.client.close()
    assert not route.usable()


def test_fetched_is_the_seams_value(portal: Script, staging: Path) -> None:
    portal.routes["/x"] = Reply(200, pdf("x.pdf"), b"x")
    (fetched,) = route_for(portal, staging).fetch(po(), [att(portal, "/x")], lambda n: None).fetched
    assert isinstance(fetched, Fetched)


def test_progress_is_reported_file_by_file_with_the_announced_length(portal: Script, staging: Path) -> None:
    big, small = bytes(range(256)) * 1024, b"small body"
    portal.routes["/big"] = Reply(200, pdf("big.pdf"), big)
    portal.routes["/small"] = Reply(200, pdf("small.pdf"), small)
    seen: list[tuple[FileBytes, ...]] = []
    items = [att(portal, "/big", "big.pdf"), att(portal, "/small", "small.pdf")]
    route_for(portal, staging, per_host=1).fetch(po(), items, seen.append)
    assert len(seen) > 2, "a 256 KiB body arrives in several chunks, each reported"
    assert bytes_in(seen[-1]) == len(big) + len(small)
    assert sorted(seen[-1], key=lambda f: f.name) == [
        FileBytes("big.pdf", len(big), len(big)),
        FileBytes("small.pdf", len(small), len(small)),
    ]
    partway = [f for files in seen for f in files if f.name == "big.pdf" and f.received < len(big)]
    assert partway, "the big file was seen part-way, not only once whole"
