"""Everything the demo needs before its batch: the portal running, a signed-in profile, a sheet.

Shared by ``po-downloader demo`` and the window's "Try the demo portal" so both show the same thing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from po_downloader.demo_portal.catalog import SCENARIOS, demo_po_numbers
from po_downloader.demo_portal.server import RunningPortal, start_portal
from po_downloader.engine.browser.launch import BrowserSpec, installed_browsers, scripted_sign_in
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.system.paths import AppDirs, private_dir
from po_downloader.engine.system.removal import remove_tree
from po_downloader.engine.system.settings import Settings

DEMO_SIGN_IN_FORM = {"input#username": "demo.user", "input#password": "demo"}
DEMO_SPECIALS = ("20000001", "20000002", "20000004", "20000005", "20000006", "20000007", "20000010")
DELIBERATE_FAILURES = frozenset({"20000001", "20000002"})  # not found, not authorised: shown on purpose


class DemoError(PoDownloaderError):
    """The demo cannot run here (no browser); its kind is worded by the CLI and the window."""


@dataclass
class Demo:
    portal: RunningPortal
    settings: Settings
    sheet: Path


def pick_browser(preferred: str) -> str:
    available = installed_browsers()
    if preferred in available:
        return preferred
    if not available:
        raise DemoError(ErrorKind.NO_BROWSER_INSTALLED, "no Edge, Chrome or Chromium found")
    return available[0]


def write_demo_sheet(path: Path, count: int) -> Path:
    """A realistic input: PO numbers in the forms people type them, one duplicate, one typo."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ordinary = demo_po_numbers(max(1, count - len(DEMO_SPECIALS)))
    rows = [f"PO{d}" if i % 3 else d for i, d in enumerate(ordinary)]
    rows += [f"PO{d}" for d in DEMO_SPECIALS]
    rows += [rows[0], "PO12AB"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["PO_NUMBER", "Note"])
        for value in rows:
            digits = "".join(c for c in value if c.isdigit())
            writer.writerow([value, SCENARIOS.get(digits, "")])
    return path


def start_demo(
    dirs: AppDirs,
    *,
    browser: str,
    count: int = 24,
    headless: bool = True,
    out: Path | None = None,
    variant: str = "classic",
) -> Demo:
    """Start the portal, sign a fresh demo profile in through its SSO form, and write the demo sheet.

    ``variant`` names the portal's markup/timing profile (see :mod:`po_downloader.demo_portal.variants`).
    """
    portal = start_portal(latency_ms=150, file_latency_ms=50, render_ms=600, variant=variant)
    try:
        profile = dirs.data / "demo-profile"
        remove_tree(profile)  # the portal's sessions live in memory: sign in afresh every time
        spec = BrowserSpec(browser, headless=headless)
        scripted_sign_in(
            spec, private_dir(profile), portal.base_url + "/", DEMO_SIGN_IN_FORM, "button[type=submit]"
        )
        sheet = write_demo_sheet(dirs.data / "demo" / "demo_pos.csv", count)
        settings = Settings(
            base_url=portal.base_url,
            download_root=str(out or dirs.data / "demo" / "downloads"),
            browser=browser,
            headless=headless,
            profile_dir=str(profile),
            download_timeout=15.0,
        )
    except BaseException:
        portal.stop()
        raise
    return Demo(portal, settings, sheet)
