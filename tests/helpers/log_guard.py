"""A pytest plugin: an unexpected WARNING-or-above record from po-downloader's own loggers fails the test.

A warning nobody reads is a bug report nobody files. A test that makes the app warn on purpose says so with
``@pytest.mark.expect_log("po_downloader.engine.run.controller", r"worker \\d+ is stuck")``: the logger's
exact name and a regex searched in the message, so the same warning from anywhere else still fails. Such a
record must then appear (``optional=True`` for one that depends on timing). Only records of the test
process count: worker processes log to files (see ``report_logs``), not to this process's loggers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Generator, Iterable
from dataclasses import dataclass

import pytest

WATCHED = "po_downloader"
MARKER = (
    "expect_log(logger, pattern, *, optional=False): the test legitimately makes `logger` (exact name) "
    "log a WARNING or worse whose message matches the regex `pattern`; required unless optional=True"
)


@dataclass(frozen=True)
class Expected:
    logger: str
    pattern: re.Pattern[str]
    optional: bool = False

    def matches(self, record: logging.LogRecord) -> bool:
        return record.name == self.logger and self.pattern.search(record.getMessage()) is not None

    def __str__(self) -> str:
        return f"{self.logger}: /{self.pattern.pattern}/"


def expectations(item: pytest.Item) -> list[Expected]:
    found = []
    for mark in item.iter_markers("expect_log"):
        logger, pattern = mark.args
        unknown = set(mark.kwargs) - {"optional"}
        if unknown:
            raise pytest.UsageError(f"expect_log got unknown keywords {sorted(unknown)} on {item.nodeid}")
        found.append(Expected(logger, re.compile(pattern), bool(mark.kwargs.get("optional", False))))
    return found


def describe(record: logging.LogRecord) -> str:
    return f"{record.levelname} {record.name}: {record.getMessage()}"


def unexpected(records: Iterable[logging.LogRecord], expected: list[Expected]) -> list[logging.LogRecord]:
    return [r for r in records if not any(e.matches(r) for e in expected)]


def missing(records: Iterable[logging.LogRecord], expected: list[Expected]) -> list[Expected]:
    seen = list(records)
    return [e for e in expected if not e.optional and not any(e.matches(r) for r in seen)]


class Collector(logging.Handler):
    """Keeps every WARNING-or-above record of the watched logger tree (from any thread of this process)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_collector = pytest.StashKey[Collector]()
_judged = pytest.StashKey[int]()  # how many records the call's report already judged
_call_passed = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    collector = Collector()
    item.stash[_collector] = collector
    logging.getLogger(WATCHED).addHandler(collector)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """The call's report judges the records of setup and call; teardown's judges its own, and whether every
    required record came. Nothing is judged once the test failed or never ran: the failure says more."""
    report = yield
    collector = item.stash.get(_collector, None)
    if collector is None or call.when == "setup":
        return report
    expected = expectations(item)
    if call.when == "call":
        problems = _unexpected(collector.records, expected) if report.passed else []
        item.stash[_judged] = len(collector.records)
    else:
        logging.getLogger(WATCHED).removeHandler(collector)
        if not item.stash.get(_call_passed, False) or not report.passed:
            return report
        problems = _unexpected(collector.records[item.stash[_judged] :], expected)
        problems += [f"expected log record never came: {e}" for e in missing(collector.records, expected)]
    if problems:
        report.outcome = "failed"
        hint = "(a test that means it: @pytest.mark.expect_log(logger, message_regex), see log_guard)"
        report.longrepr = "\n".join([*problems, hint])
    if call.when == "call":
        item.stash[_call_passed] = report.passed
    return report


def _unexpected(records: list[logging.LogRecord], expected: list[Expected]) -> list[str]:
    return [f"unexpected log record: {describe(r)}" for r in unexpected(records, expected)]
