"""GUI responsiveness: event-loop stalls during a real 8-worker batch, a 10 000-row sheet's load time, and
the longest stall while a 100 000-row batch is started.

Stall = timer drift: a 10 ms QTimer records how late each tick fires; the longest delay is the longest time
the GUI thread could not react. Runs offscreen (QT_QPA_PLATFORM=offscreen) against the bundled portal.

The 100 000-row start (issue 14): Start on a 100 000-PO sheet whose POs the journal already has from one
earlier batch, from the click until the controller is built (the journal records every PO, earlier
folders are looked up for each); then the batch is stopped before any PO runs (scripted workers: no
browser). ``--start-rows 0`` skips it.

    .venv/bin/python bench/gui_responsiveness.py [--workers 8] [--pos 48] [--rows 10000] [--start-rows 100000]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from po_downloader.demo_portal.catalog import demo_po_numbers
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.main_window import MainWindow
from tests.helpers.batch import settings_for, sign_in


class DriftMeter:
    """Records how late a fast periodic timer fires."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval = interval_ms
        self.delays: list[float] = []
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.clock.start()
        self.last = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.delays.append(now - self.last - self.interval)
        self.last = now

    def stop(self) -> None:
        self.timer.stop()


@contextlib.contextmanager
def quiet_portal(log: Path, **knobs: int):
    """The demo portal in its own process, logging to a file: the helper used by the tests reads its log
    on a thread of this process, which would compete with the window being measured."""
    args = [sys.executable, "-m", "po_downloader.demo_portal", "--port", "0"]
    for name, value in knobs.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    with log.open("w") as out:
        proc = subprocess.Popen(
            args, stdout=out, stderr=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1]
        )
    try:
        deadline = time.monotonic() + 15
        while not log.read_text().startswith("PORTAL_URL "):
            if time.monotonic() > deadline:
                raise TimeoutError("the demo portal did not start")
            time.sleep(0.05)
        yield log.read_text().splitlines()[0].split(" ", 1)[1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def big_sheet(path: Path, rows: int) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("PO_Data")
    ws.append(["PO_NUMBER", "Supplier", "Amount"])
    for i in range(rows):
        ws.append([f"PO{10_000_001 + i}", f"Supplier {i % 97}", i * 1.5])
    wb.save(path)
    return path


def synthetic(app: QApplication, window: MainWindow, workers: int = 8, seconds: float = 8.0) -> None:
    """The same window fed by 8 threads that emit worker-like events at 50 Hz each: GUI cost alone."""
    from po_downloader.engine import events as ev
    from po_downloader.engine.input.po import normalise_po
    from po_downloader.engine.models import PoStatus

    rows = window.model.rows()
    stop = threading.Event()

    def produce(w: int) -> None:
        i = w
        while not stop.is_set():
            po = normalise_po(rows[i % len(rows)].po)
            for event in (
                ev.PoStarted(w, po, 1, "http://x"),
                ev.AttachmentsFound(w, po, "Supplier", ("a.pdf", "b.pdf")),
                ev.FileSaved(w, po, "a.pdf", "/tmp/a.pdf", 1000),
                ev.DownloadProgress(w, po, 500),
                ev.PoFinished(w, po, PoStatus.COMPLETED, "Supplier", "/tmp", 2, 2, ("a.pdf",), size=2000),
            ):
                window.session.pump.sink(event)
            i += workers
            time.sleep(0.02)

    threads = [threading.Thread(target=produce, args=(w,), daemon=True) for w in range(1, workers + 1)]
    meter = DriftMeter()
    count = []
    window.session.events.connect(lambda batch: count.append(len(batch)))
    window.session.pump.start()
    meter.start()
    for t in threads:
        t.start()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)
    stop.set()
    meter.stop()
    window.session.pump.stop()
    delays = sorted(meter.delays)
    print(
        f"synthetic: {workers} threads x 250 events/s for {seconds:.0f} s = {sum(count)} events in {len(count)} "
        f"updates; drift median {statistics.median(delays):.1f} ms, p99 {delays[int(len(delays) * 0.99)]:.1f} ms, "
        f"max {delays[-1]:.1f} ms"
    )


