"""Cleaning up after a crashed run: each run (a batch's workers, a sign-in check) records the processes and
temporary folders it starts in a marker file, and the next start sweeps the markers whose owner died."""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from po_downloader.engine.system.processes import ProcRef, end_processes, is_alive
from po_downloader.engine.system.removal import remove_tree

log = logging.getLogger(__name__)

_MARKER_VERSION = 2
_READABLE_MARKER_VERSIONS = (1, 2)
_MARKER_GLOB = "run-*.json"


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Readers see the old or the new marker, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass
class RunMarker:
    """What a run started (processes, temporary dirs), on disk so the next start can clean up after a crash.

    The marker lives while the run does; ``close()`` deletes it after a clean end. A marker whose owner
    process is gone means the run crashed: ``sweep_stale_runs`` then ends and removes what it lists.
    """

    path: Path
    owner: ProcRef
    processes: list[ProcRef] = field(default_factory=list)
    dirs: list[Path] = field(default_factory=list)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock, repr=False, compare=False)
    _closed: bool = field(init=False, default=False, repr=False, compare=False)

    @classmethod
    def create(cls, runs_dir: Path, *, owner: ProcRef) -> RunMarker:
        runs_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        marker = cls(runs_dir / f"run-{owner.pid}-{uuid.uuid4().hex[:12]}.json", owner)
        marker._save()
        return marker

    @classmethod
    def load(cls, path: Path) -> RunMarker:
        """Read a marker; ``ValueError`` if it is not one this version understands."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") not in _READABLE_MARKER_VERSIONS:
                raise ValueError(f"unknown marker version {data.get('version')!r}")
            return cls(
                path,
                ProcRef.from_json(data["owner"]),
                [ProcRef.from_json(item) for item in data["processes"]],
                [Path(item) for item in data["dirs"]],
            )
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path} is not a run marker: {exc}") from exc

    def _save(self) -> None:
        if self._closed:
            raise RuntimeError(f"run marker {self.path} is closed")
        _write_json_atomic(
            self.path,
            {
                "version": _MARKER_VERSION,
                "owner": self.owner.to_json(),
                "processes": [ref.to_json() for ref in self.processes],
                "dirs": [str(path) for path in self.dirs],
            },
        )

    def add_processes(self, refs: Iterable[ProcRef]) -> None:
        with self._lock:
            for ref in refs:
                if ref not in self.processes:
                    self.processes.append(ref)
            self._save()

    def add_dir(self, path: Path) -> None:
        with self._lock:
            path = Path(os.path.abspath(path))
            if path not in self.dirs:
                self.dirs.append(path)
            self._save()

    def close(self) -> None:
        """The run ended cleanly: delete the marker. Closing twice is harmless."""
        with self._lock:
            self._closed = True
            self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class SweepReport:
    runs: int
    ended: list[int]
    removed_dirs: list[Path]


def _sweep_one(marker: RunMarker, ended: list[int], removed: list[Path]) -> None:
    ended.extend(end_processes(marker.processes))
    left: list[Path] = []
    for path in marker.dirs:
        if not path.exists() and not path.is_symlink():
            continue
        try:
            remove_tree(path)
            removed.append(path)
        except OSError as exc:
            log.warning("could not remove %s left by a crashed run: %s", path, exc)
            left.append(path)
    if left:
        # Keep what is still on disk for the next sweep; the processes are already dealt with.
        marker.processes, marker.dirs = [], left
        marker._save()
    else:
        marker.close()


def sweep_stale_runs(runs_dir: Path) -> SweepReport:
    """Clean up after runs whose owner process died: end their processes, remove their dirs.

    Markers of live owners (other running instances, this one) are left alone.
    """
    ended: list[int] = []
    removed: list[Path] = []
    runs = 0
    if not runs_dir.is_dir():
        return SweepReport(0, ended, removed)
    for path in sorted(runs_dir.glob(_MARKER_GLOB)):
        try:
            marker = RunMarker.load(path)
        except FileNotFoundError:
            continue  # another instance swept it meanwhile
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable run marker %s: %s", path, exc)
            continue
        if is_alive(marker.owner):
            continue
        runs += 1
        log.info("cleaning up after crashed run %s (owner pid %d)", path.name, marker.owner.pid)
        _sweep_one(marker, ended, removed)
    return SweepReport(runs, ended, removed)
