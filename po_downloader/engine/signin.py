"""Checking that a source profile is signed in, the way a worker will see it: on a fresh copy."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from po_downloader.engine.browser import BrowserError, driver_processes, launch
from po_downloader.engine.paths import AppDirs, private_dir
from po_downloader.engine.portal import CoupaPortal, PageKind, PortalTimeout
from po_downloader.engine.processes import end_processes
from po_downloader.engine.profile import (
    ProfileCopyError,
    SourceProfile,
    browser_switches_to_exclude,
    copy_profile,
    remove_copy,
)
from po_downloader.engine.selectors import load_selectors
from po_downloader.engine.worker import WorkerConfig

log = logging.getLogger(__name__)


def verify_signed_in(config: WorkerConfig, dirs: AppDirs) -> tuple[bool, str]:
    """(signed in?, what was seen). Uses a throwaway copy so the source profile is never opened."""
    source = SourceProfile(
        Path(config.source_user_data_dir), config.source_profile_name, own=config.source_own
    )
    scratch = Path(tempfile.mkdtemp(prefix="verify-", dir=private_dir(dirs.worker_profiles)))
    driver = None
    try:
        copy = copy_profile(source, scratch / "profile")
        driver = launch(
            config.browser,
            user_data_dir=copy.user_data_dir,
            profile_name=copy.profile_name,
            download_dir=None,
            exclude_switches=browser_switches_to_exclude(source),
        )
        selectors = load_selectors(Path(config.user_selectors) if config.user_selectors else None)
        portal = CoupaPortal(driver, selectors, config.base_url, page_timeout=config.page_timeout)
        state = portal.check_signed_in()
        if state.kind is PageKind.SIGN_IN:
            return False, f"not signed in: {config.base_url} sends the browser to {state.url}"
        return True, f"signed in ({state.url})"
    except (ProfileCopyError, BrowserError, PortalTimeout) as exc:
        return False, str(exc)
    finally:
        if driver is not None:
            refs = driver_processes(driver)
            try:
                driver.quit()
            finally:
                end_processes(refs)
        remove_copy(scratch)