def big_start(app: QApplication, base: Path, rows: int) -> None:
    """The longest GUI stall while a ``rows``-PO batch is started, with one earlier batch of them in the
    journal: the first start makes that batch (stopped at once), the second (fresh, not resumed) is measured."""
    import functools

    from po_downloader.engine.run.batch import make_controller
    from tests.helpers.fake_worker import FakeWorker

    home = base / "big-start"
    factory = functools.partial(make_controller, worker_target=FakeWorker())
    window = MainWindow(app_dirs(home / "home"), controller_factory=factory)
    window.show()
    profile = home / "profile"
    profile.mkdir(parents=True)
    window.settings = settings_for("http://127.0.0.1:9", profile, home / "out")
    sheet = home / "big.csv"
    sheet.write_text("PO_NUMBER\n" + "".join(f"PO{20_000_001 + i}\n" for i in range(rows)), encoding="utf-8")
    window.load_file(sheet)
    while window.sheet_loader.busy or window.launcher.plan is None:
        app.processEvents()
        time.sleep(0.001)
    for label in ("first start (no earlier batch)", "start with one earlier batch"):
        meter = DriftMeter()
        meter.start()
        started = time.perf_counter()
        window.launcher.start(resume=False)
        while not window.session.running:
            app.processEvents()
            time.sleep(0.001)
        window.session.stop()  # before any PO runs: only the start is measured
        while window.session.controller is None and window.session.running:
            app.processEvents()
            time.sleep(0.001)
        seconds = time.perf_counter() - started
        meter.stop()
        delays = sorted(meter.delays) or [0.0]
        while window.session.running:  # the stopped batch ends (its leftover rows are not measured)
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        print(
            f"start a {rows}-row batch, {label}: {seconds:.1f} s until the controller was built; "
            f"longest event-loop stall {delays[-1]:.0f} ms over {len(meter.delays)} ticks"
        )
    window.log_panel.detach()
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--pos", type=int, default=48)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--start-rows", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="po-gui-bench-") as tmp:
        base = Path(tmp)
        window = MainWindow(app_dirs(base / "home"))
        window.show()
        app.processEvents()

        sheet = big_sheet(base / "big.xlsx", args.rows)
        started = time.perf_counter()
        window.load_file(sheet)
        while window.sheet_loader.busy:  # the sheet is read off the GUI thread
            app.processEvents()
            time.sleep(0.001)
        window.table.viewport().repaint()
        app.processEvents()
        load_s = time.perf_counter() - started
        print(
            f"load and show a {args.rows}-row sheet: {load_s * 1000:.0f} ms ({window.model.rowCount()} rows)"
        )
        if args.start_rows:
            big_start(app, base, args.start_rows)

        with quiet_portal(base / "portal.log", latency_ms=100, file_latency_ms=50, render_ms=200) as url:
            profile = sign_in(url, base / "source")
            window.settings = settings_for(url, profile, base / "out")
            csv = base / "pos.csv"
            csv.write_text("PO_NUMBER\n" + "\n".join(demo_po_numbers(args.pos)) + "\n", encoding="utf-8")
            window.load_file(csv)
            while window.sheet_loader.busy:
                app.processEvents()
                time.sleep(0.001)
            window.launcher.use_governor = (
                False  # measure the GUI with every worker streaming, not a throttled batch
            )
            meter = DriftMeter()
            events = []
            window.session.events.connect(lambda batch: events.append(len(batch)))
            started = time.perf_counter()
            meter.start()
            window.launcher.start()
            while not window.session.running:  # the sheet is prepared off the GUI thread first
                app.processEvents()
                time.sleep(0.001)
            window.session.set_workers(args.workers)  # beyond the slider's maximum on a small machine
            while window.session.running:
                app.processEvents()
                time.sleep(0.001)
            meter.stop()
            seconds = time.perf_counter() - started
            delays = sorted(meter.delays)
            print(
                f"{args.pos} POs with {args.workers} workers in {seconds:.1f} s; "
                f"{sum(events)} events in {len(events)} GUI updates"
            )
            print(
                f"event-loop drift over {len(delays)} ticks: median {statistics.median(delays):.1f} ms, "
                f"p99 {delays[int(len(delays) * 0.99)]:.1f} ms, max {delays[-1]:.1f} ms"
            )
        synthetic(app, window)
        window.log_panel.detach()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
