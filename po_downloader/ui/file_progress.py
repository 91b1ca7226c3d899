"""A PO's downloads as they arrive: per-file speed and time left from successive progress reports, and the
line the table shows ("2/3 files · 1.4 MB of 3.0 MB · 850 KB/s · 2s left").

Pure functions over the engine's :class:`FileBytes` (what the routes report); the clock is passed in, so
speeds are tested without waiting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from po_downloader.engine.events import FileBytes
from po_downloader.engine.system.units import human_seconds

SMOOTHING = 0.5
"""Weight of the newest speed against the running one: reports come every half second, and one late
report must not swing the time left from seconds to minutes."""


@dataclass(frozen=True, slots=True)
class FileLive:
    name: str
    received: int
    total: int | None
    rate: float
    """Bytes per second, smoothed; 0 until a second report shows movement."""

    @property
    def whole(self) -> bool:
        return self.total is not None and self.received >= self.total

    @property
    def left_seconds(self) -> float | None:
        if self.total is None or self.rate <= 0:
            return None
        return max(self.total - self.received, 0) / self.rate


@dataclass(frozen=True, slots=True)
class LiveFiles:
    files: tuple[FileLive, ...]
    at: float


def advance(previous: LiveFiles | None, files: Sequence[FileBytes], now: float) -> LiveFiles:
    """The new report against the last one: each file's speed from the bytes it gained since then.

    Files are matched by place and name (two downloads may share a name; a round never reorders its own)."""
    before = {(i, f.name): f for i, f in enumerate(previous.files)} if previous else {}
    elapsed = now - previous.at if previous else 0.0
    out = []
    for i, f in enumerate(files):
        was = before.get((i, f.name))
        rate = was.rate if was else 0.0
        if was is not None and elapsed > 0:
            latest = max(f.received - was.received, 0) / elapsed
            rate = latest if rate == 0 else SMOOTHING * latest + (1 - SMOOTHING) * rate
        if f.total is not None and f.received >= f.total:
            rate = 0.0 if was is None else rate  # whole: its speed no longer matters for the time left
        out.append(FileLive(f.name, f.received, f.total, rate))
    return LiveFiles(tuple(out), now)


def live_text(live: LiveFiles, found: int, saved: int, size: Callable[[int], str]) -> str:
    """The table's line for a PO with downloads in flight: files whole, bytes, speed, time left."""
    files = live.files
    whole = max(saved, sum(1 for f in files if f.whole))
    parts = [
        QCoreApplication.translate("FileProgress", "{done}/{found} files").format(
            done=whole, found=max(found, len(files))
        )
    ]
    received = sum(f.received for f in files)
    totals = [f.total for f in files]
    if all(t is not None for t in totals) and totals:
        total = sum(t for t in totals if t is not None)
        parts.append(
            QCoreApplication.translate("FileProgress", "{received} of {total}").format(
                received=size(received), total=size(total)
            )
        )
    else:
        parts.append(size(received))
    pending = [f for f in files if not f.whole]
    rate = sum(f.rate for f in pending)
    if rate > 0:
        parts.append(QCoreApplication.translate("FileProgress", "{speed}/s").format(speed=size(int(rate))))
        lefts = [f.left_seconds for f in pending]
        if all(s is not None for s in lefts):
            left = max(s for s in lefts if s is not None)  # the files arrive side by side
            parts.append(
                QCoreApplication.translate("FileProgress", "{time} left").format(time=human_seconds(left))
            )
    return " · ".join(parts)


def live_lines(live: LiveFiles, size: Callable[[int], str]) -> str:
    """One line per file, for the row's tooltip: name, bytes, and speed and time left while it arrives."""
    lines = []
    for f in live.files:
        text = f"{f.name}: " + (
            QCoreApplication.translate("FileProgress", "{received} of {total}").format(
                received=size(f.received), total=size(f.total)
            )
            if f.total is not None
            else size(f.received)
        )
        if not f.whole and f.rate > 0:
            text += " · " + QCoreApplication.translate("FileProgress", "{speed}/s").format(
                speed=size(int(f.rate))
            )
            if (left := f.left_seconds) is not None:
                text += " · " + QCoreApplication.translate("FileProgress", "{time} left").format(
                    time=human_seconds(left)
                )
        lines.append(text)
    return "\n".join(lines)
