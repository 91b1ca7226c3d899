"""Bytes in flight, file by file: every route reports each file's bytes so far, and ``DownloadProgress``
carries both the PO's sum and the split across the worker's pipe."""

from __future__ import annotations

import pickle
from pathlib import Path

from po_downloader.engine.browser.download_book import COMPLETED, DoneWatch, DownloadBook
from po_downloader.engine.events import DownloadProgress, FileBytes, bytes_in
from po_downloader.engine.models import PoNumber
from tests.helpers.devtools import FakeClock, FakeDisk, begin, progress

DIR = Path("/staging")
PO = PoNumber("20000004")


def test_a_progress_event_carries_the_sum_and_its_files_across_a_pipe() -> None:
    files = (FileBytes("a.pdf", 300, 1000), FileBytes("b.pdf", 20, None))
    event = DownloadProgress(1, PO, bytes_in(files), files)
    again = pickle.loads(pickle.dumps(event))
    assert again == event and again.received == 320
    assert again.files == files
    assert DownloadProgress(1, PO, 320).files == ()  # no split told: the sum alone


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
    assert look.files == (FileBytes("big.pdf", 900, 3000), FileBytes("small.txt", 10, 10))


def test_a_download_without_a_length_has_no_total() -> None:
    book = DownloadBook(DIR)
    book.apply(begin("g1", "stream.csv"))
    book.apply(progress("g1", 50, total=0))
    watch = DoneWatch(("g1",), stall_timeout=5.0, clock=FakeClock(), size_of=FakeDisk())
    look = watch.look({"g1": book.get("g1")})  # type: ignore[dict-item]
    assert look.files == (FileBytes("stream.csv", 50, None),)
