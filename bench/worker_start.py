"""Worker start benchmark: from "start worker" to ready (signed in, first PO can be sent) on a ~1 GB profile.

A real Edge profile is mostly caches: HTTP cache, code cache, GPU cache, service-worker caches, other
sites' IndexedDB and file systems, the optimisation-guide models and a few hundred MB of extensions. This
bench signs a Chromium profile in to the demo portal (as the tests do), pads it the same way, then starts
real workers through ``WorkerPool`` (the controller's own spawn path) alone and N at once, and prints the
median time to ``WorkerReady`` and the bytes each worker's profile copy holds. It also times the parts of
one start on their own (interpreter and imports, the copy, chromedriver, browser, the sign-in check) so
you can see where the time goes. Issue 16's targets: ≤ 1.5 s alone, ≤ 3 s for 4 at once (median).

    .venv/bin/python bench/worker_start.py [--pad-mb 1024] [--runs 3] [--together 4] [--page-ms 0]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Only the standard library at the top: each spawned worker imports this script again as ``__mp_main__``,
# and the app's own entry point is as light, so a heavy import here would bill the workers for it.
if TYPE_CHECKING:
    from po_downloader.engine.run.worker import WorkerConfig

TARGET_ALONE, TARGET_TOGETHER = 1.5, 3.0
MIB = 1024 * 1024

# (folder under the profile, files, bytes each): many small files and a few big ones, ~1 GB at scale 1.
_PADDING = (
    ("Cache/Cache_Data", 5000, 48_000),
    ("Code Cache/js", 2500, 30_000),
    ("Code Cache/wasm", 12, 3 * MIB),
    ("GPUCache", 4, 5 * MIB),
    ("Service Worker/CacheStorage/3b1f0e/0a9c", 1200, 60_000),
    ("Service Worker/ScriptCache", 300, 20_000),
    ("Service Worker/Database", 3, 1 * MIB),
    ("IndexedDB/https_outlook.office.com_0.indexeddb.leveldb", 30, 2 * MIB),
    ("IndexedDB/https_teams.microsoft.com_0.indexeddb.blob/1/00", 400, 50_000),
    ("File System/000/p/00", 600, 40_000),
    ("optimization_guide_model_store/26/E6DC4029A1E4B4C1", 2, 60 * MIB),
    ("optimization_guide_model_store/2/B1C4E8D2A6F0C3B9", 1, 40 * MIB),
    *(
        (f"Extensions/{name}/1.{i}.0_0/{part}", count, size)
        for i, name in enumerate(
            (
                "ghbmnnjooekpmoecnnnilnnbdlolhkhi",
                "nmmhkkegccagdldgiimedpiccmgmieda",
                "aapocclcgogkmnckokdopfmhonfmgoek",
                "odfafepnkmbhccpbejgmiehpchacaeak",
                "cjpalhdlnbpafiamejdnhcphjbkeiagm",
            )
        )
        for part, count, size in (
            ("js", 300, 70_000),
            ("images", 200, 30_000),
            ("_locales/en", 40, 8_000),
            ("wasm", 2, 14 * MIB),
        )
    ),
)


def _write(path: Path, size: int, block: bytes) -> None:
    with open(path, "wb") as handle:
        while size > 0:
            chunk = block[: min(size, len(block))]
            handle.write(chunk)
            size -= len(chunk)


def pad_profile(profile_dir: Path, scale: float) -> int:
    """Fill ``profile_dir`` with cache-like folders; returns the bytes written."""
    total = 0
    block = os.urandom(4 * MIB)
    for folder, count, size in _PADDING:
        target = profile_dir / folder
        target.mkdir(parents=True, exist_ok=True)
        each = max(1, int(size * scale))
        for i in range(count):
            _write(target / f"f_{i:06x}", each, block)
            total += each
    return total


def tree_bytes(root: Path) -> int:
    return sum(os.lstat(os.path.join(d, n)).st_size for d, _, names in os.walk(root) for n in names)


def tree_cpu(pid: int) -> float:
    """CPU seconds the process and its live descendants have used (a start's cost on a shared machine)."""
    import psutil

    total = 0.0
    try:
        root = psutil.Process(pid)
        for proc in [root, *root.children(recursive=True)]:
            try:
                t = proc.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


def start_workers(config: WorkerConfig, home: Path, n: int) -> tuple[list[float], list[int], list[float]]:
    """Spawn ``n`` real workers at once through the pool; each one's seconds to ready, its profile folder's
    bytes then (the copy plus what the browser wrote at start) and the CPU seconds its tree used."""
    from po_downloader.engine import events as ev
    from po_downloader.engine.run.pool import PoolTimeouts, WorkerHandle, WorkerPool
    from po_downloader.engine.run.worker import worker_main
    from po_downloader.engine.system.paths import app_dirs

    dirs = app_dirs(home)
    pool = WorkerPool(
        worker_main,
        config,
        runs_dir=dirs.runs,
        profiles_dir=dirs.worker_profiles / "bench",
        staging_dir=Path(config.download_root) / ".staging" / "bench",
        timeouts=PoolTimeouts(startup=120.0),
    )
    pool.open()
    ready: dict[int, float] = {}
    sizes: dict[int, int] = {}
    cpu: dict[int, float] = {}
    errors: list[str] = []
    spawned: dict[int, float] = {}

    def on_event(h: WorkerHandle, event: ev.Event) -> None:
        if isinstance(event, ev.WorkerReady):
            ready[h.id] = time.perf_counter() - spawned[h.id]
            sizes[h.id] = tree_bytes(h.copy_dir)
            cpu[h.id] = tree_cpu(h.process.pid or 0)
        elif isinstance(event, ev.WorkerError):
            errors.append(event.message)

    def on_exit(h: WorkerHandle) -> None:
        errors.append(f"worker {h.id} exited (code {h.process.exitcode})")

    try:
        for _ in range(n):
            h = pool.spawn(time.monotonic(), 0)
            spawned[h.id] = time.perf_counter()
        deadline = time.monotonic() + 120
        while len(ready) < n and not errors and time.monotonic() < deadline:
            pool.wait(0.5, [], on_event, on_exit)
    finally:
        pool.shutdown(lambda h, e: None, lambda h: None)
    if errors or len(ready) < n:
        raise SystemExit(f"workers did not get ready: {errors or 'timeout'}")
    return sorted(ready.values()), sorted(sizes.values()), list(cpu.values())


def split(config: WorkerConfig, base: Path, runs: int) -> tuple[dict[str, float], int, int]:
    """Median seconds of each part of one start, timed on its own in this process; the files and bytes
    one profile copy holds."""
    from po_downloader.engine.browser.launch import driver_processes, launch
    from po_downloader.engine.browser.portal import CoupaPortal, PageKind
    from po_downloader.engine.browser.profile_copy import browser_switches_to_exclude, copy_profile
    from po_downloader.engine.system.processes import end_processes

    parts: dict[str, list[float]] = {
        k: []
        for k in (
            "interpreter + imports",
            "profile copy",
            "chromedriver + browser",
            "sign-in check (first page)",
        )
    }
    source = config.source()
    for i in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "import po_downloader.engine.run.worker"],
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        parts["interpreter + imports"].append(time.perf_counter() - t)
        t = time.perf_counter()
        copy = copy_profile(source, base / f"split-{i}", portal_url=config.base_url)
        parts["profile copy"].append(time.perf_counter() - t)
        t = time.perf_counter()
        driver = launch(
            config.browser,
            user_data_dir=copy.user_data_dir,
            profile_name=copy.profile_name,
            download_dir=base / f"split-dl-{i}",
            exclude_switches=browser_switches_to_exclude(source),
        )
        parts["chromedriver + browser"].append(time.perf_counter() - t)
        refs = driver_processes(driver)
        try:
            portal = CoupaPortal(driver, config.selectors(), config.base_url)
            t = time.perf_counter()
            state = portal.check_signed_in()
            parts["sign-in check (first page)"].append(time.perf_counter() - t)
            assert state.kind is not PageKind.SIGN_IN, "the padded profile's copy is not signed in"
        finally:
            driver.quit()
            end_processes(refs)
    return {k: statistics.median(v) for k, v in parts.items()}, copy.files, copy.bytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pad-mb", type=int, default=1024, help="approximate size of the padding")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--together", type=int, default=4)
    parser.add_argument("--page-ms", type=int, default=0, help="the portal's latency per page")
    args = parser.parse_args()
    from po_downloader.engine.run.batch import worker_config
    from po_downloader.engine.system.paths import app_dirs
    from tests.helpers.batch import settings_for, sign_in
    from tests.helpers.portal import PortalProcess

    with (
        tempfile.TemporaryDirectory(prefix="po-bench-start-") as tmp,
        PortalProcess(latency_ms=args.page_ms, render_ms=0) as portal,
    ):
        base = Path(tmp)
        profile = sign_in(portal.url, base / "source")
        t = time.perf_counter()
        padded = pad_profile(profile / "Default", args.pad_mb / 1024)
        total = tree_bytes(profile)
        print(
            f"source profile: {total / MIB:.0f} MiB ({padded / MIB:.0f} MiB of padding, "
            f"written in {time.perf_counter() - t:.1f} s); portal latency {args.page_ms} ms/page; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        settings = settings_for(portal.url, profile, base / "out")
        config = worker_config(settings, app_dirs(base / "home"))

        parts, files, size = split(config, base, args.runs)
        print(f"one profile copy: {files} files, {size / 1024:.0f} KiB")
        print("one start, part by part (median, sequential, in this process):")
        for name, seconds in parts.items():
            print(f"  {name:<28} {seconds:6.3f} s")

        for n, target in ((1, TARGET_ALONE), (args.together, TARGET_TOGETHER)):
            medians, worst, copied, spent = [], [], [], []
            for run in range(args.runs):
                times, sizes, cpu = start_workers(config, base / f"home-{n}-{run}", n)
                spent.extend(cpu)
                medians.append(statistics.median(times))
                worst.append(times[-1])
                copied.extend(sizes)
            median = statistics.median(medians)
            verdict = "met" if median <= target else "NOT met"
            print(
                f"{n} worker(s) at once: median {median:.2f} s to ready (runs {', '.join(f'{m:.2f}' for m in medians)}; "
                f"slowest {max(worst):.2f} s); target ≤ {target:g} s: {verdict}; "
                f"profile folder at ready {statistics.median(copied) / 1024:.0f} KiB per worker; "
                f"CPU {statistics.median(spent):.2f} s per start (worker, driver, browser)"
            )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
