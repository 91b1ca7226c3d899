"""A failed test's report carries the portal's events and the app's log (workers included) it produced."""

from __future__ import annotations

from pathlib import Path

import pytest

import po_downloader

REPO = Path(po_downloader.__file__).resolve().parent.parent

CONFTEST = """
import urllib.request

import pytest

from tests.helpers.portal import PortalProcess
from tests.helpers.report_logs import watch_file, watch_portal

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(scope="session")
def portal():
    with PortalProcess(render_ms=0) as p:
        watch_portal(p)
        yield p


@pytest.fixture
def visit(portal):
    def visit(po):
        mark = portal.mark()
        NO_PROXY.open(f"{portal.url}/order_headers/{po}", timeout=10).close()
        portal.wait_for(lambda e: e.get("po") == po, since=mark)
    return visit


@pytest.fixture(scope="session")
def app_log(tmp_path_factory):
    path = tmp_path_factory.mktemp("home") / "logs" / "po-downloader.log"
    watch_file(path)  # before it exists, as the app creates it on its first record
    return path


def write(path, line):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\\n")


@pytest.fixture(scope="module")
def module_batch(app_log):
    write(app_log, "w1 INFO po_downloader.engine.run.worker: ran in the module fixture")
"""

INNER = """
from conftest import write


def test_a_passing_visit(visit, app_log):
    visit("10000004")
    write(app_log, "w1 INFO earlier test")


def test_failing_visit(visit, app_log):
    visit("10000005")
    write(app_log, "w2 ERROR po_downloader.engine.run.worker: PO10000005 failed")
    assert False, "the portal answered something unexpected"


def test_failing_without_logs():
    assert False


def test_first_of_module(module_batch):
    assert False


def test_second_of_module(module_batch):
    assert False
"""


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_inner=INNER)
    return pytester.runpytest_subprocess("-p", "tests.helpers.report_logs", "-p", "no:cacheprovider", "-rA")


def _report(result: pytest.RunResult, test: str) -> str:
    """The failure report of ``test``: from its ``___ test ___`` header to the next header."""
    text = result.stdout.str()
    start = text.index(f" {test} __")
    end = min(
        (i for i in (text.find("\n___", start), text.find("\n===", start)) if i != -1), default=len(text)
    )
    return text[start:end]


def test_a_failure_carries_the_portal_events_and_the_app_log_that_grew_during_it(
    inner: pytest.RunResult,
) -> None:
    inner.assert_outcomes(passed=1, failed=4)
    report = _report(inner, "test_failing_visit")
    assert "- demo portal http://127.0.0.1:" in report and "(call) -" in report
    assert '"po": "10000005"' in report
    assert '"po": "10000004"' not in report  # the earlier test's visit is not this test's
    assert "po-downloader.log (call) -" in report
    assert "w2 ERROR po_downloader.engine.run.worker: PO10000005 failed" in report
    assert "earlier test" not in report

    # nothing grew: no sections
    report = _report(inner, "test_failing_without_logs")
    assert "demo portal" not in report and "po-downloader.log" not in report

    # a module-scoped fixture's batch (test_po_cases) belongs to every test that uses it
    for test in ("test_first_of_module", "test_second_of_module"):
        assert "ran in the module fixture" in _report(inner, test)
