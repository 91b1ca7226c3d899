"""Checking that a source profile is signed in, the way a worker will see it: on a fresh copy."""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from po_downloader.engine.browser.carried_cookies import CarriedSignIn, carried_cookies
from po_downloader.engine.browser.launch import BrowserError, BrowserSpec
from po_downloader.engine.browser.portal import PageKind, PortalTimeout
from po_downloader.engine.browser.profile_copy import ProfileCopyError, SourceProfile
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.system.paths import AppDirs, private_dir
from po_downloader.engine.system.processes import proc_ref
from po_downloader.engine.system.removal import remove_tree
from po_downloader.engine.system.run_markers import RunMarker, sweep_stale_runs

log = logging.getLogger(__name__)

VERIFY_PREFIX = "verify-"


@dataclass(frozen=True)
class SignInSetup:
    """What the check opens: the portal, in the browser and on a copy of the profile a worker would use.

    The caller builds it from the batch's worker settings, so the check sees what a worker will see.
    """

    base_url: str
    browser: BrowserSpec
    source: SourceProfile
    selectors_file: Path | None = None
    """The user's selectors file, None for the built-in selectors."""
    page_timeout: float = 30.0


@dataclass(frozen=True)
class SignInCheck:
    """What a fresh copy of the profile saw: the page it reached, and why it is not signed in (if not)."""

    url: str = ""
    error: PoDownloaderError | None = None
    carried: CarriedSignIn = CarriedSignIn()
    """The portal's and its SSO's cookies of the signed-in copy, when asked for (``carry``): what a Grid's
    remote browsers are signed in with."""

    @property
    def ok(self) -> bool:
        return self.error is None


def verify_signed_in(setup: SignInSetup, dirs: AppDirs, *, carry: bool = False) -> SignInCheck:
    """Uses a throwaway copy so the source profile is never opened. ``carry``: also hand back the cookies a
    Grid's remote browsers need (read through CDP from the copy, signed in).

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
        selectors = load_selectors(setup.selectors_file)
        session = BrowserSession.open(
            setup.browser,
            setup.source,
            scratch / "profile",
            None,
            selectors,
            setup.base_url,
            page_timeout=setup.page_timeout,
        )
        marker.add_processes(session.processes)
        state = session.portal.check_signed_in()
        if state.kind is PageKind.SIGN_IN:
            return SignInCheck(
                state.url,
                PoDownloaderError(
                    ErrorKind.SIGN_IN_DID_NOT_TAKE,
                    f"not signed in: {setup.base_url} sends the browser to {state.url}",
                    url=setup.base_url,
                    page=state.url,
                ),
            )
        if carry:
            sso = selectors.sign_in_places.sso_hosts
            return SignInCheck(state.url, carried=carried_cookies(session.cookies(), setup.base_url, sso))
        return SignInCheck(state.url)
    except (ProfileCopyError, BrowserError) as exc:
        return SignInCheck(error=exc)
    except PortalTimeout as exc:
        return SignInCheck(error=PoDownloaderError(ErrorKind.PORTAL_TIMEOUT, str(exc), detail=exc))
    finally:
        if session is not None:
            session.quit()
        remove_tree(scratch)  # if this raises, the marker stays and the next sweep retries
        marker.close()
