"""Sizes and durations as people read them, for the terminal and the window alike."""

from __future__ import annotations

from collections.abc import Sequence

BYTE_UNITS = ("%1 B", "%1 KB", "%1 MB", "%1 GB")
"""Bytes, then base-1024 multiples: each a template where ``%1`` is the number (Qt's placeholder, so the
window hands over its translated strings as they are)."""


def human_bytes(n: float, units: Sequence[str] = BYTE_UNITS, decimal_point: str = ".") -> str:
    """The one rule for a size: ``512 B``, ``1.5 KB``, ``12.0 MB`` (base 1024, whole bytes, one decimal
    above); the window passes its translated ``units`` and its locale's ``decimal_point``."""
    if n < 1024:
        return units[0].replace("%1", f"{n:.0f}")
    value = n / 1024
    for unit in units[1:-1]:
        if value < 1024:
            return unit.replace("%1", f"{value:.1f}".replace(".", decimal_point))
        value /= 1024
    return units[-1].replace("%1", f"{value:.1f}".replace(".", decimal_point))


def human_seconds(s: float) -> str:
    s = int(round(s))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"
