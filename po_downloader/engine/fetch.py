"""Working one PO in a worker: open its page, find attachments, download them, name the folder.

Each step reports an event through ``emit``; the outcome is always one ``PoFinished``. Errors that
concern one PO end that PO (retryable or not) and never the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

from po_downloader.engine.downloads import StagingDir, match_arrivals, place_file
from po_downloader.engine.events import AttachmentsFound, Event, FileFailed, FileSaved, PoFinished, PoStarted
from po_downloader.engine.folders import finalise_folder, reusable_names
from po_downloader.engine.models import PoStatus, PoTask
from po_downloader.engine.naming import work_folder
from po_downloader.engine.portal import CoupaPortal, FoundAttachment, PageKind, PageState, PortalTimeout
from po_downloader.engine.status import decide_status

log = logging.getLogger(__name__)

Emit = Callable[[Event], None]
SIGN_IN_AGAIN = "Coupa asked to sign in again"


class SignInLost(Exception):
    """The session expired in the middle of this PO (a requisition or a download led to sign-in)."""


@dataclass(frozen=True)
class FetchSettings:
    download_root: Path
    download_timeout: float


class PoFetcher:
    """Fetches POs one after another with one browser; owns the worker's staging folder."""

    def __init__(
        self, worker: int, portal: CoupaPortal, staging: StagingDir, settings: FetchSettings
    ) -> None:
        self.worker = worker
        self.portal = portal
        self.staging = staging
        self.settings = settings

    def fetch(self, task: PoTask, emit: Emit) -> PoFinished:
        po = task.po
        url = self.portal.sel.po_page_url(self.portal.base_url, po.digits)
        emit(PoStarted(self.worker, po.display, task.attempt, url))

        def finished(status: PoStatus, message: str = "", **kw) -> PoFinished:
            return PoFinished(self.worker, po.display, status, message=message, url=url, **kw)

        try:
            state = self.portal.open_po(po.digits)
        except PortalTimeout as exc:
            return finished(PoStatus.FAILED, str(exc), retryable=True)
        early = _early_outcome(state)
        if early is not None:
            status, message, retryable = early
            return finished(status, message, retryable=retryable)
        try:
            return self._download_all(task, url, emit)
        except PortalTimeout as exc:
            return finished(PoStatus.FAILED, str(exc), retryable=True)
        except SignInLost:
            return finished(PoStatus.SIGN_IN_REQUIRED, SIGN_IN_AGAIN, retryable=True)
        except StaleElementReferenceException:
            return finished(
                PoStatus.FAILED, "the page changed while its attachments were read", retryable=True
            )

    def _download_all(self, task: PoTask, url: str, emit: Emit) -> PoFinished:
        po = task.po
        self.portal.wait_settled()
        supplier = self.portal.supplier()
        found = self.portal.attachments()
        source = "PO"
        if not found:
            req_url = self.portal.requisition_url()
            if req_url:
                state = self.portal.open(req_url)
                if state.kind in (PageKind.REQUISITION, PageKind.PO):
                    self.portal.wait_settled()
                    found = self.portal.attachments()
                    source = f"requisition {req_url.rstrip('/').rsplit('/', 1)[-1]}"
                elif state.kind is PageKind.SIGN_IN:
                    raise SignInLost
                else:
                    log.info("%s: requisition page not usable (%s)", po, state.kind)

        folder = work_folder(self.settings.download_root, supplier, po.display)
        folder.mkdir(parents=True, exist_ok=True)
        names = tuple(a.name for a in found)
        emit(AttachmentsFound(self.worker, po.display, supplier, names, source, str(folder)))

        saved, failures = self._download(po.display, found, folder, source, emit)
        status = decide_status(len(found), len(saved))
        size = sum(p.stat().st_size for p in saved)
        final = finalise_folder(folder, po.display, status)
        message = "; ".join(f"{n}: {why}" for n, why in failures)
        if source != "PO" and found:
            message = (f"attachments taken from {source}. " + message).strip()
        return PoFinished(
            self.worker,
            po.display,
            status,
            supplier=supplier,
            folder=str(final),
            found=len(found),
            downloaded=len(saved),
            names=tuple(p.name for p in saved),
            message=message,
            url=url,
            size=size,
        )

    def _download(
        self, po: str, found: list[FoundAttachment], folder: Path, source: str, emit: Emit
    ) -> tuple[list[Path], list[tuple[str, str]]]:
        if not found:
            return [], []
        reusable = reusable_names(folder)
        self.staging.begin()
        failures: list[tuple[str, str]] = []
        clicked: list[str] = []
        for att in found:
            try:
                self.portal.click(att.element)
                clicked.append(att.name)
            except WebDriverException as exc:
                reason = f"could not click ({type(exc).__name__})"
                failures.append((att.name, reason))
                emit(FileFailed(self.worker, po, att.name, reason))
        result = self.staging.wait(
            len(clicked), stall_timeout=self.settings.download_timeout, give_up=self.portal.on_sign_in_page
        )
        if result.stalled:
            self.staging.abandon(result.stalled)
        pairs, missing = match_arrivals(clicked, [p.name for p in result.arrived])
        saved: list[Path] = []
        for _expected, arrived_name in pairs:
            path = place_file(self.staging.path / arrived_name, folder, reusable=reusable)
            saved.append(path)
            emit(FileSaved(self.worker, po, path.name, str(path), path.stat().st_size, source))
        if result.interrupted:
            raise SignInLost  # files that did arrive stay in the work folder for the retry
        reason = (
            f"no progress for {self.settings.download_timeout:.0f} s" if result.stalled else "never arrived"
        )
        for name in missing:
            failures.append((name, reason))
            emit(FileFailed(self.worker, po, name, reason))
        return saved, failures


def _early_outcome(state: PageState) -> tuple[PoStatus, str, bool] | None:
    """Status, message and retryability for a page that is not a PO page; None for a PO page."""
    match state.kind:
        case PageKind.PO | PageKind.REQUISITION:
            return None
        case PageKind.SIGN_IN:
            return PoStatus.SIGN_IN_REQUIRED, SIGN_IN_AGAIN, True
        case PageKind.NOT_FOUND:
            return PoStatus.PO_NOT_FOUND, f"Coupa: {state.detail}" if state.detail else "PO not found", False
        case PageKind.NO_ACCESS:
            return PoStatus.NO_ACCESS, f"Coupa: {state.detail}" if state.detail else "not authorised", False
        case _:
            return PoStatus.FAILED, f"portal error: {state.detail or state.kind}", True
