"""Unit tests' shared clean-up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.http_clients import close_opened


@pytest.fixture(autouse=True)
def _close_http_clients() -> Iterator[None]:
    yield
    close_opened()
