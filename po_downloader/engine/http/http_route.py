"""The HTTP route: each listed attachment's URL streamed to staging on the browser's session.

A third ``DownloadRoute`` beside the browser's two: same values through the same seam, so the decision,
status rules, placement, naming, hashing, journal and results do not know which route fetched a file. It
names each file as Chromium would (``filename.py``) and hashes its bytes as they arrive; a file is
``Fetched`` only when every byte the portal promised is on disk. A part file never outlives a failure.

What it cannot do, it says: an attachment only a click starts, or a URL the portal sends to another
host, is ``NOT_STARTED`` with "needs the browser". A redirect to sign-in or an HTTP 401 ends the round
``interrupted`` (the attempt ends as "sign in again"), keeping what arrived. A full disk removes the part
file and re-raises the ``OSError`` for the caller to word (``output/downloads.disk_problem``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from po_downloader.engine.download_route import Attachment, Fetched, Missing, NotFetched, RouteRound
from po_downloader.engine.events import FileBytes, OnProgress
from po_downloader.engine.http.client import HttpUnavailable, PortalClient, redirect_target
from po_downloader.engine.http.filename import FALLBACK, suggested_name
from po_downloader.engine.models import PoNumber
from po_downloader.engine.system.display import url_for_record

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
NEEDS_BROWSER = "only a click starts it: needs the browser"
GONE = frozenset({403, 404, 410})


@dataclass(frozen=True)
class _SignIn:
    """The portal asked for a sign-in instead of this file."""


class _Stopped(Exception):
    """Another file of the round ended it (a sign-in, a full disk): this one stops too."""


class HttpRoute:
    """Stream each URL attachment with the browser's cookies, a few at a time (the client's ``per_host``)."""

    name = "http"

    def __init__(self, client: PortalClient, staging: Path, *, stall_timeout: float = 60.0) -> None:
        self.client = client
        self.staging = staging
        self.stall_timeout = stall_timeout

    def usable(self) -> bool:
        return not self.client.closed

    def fetch(self, po: PoNumber, items: Sequence[Attachment], on_progress: OnProgress) -> RouteRound:
        round_ = _Round(self, on_progress)
        missed: dict[int, NotFetched] = {}
        wanted: list[tuple[int, Attachment]] = []
        for index, att in enumerate(items):
            if att.kind == "url" and att.url:
                wanted.append((index, att))
            else:
                missed[index] = NotFetched(att, Missing.NOT_STARTED, NEEDS_BROWSER)
        results: dict[int, Fetched | NotFetched | _SignIn] = {}
        workers = max(1, min(self.client.per_host, len(wanted)))
        try:
            with ThreadPoolExecutor(workers, thread_name_prefix="http-route") as pool:
                futures = {index: pool.submit(round_.one, att) for index, att in wanted}
                try:
                    for index, future in futures.items():
                        results[index] = future.result()
                except BaseException:
                    round_.stop.set()  # before the pool waits for the others: they stop at their next chunk
                    raise
        except BaseException:
            round_.drop_staged()
            raise
        fetched = [r for _, r in sorted(results.items()) if isinstance(r, Fetched)]
        interrupted = any(isinstance(r, _SignIn) for r in results.values())
        for index, att in wanted:
            result = results[index]
            if isinstance(result, NotFetched):
                missed[index] = result
            elif isinstance(result, _SignIn):
                missed[index] = NotFetched(att, Missing.NEVER_ARRIVED, "the portal asked to sign in again")
        if interrupted:
            log.info("%s: the portal asked to sign in again; %d file(s) arrived first", po, len(fetched))
        return RouteRound(tuple(fetched), tuple(m for _, m in sorted(missed.items())), interrupted)


class _Round:
    """One ``fetch``: the running byte count, the stop signal, the files staged so far."""

    def __init__(self, route: HttpRoute, on_progress: OnProgress) -> None:
        self.route = route
        self.on_progress = on_progress
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._files: dict[int, FileBytes] = {}  # by the attachment's place in the round, in flight or done
        self._staged: list[Path] = []

    def one(self, att: Attachment) -> Fetched | NotFetched | _SignIn:
        if self.stop.is_set():
            return NotFetched(att, Missing.NOT_STARTED, "the portal asked to sign in again first")
        client = self.route.client
        try:
            with client.stream(att.url, read_timeout=self.route.stall_timeout) as response:
                status = response.status_code
                if response.is_redirect:
                    target = redirect_target(response)
                    if client.is_sign_in(target):
                        return self._signed_out()
                    host = urlsplit(target).netloc or "elsewhere"
                    why = f"the portal sends it to {host}: needs the browser"
                    return NotFetched(att, Missing.NOT_STARTED, why)
                if status == 401:
                    return self._signed_out()
                if not 200 <= status < 300:
                    if status not in GONE:
                        log.info("%s answered HTTP %d", url_for_record(att.url), status)
                    return NotFetched(att, Missing.NEVER_ARRIVED, f"the portal answered HTTP {status} for it")
                return self._save(att, response)
        except HttpUnavailable as exc:
            return NotFetched(att, Missing.NEVER_ARRIVED, exc.detail)
        except _Stopped:
            return NotFetched(att, Missing.CANCELLED, "the round ended before it was whole")

    def _signed_out(self) -> _SignIn:
        self.stop.set()
        return _SignIn()

    def _save(self, att: Attachment, response: httpx.Response) -> Fetched | NotFetched:
        token = secrets.token_hex(8)
        part = self.route.staging / f".http-{token}.part"
        digest = hashlib.sha256()
        size = 0
        slot, total = id(att), _promised(response)
        try:
            with open(part, "xb") as out:
                for chunk in response.iter_bytes(CHUNK):
                    if self.stop.is_set():
                        raise _Stopped
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    self._add(slot, FileBytes(att.name, size, total))
        except httpx.ReadTimeout:
            _remove(part)
            return NotFetched(att, Missing.STALLED, f"no progress for {self.route.stall_timeout:.0f} s")
        except httpx.HTTPError as exc:
            _remove(part)
            why = f"the connection broke off after {size} bytes ({type(exc).__name__})"
            return NotFetched(att, Missing.INCOMPLETE, why, needed=_promised(response))
        except BaseException:  # a full disk (re-raised for the caller to word), _Stopped, a stop
            _remove(part)
            raise
        promised = _promised(response)
        if promised is not None and response.num_bytes_downloaded != promised:
            _remove(part)
            why = f"{response.num_bytes_downloaded} of {promised} bytes arrived"
            return NotFetched(att, Missing.INCOMPLETE, why, needed=promised)
        staged = self.route.staging / f".http-{token}"
        os.replace(part, staged)
        with self._lock:
            self._staged.append(staged)
        name = suggested_name(_raw_header(response, b"content-disposition"), str(response.url))
        return Fetched(
            att,
            staged,
            name if name not in ("", FALLBACK) else att.name,  # as the browser route names it
            size=size,
            sha256=digest.hexdigest(),
            url=att.url,
        )

    def _add(self, slot: int, file: FileBytes) -> None:
        with self._lock:
            self._files[slot] = file
            self.on_progress(tuple(self._files.values()))

    def drop_staged(self) -> None:
        """The round is raising: it leaves nothing in staging (the seam's promise)."""
        with self._lock:
            staged, self._staged = self._staged, []
        for path in staged:
            _remove(path)


def _promised(response: httpx.Response) -> int | None:
    """The body's length the portal announced (on the wire, before any content decoding)."""
    value = response.headers.get("content-length")
    return int(value) if value is not None and value.strip().isdigit() else None


def _raw_header(response: httpx.Response, name: bytes) -> bytes | None:
    """A header's bytes as sent (a file name may be raw UTF-8 or Latin-1 in it)."""
    for key, value in response.headers.raw:
        if key.lower() == name:
            return value
    return None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
