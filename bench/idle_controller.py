"""Idle-controller benchmark: how much CPU the main process burns while it only waits on its workers.

Two scripted workers (no browser) take 8 POs that each sleep ``--slow`` seconds, after a paused stretch of
``--pause`` seconds; the batch has more POs than workers, so a PO is always ready with no worker free. The
controller has nothing to do but wait, so its CPU (``time.process_time()`` of this process over the batch,
as % of one core) is the cost of its loop alone. Issue #8's target: at most 5 %.

``--queued N`` adds N more POs behind those 8 (issue 14: a 100 000-PO sheet): the loop's cost must not
grow with the queue. The batch is then stopped once the 8 POs are done, and the figure covers the time up
to that moment (the stop's leftover rows for the queue are one-off work, not the idle loop).

    .venv/bin/python bench/idle_controller.py [--workers 2] [--pos 8] [--slow 2] [--pause 3] [--queued 0]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from po_downloader.engine import events as ev
from po_downloader.engine.browser.launch import BrowserSpec
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.run.controller import BatchController
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.run.worker import WorkerConfig
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import Recorder
from tests.helpers.fake_worker import FakeWorker

TARGET = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pos", type=int, default=8)
    parser.add_argument("--slow", type=float, default=2.0)
    parser.add_argument("--pause", type=float, default=3.0)
    parser.add_argument("--queued", type=int, default=0)
    args = parser.parse_args()
    pos = [f"{10000001 + i}" for i in range(args.pos)]
    queued = [f"{20000001 + i}" for i in range(args.queued)]
    with tempfile.TemporaryDirectory(prefix="po-bench-idle-") as tmp:
        root = Path(tmp)
        (root / "downloads").mkdir()
        config = WorkerConfig(
            base_url="http://127.0.0.1:9",
            download_root=str(root / "downloads"),
            browser=BrowserSpec("chromium"),
            source_user_data_dir=str(root / "profile"),
        )
        # Real heartbeat pace (2 s, like worker_main); the governor on, as in the app.
        fake = FakeWorker({d: [f"slow:{args.slow}"] for d in pos}, beat=2.0)
        recorder = Recorder()
        worked = threading.Event()
        left = set(pos)

        def sink(event: ev.Event) -> None:
            """The recorder, and a flag once every PO worked is finished (constant cost per event)."""
            recorder(event)
            if isinstance(event, ev.PoFinished) and event.po.digits in left:
                left.discard(event.po.digits)
                if not left:
                    worked.set()

        controller = BatchController(
            config,
            [PoNumber(d) for d in pos + queued],
            sink,
            BatchOptions(workers=args.workers),
            app_dirs(root / "home"),
            worker_target=fake,
        )
        controller.pause()
        out = []
        cpu0, wall0 = time.process_time(), time.monotonic()
        thread = threading.Thread(target=lambda: out.append(controller.run()), daemon=True)
        thread.start()
        recorder.wait(lambda e: isinstance(e, ev.WorkerReady), timeout=60)
        time.sleep(args.pause)
        controller.resume()
        if queued:
            if not worked.wait(300):
                raise TimeoutError("the worked POs did not finish")
            cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
            controller.stop()
            thread.join(300)
        else:
            thread.join(300)
            cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    summary = out[0]
    ok = sum(summary.statuses.get(d) is PoStatus.COMPLETED for d in pos)
    share = 100.0 * cpu / wall
    print(
        f"{args.workers} workers, {ok}/{len(pos)} POs completed (each slow:{args.slow:g}), "
        + (f"{len(queued)} more queued, " if queued else "")
        + f"{args.pause:g} s paused: wall {wall:.1f} s, main-process CPU {cpu:.2f} s = {share:.1f} % of a core "
        f"(target ≤ {TARGET:g} %)"
    )
    return 0 if share <= TARGET and ok == len(pos) else 1


if __name__ == "__main__":
    sys.exit(main())
