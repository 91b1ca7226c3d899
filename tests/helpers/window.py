"""Helpers for tests that drive the main window."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from po_downloader.engine.browser.signin import SignInCheck
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.batch import make_controller
from po_downloader.engine.run.controller import BatchController
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.main_window import MainWindow
from tests.helpers.batch import settings_for
from tests.helpers.fake_worker import FakeWorker

#: The four POs of ``sheet``'s default sheet (the journal and resume window tests), by digits.
SHEET_POS = ["10000001", "10000002", "10000003", "10000004"]
#: The six POs of ``make_window``'s sheet, by digits.
SIX_POS = [f"1000000{i}" for i in range(1, 7)]


def load_sheet(qtbot, window, path: Path, timeout: int = 30_000) -> bool:
    """``window.load_file(path)`` and wait for the read (it runs off the GUI thread): True when loaded."""
    with qtbot.waitSignal(window.sheet_loaded, timeout=timeout) as blocker:
        assert window.load_file(path), "load_file refused the sheet"
    return bool(blocker.args[0])


def sheet(tmp_path: Path, pos: Iterable[str] = SHEET_POS) -> Path:
    """``tmp_path/pos.csv`` listing ``pos`` (digits): written only once, so a second window opens the same
    bytes (and a test's edit to the sheet stays)."""
    path = tmp_path / "pos.csv"
    if not path.exists():
        path.write_text("PO_NUMBER\n" + "".join(f"PO{d}\n" for d in pos), encoding="utf-8")
    return path


def window_with_sheet(
    qtbot, tmp_path: Path, pos: Iterable[str], controller_factory: Callable, **seams: Any
) -> MainWindow:
    """The main window, shown, whose batches are made by ``controller_factory`` (scripted workers, no
    browser): its settings name an address nothing answers and ``tmp_path``'s profile, and a sheet of
    ``pos`` (digits) is loaded."""
    window = MainWindow(app_dirs(), controller_factory=controller_factory, **seams)
    qtbot.addWidget(window)
    window.show()
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    window.settings = settings_for("http://127.0.0.1:9", profile, tmp_path / "out")
    assert load_sheet(qtbot, window, sheet(tmp_path, pos))
    return window


def make_window(qtbot, tmp_path: Path, script: dict[str, list[str]], **seams: Any) -> MainWindow:
    """The window on a sheet of ``SIX_POS``, its batches run by scripted workers (``FakeWorker(script)``)."""
    return window_with_sheet(qtbot, tmp_path, SIX_POS, fast_retries(FakeWorker(script)), **seams)


def window_on(qtbot, tmp_path: Path, script: dict[str, list[str]]) -> MainWindow:
    """The window on ``sheet(tmp_path)`` with one worker, a scripted one writing real files
    (``FakeWorker(script, write_files=True)``): open it again on the same ``tmp_path`` for a second run."""
    window = window_with_sheet(qtbot, tmp_path, SHEET_POS, fast_retries(FakeWorker(script, write_files=True)))
    window.workers.slider.setValue(1)
    return window


def still_signed_out() -> SignInCheck:
    """What the check says when the portal still sends the browser to its sign-in page."""
    page = "https://sso.example/login"
    return SignInCheck(
        page,
        PoDownloaderError(
            ErrorKind.SIGN_IN_DID_NOT_TAKE, "not signed in", url="https://coupa.example", page=page
        ),
    )


def fast_retries(worker_target: Callable[..., None]) -> Callable[..., BatchController]:
    """The window's controller factory with the backoff between attempts cut to a blink: the retry rules are
    the same, the test just does not sit through 2 s + 4 s of waiting."""

    def factory(batch, dirs, options: BatchOptions, sink, **kw):
        return make_controller(
            batch, dirs, replace(options, backoff_base=0.05), sink, worker_target=worker_target, **kw
        )

    return factory


def run_with(qtbot, window: MainWindow, click: Callable[[], None]) -> str:
    """Click, and wait for the batch it starts to finish: the finish summary's text."""
    with qtbot.waitSignal(window.batch_finished, timeout=60_000) as finished:
        click()
    return str(finished.args[0])


def run_to_end(qtbot, window: MainWindow, start: Callable[[], None]) -> None:
    """``start()`` a batch and wait until it has run and ended."""
    start()
    qtbot.waitUntil(lambda: window.session.running, timeout=10_000)
    qtbot.waitUntil(lambda: not window.session.running, timeout=60_000)


def statuses(window: MainWindow) -> list[PoStatus]:
    """The table's statuses, row by row."""
    return [r.outcome.status for r in window.model.rows()]


def calls(tmp_path: Path, digits: str) -> int:
    """How many times a worker was handed ``digits`` (the fake worker notes each hand-out)."""
    path = tmp_path / "out" / ".fake-calls" / digits
    return len(path.read_text().splitlines()) if path.exists() else 0


def read_csv(path: Path) -> list[dict[str, str]]:
    """A results or manifest sheet's rows (it is written with a BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def row_counts(window: MainWindow) -> Counter[PoStatus]:
    """How many of the window's table rows show each status."""
    return Counter(r.outcome.status for r in window.model.rows())
