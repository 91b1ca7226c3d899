"""Fixtures for the window's parts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget

from po_downloader.ui.background import BackgroundTasks
from po_downloader.ui.banner import Banner


@pytest.fixture
def tasks(qtbot) -> Iterator[BackgroundTasks]:
    """A pool for background work that outlives every job a test started (a pool torn down under a
    running job crashes the interpreter)."""
    pool_owner = BackgroundTasks()
    yield pool_owner
    pool_owner.pool.waitForDone(30_000)
    qtbot.wait(10)  # deliver the last results before the relays go


@pytest.fixture
def banner(qtbot) -> Iterator[Banner]:
    """A banner in a shown host widget, as in the window."""
    host = QWidget()  # shown like the window, so the banner is visible exactly when it has a message
    qtbot.addWidget(host)
    b = Banner(host)
    host.show()
    yield b  # the host stays referenced (alive) until the test ends
