"""The log panel: records from any thread arrive on the GUI timer, bounded, escaped and coloured."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QTextBlock

from po_downloader.ui.log_panel import ERROR_COLOUR, WARNING_COLOUR, LogPanel, QtLogHandler


@pytest.fixture
def logger(request: pytest.FixtureRequest) -> Iterator[logging.Logger]:
    """A private logger, so the test's records reach only the panel."""
    log = logging.getLogger(f"tests.log_panel.{request.node.name}")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    yield log
    log.handlers.clear()


@pytest.fixture
def panel(qtbot, logger: logging.Logger) -> Iterator[LogPanel]:
    p = LogPanel()
    qtbot.addWidget(p)
    p.attach(logger)
    yield p
    p.detach()


def _blocks(panel: LogPanel) -> list[QTextBlock]:
    doc = panel.view.document()
    return [doc.findBlockByNumber(i) for i in range(doc.blockCount())]


def _colour(block: QTextBlock) -> str:
    return block.begin().fragment().charFormat().foreground().color().name()


def test_records_from_another_thread_appear_on_the_timer(panel, logger, qtbot) -> None:
    thread = threading.Thread(target=lambda: [logger.info("from thread %d", i) for i in range(100)])
    thread.start()
    thread.join()
    assert "from thread" not in panel.text(), "the handler must not touch the widget itself"
    qtbot.waitUntil(lambda: "from thread 99" in panel.text(), timeout=2000)
    lines = panel.text().splitlines()
    assert len(lines) == 100
    assert [line.rsplit(" ", 1)[1] for line in lines] == [str(i) for i in range(100)]
    assert "INFO" in lines[0] and logger.name in lines[0]


def test_the_view_keeps_only_the_newest_lines(qtbot, logger) -> None:
    panel = LogPanel(max_lines=50)
    qtbot.addWidget(panel)
    panel.attach(logger)
    for i in range(200):
        logger.info("line %d", i)
    qtbot.waitUntil(lambda: "line 199" in panel.text(), timeout=2000)
    assert panel.view.document().blockCount() == 50
    assert panel.text().splitlines()[0].endswith("line 150")
    for i in range(200, 210):
        logger.info("line %d", i)
    qtbot.waitUntil(lambda: "line 209" in panel.text(), timeout=2000)
    assert panel.view.document().blockCount() == 50
    assert panel.text().splitlines()[0].endswith("line 160")
    panel.detach()


def test_default_bound_is_5000_lines(panel) -> None:
    assert panel.view.maximumBlockCount() == 5000
    assert panel.view.isReadOnly()


def test_warnings_and_errors_are_coloured_and_markup_is_escaped(panel, logger, qtbot) -> None:
    logger.info("all fine")
    logger.warning("slow <b>portal</b>")
    logger.error("PO & <i>failed</i>")
    qtbot.waitUntil(lambda: "failed" in panel.text(), timeout=2000)
    info, warning, error = _blocks(panel)
    assert warning.text().endswith("slow <b>portal</b>")
    assert error.text().endswith("PO & <i>failed</i>")
    assert _colour(warning) == WARNING_COLOUR
    assert _colour(error) == ERROR_COLOUR
    assert _colour(info) not in (WARNING_COLOUR, ERROR_COLOUR)


def test_a_traceback_is_shown_with_its_indentation(panel, logger, qtbot) -> None:
    try:
        raise ValueError("broken sheet")
    except ValueError:
        logger.exception("could not read")
    qtbot.waitUntil(lambda: "broken sheet" in panel.text(), timeout=2000)
    assert "\n  File " in panel.text()
    assert "ValueError: broken sheet" in panel.text()


def test_the_toggle_shows_and_hides_the_log(panel, qtbot) -> None:
    panel.show()
    assert not panel.view.isVisible() and panel.toggle_button.text() == "Show log"
    panel.toggle_button.click()
    assert panel.view.isVisible() and panel.toggle_button.text() == "Hide log"
    assert panel.expanded
    panel.set_expanded(False)
    assert not panel.view.isVisible() and not panel.toggle_button.isChecked()


def test_detach_flushes_and_stops_listening(qtbot, logger) -> None:
    panel = LogPanel(interval_ms=60_000)  # the timer never fires here: detach itself must flush
    qtbot.addWidget(panel)
    panel.attach(logger)
    logger.warning("last words")
    panel.detach()
    assert "last words" in panel.text()
    assert panel.handler not in logger.handlers
    logger.warning("not shown")
    panel.flush()
    assert "not shown" not in panel.text()


def test_attach_defaults_to_the_root_logger(qtbot) -> None:
    panel = LogPanel()
    qtbot.addWidget(panel)
    panel.attach()
    try:
        assert panel.handler in logging.getLogger().handlers
    finally:
        panel.detach()
    assert panel.handler not in logging.getLogger().handlers


def test_a_destroyed_panel_leaves_no_handler_behind(qtbot, logger) -> None:
    panel = LogPanel()
    panel.attach(logger)
    handler = panel.handler
    panel.deleteLater()
    qtbot.waitUntil(lambda: handler not in logger.handlers, timeout=2000)


def test_the_handler_queues_without_qt(logger) -> None:
    handler = QtLogHandler()
    handler.attach(logger)
    logger.debug("below the level")
    logger.info("one")
    logger.info("two")
    handler.detach()
    assert handler not in logger.handlers
    logger.info("after detach")
    queued = handler.drain(10)
    assert [level for level, _text in queued] == [logging.INFO, logging.INFO]
    assert [text.rsplit(" ", 1)[1] for _level, text in queued] == ["one", "two"]
    assert handler.drain(10) == []


def test_drain_keeps_the_newest(logger) -> None:
    handler = QtLogHandler()
    handler.attach(logger)
    for i in range(10):
        logger.info("n %d", i)
    handler.detach()
    assert [text.rsplit(" ", 1)[1] for _level, text in handler.drain(3)] == ["7", "8", "9"]
