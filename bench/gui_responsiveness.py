"""GUI responsiveness: event-loop stalls over a whole real 8-worker batch (from Start, browser start-up
included), the time to show a big sheet, and the longest stall while a 100 000-row batch is started.

Stall = timer drift: a 10 ms QTimer records how late each tick fires; a tick's delay is the time the GUI
thread could not react. For the batch it prints max, p99, the count of stalls over 50 ms and a timeline of
the worst ones: when (seconds after Start), in which phase (preparing, browsers starting: k of N ready,
streaming, ending), where the GUI thread's time went (Linux: its own work, waiting for a CPU while other
processes ran, blocked on the GIL or a lock) and whether a Python garbage collection ran inside it
(``gc.callbacks``). On a shared machine most CPU waits are other programs' doing, so the figures are also
printed without them. Runs offscreen (QT_QPA_PLATFORM=offscreen) against the bundled portal. Prints
figures, asserts nothing.

The 100 000-row start (issue 14): Start on a 100 000-PO sheet whose POs the journal already has from one
earlier batch, from the click until the controller is built (the journal records every PO, earlier
folders are looked up for each); then the batch is stopped before any PO runs (scripted workers: no
browser). ``--start-rows 0`` skips it; ``--pos 0`` skips the real batch.

    .venv/bin/python bench/gui_responsiveness.py [--workers 8] [--pos 48] [--rows 100000] [--start-rows 100000]
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from po_downloader.demo_portal.catalog import demo_po_numbers
from po_downloader.engine import events as ev
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.main_window import MainWindow
from tests.helpers.batch import settings_for, sign_in

STALL_MS = 50.0


SCHEDSTAT = Path("/proc/thread-self/schedstat")
"""Linux: the GUI thread's time on a CPU and waiting for one (ns): splits a stall into the thread's own
work, CPU starvation (other processes ran) and the rest (blocked: the GIL, a lock, a system call)."""


def _schedstat() -> tuple[float, float]:
    try:
        ran, waited, _ = SCHEDSTAT.read_text().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(ran) / 1e6, int(waited) / 1e6


class DriftMeter:
    """Records how late a fast periodic timer fires: ``(seconds since start, delay ms, ran ms, starved ms)``
    per tick (ran and starved: the GUI thread's CPU time and run-queue wait since the last tick)."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval = interval_ms
        self.ticks: list[tuple[float, float, float, float]] = []
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.t0 = self.last = time.perf_counter()
        self.sched = _schedstat()
        self.timer.start()

    def _tick(self) -> None:
        now, sched = time.perf_counter(), _schedstat()
        ran, starved = sched[0] - self.sched[0], sched[1] - self.sched[1]
        self.ticks.append((now - self.t0, (now - self.last) * 1000 - self.interval, ran, starved))
        self.last, self.sched = now, sched

    def stop(self) -> None:
        self.timer.stop()

    @property
    def delays(self) -> list[float]:
        return sorted(tick[1] for tick in self.ticks) or [0.0]

    def summary(self) -> str:
        d = self.delays
        over = sum(1 for x in d if x > STALL_MS)
        text = (
            f"drift over {len(self.ticks)} ticks: median {statistics.median(d):.1f} ms, "
            f"p99 {d[int(len(d) * 0.99)]:.1f} ms, max {d[-1]:.1f} ms, {over} stall(s) over {STALL_MS:.0f} ms"
        )
        if not SCHEDSTAT.exists():
            return text
        # Without the time the thread waited for a CPU (other processes ran): what this process made.
        own = sorted(max(delay - starved, 0.0) for _, delay, _, starved in self.ticks) or [0.0]
        own_over = sum(1 for x in own if x > STALL_MS)
        return (
            f"{text}; without the CPU waits: p99 {own[int(len(own) * 0.99)]:.1f} ms, max {own[-1]:.1f} ms, "
            f"{own_over} over {STALL_MS:.0f} ms"
        )


class GcClock:
    """When Python's collector ran (``gc.callbacks``): a stall that holds a collection is the collector's."""

    def __init__(self) -> None:
        self.runs: list[tuple[float, float, int]] = []  # (start, end, generation), perf_counter seconds
        self._began = 0.0

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.runs.append((self._began, time.perf_counter(), info["generation"]))

    def within(self, start: float, end: float) -> str:
        """The collections that ran between two perf_counter instants, worded: "gc gen2 41 ms"."""
        hits = [(g, (e - s) * 1000) for s, e, g in self.runs if s < end and e > start]
        return ", ".join(f"gc gen{g} {ms:.0f} ms" for g, ms in hits if ms >= 1)


@dataclass
class Phases:
    """What the batch was doing at each instant, stamped as the window gets the engine's events."""

    workers: int
    t0: float = 0.0
    started: float | None = None
    ready: list[float] = field(default_factory=list)
    done: list[float] = field(default_factory=list)
    ended: float | None = None

    def note(self, events: list[ev.Event]) -> None:
        """Stamp a tick's events as the window gets them."""
        now = time.perf_counter() - self.t0
        for event in events:
            if isinstance(event, ev.BatchStarted):
                self.started = now
            elif isinstance(event, ev.WorkerReady):
                self.ready.append(now)
            elif isinstance(event, ev.PoFinished):
                self.done.append(now)
            elif isinstance(event, ev.BatchFinished):
                self.ended = now

    def at(self, t: float) -> str:
        if self.started is None or t < self.started:
            return "preparing"
        ready, done = bisect.bisect(self.ready, t), bisect.bisect(self.done, t)
        if ready < self.workers:
            return f"browsers starting ({ready}/{self.workers} ready, {done} POs done)"
        if self.done and t <= self.done[-1]:
            return f"streaming ({done} POs done)"
        return "ending (workers and browsers shut down)"

    def ready_at(self) -> str:
        if len(self.ready) < self.workers:
            return f"{len(self.ready)}/{self.workers} workers got ready"
        return f"all {self.workers} workers ready {self.ready[-1]:.1f} s after Start"


class StallWatch:
    """``--diagnose``: a thread that, when the GUI thread has not ticked for ``after_ms``, notes where it
    is: its Python stack and (Linux) its kernel wait channel. A GUI thread blocked in a system call has
    let go of the GIL, so this thread can look; one waiting for the GIL shows ``futex_wait`` in a
    Python frame that needs no lock. It holds the GIL itself now and then: off by default."""

    def __init__(self, meter: DriftMeter, after_ms: float = 60.0) -> None:
        self.meter = meter
        self.after = after_ms / 1000
        self.gui = threading.main_thread()
        self.notes: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> StallWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        import traceback

        noted_for = -1.0
        while not self._stop.wait(0.02):
            last = self.meter.last
            if time.perf_counter() - last < self.after or last == noted_for:
                continue
            noted_for = last
            frame = sys._current_frames().get(self.gui.ident or 0)
            where = " < ".join(
                f"{Path(f.filename).name}:{f.lineno} {f.name}"
                for f in traceback.extract_stack(frame)[::-1][:4]
            )
            try:
                wchan = Path(f"/proc/self/task/{self.gui.native_id}/wchan").read_text()
            except OSError:
                wchan = "?"
            self.notes.append((last - self.meter.t0, f"{wchan or 'running'}: {where}"))

    def near(self, began: float) -> str:
        hits = [note for t, note in self.notes if abs(t - began) < 0.05]
        return hits[0] if hits else ""


def timeline(
    meter: DriftMeter,
    phase: Callable[[float], str],
    gcs: GcClock,
    worst: int = 8,
    watch: StallWatch | None = None,
) -> None:
    """The worst stalls in time order: when each began, how long, what the batch was doing, and where the
    GUI thread's time went (its own work, waiting for a CPU, blocked) and any garbage collection. Then,
    on Linux, the worst once the CPU waits are taken out: what this process itself made."""
    lists = [("", sorted(meter.ticks, key=lambda tick: -tick[1])[:worst])]
    if SCHEDSTAT.exists():
        own = sorted(meter.ticks, key=lambda tick: -(tick[1] - tick[3]))[: max(worst // 2, 3)]
        lists.append(("  the worst without the CPU waits:", own))
    for title, stalls in lists:
        if title:
            print(title)
        for t, delay, ran, starved in sorted(stalls):
            began = t - (delay + meter.interval) / 1000
            blocked = max(delay + meter.interval - ran - starved, 0.0)
            notes = (
                [f"ran {ran:.0f} ms, waited for a CPU {starved:.0f} ms, blocked {blocked:.0f} ms"]
                if SCHEDSTAT.exists()
                else []
            )
            notes.append(gcs.within(meter.t0 + began, meter.t0 + t))
            if watch is not None:
                notes.append(watch.near(began))
            print(f"  +{began:6.2f} s  {delay:5.1f} ms  {phase(began)}  [{'; '.join(filter(None, notes))}]")


def spin(app: QApplication, until: Callable[[], bool]) -> None:
    while not until():
        app.processEvents()
        time.sleep(0.001)


@contextlib.contextmanager
def quiet_portal(log: Path, **knobs: int) -> Iterator[str]:
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


def show_sheet(app: QApplication, window: MainWindow, base: Path, rows: int) -> None:
    """From the drop until the table has painted its rows; the drift while the sheet is read off the GUI
    thread too (it shares the interpreter)."""
    sheet = big_sheet(base / "big.xlsx", rows)
    meter = DriftMeter()
    read: list[float] = []
    window.sheet_loader.loaded.connect(lambda *_: read.append(time.perf_counter() - meter.t0))
    with GcClock() as gcs:
        meter.start()
        window.load_file(sheet)
        spin(app, lambda: not window.sheet_loader.busy)
        window.table.viewport().repaint()
        app.processEvents()
        load_s = time.perf_counter() - meter.t0
        meter.stop()
    print(
        f"load and show a {rows}-row sheet: {load_s * 1000:.0f} ms ({window.model.rowCount()} rows); "
        f"{meter.summary()}"
    )
    print("worst stalls (seconds after the drop, length, what the window was doing):")
    timeline(meter, lambda t: "reading the sheet" if not read or t < read[0] else "showing it", gcs, worst=5)


def real_batch(
    app: QApplication, window: MainWindow, base: Path, workers: int, pos: int, diagnose: bool = False
) -> None:
    """A real batch from the click on Start to its end: preparing, every browser starting, streaming, ending."""
    with quiet_portal(base / "portal.log", latency_ms=100, file_latency_ms=50, render_ms=200) as url:
        profile = sign_in(url, base / "source")
        window.settings = settings_for(url, profile, base / "out")
        csv = base / "pos.csv"
        csv.write_text("PO_NUMBER\n" + "\n".join(demo_po_numbers(pos)) + "\n", encoding="utf-8")
        window.load_file(csv)
        spin(app, lambda: not window.sheet_loader.busy)
        window.launcher.use_governor = False  # every worker streaming, not a throttled batch
        phases = Phases(workers)
        window.session.events.connect(phases.note)
        updates: list[int] = []
        window.session.events.connect(lambda batch: updates.append(len(batch)))
        meter = DriftMeter()
        watch = StallWatch(meter) if diagnose else None
        with GcClock() as gcs, watch or contextlib.nullcontext():
            meter.start()
            phases.t0 = meter.t0
            window.launcher.start()
            spin(app, lambda: window.session.running)  # the sheet is prepared off the GUI thread first
            window.session.set_workers(workers)  # beyond the slider's maximum on a small machine
            spin(app, lambda: not window.session.running)
            meter.stop()
        seconds = time.perf_counter() - meter.t0
        where = "in its own process" if window.session.in_process else "on a thread of the window's process"
        print(
            f"{pos} POs with {workers} workers in {seconds:.1f} s from Start ({phases.ready_at()}); "
            f"{sum(updates)} events in {len(updates)} GUI updates; the controller ran {where}"
        )
        print(f"whole batch, event-loop {meter.summary()}")
        print("worst stalls (seconds after Start, length, what the batch was doing):")
        timeline(meter, phases.at, gcs, watch=watch)


def synthetic(app: QApplication, window: MainWindow, workers: int = 8, seconds: float = 8.0) -> None:
    """The same window fed by 8 threads that emit worker-like events at 50 Hz each: GUI cost alone."""
    from po_downloader.engine.models import PoStatus
    from po_downloader.engine.outcome import PoOutcome

    rows = window.model.rows()
    stop = threading.Event()
    done = PoOutcome(PoStatus.COMPLETED, "Supplier", "/tmp", 2, 2, 2000, ("a.pdf", "b.pdf"))

    def produce(w: int) -> None:
        i = w
        while not stop.is_set():
            po = rows[i % len(rows)].po
            for event in (
                ev.PoStarted(w, po, 1, "http://x"),
                ev.AttachmentsFound(w, po, "Supplier", ("a.pdf", "b.pdf")),
                ev.FileSaved(w, po, "a.pdf", "/tmp/a.pdf", 1000),
                ev.DownloadProgress(w, po, 500),
                ev.PoFinished(w, po, done),
            ):
                window.session.pump.sink(event)
            i += workers
            time.sleep(0.02)

    threads = [threading.Thread(target=produce, args=(w,), daemon=True) for w in range(1, workers + 1)]
    meter = DriftMeter()
    count: list[int] = []
    window.session.events.connect(lambda batch: count.append(len(batch)))
    window.session.pump.start()
    meter.start()
    for t in threads:
        t.start()
    end = time.monotonic() + seconds
    spin(app, lambda: time.monotonic() >= end)
    stop.set()
    meter.stop()
    window.session.pump.stop()
    print(
        f"synthetic: {workers} threads x 250 events/s for {seconds:.0f} s = {sum(count)} events in {len(count)} "
        f"updates over {len(rows)} rows; {meter.summary()}"
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
        while window.session.preparing:  # until the controller is built (in its process, or here)
            app.processEvents()
            time.sleep(0.001)
        seconds = time.perf_counter() - started
        meter.stop()
        while window.session.running:  # the stopped batch ends (its leftover rows are not measured)
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        print(
            f"start a {rows}-row batch, {label}: {seconds:.1f} s until the controller was built; "
            f"event-loop {meter.summary()}"
        )
    window.log_panel.detach()
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--pos", type=int, default=48)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--start-rows", type=int, default=100_000)
    parser.add_argument(
        "--diagnose", action="store_true", help="note where the GUI thread was in each stall (adds a thread)"
    )
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="po-gui-bench-") as tmp:
        base = Path(tmp)
        window = MainWindow(app_dirs(base / "home"))
        window.show()
        app.processEvents()
        if args.pos:
            real_batch(app, window, base, args.workers, args.pos, args.diagnose)
        if args.rows:
            show_sheet(app, window, base, args.rows)
            synthetic(app, window)
        if args.start_rows:
            big_start(app, base, args.start_rows)
        window.log_panel.detach()
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
