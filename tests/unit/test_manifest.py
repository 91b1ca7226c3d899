"""Where a sheet's manifest goes."""

from __future__ import annotations

from pathlib import Path

from po_downloader.engine.output.manifest import manifest_path_for


def test_manifest_path_sits_next_to_the_input() -> None:
    assert manifest_path_for(Path("/in/June POs.xlsx")) == Path("/in/June POs_manifest.csv")
    assert manifest_path_for(Path("/in/pos.csv")) == Path("/in/pos_manifest.csv")
