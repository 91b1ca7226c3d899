"""Bytes in flight, file by file: ``Received`` is the PO's byte count that also carries each file's bytes,
and both routes (the browser's download events, the HTTP route's own count) report it that way."""

from __future__ import annotations

import pickle
from pathlib import Path

from po_downloader.engine.browser.download_book import COMPLETED, DoneWatch, DownloadBook
from po_downloader.engine.events import DownloadProgress, FileBytes, Received, files_of
from po_downloader.engine.models import PoNumber
from tests.helpers.devtools import FakeClock, FakeDisk, begin, progress

DIR = Path("/staging")
PO = PoNumber("20000004")


def test_received_is_the_sum_of_its_files_and_crosses_a_pipe_whole() -> None:
    received = Received([FileBytes("a.pdf", 300, 1000), FileBytes("b.pdf", 20, None)])
    assert received == 320 and received + 5 == 325
    event = DownloadProgress(1, PO, received)
    again = pickle.loads(pickle.dumps(event))
    assert again == event and again.received == 320
    assert again.files == (FileBytes("a.pdf", 300, 1000), FileBytes("b.pdf", 20, None))
    assert DownloadProgress(1, PO, 320).files == ()  # a route that reports only the sum
    assert files_of(7) == ()


def test_the_browser_route_splits_its_bytes_by_download() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1", "big.pdf"))
    book.apply(begin("g2", "small.txt"))
    disk = FakeDisk()
    watch = DoneWatch(("g1", "g2"), stall_timeout=5.0, clock=FakeClock(), size_of=disk)
    book.apply(progress("g1", 400, total=3000))
    book.apply(progress("g2", 10, total=10, state=COMPLETED))
    disk.sizes[DIR / "g2"] = 10
    disk.sizes[DIR / "g1.crdownload"] = 900  # the partial file is ahead of the events
    infos = {g: book.get(g) for g in ("g1", "g2")}
    look = watch.look(infos)  # type: ignore[arg-type]
    assert look.received == 910
    assert files_of(look.received) == (FileBytes("big.pdf", 900, 3000), FileBytes("small.txt", 10, 10))


def test_a_download_without_a_length_has_no_total() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1", "stream.csv"))
    book.apply(progress("g1", 50, total=0))
    watch = DoneWatch(("g1",), stall_timeout=5.0, clock=FakeClock(), size_of=FakeDisk())
    look = watch.look({"g1": book.get("g1")})  # type: ignore[dict-item]
    assert files_of(look.received) == (FileBytes("stream.csv", 50, None),)
