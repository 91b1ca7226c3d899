"""Memory benchmark: PSS of the app and all its workers, drivers and browsers during a demo batch.

PSS (proportional set size, psutil's ``memory_full_info().pss``) shares each page among the processes that
map it, so summing it over a process tree does not count Chromium's shared pages once per process as RSS
does. The bench runs a demo batch with 1, 4 and 8 workers (governor off), samples the whole tree twice a
second while every worker is ready, and prints the median and peak total, the controller's own share and
the figure per browser worker (worker process + driver + browser tree). The demo portal is a child of this
process too, but it stands for the remote Coupa and is left out. Issue 16's target: ≤ 250 MiB per browser
worker.

``--extra-args`` adds Chromium switches (to try one before it goes into ``browser/launch.py``; a second
``--disable-features`` replaces the launch's own list, so repeat its features). ``--breakdown`` also prints
where a worker's PSS is, by process kind (its Python, chromedriver, the browser process, renderers, the GPU
process, each utility service, zygotes), as the median over the samples, per worker.

    .venv/bin/python bench/memory.py [--workers 1 4 8] [--pos 40] [--page-ms 300] [--extra-args=--foo,--bar]
                                     [--no-lookahead] [--breakdown]
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MIB = 1024 * 1024
TARGET_PER_WORKER = 250


@dataclass(frozen=True)
class Sample:
    app: int
    workers: tuple[int, ...]
    """Each worker's tree: the worker process, its driver and its browser's processes."""
    pythons: tuple[int, ...]
    """Each worker's own Python process, within the above."""
    kinds: tuple[tuple[str, int], ...] = ()
    """PSS by process kind (:func:`kind_of`), summed over the workers' trees."""


def kind_of(proc: psutil.Process) -> str:
    """``python``, ``chromedriver``, ``browser``, ``renderer``, ``gpu-process``, ``utility:<service>``,
    ``zygote``, ...: what a process of a worker's tree is, from its command line."""
    try:
        cmd = proc.cmdline()
    except psutil.Error:
        return "gone"
    if not cmd:
        return "unknown"
    exe = Path(cmd[0]).name
    if "python" in exe:
        return "python"
    if "chromedriver" in exe or "msedgedriver" in exe:
        return "chromedriver"
    switches = dict(a[2:].split("=", 1) for a in cmd[1:] if a.startswith("--") and "=" in a)
    kind = switches.get("type")
    if kind is None:
        return "browser"
    if kind == "utility":
        return f"utility:{switches.get('utility-sub-type', '?').split('.')[0]}"
    if kind == "renderer" and "--extension-process" in cmd:
        return "renderer(extension)"
    return kind


def _pss(proc: psutil.Process) -> int:
    try:
        return int(proc.memory_full_info().pss)
    except psutil.Error:
        return 0


def sample(worker_pids: list[int]) -> Sample:
    me = psutil.Process()
    trees, pythons = [], []
    kinds: collections.Counter[str] = collections.Counter()
    for pid in worker_pids:
        try:
            root = psutil.Process(pid)
            own = _pss(root)
            tree = own
            kinds["python"] += own
            for child in root.children(recursive=True):
                pss = _pss(child)
                tree += pss
                kinds[kind_of(child)] += pss
            trees.append(tree)
            pythons.append(own)
        except psutil.Error:
            continue
    return Sample(_pss(me), tuple(trees), tuple(pythons), tuple(sorted(kinds.items())))


def breakdown(samples: list[Sample]) -> str:
    """Median MiB per worker by process kind, largest first, and how many of each a tree holds."""
    per_kind: dict[str, list[float]] = collections.defaultdict(list)
    for s in samples:
        for kind, pss in s.kinds:
            per_kind[kind].append(pss / len(s.workers) / MIB)
    rows = sorted(((statistics.median(v), k) for k, v in per_kind.items()), reverse=True)
    return ", ".join(f"{k} {mib:.0f}" for mib, k in rows)


