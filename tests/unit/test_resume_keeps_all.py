"""A batch of a results sheet started with ``--all`` and stopped, then run again without ``--all``: the
CLI's own ``run_command`` on scripted workers (no browser).

The batch holds every PO of the sheet. The plain run resumes it: it must carry on the batch's whole plan
(the rows the sheet says COMPLETED included), so the batch ends and is not offered for resume again.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import pytest

from po_downloader.cli import run as cli_run
from po_downloader.cli.main import build_parser
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.journal import Journal
from po_downloader.engine.run.batch import make_controller
from po_downloader.engine.run.resume import check_resume
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import stopped_all_run
from tests.helpers.fake_worker import FakeWorker

pytestmark = pytest.mark.timeout(120)


def test_a_batch_started_with_all_resumed_without_it_works_its_whole_plan_and_ends(
    tmp_path: Path, app_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, settings = stopped_all_run(tmp_path)
    dirs = app_dirs()
    root, profile = Path(settings.download_root), Path(settings.profile_dir)

    # The same sheet, run again without --all (the CLI's run_command; scripted workers for browsers).
    monkeypatch.setattr(
        cli_run, "make_controller", functools.partial(make_controller, worker_target=FakeWorker())
    )
    args = build_parser().parse_args(
        ["run", str(sheet), "--out", str(root), "--workers", "1", "--attempts", "1", "--no-governor"]
        + ["--base-url", settings.base_url, "--browser", "chromium", "--profile-dir", str(profile)]
    )
    capsys.readouterr()
    code = cli_run.run_command(args, dirs, tmp_path / "log.txt")
    out, err = capsys.readouterr()

    assert code == 0, out + err
    assert "resuming the batch of" in out and "1 of 3 POs done" in out, out
    with Journal.open(dirs.journal_file) as journal:
        (record,) = journal.history()  # one batch of the sheet, carried on and ended
        assert not record.unfinished, record
        assert [s.outcome.status for s in journal.po_states(record.id)] == [PoStatus.COMPLETED] * 3
    assert check_resume(dirs, sheet).resumable is None  # no offer at the next launch
    with (tmp_path / "june_results.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert [r["STATUS"] for r in csv.DictReader(fh)] == ["COMPLETED"] * 3
