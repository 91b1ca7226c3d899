"""A batch on a Selenium Grid: before it starts, the Grid answers and the sign-in it will carry is read; after
the user signs in again mid-batch, that sign-in is read again for the sessions opened from then on.

Said before any worker starts, naming the Grid: an address that does not answer is the user's to fix, and
a profile that is not signed in would only send every remote browser to the sign-in page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from po_downloader.engine.browser.carried_cookies import CarriedSignIn
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.events import SignInNeeded
from po_downloader.engine.http.grid_status import GridSlots, browser_name_for, read_slots
from po_downloader.engine.run.worker import WorkerConfig

log = logging.getLogger(__name__)

CookieSource = Callable[[], CarriedSignIn]
"""Reads the sign-in to carry (the face's sign-in check on a fresh local copy, cookies read); raises
``PoDownloaderError`` when the profile is not signed in. The controller holds one on a Grid, so it can carry
a new sign-in without importing the face that knows how to read it."""


def onto_grid(config: WorkerConfig, carry: CookieSource) -> tuple[WorkerConfig, GridSlots]:
    """``config`` with the sign-in its remote sessions carry (``carry``: the sign-in check on a local copy,
    cookies read), and the Grid's slots now. Raises ``PoDownloaderError``: the Grid does not answer
    (``GRID_UNREACHABLE``, before any browser starts), the profile is not signed in (the sign-in check's
    own kinds), or it holds no cookie for the portal (``GRID_NOT_SIGNED_IN``)."""
    slots = read_slots(config.grid_url, browser_name_for(config.browser.kind))
    carried = _read(config, carry)
    log.info(
        "the Grid at %s: %d of %d slots free; carrying the sign-in (%d cookies)",
        config.grid_url,
        slots.free,
        slots.total,
        len(carried.cookies),
    )
    return replace(config, carried=carried), slots


def carry_again(config: WorkerConfig, carry: CookieSource) -> WorkerConfig | SignInNeeded:
    """After the user signed in again: ``config`` carrying the sign-in read now, for every remote session
    opened from here on (the HTTP route reads its cookies from those sessions, so it follows). When the
    profile is still not signed in, the ``SignInNeeded`` that asks again, rather than sessions that would
    each open on the Grid only to meet the sign-in page."""
    try:
        carried = _read(config, carry)
    except Exception as exc:  # whatever it was, asking again beats ending the batch on it
        log.warning("the sign-in could not be read again for the Grid's browsers: %s", exc)
        if isinstance(exc, PoDownloaderError):
            return SignInNeeded(0, str(exc), exc.kind, dict(exc.details))
        return SignInNeeded(
            0, str(exc), ErrorKind.SIGN_IN_DID_NOT_TAKE, {"url": config.base_url, "page": "?"}
        )
    log.info("carrying the new sign-in to the Grid at %s (%d cookies)", config.grid_url, len(carried.cookies))
    return replace(config, carried=carried)


def _read(config: WorkerConfig, carry: CookieSource) -> CarriedSignIn:
    carried = carry()
    if not carried:
        raise PoDownloaderError(
            ErrorKind.GRID_NOT_SIGNED_IN,
            f"no sign-in to carry to the Grid at {config.grid_url}: the profile holds no cookie of the portal",
            url=config.grid_url,
        )
    return carried
