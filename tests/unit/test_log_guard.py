"""The log guard: an unexpected warning from our loggers fails the test; a marked one is required."""

from __future__ import annotations

from pathlib import Path

import pytest

import po_downloader

REPO = Path(po_downloader.__file__).resolve().parent.parent

INNER = """
import logging
import threading

import pytest

log = logging.getLogger("po_downloader.engine.fake")


def test_unexpected_warning_fails():
    log.warning("disk on fire")


@pytest.mark.expect_log("po_downloader.engine.fake", r"disk on \\w+")
def test_expected_warning_passes():
    log.warning("disk on fire")


@pytest.mark.expect_log("po_downloader.engine.fake", r"disk on fire")
def test_another_message_from_the_marked_logger_fails():
    log.warning("disk on fire")
    log.warning("fan stopped")


@pytest.mark.expect_log("po_downloader.engine.other", r"disk on fire")
def test_the_same_message_from_another_logger_fails():
    log.warning("disk on fire")


@pytest.mark.expect_log("po_downloader.engine.fake", r"disk on fire")
def test_a_required_record_that_never_came_fails():
    pass


@pytest.mark.expect_log("po_downloader.engine.fake", r"disk on fire", optional=True)
def test_an_optional_record_may_stay_away():
    pass


def test_info_and_other_libraries_pass():
    log.info("all fine")
    logging.getLogger("selenium.webdriver").warning("their warning")


def test_a_warning_from_another_thread_fails():
    thread = threading.Thread(target=lambda: log.error("thread broke"))
    thread.start()
    thread.join()


@pytest.fixture
def noisy_teardown():
    yield
    log.error("teardown broke")


def test_a_warning_in_teardown_fails(noisy_teardown):
    pass


def test_a_failure_is_reported_as_itself():
    log.warning("on the way down")
    assert 1 == 2
"""


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makepyfile(test_inner=INNER)
    return pytester.runpytest_subprocess(
        "-p", "tests.helpers.log_guard", "-p", "no:cacheprovider", "-rA", "-vv"
    )


def test_outcomes_follow_the_records_and_the_markers(inner: pytest.RunResult) -> None:
    inner.assert_outcomes(passed=5, failed=5, errors=2)
    inner.stdout.fnmatch_lines_random(
        [
            "PASSED test_inner.py::test_expected_warning_passes",
            "PASSED test_inner.py::test_an_optional_record_may_stay_away",
            "PASSED test_inner.py::test_info_and_other_libraries_pass",
            "FAILED test_inner.py::test_unexpected_warning_fails - unexpected log record: WARNING po_downloader.engine.fake: disk on fire",
            "FAILED test_inner.py::test_another_message_from_the_marked_logger_fails - unexpected log record: WARNING po_downloader.engine.fake: fan stopped",
            "FAILED test_inner.py::test_the_same_message_from_another_logger_fails - unexpected log record: *disk on fire",
            "FAILED test_inner.py::test_a_warning_from_another_thread_fails - unexpected log record: ERROR po_downloader.engine.fake: thread broke",
            "FAILED test_inner.py::test_a_failure_is_reported_as_itself - assert 1 == 2",
            "ERROR test_inner.py::test_a_required_record_that_never_came_fails - expected log record never came: po_downloader.engine.fake: /disk on fire/",
            "ERROR test_inner.py::test_a_warning_in_teardown_fails - unexpected log record: ERROR po_downloader.engine.fake: teardown broke",
        ]
    )


def test_the_marker_is_registered(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    result = pytester.runpytest_subprocess("-p", "tests.helpers.log_guard", "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.expect_log(logger, pattern, *, optional=False):*"])
