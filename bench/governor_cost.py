"""Governor cost benchmark: the 40-PO batch of ``bench/scaling.py`` with the load governor off and on.

On a machine with room the governor must cost no throughput (issue 16: within 5 %). It weighs only other
programs' CPU, so our own browsers starting or working never hold a worker back. Runs alternate off/on
(``--rounds`` of each) so a neighbour's load drifts over both alike; prints each run, the medians, the
difference, and every step the governor took (with the other programs' CPU it read).

    .venv/bin/python bench/governor_cost.py [--pos 40] [--workers 4] [--rounds 2] [--page-ms 800] [--file-ms 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET = 5.0


def sample_cpu(
    pids: Callable[[], list[int]], done: threading.Event, machine: list[float], others: list[float]
) -> None:
    """Each second: the machine's CPU, and how much of it the governor sees as other programs'."""
    from po_downloader.engine.run.governor import OthersLoad, read_system

    load = OthersLoad(pids)
    read_system()
    while not done.wait(1.0):
        machine.append(read_system().cpu)
        others.append(load().cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pos", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--page-ms", type=int, default=800)
    parser.add_argument("--file-ms", type=int, default=300)
    parser.add_argument("--render-ms", type=int, default=0)
    args = parser.parse_args()
    # Imported here: each spawned worker imports this script again, as the app's light entry point is.
    from po_downloader.demo_portal.catalog import attachments_for, demo_po_numbers
    from po_downloader.engine import events as ev
    from po_downloader.engine.models import PoStatus
    from po_downloader.engine.run.options import BatchOptions
    from po_downloader.engine.system.paths import app_dirs
    from tests.helpers.batch import run_controller, settings_for, sign_in
    from tests.helpers.portal import PortalProcess

    pos = demo_po_numbers(args.pos)
    files = sum(len(attachments_for(d)) for d in pos)
    seconds: dict[bool, list[float]] = {False: [], True: []}
    steps: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="po-bench-gov-") as tmp,
        PortalProcess(
            latency_ms=args.page_ms, file_latency_ms=args.file_ms, render_ms=args.render_ms
        ) as portal,
    ):
        base = Path(tmp)
        profile = sign_in(portal.url, base / "source")
        print(
            f"{args.pos} POs, {files} files, {args.workers} workers; portal {args.page_ms} ms/page, "
            f"{args.file_ms} ms/file, render {args.render_ms} ms"
        )
        for run in range(args.rounds * 2):
            governor = run % 2 == 1
            name = f"{run}-{'on' if governor else 'off'}"
            settings = settings_for(portal.url, profile, base / f"out-{name}")
            controller, recorder = run_controller(
                settings,
                pos,
                dirs=app_dirs(base / f"home-{name}"),
                options=BatchOptions(workers=args.workers, max_attempts=2, governor=governor),
            )
            machine: list[float] = []
            others: list[float] = []
            done = threading.Event()

            thread = threading.Thread(
                target=sample_cpu, args=(controller.pool.pids, done, machine, others), daemon=True
            )
            thread.start()
            started = time.perf_counter()
            try:
                summary = controller.run()
            finally:
                done.set()
                thread.join()
            took = time.perf_counter() - started
            seconds[governor].append(took)
            bad = {d: s for d, s in summary.statuses.items() if s is not PoStatus.COMPLETED}
            changes = [e for e in recorder.of(ev.WorkerCountChanged) if e.reason != "set by user"]
            steps += [f"  run {name}: {e.target} of {e.requested}: {e.reason}" for e in changes]
            print(
                f"  governor {'on ' if governor else 'off'}: {took:6.1f} s, {args.pos / took * 60:5.1f} POs/min"
                f"{f'; not completed: {bad}' if bad else ''}; {len(changes)} step(s); machine CPU median "
                f"{statistics.median(machine or [0]):.0f} %, other programs' {statistics.median(others or [0]):.0f} %"
            )
    off, on = statistics.median(seconds[False]), statistics.median(seconds[True])
    cost = (on - off) / off * 100
    print(f"median off {off:.1f} s, on {on:.1f} s: the governor costs {cost:+.1f} % (target ≤ {TARGET:g} %)")
    print("governor steps:" if steps else "governor steps: none")
    for line in steps:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
