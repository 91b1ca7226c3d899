"""The ``po-downloader run`` command line the browser tests share (Chromium, the test's profile, no governor),
and the CLI started as a process of its own, for tests that signal, kill or race it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


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


def cli_command(args: list[str]) -> list[str]:
    """The CLI run as ``python -m po_downloader`` by this interpreter: the checkout's code, not an install."""
    return [sys.executable, "-m", "po_downloader", *args]


def cli_env(app_home: Path) -> dict[str, str]:
    """The CLI's environment: its own dirs under ``app_home``, this checkout importable."""
    return dict(os.environ, PO_DOWNLOADER_HOME=str(app_home), PYTHONPATH=str(REPO))


def start_cli(args: list[str], app_home: Path, *, new_session: bool = False) -> subprocess.Popen[str]:
    """The CLI as a child process with text pipes; ``new_session`` puts it (and so its workers and their
    browsers) in a process group of its own, for a test that kills the whole group as a crash would."""
    return subprocess.Popen(
        cli_command(args),
        env=cli_env(app_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=new_session,
    )


def run_cli(args: list[str], app_home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The CLI run to its end, its output captured."""
    return subprocess.run(
        cli_command(args), env=cli_env(app_home), capture_output=True, text=True, timeout=timeout
    )
