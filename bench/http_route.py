"""The HTTP route alone: every file of N demo POs fetched by ``HttpRoute`` on a signed-in session, with 1
and with 4 files of a PO at once, against the bundled portal's file latency; plus the process's peak RSS
(the HTTP route's memory, no browser). No page decision here: only the transport's cost.

    .venv/bin/python bench/http_route.py [--pos 40] [--file-latency-ms 300]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from po_downloader.demo_portal import catalog
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.download_route import Attachment
from po_downloader.engine.http.client import PortalClient
from po_downloader.engine.http.http_route import HttpRoute
from po_downloader.engine.http.rate import LocalBucket
from po_downloader.engine.models import PoNumber
from tests.helpers.portal import PortalProcess


def session_cookies(portal_url: str) -> list[dict[str, object]]:
    """Sign in through the demo IdP's form, as a browser would, and hand the cookies over as DevTools does."""
    port = portal_url.rsplit(":", 1)[1]
    with httpx.Client(follow_redirects=True, trust_env=False) as client:
        form = {"username": "bench", "password": "bench", "return": "/"}
        client.post(f"http://localhost:{port}/sso/login", data=form)
        return [
            {"name": c.name, "value": c.value, "domain": c.domain, "path": c.path, "secure": False}
            for c in client.cookies.jar
            if c.domain == "127.0.0.1"
        ]


def run(portal_url: str, pos: list[str], per_host: int) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as staging:
        client = PortalClient(portal_url, load_selectors().sign_in_places, LocalBucket(), per_host=per_host)
        client.set_cookies(session_cookies(portal_url))
        route = HttpRoute(client, Path(staging))
        files = size = 0
        started = time.perf_counter()
        for digits in pos:
            items = [
                Attachment(a.name, "url", portal_url + a.url_path, f"{a.doc}/{a.index}")
                for a in catalog.attachments_for(digits)
            ]
            result = route.fetch(PoNumber(digits), items, lambda n: None)
            if result.missed or result.interrupted:
                raise SystemExit(f"{digits}: {result.missed} interrupted={result.interrupted}")
            files += len(result.fetched)
            size += sum(f.size or 0 for f in result.fetched)
            for fetched in result.fetched:
                fetched.path.unlink()
        elapsed = time.perf_counter() - started
        client.close()
    return elapsed, files, size


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pos", type=int, default=40)
    parser.add_argument("--file-latency-ms", type=int, default=300)
    args = parser.parse_args()
    pos = catalog.demo_po_numbers(args.pos)
    with PortalProcess(render_ms=0, file_latency_ms=args.file_latency_ms) as portal:
        for per_host in (1, 4):
            elapsed, files, size = run(portal.url, pos, per_host)
            own = files * args.file_latency_ms / 1000
            print(
                f"per_host={per_host}: {len(pos)} POs, {files} files, {size / 2**20:.1f} MiB in {elapsed:.2f} s "
                f"({elapsed / len(pos) * 1000:.0f} ms/PO; the portal's own file latency, serial: {own:.1f} s)"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (no browser): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
