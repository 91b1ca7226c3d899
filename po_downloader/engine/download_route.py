"""The seam between deciding a PO and fetching its files: a ``DownloadRoute`` turns listed attachments into
staged files, and says for each "these bytes, from this attachment" or why not.

``run/fetch.py`` decides the PO (page -> verdict -> list -> place -> status) and hands the attachments it must
fetch to a route; it never learns how the bytes came. Today's routes are the browser's own
(``browser/download_routes.py``): ``"browser"`` (the browser's download, tracked by DevTools events) and
``"folder"`` (the browser's download found by watching the staging folder, where DevTools is unavailable).
An HTTP route (the browser's cookies) or a Grid route (Selenium managed downloads) reports the same values.

This module is neutral ground: ``run/`` imports ``browser/`` and never the reverse, and both need these
names. Attachments cross it as plain values; the page's elements stay in ``browser/``.

What every route promises (a status is a promise): each ``Fetched`` is the file of *its own* attachment
(never a guess between two), its bytes are whole in ``path`` when reported, and ``size``/``sha256`` are
what the route saw arrive (:func:`unlike_staged` checks them against the disk before the file is placed).
Anything it fetched that no attachment is credited with is its to drop. A route may raise ``SignInLost``,
``PageChanged`` or ``PortalTimeout`` (``browser/portal.py``): the attempt then ends without a verdict,
and the route leaves nothing of that round in staging.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from po_downloader.engine.events import OnProgress
from po_downloader.engine.models import PoNumber
from po_downloader.engine.system.hashing import sha256_file


@dataclass(frozen=True)
class Attachment:
    """One attachment a page lists, as a plain value: what a route needs to fetch it and to name it."""

    name: str
    kind: str
    """``"url"`` (the URL is in the DOM: href, data-url...) or ``"click"`` (only a click handler knows it)."""
    url: str
    key: str
    """What tells two listed attachments apart on the page (a late look counts repeats by it)."""
    handle: int = 0
    """Which element of the page listed it: only the browser that listed it resolves it (opaque here)."""


@dataclass(frozen=True)
class Fetched:
    """These bytes, from this attachment: a whole file in staging, not yet placed in the PO's folder."""

    attachment: Attachment
    path: Path
    name: str
    """The name to place it under: the server's suggestion, else the listed name."""
    size: int | None = None
    """Bytes the route saw arrive; None when it cannot tell (a watched folder)."""
    sha256: str = ""
    """The route's own hash of the bytes, when it computed one as they came ("" otherwise)."""
    url: str = ""
    """Where the bytes came from, for the journal ("" when only a click knew it)."""


class Missing(StrEnum):
    """Why a listed attachment has no file from this round."""

    NOT_STARTED = "not started"
    """The browser refused to start it (its click or script failed)."""
    STARTED_NOTHING = "started nothing"
    PAGE_LEFT = "page left"
    """The page went elsewhere before it could be started."""
    STALLED = "stalled"
    CANCELLED = "cancelled"
    NEVER_ARRIVED = "never arrived"
    INCOMPLETE = "incomplete"
    """Reported fetched, but the staged file is not the bytes the route saw arrive."""


@dataclass(frozen=True)
class NotFetched:
    """This attachment has no file from this round, and why (``reason`` is the PO message's words)."""

    attachment: Attachment
    kind: Missing
    reason: str
    needed: int | None = None
    """Bytes the file needed where a full disk may be why it is missing (0: unknown); None: not the disk."""


@dataclass(frozen=True)
class RouteRound:
    """What one route made of one list of attachments: each one is in ``fetched`` or ``missed``."""

    fetched: tuple[Fetched, ...] = ()
    missed: tuple[NotFetched, ...] = ()
    interrupted: bool = False
    """The session ended (the sign-in page, the browser gone) before all could be fetched: what arrived
    is in ``fetched`` and stays for the retry, but the attempt ends without a verdict."""


class DownloadRoute(Protocol):
    """One way to get a PO's attachments' bytes into the worker's staging folder."""

    @property
    def name(self) -> str:
        """The route taken, as the PO's outcome tells it (``"browser"``, ``"folder"``...)."""
        ...

    def usable(self) -> bool:
        """Whether this route can work now (a DevTools connection that died is not)."""
        ...

    def fetch(self, po: PoNumber, items: Sequence[Attachment], on_progress: OnProgress) -> RouteRound:
        """Fetch ``items`` into staging; ``on_progress`` gets each file in flight with its bytes so far
        whenever they change, so the window can show each one."""
        ...


def unlike_staged(fetched: Fetched, size_of: Callable[[Path], int] = lambda p: os.stat(p).st_size) -> str:
    """Why the staged file is not the bytes the route reported ("" when it is, or the route could not
    tell): a route's word is checked against the disk before a status is promised on it."""
    try:
        size = size_of(fetched.path)
    except OSError as exc:
        return f"the downloaded file is gone ({exc.strerror or exc})"
    if fetched.size is not None and size != fetched.size:
        return f"{size} of {fetched.size} bytes on disk"
    if fetched.sha256 and sha256_file(fetched.path) != fetched.sha256:
        return "the bytes on disk are not the bytes downloaded"
    return ""
