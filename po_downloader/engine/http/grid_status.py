"""How many browsers a Selenium Grid 4 can give this batch: its ``/status`` read, and the wait for a free slot.

On a Grid the worker count comes from the Grid's slots, not this computer's cores and memory: the browsers
run on the nodes. The parsing is a plain function (``slots_of``); reading and waiting take a clock and a
sleep so their tests need no Grid.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from po_downloader.engine.errors import ErrorKind, PoDownloaderError

STATUS_TIMEOUT = 10.0
WAIT_POLL_SECONDS = 2.0


class GridUnavailable(PoDownloaderError):
    """The Grid does not answer (``GRID_UNREACHABLE``) or has no free slot in time (``GRID_NO_FREE_SLOT``)."""


@dataclass(frozen=True)
class GridSlots:
    """The Grid's browser slots as ``/status`` reports them: on nodes that are up, for a browser."""

    total: int
    free: int
    ready: bool
    """The Grid says it can take new sessions."""


def slots_of(status: Mapping[str, Any], browser_name: str = "") -> GridSlots:
    """Slots of nodes that are ``UP`` (a draining or down node takes no session), counted per slot whose
    stereotype is ``browser_name`` (any browser when ""); a slot with a session is not free."""
    value = status.get("value") if isinstance(status.get("value"), Mapping) else {}
    assert isinstance(value, Mapping)
    total = free = 0
    for node in value.get("nodes") or ():
        if not isinstance(node, Mapping) or str(node.get("availability", "UP")).upper() != "UP":
            continue
        for slot in node.get("slots") or ():
            if not isinstance(slot, Mapping):
                continue
            stereotype = slot.get("stereotype") if isinstance(slot.get("stereotype"), Mapping) else {}
            assert isinstance(stereotype, Mapping)
            if browser_name and str(stereotype.get("browserName", "")).lower() != browser_name.lower():
                continue
            total += 1
            free += slot.get("session") is None
    return GridSlots(total, free, bool(value.get("ready")))


def browser_name_for(kind: str) -> str:
    """The W3C ``browserName`` a node's stereotype carries for one of the app's browser kinds."""
    return "MicrosoftEdge" if kind == "edge" else "chrome"


def read_slots(grid_url: str, browser_name: str = "", *, timeout: float = STATUS_TIMEOUT) -> GridSlots:
    """``GET <grid>/status``; ``GridUnavailable`` naming the Grid when it does not answer as a Grid."""
    try:
        with httpx.Client(timeout=timeout, trust_env=False) as client:
            answer = client.get(grid_url.rstrip("/") + "/status")
        answer.raise_for_status()
        status = answer.json()
        if not isinstance(status, Mapping) or not isinstance(status.get("value"), Mapping):
            raise ValueError("not a Selenium Grid status")
    except (httpx.HTTPError, ValueError) as exc:
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        raise GridUnavailable(
            ErrorKind.GRID_UNREACHABLE,
            f"the Selenium Grid at {grid_url} does not answer: {detail}",
            url=grid_url,
            detail=detail,
        ) from exc
    return slots_of(status, browser_name)


def wait_for_slots(
    grid_url: str,
    browser_name: str,
    *,
    timeout: float,
    on_waiting: Callable[[GridSlots], None] = lambda _: None,
    read: Callable[[str, str], GridSlots] = read_slots,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> GridSlots:
    """The Grid's slots once at least one is free; ``on_waiting`` is told once when the batch must wait;
    ``GridUnavailable`` (``GRID_NO_FREE_SLOT``) after ``timeout`` seconds without one."""
    deadline = clock() + timeout
    told = False
    while True:
        slots = read(grid_url, browser_name)
        if slots.free > 0 and slots.ready:
            return slots
        if not told:
            on_waiting(slots)
            told = True
        if clock() >= deadline:
            raise GridUnavailable(
                ErrorKind.GRID_NO_FREE_SLOT,
                f"the Selenium Grid at {grid_url} had no free browser slot in {timeout:.0f} s",
                url=grid_url,
                waited=f"{timeout:.0f}",
            )
        sleep(min(WAIT_POLL_SECONDS, max(0.0, deadline - clock())))


def grid_workers(requested: int, slots: GridSlots) -> int:
    """Workers for a Grid batch: as many as its free slots (at least one), fewer when asked for fewer."""
    cap = max(1, slots.free)
    return min(requested, cap) if requested > 0 else cap
