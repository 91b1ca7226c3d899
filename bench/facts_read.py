"""What reading a PO's facts (``--facts``) costs per PO, on each route, against the bundled portal.

The browser route reads them with one script call on the page already shown (``CoupaPortal.facts``); the
HTTP route from the served HTML already parsed (``served_facts``). Both are timed on the demo's PO pages
and on the same pages padded to a real tenant's size (``--pad-kb`` of extra markup: Coupa's PO pages are
a few hundred KB), each the median and the slowest of ``--rounds`` reads per page.

    .venv/bin/python bench/facts_read.py [--pos 10] [--rounds 5] [--pad-kb 400] [--variant served]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from po_downloader.demo_portal.catalog import demo_po_numbers
from po_downloader.engine.browser.profile_copy import SourceProfile
from po_downloader.engine.browser.selectors import load_selectors
from po_downloader.engine.browser.session import BrowserSession
from po_downloader.engine.http.served_facts import served_facts
from po_downloader.engine.http.served_page import parse_html
from tests.helpers.batch import SPEC, sign_in
from tests.helpers.portal import PortalProcess

PAD = (
    '<div class="line-detail"><span class="label">Account</span><span class="value">4100-200-{i}</span>'
    '<span class="label">Commodity</span><span class="value">Office supplies {i}</span></div>'
)
"""Filler shaped like a PO page's line details: labels and values, so the label index grows with it."""


def _padding(kb: int) -> str:
    parts, size, i = [], 0, 0
    while size < kb * 1024:
        part = PAD.format(i=i)
        parts.append(part)
        size += len(part)
        i += 1
    return "<section class='padding'>" + "".join(parts) + "</section>"


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:6.2f} ms, max {max(samples) * 1000:6.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pos", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pad-kb", type=int, default=400)
    ap.add_argument("--variant", default="served")
    args = ap.parse_args()
    sel = load_selectors()
    pos = demo_po_numbers(args.pos)
    with tempfile.TemporaryDirectory() as tmp, PortalProcess(variant=args.variant) as portal:
        profile = sign_in(portal.url, Path(tmp) / "source")
        session = BrowserSession.open(
            SPEC, SourceProfile(profile, "Default", own=False), Path(tmp) / "copy", None, sel, portal.url
        )
        try:
            browser: dict[str, list[float]] = {"demo": [], "padded": []}
            served: dict[str, list[float]] = {"demo": [], "padded": []}
            pad = _padding(args.pad_kb)
            for digits in pos:
                session.portal.open_po(digits)
                html = session.portal.driver.page_source
                for kind in ("demo", "padded"):
                    if kind == "padded":  # the same page, grown to a real tenant's size
                        session.portal.driver.execute_script(
                            "document.body.insertAdjacentHTML('beforeend', arguments[0])", pad
                        )
                        html = html.replace("</body>", pad + "</body>")
                    doc = parse_html(html)
                    for _ in range(args.rounds):
                        t0 = time.perf_counter()
                        from_browser = session.portal.facts()
                        browser[kind].append(time.perf_counter() - t0)
                        t0 = time.perf_counter()
                        from_html = served_facts(doc, sel)
                        served[kind].append(time.perf_counter() - t0)
                    if from_browser != from_html:
                        print(f"  {digits} {kind}: the routes disagree: {from_browser} / {from_html}")
        finally:
            session.quit()
    print(f"facts read per PO page, {len(pos)} POs x {args.rounds} rounds, variant {args.variant}:")
    for kind, label in (("demo", "demo page"), ("padded", f"page + {args.pad_kb} KB")):
        print(f"  browser route, {label:>16}: {_ms(browser[kind])}")
        print(f"  HTTP route,    {label:>16}: {_ms(served[kind])}")


if __name__ == "__main__":
    main()
