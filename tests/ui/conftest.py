"""Fixtures for the window's parts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from po_downloader.ui.background import BackgroundTasks


@pytest.fixture
def tasks(qtbot) -> Iterator[BackgroundTasks]:
    """A pool for background work that outlives every job a test started (a pool torn down under a
    running job crashes the interpreter)."""
    pool_owner = BackgroundTasks()
    yield pool_owner
    pool_owner.pool.waitForDone(30_000)
    qtbot.wait(10)  # deliver the last results before the relays go
