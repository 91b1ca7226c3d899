"""The one hashing helper: streamed, so any size hashes in bounded memory."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from po_downloader.engine.system import hashing
from po_downloader.engine.system.hashing import sha256_file


def test_sha256_file_streams_any_size(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    data = os.urandom(hashing.HASH_CHUNK * 2 + 12345)
    big.write_bytes(data)
    assert sha256_file(big) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    assert sha256_file(empty) == hashlib.sha256(b"").hexdigest()
