"""Checking that a source profile is signed in, the way a worker will see it: on a fresh copy."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from po_downloader.engine.browser.launch import BrowserError
from po_downloader.engine.browser.portal import PageKind, PortalTimeout
from po_downloader.engine.browser.profile import (
    ProfileCopyError,
    remove_copy,
)
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.run.worker import WorkerConfig
from po_downloader.engine.system.paths import AppDirs, private_dir

log = logging.getLogger(__name__)


def verify_signed_in(config: WorkerConfig, dirs: AppDirs) -> tuple[bool, str]:
    """(signed in?, what was seen). Uses a throwaway copy so the source profile is never opened."""
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
            return False, f"not signed in: {config.base_url} sends the browser to {state.url}"
        return True, f"signed in ({state.url})"
    except (ProfileCopyError, BrowserError, PortalTimeout) as exc:
        return False, str(exc)
    finally:
        if session is not None:
            session.quit()
        remove_copy(scratch)
