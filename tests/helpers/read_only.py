"""A read-only volume beside the input, simulated where the app meets it: the temp file of an atomic write.

Tests run as root on CI and in containers, where ``chmod`` does not stop a write and a real read-only
mount needs privileges; what the app sees on such a volume is ``OSError(EROFS)`` from ``mkstemp`` in that
folder, and that is what this raises (other folders are untouched).
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from po_downloader.engine.output import manifest as manifest_module
from po_downloader.engine.output import results as results_module


def make_read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Atomic writes of the results sheet and the manifest into ``folder`` fail as on a read-only volume."""
    real = tempfile.mkstemp
    folder = folder.resolve()

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        where = kwargs.get("dir")
        if where is not None and Path(where).resolve() == folder:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(where))
        return real(*args, **kwargs)

    shim = SimpleNamespace(mkstemp=mkstemp)
    monkeypatch.setattr(results_module, "tempfile", shim)
    monkeypatch.setattr(manifest_module, "tempfile", shim)
