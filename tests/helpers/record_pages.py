"""Record demo-portal pages in real headless Chromium for the saved-page tests: ``tests/data/pages/``.

Run ``.venv/bin/python -m tests.helpers.record_pages`` after a change to the demo portal's markup, the
selectors or the page scripts. For every variant in ``demo_portal.VARIANTS`` and every document in
:data:`DOCUMENTS` it opens the page with ``CoupaPortal.open`` and records

* the EARLY look: ``portal._scan(False)`` and ``portal.observe(...)`` right after ``open`` returns;
* the FINAL look: the same two once ``portal.wait_attachments()`` has returned (PO and requisition pages
  only; an error page is looked at again straight away, it has no attachments to wait for);
* the final DOM (``document.documentElement.outerHTML``) without its scripts (``application/json`` ones
  stay) and without the large inline stylesheet, as ``<variant>__<number>.html``;

and writes ``observations.json`` (file name → ``{variant, number, requisition, early, final, live}``;
``live`` is what the engine concluded while recording, for humans: the tests compute their expectations
from the demo catalog instead).

The portal's origin (``http://127.0.0.1:<random port>``) is replaced by :data:`ORIGIN` everywhere, in the
HTML as in the JSON, so a re-run produces the same bytes unless a page really changed; whoever serves the
saved HTML again puts its own origin back (see ``tests/integration/test_saved_pages_browser.py``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PAGES_DIR = Path(__file__).resolve().parent.parent / "data" / "pages"
OBSERVATIONS = "observations.json"
ORIGIN = "http://demo-portal.test"
"""Stands for the recording portal's origin in every saved file (``.test`` never resolves)."""

DOCUMENTS: tuple[tuple[str, bool], ...] = (
    ("10000002", False),  # ordinary PO: one span and one comment link
    ("20000001", False),  # not found
    ("20000002", False),  # no access
    ("20000003", False),  # no access, pt-BR
    ("20000004", False),  # benign "Access denied" notice, 2 attachments
    ("20000005", False),  # no attachments
    ("20000007", False),  # three attachments all named Invoice.pdf
    ("20000012", False),  # 8 attachments
    ("20000014", False),  # attachments rendered 4 s late
    ("30000006", True),  # requisition (the PR fallback of 20000006)
)
"""(number, is_requisition) of every recorded document, in every variant."""

RENDER_MS = 1000
"""The attachments API delay while recording: long enough that the EARLY look reliably precedes it."""

STRIP_SCRIPTS = r"""
const root = document.documentElement.cloneNode(true);
for (const s of Array.from(root.querySelectorAll('script'))) {
  if ((s.getAttribute('type') || '').trim().toLowerCase() !== 'application/json') s.remove();
}
for (const s of Array.from(root.querySelectorAll('style'))) {
  if ((s.textContent || '').length > arguments[0]) s.remove();
}
return root.outerHTML;
"""
MAX_STYLE_CHARS = 400
"""Inline ``<style>`` elements longer than this are dropped (the portal's stylesheet); short ones stay."""


def page_file(variant: str, number: str) -> str:
    return f"{variant}__{number}.html"


def load_observations(pages_dir: Path = PAGES_DIR) -> dict[str, dict[str, Any]]:
    """``observations.json`` as recorded (file name → entry)."""
    return json.loads((pages_dir / OBSERVATIONS).read_text(encoding="utf-8"))


def localise(value: Any, origin: str, replacement: str = ORIGIN) -> Any:
    """``value`` (str, list, dict…) with every ``origin`` in its strings replaced by ``replacement``."""
    if isinstance(value, str):
        return value.replace(origin, replacement)
    if isinstance(value, list | tuple):
        return [localise(v, origin, replacement) for v in value]
    if isinstance(value, dict):
        return {k: localise(v, origin, replacement) for k, v in value.items()}
    return value


