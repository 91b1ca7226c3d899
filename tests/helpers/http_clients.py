"""Portal clients a test opened, closed once it ends: each holds a connection pool with its sockets."""

from __future__ import annotations

from po_downloader.engine.http.client import PortalClient

OPEN: list[PortalClient] = []


def kept(client: PortalClient) -> PortalClient:
    """Remember ``client`` so ``close_opened`` (tests/unit/conftest.py) closes it after the test."""
    OPEN.append(client)
    return client


def close_opened() -> None:
    while OPEN:
        OPEN.pop().close()
