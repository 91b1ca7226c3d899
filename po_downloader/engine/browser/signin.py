"""Checking that a source profile is signed in, the way a worker will see it: on a fresh copy."""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass

from po_downloader.engine.browser.launch import BrowserError
from po_downloader.engine.browser.portal import PageKind, PortalTimeout
from po_downloader.engine.browser.profile import (
    ProfileCopyError,
    remove_copy,
)
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.run.processes import RunMarker, proc_ref, sweep_stale_runs
from po_downloader.engine.run.worker import WorkerConfig
from po_downloader.engine.system.paths import AppDirs, private_dir

log = logging.getLogger(__name__)

VERIFY_PREFIX = "verify-"


@dataclass(frozen=True)
class SignInCheck:
    """What a fresh copy of the profile saw: the page it reached, and why it is not signed in (if not)."""

    url: str = ""
    error: PoDownloaderError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def verify_signed_in(config: WorkerConfig, dirs: AppDirs) -> SignInCheck:
    """Uses a throwaway copy so the source profile is never opened.

    The copy (it holds the session cookies) and its browser are recorded in a run marker like a batch's
    workers, before they exist, so if this process dies meanwhile the next sweep removes and ends them.
    """
    swept = sweep_stale_runs(dirs.runs)
    if swept.runs:
        log.info("cleaned up after %d crashed run(s): ended %s", swept.runs, swept.ended)
    me = proc_ref(os.getpid())
    assert me is not None, "this very process is running"
    marker = RunMarker.create(private_dir(dirs.runs), owner=me)
    scratch = private_dir(dirs.worker_profiles) / f"{VERIFY_PREFIX}{uuid.uuid4().hex[:12]}"
    marker.add_dir(scratch)
    session = None
    try:
        scratch.mkdir(mode=0o700)
        session = BrowserSession.open(
            config.browser,
            config.source(),
            scratch / "profile",
            None,
            config.selectors(),
            config.base_url,
            page_timeout=config.page_timeout,
        )
        marker.add_processes(session.processes)
        state = session.portal.check_signed_in()
        if state.kind is PageKind.SIGN_IN:
            return SignInCheck(
                state.url,
                PoDownloaderError(
                    ErrorKind.SIGN_IN_DID_NOT_TAKE,
                    f"not signed in: {config.base_url} sends the browser to {state.url}",
                    url=config.base_url,
                    page=state.url,
                ),
            )
        return SignInCheck(state.url)
    except (ProfileCopyError, BrowserError) as exc:
        return SignInCheck(error=exc)
    except PortalTimeout as exc:
        return SignInCheck(error=PoDownloaderError(ErrorKind.PORTAL_TIMEOUT, str(exc), detail=exc))
    finally:
        if session is not None:
            session.quit()
        remove_copy(scratch)  # if this raises, the marker stays and the next sweep retries
        marker.close()
