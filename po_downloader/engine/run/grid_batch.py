"""A batch on a Selenium Grid, before it starts: the Grid answers, and the sign-in it will carry is read.

Said before any worker starts, naming the Grid: an address that does not answer is the user's to fix, and
a profile that is not signed in would only send every remote browser to the sign-in page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from po_downloader.engine.browser.carried_cookies import CarriedSignIn
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.http.grid_status import GridSlots, browser_name_for, read_slots
from po_downloader.engine.run.worker import WorkerConfig

log = logging.getLogger(__name__)


def onto_grid(config: WorkerConfig, carry: Callable[[], CarriedSignIn]) -> tuple[WorkerConfig, GridSlots]:
    """``config`` with the sign-in its remote sessions carry (``carry``: the sign-in check on a local copy,
    cookies read), and the Grid's slots now. Raises ``PoDownloaderError``: the Grid does not answer
    (``GRID_UNREACHABLE``, before any browser starts), the profile is not signed in (the sign-in check's
    own kinds), or it holds no cookie for the portal (``GRID_NOT_SIGNED_IN``)."""
    slots = read_slots(config.grid_url, browser_name_for(config.browser.kind))
    carried = carry()
    if not carried:
        raise PoDownloaderError(
            ErrorKind.GRID_NOT_SIGNED_IN,
            f"no sign-in to carry to the Grid at {config.grid_url}: the profile holds no cookie of the portal",
            url=config.grid_url,
        )
    log.info(
        "the Grid at %s: %d of %d slots free; carrying the sign-in (%d cookies)",
        config.grid_url,
        slots.free,
        slots.total,
        len(carried.cookies),
    )
    return replace(config, carried=carried), slots
