"""Checking that a source profile is signed in, the way a worker will see it: on a fresh copy."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from po_downloader.engine.browser.launch import BrowserError
from po_downloader.engine.browser.portal import PageKind, PortalTimeout
from po_downloader.engine.browser.profile import (
    ProfileCopyError,
    remove_copy,
)
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.run.worker import WorkerConfig
from po_downloader.engine.system.paths import AppDirs, private_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignInCheck:
    """What a fresh copy of the profile saw: the page it reached, and why it is not signed in (if not)."""

    url: str = ""
    error: PoDownloaderError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def verify_signed_in(config: WorkerConfig, dirs: AppDirs) -> SignInCheck:
    """Uses a throwaway copy so the source profile is never opened."""
    scratch = Path(tempfile.mkdtemp(prefix="verify-", dir=private_dir(dirs.worker_profiles)))
    session = None
    try:
        session = BrowserSession.open(
            config.browser,
            config.source(),
            scratch / "profile",
            None,
            config.selectors(),
            config.base_url,
            page_timeout=config.page_timeout,
        )
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
        remove_copy(scratch)
