"""Fixtures for the window's parts."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from po_downloader.ui import i18n, jobs
from po_downloader.ui.background import BackgroundTasks
from po_downloader.ui.banner import Banner


@pytest.fixture(scope="session")
def qt_event_loop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    """The app's asyncio loop on Qt's (qasync), as ``app.py`` installs it: coroutines run while qtbot
    spins Qt (``waitUntil``, ``waitSignal``)."""
    yield jobs.event_loop()
    jobs.close_event_loop()


@pytest.fixture(autouse=True)
def no_task_outlives_its_test(qt_event_loop: asyncio.AbstractEventLoop, qtbot) -> Iterator[None]:
    """A coroutine a test left running is cancelled and awaited before the next test starts."""
    yield
    left = asyncio.all_tasks(qt_event_loop)
    for task in left:
        task.cancel()
    qtbot.waitUntil(lambda: all(task.done() for task in left), timeout=30_000)


@pytest.fixture(autouse=True)
def no_question_blocks_the_run(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A question box nobody answers (offscreen) would hold the whole run for good: a window closed with its
    batch still running asks "Stop the batch?", as pytest-qt closes it after a test that failed mid-batch.
    So an unexpected question is answered Yes (the batch stops, its workers end) and fails the test; a test
    that expects one patches ``QMessageBox.question`` itself."""
    asked: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes
    )
    yield
    assert not asked, f"a question nobody expected was asked (and answered Yes): {asked}"


@pytest.fixture
def tasks(qtbot) -> Iterator[BackgroundTasks]:
    """A pool for the batch controller that outlives every job a test started (a pool torn down under a
    running job crashes the interpreter)."""
    pool_owner = BackgroundTasks()
    yield pool_owner
    pool_owner.pool.waitForDone(30_000)
    qtbot.wait(10)  # deliver the last results before the relays go


@pytest.fixture
def banner(qtbot) -> Iterator[Banner]:
    """A banner in a shown host widget, as in the window."""
    host = QWidget()  # shown like the window, so the banner is visible exactly when it has a message
    qtbot.addWidget(host)
    b = Banner(host)
    host.show()
    yield b  # the host stays referenced (alive) until the test ends


@pytest.fixture(scope="session", autouse=True)
def english_plurals(qapp: QApplication) -> Iterator[None]:
    """The English plural forms installed as the app installs them for an English system ("1 file",
    "2 files"), compiled here when ``make translations`` has not run yet."""
    qm = i18n.translations_dir() / f"{i18n.SOURCE_PLURALS}.qm"
    if not qm.exists():
        ts = qm.with_suffix(".ts")
        lrelease = Path(sys.executable).parent / "pyside6-lrelease"
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True, timeout=60)
    translator = QTranslator()
    assert translator.load(str(qm)), qm
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


@pytest.fixture
def portuguese(qapp: QApplication) -> Iterator[None]:
    """The window's pt-BR translation and locale (numbers, sizes, dates) for one test (the compiled .qm:
    ``make translations``)."""
    qm = i18n.translations_dir() / "po_downloader_pt_BR.qm"
    if not qm.exists():
        pytest.skip(f"{qm.name} is not compiled yet: run `make translations` (`make test` does it first)")
    installed = i18n.install_translators(qapp, QLocale("pt_BR"))
    before = QLocale()
    QLocale.setDefault(QLocale("pt_BR"))
    yield
    QLocale.setDefault(before)
    for translator in installed:
        qapp.removeTranslator(translator)
