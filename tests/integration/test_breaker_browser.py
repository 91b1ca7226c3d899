"""The breaker through real headless Chromium against the demo portal: one company's POs are denied, so
after its last N POs all ended "no access" the rest of that company is skipped (never requested) while the
other company completes; once access is granted, ``--retry-skipped`` runs exactly the skipped POs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.demo_portal import catalog
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.output.naming import work_folder
from tests.helpers.cli import run_args
from tests.helpers.demo_files import demo_files
from tests.helpers.portal import PortalProcess

pytestmark = pytest.mark.browser

BREAKER = 3
WORKERS = 2


@pytest.fixture
def denied_portal(portal: PortalProcess) -> Iterator[PortalProcess]:
    """The session's portal; the test denies a company's POs, granted again afterwards for the next test."""
    try:
        yield portal
    finally:
        portal.control(deny_access=None)


def completed(root: Path, digits: str) -> dict[str, bytes]:
    folder = work_folder(root, catalog.supplier_for(digits), f"PO{digits}").parent / f"PO{digits}_COMPLETED"
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def statuses(sheet: Path) -> dict[str, str]:
    results = read_sheet(sheet)
    po, status = results.columns.index("PO"), results.columns.index("STATUS")
    return {str(row[po]).removeprefix("PO"): str(row[status]) for row in results.rows}


def test_a_denied_company_is_skipped_while_the_other_completes_then_retry_skipped_runs_it(
    tmp_path: Path,
    app_home: Path,
    denied_portal: PortalProcess,
    signed_in_profile: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    portal = denied_portal
    pos = catalog.demo_po_numbers(12)
    denied, fine = pos[:8], pos[8:]
    order = denied[:4] + fine[:2] + denied[4:] + fine[2:]  # the other company is worked between and after
    company = {**dict.fromkeys(denied, "2000"), **dict.fromkeys(fine, "1000")}
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO;Company\n" + "".join(f"PO{d};{company[d]}\n" for d in order), encoding="utf-8")
    root = tmp_path / "downloads"
    portal.control(deny_access=denied, reset_counts=True)

    args = run_args(sheet, root, portal.url, signed_in_profile, "--breaker", str(BREAKER), workers=WORKERS)
    code = main([*args, "--breaker-group", "Company"])

    out = capsys.readouterr()
    assert code == 1, out.err
    assert f"stopped sending Company 2000: its last {BREAKER} POs all ended with no access" in out.err
    first = statuses(tmp_path / "pos_results.csv")
    assert all(completed(root, d) == demo_files(d) for d in fine), "the other company completes"
    assert all(first[d] == "COMPLETED" for d in fine)
    assert {first[d] for d in denied} == {"NO_ACCESS", "SKIPPED"}
    skipped = [d for d in denied if first[d] == "SKIPPED"]
    # The trip comes after BREAKER no-access answers; at most the other worker's PO is still in flight.
    assert len(skipped) >= len(denied) - BREAKER - (WORKERS - 1)
    hits = portal.state()["page_hits"]
    # A skipped PO is never worked; at most each worker's next page was loading ahead (the spare tab).
    assert len([d for d in skipped if hits.get(d)]) <= WORKERS, "skipped POs' pages were requested"
    assert all(hits.get(d) for d in denied if first[d] == "NO_ACCESS")

    # Access granted: --retry-skipped runs exactly the skipped POs, on the sheet's journal batch.
    portal.control(deny_access=None, reset_counts=True)
    again = main([*args, "--retry-skipped"])

    out = capsys.readouterr()
    assert again == 0, out.err
    assert f"retrying the {len(skipped)} POs the breaker skipped" in out.out
    assert set(portal.state()["page_hits"]) == set(skipped), "only the skipped POs are worked again"
    assert all(completed(root, d) == demo_files(d) for d in skipped)
    second = statuses(tmp_path / "pos_results.csv")
    assert {d: second[d] for d in skipped} == dict.fromkeys(skipped, "COMPLETED")
    assert {d: second[d] for d in pos if d not in skipped} == {d: first[d] for d in pos if d not in skipped}

    # Nothing skipped any more: a second --retry-skipped has nothing to run.
    assert main([*args, "--retry-skipped"]) == 0
    assert "nothing to retry" in capsys.readouterr().out
