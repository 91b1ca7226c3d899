"""Whole-run benchmark: a 12-PO batch through the CLI, start to exit, on a portal that serves every
attachment URL in its HTML (the demo portal's ``served`` variant), in each route mode.

This is the figure an HTTP-only tool is measured by (its own start included): the CLI's imports, the
worker's profile copy and browser start, the sign-in check, every PO page and file, the results sheet and
the manifest. Every status must still be proven: the run fails loudly when one differs from the portal's.

    .venv/bin/python bench/whole_run.py [--modes http auto browser] [--page-ms 100] [--file-ms 50] [--workers 1]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from po_downloader.demo_portal.catalog import attachments_for, demo_po_numbers
from tests.helpers.batch import sign_in
from tests.helpers.cli import run_args, run_cli
from tests.helpers.portal import PortalProcess

SPECIAL = {"20000001": "PO_NOT_FOUND", "20000002": "NO_ACCESS", "20000005": "NO_ATTACHMENTS"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", nargs="+", default=["http", "auto", "browser"])
    parser.add_argument("--page-ms", type=int, default=100)
    parser.add_argument("--file-ms", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    ordinary = demo_po_numbers(9)
    expected = {**dict.fromkeys(ordinary, "COMPLETED"), **SPECIAL}
    files = sum(len(attachments_for(d)) for d in ordinary)
    with (
        tempfile.TemporaryDirectory(prefix="po-bench-run-") as tmp,
        PortalProcess(latency_ms=args.page_ms, file_latency_ms=args.file_ms, variant="served") as portal,
    ):
        base = Path(tmp)
        profile = sign_in(portal.url, base / "source")
        print(
            f"{len(expected)} POs ({files} files, a not-found, a no-access, an empty one), served variant, "
            f"{args.page_ms} ms/page, {args.file_ms} ms/file, {args.workers} worker(s); CLI start to exit"
        )
        print(f"{'mode':>8} {'seconds':>8}  statuses")
        for mode in args.modes:
            for run in range(args.runs):
                work = base / f"{mode}-{run}"
                sheet = work / "in" / "pos.csv"
                sheet.parent.mkdir(parents=True)
                sheet.write_text("PO\n" + "\n".join(expected) + "\n", encoding="utf-8")
                cli = run_args(sheet, work / "out", portal.url, profile, "--mode", mode, workers=args.workers)
                started = time.perf_counter()
                done = run_cli(cli, work / "home")
                seconds = time.perf_counter() - started
                with (work / "in" / "pos_results.csv").open(encoding="utf-8-sig") as fh:
                    got = {row["PO"].removeprefix("PO"): row["STATUS"] for row in csv.DictReader(fh)}
                wrong = {d: got.get(d) for d, s in expected.items() if got.get(d) != s}
                verdict = "all proven as the portal says" if not wrong else f"WRONG: {wrong}"
                print(f"{mode:>8} {seconds:>8.1f}  {verdict} (exit {done.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
