"""Deleting a folder we made (a profile copy, a sign-in check's scratch folder) even on a reluctant OS.

A browser that just exited can hold files open for a moment on Windows, and Windows refuses to delete
read-only files, so removal retries and makes files writable; a symlink is unlinked, never followed, so a
link planted in a temporary folder can never make us delete what it points to.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


def _make_writable_and_retry(func: Callable[[str], object], path: str, exc: BaseException) -> None:
    """Windows refuses to delete read-only files; anything already gone is fine."""
    if isinstance(exc, FileNotFoundError):
        return
    if not isinstance(exc, PermissionError):
        raise exc
    os.chmod(path, stat.S_IRWXU)
    func(path)


def _rmtree(path: Path) -> None:
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=_make_writable_and_retry)
    else:
        shutil.rmtree(path, onerror=lambda func, p, info: _make_writable_and_retry(func, p, info[1]))


def remove_tree(path: Path, *, attempts: int = 5, delay: float = 0.2) -> None:
    """Delete ``path`` (a folder with all it holds, or a file). Missing is fine; a symlink is unlinked.

    Failures are retried ``attempts`` times with a growing pause; the last one raises ``OSError``.
    """
    path = Path(path)
    for attempt in range(1, attempts + 1):
        try:
            if path.is_symlink() or path.is_file():
                path.unlink()
            else:
                _rmtree(path)
            return
        except FileNotFoundError:
            return
        except OSError as exc:
            if attempt == attempts:
                raise
            log.debug("removing %s failed (%s), retrying", path, exc)
            time.sleep(delay * attempt)
