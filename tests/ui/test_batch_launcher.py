"""Start and retry without a session: settings checked first, prepared once off the GUI thread, retries
reuse the prepared batch and run exactly the rows they reset."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from po_downloader.engine.input.plan import plan_batch
from po_downloader.engine.input.po import normalise_po
from po_downloader.engine.input.sheet import read_sheet
from po_downloader.engine.models import PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings
from po_downloader.ui import batch_launcher
from po_downloader.ui.batch_launcher import BatchLauncher
from po_downloader.ui.task_model import TaskRow, TaskTableModel
from tests.helpers.batch import settings_for
from tests.helpers.read_only import make_read_only


class StubSession:
    """Records what would run; the real session and controller are covered by the window's flow tests."""

    def __init__(self) -> None:
        self.running = False
        self.started: list[tuple] = []

    def start(self, batch, options, pos=None) -> None:
        self.started.append((batch, options, pos))


@pytest.fixture
def parts(qtbot, tmp_path: Path, monkeypatch):
    profile = tmp_path / "profile"
    profile.mkdir()
    settings = {"now": settings_for("http://127.0.0.1:9", profile, tmp_path / "out")}
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO10000001\nPM10000002\nPO10000003\n", encoding="utf-8")
    plan = plan_batch(read_sheet(sheet))
    model = TaskTableModel()
    model.set_rows([TaskRow(normalise_po(po.display)) for po in plan.pos])
    session = StubSession()
    prepared: list[bool] = []
    real_prepare = batch_launcher.prepare

    def spy(*args, **kwargs):
        prepared.append(threading.current_thread() is threading.main_thread())
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(batch_launcher, "prepare", spy)
    launcher = BatchLauncher(
        app_dirs(tmp_path / "home"),
        session,  # type: ignore[arg-type]
        model,
        settings=lambda: settings["now"],
        workers=lambda: 3,
        parent=model,
    )
    launcher.use_sheet(sheet, plan)
    return launcher, session, model, settings, prepared, sheet


def test_settings_that_cannot_run_refuse_to_start_and_offer_the_settings(qtbot, parts) -> None:
    launcher, session, _model, settings, prepared, _sheet = parts
    settings["now"] = Settings()  # no Coupa URL
    with qtbot.waitSignal(launcher.cannot_start, timeout=1000) as refused:
        assert not launcher.start()
    message, settings_help = refused.args
    assert message.startswith("Cannot start:") and "URL" in message and settings_help
    assert session.started == [] and prepared == [] and not launcher.preparing


def test_start_prepares_off_the_gui_thread_then_runs_the_whole_sheet(qtbot, parts, tmp_path: Path) -> None:
    launcher, session, _model, _settings, prepared, _sheet = parts
    preparing: list[bool] = []
    launcher.preparing_changed.connect(preparing.append)
    with qtbot.waitSignal(launcher.launched, timeout=10_000) as launched:
        assert launcher.start()
        assert launcher.preparing and not launcher.can_start
    assert launched.args == [3]
    assert prepared == [False] and preparing == [True, False]
    batch, options, pos = session.started[0]
    assert pos is None and launcher.batch is batch
    assert (options.workers, options.pause_on_sign_in, options.governor) == (3, True, True)
    assert (tmp_path / "pos_results.csv").exists()  # written before the first PO finishes


def test_retries_reuse_the_prepared_batch_and_reset_only_their_rows(qtbot, parts) -> None:
    launcher, session, model, _settings, prepared, _sheet = parts
    with qtbot.waitSignal(launcher.launched, timeout=10_000):
        launcher.start()
    batch = launcher.batch
    for i, status in enumerate((PoStatus.COMPLETED, PoStatus.FAILED, PoStatus.PO_NOT_FOUND)):
        model.row(i).outcome = PoOutcome(status, message="why")
    assert launcher.can_retry
    with qtbot.waitSignal(launcher.launched, timeout=1000) as launched:
        launcher.retry_failed()
    assert launched.args == [1]
    again_batch, _options, pos = session.started[-1]
    assert again_batch is batch and prepared == [False]  # no second prepare
    assert [p.display for p in pos] == ["PM10000002"]
    assert [r.outcome.status for r in model.rows()] == [
        PoStatus.COMPLETED,
        PoStatus.PENDING,
        PoStatus.PO_NOT_FOUND,
    ]

    with qtbot.waitSignal(launcher.launched, timeout=1000):
        launcher.retry_rows([normalise_po("PO10000003")])
    assert [p.display for p in session.started[-1][2]] == ["PO10000003"]
    assert model.row(0).outcome == PoOutcome(PoStatus.COMPLETED, message="why")


def test_nothing_retries_before_a_batch_was_prepared(qtbot, parts) -> None:
    launcher, session, model, _settings, _prepared, _sheet = parts
    model.row(0).outcome = PoOutcome(PoStatus.FAILED)
    assert not launcher.can_retry
    launcher.retry_failed()
    launcher.retry_rows([normalise_po("PO10000001")])
    assert session.started == [] and model.row(0).outcome.status is PoStatus.FAILED


def test_a_batch_that_cannot_be_prepared_says_why(qtbot, parts, tmp_path: Path) -> None:
    launcher, session, _model, settings, _prepared, _sheet = parts
    settings["now"] = settings["now"].with_(profile_dir=str(tmp_path / "missing-profile"))
    with qtbot.waitSignal(launcher.cannot_start, timeout=10_000) as refused:
        launcher.start()
    message, settings_help = refused.args
    assert "missing-profile" in message and settings_help
    assert session.started == [] and not launcher.preparing and launcher.can_start


def test_a_batch_prepared_for_a_sheet_no_longer_shown_is_not_started(qtbot, parts, monkeypatch) -> None:
    launcher, session, _model, _settings, _prepared, sheet = parts
    release = threading.Event()
    real_prepare = batch_launcher.prepare

    def slow(*args, **kwargs):
        release.wait(10)
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(batch_launcher, "prepare", slow)
    launcher.start()
    launcher.use_sheet(sheet, plan_batch(read_sheet(sheet)))  # another sheet loaded meanwhile
    with qtbot.waitSignal(launcher.preparing_changed, timeout=10_000) as done:
        release.set()
    assert done.args == [False]
    assert session.started == [] and launcher.batch is None


def test_a_results_file_that_cannot_be_written_is_named_without_offering_the_settings(
    qtbot, parts, tmp_path: Path, monkeypatch
) -> None:
    """The sheet's folder is a read-only volume (simulated EROFS: tests/helpers/read_only.py)."""
    launcher, session, _model, _settings, _prepared, sheet = parts
    make_read_only(monkeypatch, sheet.parent)
    with qtbot.waitSignal(launcher.cannot_start, timeout=10_000) as refused:
        launcher.start()
    message, settings_help = refused.args
    assert f"“{sheet.parent / 'pos_results.csv'}”" in message and "nothing was started" in message
    assert not settings_help
    assert session.started == [] and not launcher.preparing and launcher.can_start
