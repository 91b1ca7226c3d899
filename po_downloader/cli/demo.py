"""``po-downloader demo``: a whole batch against the bundled Coupa-like portal, in about a minute.

For newcomers and for checking an installation: it starts the portal on 127.0.0.1, signs a demo profile in
(the portal's SSO form, filled by the browser), writes a demo sheet and downloads it like a real batch.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from po_downloader.cli.messages import error_message
from po_downloader.cli.run import complain, execute, report, say
from po_downloader.demo_portal.setup import DELIBERATE_FAILURES, DemoError, pick_browser, start_demo
from po_downloader.engine.browser.launch import BrowserError
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.run.batch import ConfigError, prepare
from po_downloader.engine.run.governor import default_workers
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.status import EXIT_BAD_INPUT
from po_downloader.engine.system.paths import AppDirs
from po_downloader.engine.system.settings import load_settings


def demo_command(args: argparse.Namespace, dirs: AppDirs, log_file: Path) -> int:
    try:
        browser = pick_browser(args.browser or load_settings(dirs).browser)
        if args.browser and browser != args.browser:
            raise DemoError(
                ErrorKind.BROWSER_NOT_INSTALLED, f"{args.browser} is not installed", browser=args.browser
            )
        demo = start_demo(dirs, browser=browser, count=args.count, headless=not args.visible, out=args.out)
    except (DemoError, BrowserError) as exc:
        complain(error_message(exc))
        return EXIT_BAD_INPUT
    try:
        say(f"demo portal running at {demo.portal.base_url}")
        try:
            batch = prepare(demo.sheet, demo.settings, dirs, rerun_all=True, resume=False)
        except ConfigError as exc:
            complain(error_message(exc))
            return EXIT_BAD_INPUT
        say(f"demo sheet: {demo.sheet}")
        workers = args.workers or min(4, default_workers() + 1)
        summary = execute(batch, dirs, BatchOptions(workers=workers, max_attempts=2, backoff_base=0.5))
        # The demo sheet holds a missing PO and a forbidden one on purpose: those outcomes are the demo
        # working. Anything else that did not succeed means this installation has a problem.
        return report(summary, batch, log_file, tolerated=DELIBERATE_FAILURES)
    finally:
        demo.portal.stop()
