"""The one way the app hashes bytes: SHA-256 in hex, for the sheet a batch read, the files it saved and
the manifest. Files are streamed in 1 MiB chunks, so a 200 MB attachment never sits in memory."""

from __future__ import annotations

import hashlib
from pathlib import Path

HASH_CHUNK = 1024 * 1024


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    buffer = bytearray(HASH_CHUNK)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as fh:
        while read := fh.readinto(view):
            digest.update(view[:read])
    return digest.hexdigest()
