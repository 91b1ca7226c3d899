"""A ``PoFetcher`` on a stand-in portal (and, where given, a stand-in DevTools tracker), routed as a worker
routes it: the browser's tracked route while the tracker is alive, else the watched folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from po_downloader.engine.browser.download_routes import BEGIN_TIMEOUT, browser_routes
from po_downloader.engine.output.downloads import StagingDir
from po_downloader.engine.run.fetch import FetchSettings, PoFetcher


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
