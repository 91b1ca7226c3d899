"""A ``PoFetcher`` on a stand-in portal (and, where given, a stand-in DevTools tracker), routed as a worker
routes it: the browser's tracked route while the tracker is alive, else the watched folder.

``Portal`` and ``Tracker`` are such stand-ins whose "downloads" are bytes the test gives, so a test can count
exactly which attachments were fetched (again)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from po_downloader.engine import events as ev
from po_downloader.engine.browser.download_routes import BEGIN_TIMEOUT, browser_routes
from po_downloader.engine.browser.portal import Listing, PageKind, PageState
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.download_route import Attachment
from po_downloader.engine.models import KnownFile, ListVerdict, PoTask
from po_downloader.engine.output.downloads import StagingDir
from po_downloader.engine.run.fetch import FetchSettings, PoFetcher

#: The stand-in portal's address.
BASE = "https://acme.coupahost.com"


def make_fetcher(
    portal: Any,
    staging: Path,
    root: Path,
    tracker: Any = None,
    *,
    stall_timeout: float = 1.0,
    begin_timeout: float = BEGIN_TIMEOUT,
    settings: FetchSettings | None = None,
) -> PoFetcher:
    routes = browser_routes(
        portal, StagingDir(staging), tracker, begin_timeout=begin_timeout, stall_timeout=stall_timeout
    )
    return PoFetcher(1, portal, staging, settings or FetchSettings(root), routes)


class ListingPortal:
    """The portal side of a fetch, faked: a PO page of supplier ACME at ``base`` that lists ``items``,
    signed in. Tests subclass it for what they script (starting, clicking, errors)."""

    def __init__(self, items: list[Attachment], base: str = BASE) -> None:
        self.sel = load_selectors()
        self.base_url = base
        self.url = base + "/order_headers/1"
        self.items = items

    def open_po(self, digits: str) -> PageState:
        return PageState(PageKind.PO, "", self.url)

    def wait_listing(self) -> Listing:
        """The portal's hand-over; a final list here (nothing to confirm)."""
        return self.wait_attachments()

    def wait_attachments(self) -> Listing:
        return Listing(ListVerdict.LISTED, "", tuple(self.items))

    def supplier(self) -> str:
        return "ACME"

    def listed_now(self) -> tuple[Attachment, ...]:
        return tuple(self.items)

    def on_sign_in_page(self) -> bool:
        return False

    def is_sign_in_url(self, url: str) -> bool:
        return False


class Portal(ListingPortal):
    """A PO page listing ``files`` (name → bytes); every attachment started is counted in ``started``."""

    def __init__(self, files: dict[str, bytes]) -> None:
        super().__init__([Attachment(n, "url", f"{BASE}/att/{n}", n) for n in files])
        self.files = files
        self.started: list[str] = []

    def start(self, att: Attachment) -> None:
        self.started.append(att.name)


class Tracker:
    """DevTools downloads that complete at once: each started attachment's bytes land in staging."""

    alive = True

    def __init__(self, portal: Portal, staging: Path) -> None:
        self.portal = portal
        self.staging = staging

    def mark(self) -> int:
        return len(self.portal.started)

    def wait_begin(self, after: int, timeout: float, accept: Any = None) -> Any:
        name = self.portal.started[-1]
        return SimpleNamespace(guid=name)

    def end_round(self, keep: Any) -> tuple[()]:
        return ()

    def wait_done(self, guids: list[str], **kw: Any) -> Any:
        done = []
        for guid in guids:
            path = self.staging / f"{guid}.part-done"
            path.write_bytes(self.portal.files[guid])
            done.append(
                SimpleNamespace(
                    guid=guid,
                    url=f"{BASE}/attachment_files/{guid}",
                    path=path,
                    suggested_filename=guid,
                    received_bytes=len(self.portal.files[guid]),
                )
            )
        return SimpleNamespace(completed=tuple(done), stalled=(), interrupted=False)


def fetch_again(tmp_path: Path, portal: Portal, task: PoTask) -> tuple[ev.AttemptEnded, list[ev.Event]]:
    """Fetch ``task`` on ``portal`` through a ``Tracker`` into ``tmp_path/root``: its end and every event."""
    staging = tmp_path / "staging"
    staging.mkdir(exist_ok=True)
    fetcher = make_fetcher(portal, staging, tmp_path / "root", Tracker(portal, staging))
    events: list[ev.Event] = []
    return fetcher.fetch(task, events.append), events


def sha(data: bytes) -> str:
    """The hex SHA-256 of ``data``, as the journal records a file's."""
    return hashlib.sha256(data).hexdigest()


def known(path: Path, data: bytes, url: str = "") -> KnownFile:
    """The journal's record of ``path`` saved with ``data`` (from ``url``), as a resume hands it to a fetch."""
    return KnownFile(path.name, url, len(data), sha(data), str(path))


def po_folders(root: Path) -> list[str]:
    """The PO folders under ``root`` (``supplier/folder``), relative and sorted."""
    return sorted(str(p.relative_to(root)) for p in root.glob("*/*") if p.is_dir())
