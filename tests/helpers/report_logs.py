"""A pytest plugin: a failed test carries the logs of the processes it drove.

The demo portal (what it was asked and answered) and the app's log file (which the worker processes append
to) live in other processes, so pytest's own log capture never sees them. Fixtures and helpers ``watch`` them
here; a failed report gets one section per log that grew since the test began, or since the module-scoped
fixture it uses began (``test_po_cases`` runs its batch once, in such a fixture, for several tests).
"""

from __future__ import annotations

import json
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from tests.helpers.portal import PortalProcess

MAX_CHARS = 30_000  # the tail of a long log: the end is where a failure shows
_SHARED_SCOPES = ("package", "module", "class")  # function scope is the test's; session is everyone's


class LogSource(Protocol):
    @property
    def key(self) -> str: ...

    def position(self) -> int:
        """Where the log ends now."""

    def since(self, position: int) -> str:
        """Everything logged after ``position``."""


@dataclass(frozen=True)
class FileLog:
    """A log file that may not exist yet (the app creates it on its first record)."""

    path: Path

    @property
    def key(self) -> str:
        return f"log file {self.path}"

    def position(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def since(self, position: int) -> str:
        try:
            with self.path.open("rb") as f:
                if position <= self.path.stat().st_size:  # smaller: rotated or rewritten, show all
                    f.seek(position)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


@dataclass(frozen=True)
class PortalLog:
    """The portal's JSON event lines, and its stderr (a traceback there is the portal failing)."""

    portal: PortalProcess

    @property
    def key(self) -> str:
        return f"demo portal {self.portal.url}"

    def position(self) -> int:
        return self.portal.mark()

    def since(self, position: int) -> str:
        lines = [json.dumps(e, ensure_ascii=False) for e in self.portal.lines()[position:]]
        stderr = self.portal.stderr_tail()
        if lines and stderr:
            lines += ["--- stderr (last lines) ---", *stderr]
        return "\n".join(lines)


_sources: dict[str, LogSource] = {}
_fixture_starts: dict[str, dict[str, int]] = {}  # shared fixture name -> source positions when it began
_test_start = pytest.StashKey[dict[str, int]]()


def watch(source: LogSource) -> None:
    """Attach this log to the reports of failing tests from now on (watching it twice is harmless)."""
    _sources.setdefault(source.key, source)


def watch_file(path: Path) -> None:
    watch(FileLog(path))


def watch_portal(portal: PortalProcess) -> None:
    watch(PortalLog(portal))


def _positions() -> dict[str, int]:
    return {key: source.position() for key, source in _sources.items()}


def sections(starts: list[dict[str, int]]) -> list[tuple[str, str]]:
    """(title, text) for every watched log that grew since the earliest of ``starts``; a log watched after
    a start began counts from its beginning."""
    found = []
    for key, source in _sources.items():
        text = source.since(min((start.get(key, 0) for start in starts), default=0))
        if text.strip():
            if len(text) > MAX_CHARS:
                text = f"[... {len(text) - MAX_CHARS} characters before these ...]\n" + text[-MAX_CHARS:]
            found.append((key, text))
    return found


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest
) -> Generator[None, object, object]:
    if fixturedef.scope in _SHARED_SCOPES:
        _fixture_starts[fixturedef.argname] = _positions()
    return (yield)


def pytest_fixture_post_finalizer(
    fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest
) -> None:
    if fixturedef.scope in _SHARED_SCOPES:
        _fixture_starts.pop(fixturedef.argname, None)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_test_start] = _positions()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and _test_start in item.stash:
        used = getattr(item, "fixturenames", ())  # a doctest item has none
        shared = [_fixture_starts[name] for name in used if name in _fixture_starts]
        for title, text in sections([item.stash[_test_start], *shared]):
            report.sections.append((f"{title} ({call.when})", text))
    return report
