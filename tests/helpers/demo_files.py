"""What a demo PO's folder must hold: the portal's files, by the name they are saved under."""

from __future__ import annotations

from collections.abc import Iterable

from po_downloader.demo_portal import catalog
from po_downloader.engine.output.naming import safe_component


def demo_files(digits: str) -> dict[str, bytes]:
    """``{saved name: bytes}`` of every attachment the demo portal lists for ``digits`` (a PO or requisition)."""
    return {
        safe_component(a.name): catalog.file_bytes(digits, a.index) for a in catalog.attachments_for(digits)
    }


def demo_files_by_po(pos: Iterable[str]) -> dict[str, dict[str, bytes]]:
    """:func:`demo_files` of each PO, by digits: the ``expected`` of the consistency checks."""
    return {digits: demo_files(digits) for digits in pos}