def measure(
    n: int,
    pos: list[str],
    base: Path,
    portal_url: str,
    profile: Path,
    extra: tuple[str, ...],
    mode: str,
    lookahead: bool = True,
) -> list[Sample]:
    """Run the batch on ``n`` workers; the samples taken while all ``n`` were ready."""
    from po_downloader.engine import events as ev
    from po_downloader.engine.run.options import BatchOptions
    from po_downloader.engine.system.paths import app_dirs
    from tests.helpers.batch import SPEC, run_controller, settings_for

    settings = settings_for(portal_url, profile, base / f"out-{n}", route_mode=mode)
    controller, recorder = run_controller(
        settings,
        pos,
        dirs=app_dirs(base / f"home-{n}"),
        options=BatchOptions(workers=n, max_attempts=2, governor=False, lookahead=lookahead),
        worker={"browser": replace(SPEC, extra_args=extra)},
    )
    samples: list[Sample] = []
    done = threading.Event()

    def sampler() -> None:
        while not done.wait(0.5):
            ready = {e.worker for e in recorder.of(ev.WorkerReady)}
            live = [
                h for h in list(controller.pool.handles.values()) if h.id in ready and h.state != "stopping"
            ]
            if len(live) == n and recorder.of(ev.PoFinished):
                samples.append(sample([pid for h in live if (pid := h.process.pid)]))

    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    try:
        summary = controller.run()
    finally:
        done.set()
        thread.join()
    bad = {d: s for d, s in summary.statuses.items() if s.name != "COMPLETED"}
    if bad:
        print(f"  {n} workers: not all completed: {bad}")
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--pos", type=int, default=40)
    parser.add_argument("--page-ms", type=int, default=300)
    parser.add_argument("--file-ms", type=int, default=100)
    parser.add_argument("--extra-args", default="", help="comma-separated Chromium switches to add")
    parser.add_argument("--mode", default="browser", choices=("browser", "auto", "http"), help="route mode")
    parser.add_argument(
        "--variant", default="classic", help="the demo portal's variant (served: HTTP-provable)"
    )
    parser.add_argument("--no-lookahead", action="store_true", help="no next page loaded in a second tab")
    parser.add_argument("--breakdown", action="store_true", help="PSS per worker by process kind")
    args = parser.parse_args()
    from po_downloader.demo_portal.catalog import demo_po_numbers
    from tests.helpers.batch import sign_in
    from tests.helpers.portal import PortalProcess

    extra = tuple(a for a in args.extra_args.split(",") if a)
    pos = demo_po_numbers(args.pos)
    with (
        tempfile.TemporaryDirectory(prefix="po-bench-mem-") as tmp,
        PortalProcess(
            latency_ms=args.page_ms, file_latency_ms=args.file_ms, render_ms=0, variant=args.variant
        ) as portal,
    ):
        base = Path(tmp)
        profile = sign_in(portal.url, base / "source")
        print(
            f"{args.pos} POs, portal {args.page_ms} ms/page, variant {args.variant}, mode {args.mode}; "
            f"extra switches: {' '.join(extra) or 'none'}; lookahead {'off' if args.no_lookahead else 'on'}"
        )
        print(
            f"{'workers':>7} {'total MiB':>10} {'peak':>7} {'app':>6} {'per worker':>11} {'of it Python':>13} "
            f"{'samples':>8}"
        )
        for n in args.workers:
            samples = measure(n, pos, base, portal.url, profile, extra, args.mode, not args.no_lookahead)
            if not samples:
                print(f"{n:>7}  no sample with all {n} workers ready (batch too short?)")
                continue
            totals = [s.app + sum(s.workers) for s in samples]
            per = statistics.median(sum(s.workers) / len(s.workers) for s in samples) / MIB
            python = statistics.median(sum(s.pythons) / len(s.pythons) for s in samples) / MIB
            verdict = "met" if per <= TARGET_PER_WORKER else "NOT met"
            print(
                f"{n:>7} {statistics.median(totals) / MIB:>10.0f} {max(totals) / MIB:>7.0f} "
                f"{statistics.median(s.app for s in samples) / MIB:>6.0f} {per:>11.0f} {python:>13.0f} {len(samples):>8}"
                f"   (target ≤ {TARGET_PER_WORKER} MiB per worker: {verdict})"
            )
            if args.breakdown:
                print(f"{'':>7}   per worker, MiB: {breakdown(samples)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
