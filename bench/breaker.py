"""Breaker benchmark: a batch where one company's POs are all denied, with the breaker off and on.

The demo portal denies every PO of company 2000 (``deny_access``) and serves company 1000's; the portal adds
a fixed latency per page and per file, as a real tenant would. Prints, for each run, the wall time, how many
PO pages were requested and how the POs ended: what the breaker saves is the denied company's pages after
its first N, and the time they took.

    .venv/bin/python bench/breaker.py [--pos 40] [--denied 30] [--limits 0 10] [--workers 2]
                                      [--page-ms 800] [--file-ms 300] [--mode browser]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from po_downloader.demo_portal.catalog import demo_po_numbers
from po_downloader.engine.run.breaker import Breaker
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import run_controller, settings_for, sign_in
from tests.helpers.portal import PortalProcess


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pos", type=int, default=40)
    parser.add_argument("--denied", type=int, default=30, help="how many of them company 2000 holds (denied)")
    parser.add_argument(
        "--limits", type=int, nargs="+", default=[0, 10], help="breaker limits to run (0: off)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--page-ms", type=int, default=800)
    parser.add_argument("--file-ms", type=int, default=300)
    parser.add_argument("--mode", default="browser", choices=("browser", "auto", "http"), help="route mode")
    args = parser.parse_args()

    pos = demo_po_numbers(args.pos)
    step = max(1, args.pos // max(1, args.pos - args.denied))  # the other company's POs spread among them
    fine = set(pos[step - 1 :: step][: args.pos - args.denied])
    groups = {d: "1000" if d in fine else "2000" for d in pos}
    denied = [d for d in pos if groups[d] == "2000"]
    with ExitStack() as stack:
        base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="po-bench-breaker-")))
        portal = stack.enter_context(PortalProcess(latency_ms=args.page_ms, file_latency_ms=args.file_ms))
        profile = sign_in(portal.url, base / "source")
        print(
            f"{args.pos} POs, {len(denied)} of company 2000 denied, {args.pos - len(denied)} of company 1000; "
            f"{args.workers} workers, portal latency {args.page_ms} ms/page, {args.file_ms} ms/file, mode {args.mode}"
        )
        print(f"{'breaker':>7} {'seconds':>8} {'pages':>6}  outcomes")
        for limit in args.limits:
            portal.control(deny_access=denied, reset_counts=True)
            settings = settings_for(portal.url, profile, base / f"out-{limit}", route_mode=args.mode)
            controller, _ = run_controller(
                settings,
                pos,
                dirs=app_dirs(base / f"home-{limit}"),
                options=BatchOptions(workers=args.workers, max_attempts=2, governor=False),
                breaker=Breaker(limit, "Company", groups),
            )
            started = time.perf_counter()
            summary = controller.run()
            seconds = time.perf_counter() - started
            pages = sum(portal.state()["page_hits"].values())
            counts = Counter(s.value for s in summary.statuses.values())
            outcomes = ", ".join(f"{n} {s.lower()}" for s, n in sorted(counts.items()))
            print(f"{limit or 'off':>7} {seconds:>8.1f} {pages:>6}  {outcomes}")
        portal.control(deny_access=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
