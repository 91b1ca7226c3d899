"""Which download is which attachment's: pure, so the rule that never credits a guess is tested alone.

Chromium reports a download by its URL and the file name it suggests; the page lists an attachment by its
URL (when the DOM has one) and the name it shows. ``Pairing`` decides from those two alone.
"""

from __future__ import annotations

import time
import unicodedata
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urldefrag

from po_downloader.engine.browser.download_book import DownloadInfo

ORPHAN_TTL = 120.0
"""Seconds a start that began nothing in time may still begin a download (a server slow to answer)."""
MAX_ORPHANS = 32


def url_key(url: str) -> str:
    """A URL as two downloads of one resource share it: the fragment never reaches the server."""
    return urldefrag(url.strip())[0]


def loose_name_key(name: str) -> str:
    """A file name as the page lists it and as the browser suggests it, compared loosely: Chromium
    replaces path separators and other unsafe characters, so only letters and digits are compared."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


@dataclass(frozen=True)
class Wanted:
    """An attachment whose own download is awaited: its URL (``""`` when only a click knows it) and name."""

    url: str
    name: str

    @classmethod
    def of(cls, url: str, name: str) -> Wanted:
        return cls(url_key(url) if url else "", name)


class Pairing:
    """Which download is which attachment's; pure, one per worker, bounded.

    Chromium reports a download only once its response headers are in. A start that began nothing
    within the begin timeout may still begin later (an *orphan*): the worker then clicks the attachment,
    and the same file downloads twice. Taking "the next download that begins" for the next attachment
    then credits it with the late copy of the previous one, and a PO looks complete with a file missing.
    So a download is the awaited attachment's own only on evidence:

    1. its URL is the attachment's URL;
    2. else, with no other orphan about, only the awaited start can have begun it (what it always was);
    3. else its URL must be no other listed attachment's and no orphan's, and its suggested name must be
       the awaited attachment's and no orphan's: when both could have begun it, it is nobody's (the
       attachment is then missing and the PO retried, never credited with a guess).
    """

    def __init__(
        self,
        *,
        orphan_ttl: float = ORPHAN_TTL,
        clock: Callable[[], float] = time.monotonic,
        max_orphans: int = MAX_ORPHANS,
    ) -> None:
        self._ttl = orphan_ttl
        self._clock = clock
        self._orphans: deque[tuple[Wanted, float]] = deque(maxlen=max_orphans)

    def __len__(self) -> int:
        return len(self._live())

    def orphan(self, wanted: Wanted) -> None:
        """``wanted`` was started and began nothing in time: a download of it may still begin later."""
        self._orphans.append((wanted, self._clock() + self._ttl))

    def _live(self) -> list[Wanted]:
        now = self._clock()
        while self._orphans and self._orphans[0][1] <= now:
            self._orphans.popleft()
        return [wanted for wanted, _ in self._orphans]

    def is_own(self, info: DownloadInfo, wanted: Wanted, others: Collection[str] = ()) -> bool:
        """Whether ``info`` is ``wanted``'s download; ``others`` are the URLs of the page's other
        attachments (keys from ``url_key``)."""
        url = url_key(info.url)
        if wanted.url and url == wanted.url:
            return True
        rivals = [o for o in self._live() if o != wanted]
        if not rivals:
            return True
        if url and (url in others or any(o.url == url for o in rivals)):
            return False
        key = loose_name_key(info.suggested_filename)
        return (
            bool(key)
            and key == loose_name_key(wanted.name)
            and all(loose_name_key(o.name) != key for o in rivals)
        )

    def dropped(self, info: DownloadInfo) -> None:
        """A download nobody claimed was dropped: if it answered an orphan's start, that start is done."""
        live = self._live()
        url = url_key(info.url)
        match = [o for o in live if o.url and o.url == url]
        if not match:
            key = loose_name_key(info.suggested_filename)
            match = [o for o in live if key and loose_name_key(o.name) == key]
        if match:
            for index, (wanted, _) in enumerate(self._orphans):
                if wanted == match[0]:
                    del self._orphans[index]
                    break
