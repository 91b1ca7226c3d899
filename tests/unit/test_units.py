"""Sizes and durations: the one rule the terminal and the window share (``engine/system/units.py``)."""

from __future__ import annotations

import pytest

from po_downloader.engine.system.units import human_bytes, human_seconds


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (1024, "1.0 KB"),
        (1536, "1.5 KB"),
        (1024**2 - 1, "1024.0 KB"),  # below a MB by a byte: rounds up in KB, never shown as 1.0 MB early
        (5 * 1024**2, "5.0 MB"),
        (10 * 1024**2 + 300_000, "10.3 MB"),
        (3 * 1024**3, "3.0 GB"),
        (3 * 1024**4, "3072.0 GB"),  # GB is the largest unit
    ],
)
def test_human_bytes(n: int, text: str) -> None:
    assert human_bytes(n) == text


def test_human_bytes_takes_the_windows_unit_words_and_decimal_point() -> None:
    units = ("%1 o", "%1 Ko", "%1 Mo", "%1 Go")
    assert human_bytes(512, units, ",") == "512 o"
    assert human_bytes(1536, units, ",") == "1,5 Ko"
    assert human_bytes(3 * 1024**4, units, ",") == "3072,0 Go"
    assert human_bytes(1536, ("%1 B", "KB: %1", "%1 MB", "%1 GB")) == "KB: 1.5"  # the number's place is free


@pytest.mark.parametrize(
    ("s", "text"), [(0, "0s"), (59.4, "59s"), (60, "1m00s"), (3599, "59m59s"), (7260, "2h01m")]
)
def test_human_seconds(s: float, text: str) -> None:
    assert human_seconds(s) == text
