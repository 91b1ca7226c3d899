"""``python -m po_downloader.demo_portal``: serve until SIGTERM/SIGINT.

The first stdout line is ``PORTAL_URL http://127.0.0.1:<port>``; then one JSON event per line on stdout
(and in ``--log-file``), which is how test helpers learn the port and follow what the portal saw.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from po_downloader.demo_portal.server import start_portal
from po_downloader.demo_portal.variants import VARIANTS


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m po_downloader.demo_portal", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay before every PO/requisition page")
    parser.add_argument("--file-latency-ms", type=int, default=0, help="delay before every file body")
    parser.add_argument("--render-ms", type=int, default=300, help="delay of the attachments API")
    parser.add_argument(
        "--variant",
        choices=list(VARIANTS),
        default="classic",
        help="markup/timing profile of every page (see po_downloader/demo_portal/variants.py)",
    )
    parser.add_argument("--log-file", type=Path, help="also append the JSON event lines here")
    return parser.parse_args(argv)


class _LineSink:
    """Writes each event as one flushed JSON line to stdout and the optional log file."""

    def __init__(self, streams: list[TextIO]) -> None:
        self._streams = streams

    def __call__(self, event: dict[str, Any]) -> None:
        line = json.dumps(event, ensure_ascii=False) + "\n"
        for stream in self._streams:
            stream.write(line)
            stream.flush()


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    stop = threading.Event()

    def _on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    log_file = args.log_file.open("a", encoding="utf-8") if args.log_file else None
    sink = _LineSink([sys.stdout] + ([log_file] if log_file else []))
    portal = start_portal(
        args.host,
        args.port,
        latency_ms=args.latency_ms,
        file_latency_ms=args.file_latency_ms,
        render_ms=args.render_ms,
        variant=args.variant,
        sink=sink,
    )
    try:
        sys.stdout.write(f"PORTAL_URL {portal.base_url}\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        portal.stop()
        if log_file:
            log_file.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
