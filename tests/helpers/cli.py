"""The ``po-downloader run`` command line the browser tests share (Chromium, the test's profile, no governor)."""

from __future__ import annotations

from pathlib import Path


def run_args(
    sheet: Path, root: Path, portal_url: str, profile: Path, *extra: str, workers: int = 2
) -> list[str]:
    """Arguments after the program: the governor is off so that a busy test machine does not change the
    worker count a test counts on."""
    return [
        "run",
        str(sheet),
        "--out",
        str(root),
        "--base-url",
        portal_url,
        "--browser",
        "chromium",
        "--profile-dir",
        str(profile),
        "--workers",
        str(workers),
        "--no-governor",
        *extra,
    ]
