"""Scaling benchmark: the same 40-PO batch with 1, 2 and 4 workers against the bundled portal.

The portal adds a fixed latency (800 ms per page, 300 ms per file), as a real Coupa tenant would, so the
figures measure how well workers overlap waiting, not how fast this machine renders pages.
Prints each wall time and the efficiency T1 / (N × TN); 1.0 would be perfectly linear scaling.

    .venv/bin/python bench/scaling.py [--pos 40] [--workers 1 2 4] [--page-ms 800] [--file-ms 300]
                                      [--render-ms 0] [--variant classic] [--grid URL|local] [--no-lookahead]

``--grid URL`` runs the same batches on a Selenium Grid 4 (workers on remote sessions signed in by carried
cookies, files through its managed downloads); ``--grid local`` starts a standalone Grid here first
(``make grid-server`` installs its jar) with ``--grid-slots`` slots.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from po_downloader.demo_portal.catalog import attachments_for, demo_po_numbers
from po_downloader.demo_portal.variants import GAP_MS, VARIANTS, timer_delay_ms
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.batch import carry_sign_in, worker_config
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import run_controller, settings_for, sign_in
from tests.helpers.grid import running_grid
from tests.helpers.portal import PortalProcess


def portal_own_seconds(pos: list[str], page_ms: int, file_ms: int, render_ms: int, variant: str) -> float:
    """What one worker must wait on the portal alone: each page, each file, and the list's drawing (the
    attachments API's delay, or the timer's) where the variant draws it late. The engine's overhead per PO
    is the rest of a 1-worker run."""
    v = VARIANTS[variant]
    render = 0.0
    for digits in pos:
        if v.uses_api:
            render += render_ms / 1000 + (GAP_MS / 1000 if v.render == "xhr_gap" else 0)
        elif v.render == "timer":
            render += timer_delay_ms(digits) / 1000
    files = sum(len(attachments_for(d)) for d in pos)
    return len(pos) * page_ms / 1000 + files * file_ms / 1000 + render


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pos", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--page-ms", type=int, default=800)
    parser.add_argument("--file-ms", type=int, default=300)
    parser.add_argument("--render-ms", type=int, default=0, help="the attachments API's own delay")
    parser.add_argument("--variant", default="classic", help="the demo portal's markup/timing variant")
    parser.add_argument("--mode", default="browser", choices=("browser", "auto", "http"), help="route mode")
    parser.add_argument(
        "--no-lookahead",
        action="store_true",
        help="no next page loaded in a second tab (one page at a time, as before issue 16's item 2)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--grid", default="", help="a Selenium Grid URL, or 'local' to start one here")
    parser.add_argument("--grid-slots", type=int, default=3, help="slots of the Grid --grid local starts")
    args = parser.parse_args()

    pos = demo_po_numbers(args.pos)
    files = sum(len(attachments_for(d)) for d in pos)
    rows = []
    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="po-bench-"))
        portal = stack.enter_context(
            PortalProcess(
                latency_ms=args.page_ms,
                file_latency_ms=args.file_ms,
                render_ms=args.render_ms,
                variant=args.variant,
            )
        )
        base = Path(tmp)
        grid_url = args.grid
        if grid_url == "local":
            (base / "grid").mkdir()
            grid_url = stack.enter_context(running_grid(base / "grid", slots=args.grid_slots)).url
        profile = sign_in(portal.url, base / "source")
        where = f"on the Selenium Grid at {grid_url}" if grid_url else "on local browsers"
        print(
            f"{args.pos} POs, {files} files; portal latency {args.page_ms} ms/page, {args.file_ms} ms/file,"
            f" render {args.render_ms} ms, variant {args.variant}, mode {args.mode}, {where},"
            f" lookahead {'off' if args.no_lookahead else 'on'}"
        )
        print(f"{'workers':>7} {'seconds':>8} {'POs/min':>8} {'efficiency':>10}")
        t1 = None
        for n in args.workers:
            settings = settings_for(
                portal.url, profile, base / f"out-{n}", route_mode=args.mode, grid_url=grid_url
            )
            dirs = app_dirs(base / f"home-{n}")
            worker = {}
            if grid_url:  # the sign-in check's local copy hands its cookies to the remote sessions
                worker["carried"] = carry_sign_in(worker_config(settings, dirs), dirs)
            controller, _ = run_controller(
                settings,
                pos,
                dirs=dirs,
                options=BatchOptions(
                    workers=n, max_attempts=2, governor=False, lookahead=not args.no_lookahead
                ),
                worker=worker,
            )
            started = time.perf_counter()
            summary = controller.run()
            seconds = time.perf_counter() - started
            bad = {d: s for d, s in summary.statuses.items() if s is not PoStatus.COMPLETED}
            if bad:
                print(f"  {n} workers: not all completed: {bad}")
            if n == 1:
                t1 = seconds
                own = portal_own_seconds(pos, args.page_ms, args.file_ms, args.render_ms, args.variant)
                overhead = (seconds - own) / args.pos
                print(
                    f"  1 worker: the portal's own delays {own:.1f} s; the engine adds {overhead:.2f} s per PO"
                )
                rows.append({"portal_own_seconds": round(own, 2), "overhead_per_po": round(overhead, 3)})
            efficiency = (t1 / (n * seconds)) if t1 else float("nan")
            rows.append({"workers": n, "seconds": round(seconds, 2), "efficiency": round(efficiency, 3)})
            print(f"{n:>7} {seconds:>8.1f} {args.pos / seconds * 60:>8.1f} {efficiency:>10.2f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