def _look_now(portal: Any, number: str, requisition: bool) -> dict[str, Any]:
    look = portal._scan(False)  # the attachments first: they are what changes fastest
    look.pop("quiet_ms", None)  # a time, not the page: it would differ on every recording
    page = dataclasses.asdict(portal.observe(number, requisition=requisition))
    return {"look": look, "page": page}


def _record_one(portal: Any, base_url: str, number: str, requisition: bool) -> tuple[dict[str, Any], str]:
    from po_downloader.engine.browser.page_state import PageKind

    if requisition:
        url = f"{base_url}/requisition_headers/{number}"
    else:
        url = portal.sel.po_page_url(base_url, number)
    state = portal.open(url, number, requisition=requisition)
    early = _look_now(portal, number, requisition)
    live: dict[str, Any] = {"state": str(state.kind)}
    if state.kind in (PageKind.PO, PageKind.REQUISITION):
        started = time.monotonic()
        listing = portal.wait_attachments()
        live.update(verdict=str(listing.verdict), reason=listing.reason, items=len(listing.items))
        waited = time.monotonic() - started
    else:
        waited = 0.0
    final = _look_now(portal, number, requisition)
    html = portal.driver.execute_script(STRIP_SCRIPTS, MAX_STYLE_CHARS)
    entry = {"number": number, "requisition": requisition, "early": early, "final": final, "live": live}
    print(f"  {number}{' (requisition)' if requisition else ''}: {live} in {waited:.1f} s", flush=True)
    return entry, html


def record(pages_dir: Path = PAGES_DIR, variants: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Record every variant × document into ``pages_dir`` (replacing what was there); returns the entries."""
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager reach the network
    from po_downloader.demo_portal import VARIANTS
    from po_downloader.engine.browser.launch import launch
    from po_downloader.engine.browser.portal import CoupaPortal
    from po_downloader.engine.browser.selectors import load_selectors
    from tests.helpers.batch import SPEC, sign_in
    from tests.helpers.portal import PortalProcess

    names = variants or list(VARIANTS)
    entries: dict[str, dict[str, Any]] = {}
    pages: dict[str, str] = {}
    with (
        tempfile.TemporaryDirectory(prefix="record-pages-") as tmp,
        PortalProcess(render_ms=RENDER_MS) as proc,
    ):
        profile = sign_in(proc.url, Path(tmp) / "profile")
        driver = launch(
            SPEC,
            user_data_dir=profile,
            profile_name="Default",
            download_dir=Path(tmp) / "downloads",
            exclude_switches=[],
        )
        try:
            portal = CoupaPortal(driver, load_selectors(), proc.url)
            for variant in names:
                proc.control(variant=variant)
                print(f"variant {variant}", flush=True)
                for number, requisition in DOCUMENTS:
                    entry, html = _record_one(portal, proc.url, number, requisition)
                    name = page_file(variant, number)
                    entries[name] = localise({"variant": variant, **entry}, proc.url)
                    pages[name] = "<!DOCTYPE html>\n" + localise(html, proc.url).rstrip("\n") + "\n"
        finally:
            driver.quit()

    pages_dir.mkdir(parents=True, exist_ok=True)
    if variants is None:  # a full run owns the directory: drop recordings of documents no longer listed
        for old in pages_dir.glob("*.html"):
            if old.name not in pages:
                old.unlink()
        merged = entries
    else:
        merged = (
            {**load_observations(pages_dir), **entries} if (pages_dir / OBSERVATIONS).exists() else entries
        )
    for name, html in pages.items():
        (pages_dir / name).write_text(html, encoding="utf-8", newline="\n")
    text = json.dumps(dict(sorted(merged.items())), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (pages_dir / OBSERVATIONS).write_text(text, encoding="utf-8", newline="\n")
    return merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.helpers.record_pages", description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=PAGES_DIR, help="directory to write (default: %(default)s)"
    )
    parser.add_argument(
        "--variant", action="append", help="record only this variant (repeatable); default: every variant"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    entries = record(args.out, args.variant)
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    print(f"{len(entries)} pages in {args.out} ({size / 1024:.0f} KiB) in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
