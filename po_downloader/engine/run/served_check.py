"""The served page against the rendered one: what a calibration or sample PO compares, as plain values.

Two reads of one PO agree when they give the same verdict, the same attachments (kind, name and URL, as a
multiset: the order a script draws them in is no difference), the same supplier (it names the folder) and
the same source (the PO itself or its requisition). Anything else is a disagreement, worded for the log and
the user, naming what differed and never a cookie.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from po_downloader.engine.download_route import Attachment


@dataclass(frozen=True)
class PageView:
    """One read of a PO's page: its verdict (``LISTED``, ``EMPTY``, ``NOT_FOUND``, ``NO_ACCESS``...),
    what it listed, its supplier and where the list came from."""

    verdict: str
    items: tuple[tuple[str, str, str], ...] = ()
    supplier: str = ""
    source: str = ""


def page_view(
    verdict: str, items: Iterable[Attachment] = (), supplier: str = "", source: str = ""
) -> PageView:
    return PageView(verdict, tuple(sorted((a.kind, a.name, a.url) for a in items)), supplier, source)


def difference(served: PageView, rendered: PageView) -> str:
    """ "" when the two reads agree; else what differs, in a few words."""
    if served.verdict != rendered.verdict:
        return f"the served page says {served.verdict}, the browser's page {rendered.verdict}"
    if served.source != rendered.source:
        return f"the served list comes from {served.source!r}, the browser's from {rendered.source!r}"
    if served.items != rendered.items:
        only_served = Counter(served.items) - Counter(rendered.items)
        only_rendered = Counter(rendered.items) - Counter(served.items)
        parts = []
        if only_rendered:
            parts.append("the browser lists " + ", ".join(repr(n) for _k, n, _u in sorted(only_rendered)[:3]))
        if only_served:
            parts.append(
                "the served page lists " + ", ".join(repr(n) for _k, n, _u in sorted(only_served)[:3])
            )
        return f"the attachment lists differ ({'; '.join(parts)} that the other does not)"
    if served.supplier != rendered.supplier:
        return f"the supplier reads {served.supplier!r} served and {rendered.supplier!r} in the browser"
    return ""
