"""How long a worker's browser takes to be ready: a remote session on a Selenium Grid 4, signed in by the
carried cookies, against a local browser on a profile copy. "Ready" is what a worker waits for before its
first PO: the session open, the sign-in set, the portal's home page reached signed in. Also the two reads
a Grid batch repeats: the sign-in to carry (before the batch, and again each time the user signs in again
mid-batch, on the controller's loop) and the Grid's ``/status`` (the window reads it every 10 s).

    .venv/bin/python bench/grid_session.py [--grid URL|local] [--runs 5]

``--grid local`` (the default) starts a standalone Grid here with 3 slots (``make grid-server``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from po_downloader.engine.browser.portal import PageKind
from po_downloader.engine.browser.remote_session import RemoteSession
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.http.grid_status import read_slots
from po_downloader.engine.run.batch import carry_sign_in, worker_config
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import SPEC, settings_for, sign_in
from tests.helpers.grid import running_grid
from tests.helpers.portal import PortalProcess


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", default="local", help="a Selenium Grid URL, or 'local' to start one here")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    selectors = load_selectors()
    with ExitStack() as stack:
        base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="po-bench-grid-")))
        portal = stack.enter_context(PortalProcess(render_ms=0))
        grid_url = args.grid
        if grid_url == "local":
            (base / "grid").mkdir()
            grid_url = stack.enter_context(running_grid(base / "grid", slots=3)).url
        profile = sign_in(portal.url, base / "source")
        dirs = app_dirs(base / "home")
        config = worker_config(settings_for(portal.url, profile, base / "out"), dirs)
        remote, local, carries, reads = [], [], [], []
        for run in range(args.runs):
            started = time.perf_counter()
            carried = carry_sign_in(config, dirs)
            carries.append(time.perf_counter() - started)
            for _ in range(10):
                started = time.perf_counter()
                read_slots(grid_url, "chrome")
                reads.append(time.perf_counter() - started)
            started = time.perf_counter()
            session: BrowserSession = RemoteSession.open_remote(
                grid_url, SPEC, selectors, portal.url, carried
            )
            assert session.portal.check_signed_in().kind is not PageKind.SIGN_IN, (
                "the carried sign-in did not take"
            )
            remote.append(time.perf_counter() - started)
            session.quit()
            started = time.perf_counter()
            session = BrowserSession.open(
                SPEC, config.source(), base / f"copy-{run}", base / f"staging-{run}", selectors, portal.url
            )
            assert session.portal.check_signed_in().kind is not PageKind.SIGN_IN
            local.append(time.perf_counter() - started)
            session.quit()
    print(f"{'':>28} {'median s':>9} {'min s':>6} {'max s':>6}  ({args.runs} runs each, alternated)")
    for name, times in (
        ("remote on the Grid, carried", remote),
        ("local on a profile copy", local),
        ("the sign-in read to carry", carries),
        ("the Grid's /status read", reads),
    ):
        print(f"{name:>28} {statistics.median(times):>9.2f} {min(times):>6.2f} {max(times):>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
