"""Builds for the frozen tests, cached outside the checkout and keyed by what goes into them.

A PyInstaller build and a venv with the wheel installed take about a minute each on a busy 2-core machine;
both are kept under ``$PO_DOWNLOADER_BUILD_CACHE`` (default ``~/.cache/po-downloader-build``) in a folder
named after a hash of the package's files, the runtime files of ``resources/`` (all but the ``.ts`` sources),
the spec, the icon and version scripts, ``pyproject.toml`` and the Python and PyInstaller versions. Change any of them and the next run builds afresh. A lock file makes
concurrent test runs (several worktrees on one machine) wait for one build instead of racing.

A run that selects frozen tests starts both builds in the background as soon as it is collected
(``tests/conftest.py``) and runs the frozen tests last, so the builds overlap the other tests.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "po_downloader"
RESOURCES = REPO / "resources"
BUILD_INPUTS = ("build_spec.py", "installer/make_icons.py", "installer/version.py", "pyproject.toml")
STALE_AFTER_S = 3 * 24 * 3600  # builds of other source states unused this long are removed
KEEP_OTHERS = 2  # … and beyond the two used last (other worktrees or branches on the same machine)

logger = logging.getLogger(__name__)
_building: set[subprocess.Popen[bytes]] = set()
"""The build commands running now, for ``stop_builds``."""
_stopped = threading.Event()


def cache_root() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "po-downloader-build"
    return Path(os.environ.get("PO_DOWNLOADER_BUILD_CACHE") or default)


def _inputs() -> Iterator[Path]:
    for path in [*sorted(PACKAGE.rglob("*")), *sorted(RESOURCES.rglob("*"))]:
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".ts":
            yield path
    for name in BUILD_INPUTS:
        yield REPO / name


def source_key() -> str:
    """A hash of everything a build is made from (paths, contents and the tool versions)."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version}|{version('pyinstaller')}|{version('setuptools')}".encode())
    for path in _inputs():
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@contextmanager
def _locked(lock: Path) -> Iterator[None]:
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _prune(keep: Path) -> None:
    """Each source state costs about 0.7 GB (app + venv): keep the few used last, drop the stale."""
    others = sorted(
        (e for e in cache_root().iterdir() if e.is_dir() and e != keep),
        key=lambda e: e.stat().st_mtime,
        reverse=True,
    )
    for index, entry in enumerate(others):
        if index >= KEEP_OTHERS or time.time() - entry.stat().st_mtime > STALE_AFTER_S:
            shutil.rmtree(entry, ignore_errors=True)


def _run(args: list[str], log: Path, cwd: Path | None = None) -> None:
    if _stopped.is_set():
        raise RuntimeError(f"{args[0]} … not started: the test run is over")
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(args)}\n")
        out.flush()
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        _building.add(proc)
        try:
            returncode = proc.wait()
        finally:
            _building.discard(proc)
    if returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise RuntimeError(f"{args[0]} … failed ({returncode}); end of {log}:\n{tail}")


def _cached(name: str, build: Callable[[Path, Path], None]) -> Path:
    """``<cache>/<key>/<name>``, built by ``build(target, log)`` once per source state."""
    key_dir = cache_root() / source_key()
    target = key_dir / name
    done = key_dir / f"{name}.done"
    with _locked(cache_root() / f"{source_key()}-{name}.lock"):
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            build(target, key_dir / f"{name}.log")
            done.write_text(time.strftime("%Y-%m-%dT%H:%M:%S"), encoding="utf-8")
    os.utime(key_dir)
    _prune(key_dir)
    return target


def require_translations() -> None:
    if not list((RESOURCES / "i18n").glob("*.qm")):
        raise RuntimeError("no compiled .qm translations: run `make translations` (make test does it)")


def _build_app(target: Path, log: Path) -> None:
    _run(
        [
            sys.executable,
            str(REPO / "build_spec.py"),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(target / "dist"),
            "--workpath",
            str(target / "work"),
        ],
        log,
        cwd=REPO,
    )
    shutil.rmtree(target / "work", ignore_errors=True)


def frozen_app() -> Path:
    """The folder ``PO Downloader/`` that ``build_spec.py`` makes for this OS (cached)."""
    require_translations()
    return _cached("app", _build_app) / "dist" / "PO Downloader"


def _build_wheel_venv(target: Path, log: Path) -> None:
    wheels = target / "wheel"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(REPO)], log)
    (wheel,) = wheels.glob("po_downloader-*.whl")
    _run([sys.executable, "-m", "venv", str(target / "venv")], log)
    _run([str(target / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], log)


def wheel_venv() -> Path:
    """A fresh venv outside the checkout with the built wheel installed (cached); has ``wheel/`` beside it."""
    require_translations()
    return _cached("wheel", _build_wheel_venv)


def build_in_background() -> threading.Thread:
    """Start both builds in a thread and return it: a fresh checkout's builds (a minute or two of CPU)
    then overlap the browser tests' waits for the portal instead of adding to them. ``frozen_app`` and
    ``wheel_venv`` still build, or wait on the lock for this thread's build, and raise what went wrong;
    here a failure is only logged, for those fixtures to report."""

    def build() -> None:
        for make in (frozen_app, wheel_venv):
            if _stopped.is_set():
                return
            try:
                make()
            except Exception as exc:
                logger.info(
                    "background %s build failed (its tests build again and report): %s", make.__name__, exc
                )

    thread = threading.Thread(target=build, name="frozen-builds", daemon=True)
    thread.start()
    return thread


def stop_builds() -> None:
    """End the build commands still running (a run that stops before its frozen tests: ``-x``, Ctrl-C), so
    none is left writing into a build folder the next run starts afresh; the unfinished build is not marked
    done, so that run builds it again."""
    _stopped.set()
    for proc in list(_building):
        proc.terminate()
