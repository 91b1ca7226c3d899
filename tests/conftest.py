"""Shared fixtures: isolated app dirs, the demo portal as a subprocess, a signed-in Chromium profile; and the
suite's habits: an unexpected warning from our loggers fails a test (``log_guard``), a failed test carries
the portal's and the app's logs (``report_logs``)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests must never reach the network or the user's real settings.
os.environ["SE_OFFLINE"] = "true"

# plugins by name, not imported here: pytest must import them first to rewrite their asserts
pytest_plugins = ["pytester", "tests.helpers.log_guard", "tests.helpers.report_logs"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The frozen tests last: their builds, started when collection ends, overlap everything before them.
    items.sort(key=lambda item: "frozen" in item.keywords)
    if not shutil.which("java"):  # the one reason a grid test may skip: the Grid's server runs on Java
        no_java = pytest.mark.skip(reason="needs Java 17 to run the Selenium Grid server")
        for item in items:
            if "grid" in item.keywords:
                item.add_marker(no_java)
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    skip = pytest.mark.skip(reason="needs Debian chromium + chromium-driver (make test installs them)")
    if os.environ.get("CI"):
        return  # on CI a missing browser must fail loudly, not skip
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


_builds: list[threading.Thread] = []


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run with frozen tests starts their builds now, in the background (a no-op once they are cached)."""
    if any("frozen" in item.keywords for item in session.items):
        from tests.frozen.build_cache import build_in_background

        _builds.append(build_in_background())


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A run that ends before its frozen tests ran (``-x``, Ctrl-C) ends their build, not leaves it behind."""
    if _builds:
        from tests.frozen.build_cache import stop_builds

        stop_builds()
        for build in _builds:
            build.join(timeout=60)


@pytest.fixture
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """All of the app's own dirs (settings, logs, profile copies, run markers) under tmp_path."""
    from po_downloader.engine.system.paths import app_dirs
    from tests.helpers.report_logs import watch_file

    home = tmp_path / "app-home"
    monkeypatch.setenv("PO_DOWNLOADER_HOME", str(home))
    watch_file(app_dirs(home).logs / "po-downloader.log")  # the CLI's and the window's, workers included
    return home


@pytest.fixture(scope="session")
def portal():
    """One portal for the session; tests that break sessions use ``fresh_portal`` instead."""
    from tests.helpers.portal import PortalProcess
    from tests.helpers.report_logs import watch_portal

    with PortalProcess(render_ms=300) as p:
        watch_portal(p)
        yield p


@pytest.fixture
def fresh_portal():
    from tests.helpers.portal import PortalProcess
    from tests.helpers.report_logs import watch_portal

    with PortalProcess(render_ms=300) as p:
        watch_portal(p)
        yield p


@pytest.fixture(scope="session")
def signed_in_profile(portal, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.helpers.batch import sign_in

    return sign_in(portal.url, tmp_path_factory.mktemp("source") / "profile")


@pytest.fixture(scope="session")
def grid(tmp_path_factory: pytest.TempPathFactory):
    """A real Selenium Grid 4 standalone (3 slots, managed downloads), started only by the tests that ask."""
    from tests.helpers.grid import running_grid

    with running_grid(tmp_path_factory.mktemp("grid")) as server:
        yield server
