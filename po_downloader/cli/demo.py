"""``po-downloader demo``: a whole batch against the bundled Coupa-like portal, in about a minute.

For newcomers and for checking an installation: it starts the portal on 127.0.0.1, signs a demo profile in
(the portal's SSO form, filled by the browser), writes a demo sheet and downloads it like a real batch.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from po_downloader.cli.run import EXIT_BAD_INPUT, complain, execute, say
from po_downloader.demo_portal.catalog import SCENARIOS, demo_po_numbers
from po_downloader.demo_portal.server import start_portal
from po_downloader.engine.batch import ConfigError, prepare
from po_downloader.engine.browser import BrowserError, BrowserSpec, installed_browsers, scripted_sign_in
from po_downloader.engine.controller import BatchOptions
from po_downloader.engine.governor import default_workers
from po_downloader.engine.paths import AppDirs, private_dir
from po_downloader.engine.profile import remove_copy
from po_downloader.engine.settings import Settings, load_settings

DEMO_SIGN_IN_FORM = {"input#username": "demo.user", "input#password": "demo"}
DEMO_SPECIALS = ("20000001", "20000002", "20000004", "20000005", "20000006", "20000007", "20000010")


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


def demo_command(args: argparse.Namespace, dirs: AppDirs, log_file: Path) -> int:
    available = installed_browsers()
    browser = args.browser or load_settings(dirs).browser
    if browser not in available:
        if args.browser or not available:
            complain(
                f"no usable browser: {browser} is not installed (found: {', '.join(available) or 'none'})"
            )
            return EXIT_BAD_INPUT
        browser = available[0]
    portal = start_portal(latency_ms=150, file_latency_ms=50, render_ms=600)
    try:
        say(f"demo portal running at {portal.base_url}")
        profile = dirs.data / "demo-profile"
        remove_copy(profile)  # the portal's sessions live in memory: sign in afresh every time
        spec = BrowserSpec(browser, headless=not args.visible)
        try:
            scripted_sign_in(
                spec, private_dir(profile), portal.base_url + "/", DEMO_SIGN_IN_FORM, "button[type=submit]"
            )
        except BrowserError as exc:
            complain(str(exc))
            return EXIT_BAD_INPUT
        sheet = write_demo_sheet(dirs.data / "demo" / "demo_pos.csv", args.count)
        out = args.out or dirs.data / "demo" / "downloads"
        settings = Settings(
            base_url=portal.base_url,
            download_root=str(out),
            browser=browser,
            headless=not args.visible,
            profile_dir=str(profile),
            download_timeout=15.0,
        )
        try:
            batch = prepare(sheet, settings, dirs, log_file=log_file, rerun_all=True)
        except ConfigError as exc:
            complain(str(exc))
            return EXIT_BAD_INPUT
        say(f"demo sheet: {sheet}")
        options = BatchOptions(
            workers=args.workers or min(4, default_workers() + 1), max_attempts=2, backoff_base=0.5
        )
        return execute(batch, dirs, options, log_file)
    finally:
        portal.stop()
