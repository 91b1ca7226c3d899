"""The sign-in check's throwaway profile copy and browser are run-marked like a batch's: a crash leaves nothing.

The browser is a stand-in (a sleeping child process) so the bookkeeping is tested in seconds; the real
check against the demo portal is covered by the browser tests (``-m browser -k sign_in``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from po_downloader.engine.browser import signin
from po_downloader.engine.browser.launch import BrowserSpec
from po_downloader.engine.browser.page_state import PageKind, PageState
from po_downloader.engine.browser.profile_copy import SourceProfile
from po_downloader.engine.system.paths import AppDirs, app_dirs
from po_downloader.engine.system.processes import end_processes, proc_ref
from po_downloader.engine.system.run_markers import RunMarker, sweep_stale_runs

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def config(tmp_path: Path) -> signin.SignInSetup:
    source = tmp_path / "source"
    source.mkdir(exist_ok=True)
    return signin.SignInSetup(
        "https://acme.example.com", BrowserSpec("chromium"), SourceProfile(source, own=True)
    )


def markers(dirs: AppDirs) -> list[RunMarker]:
    return [RunMarker.load(p) for p in sorted(dirs.runs.glob("run-*.json"))]


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_gone(pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def dirs(app_home: Path) -> AppDirs:
    return app_dirs()


class FakeSession:
    """Stands in for ``BrowserSession``: makes the copy, starts a 'browser', notes what the marker says."""

    seen: dict[str, Any] = {}
    dirs: AppDirs

    def __init__(self, copy_dir: Path) -> None:
        copy_dir.mkdir(parents=True)
        (copy_dir / "Cookies").write_bytes(b"session")
        self.browser = subprocess.Popen(SLEEPER)
        ref = proc_ref(self.browser.pid)
        assert ref is not None
        self.processes = (ref,)
        self.portal = self

    @classmethod
    def open(cls, spec: Any, source: Any, copy_dir: Path, *_: Any, **__: Any) -> FakeSession:
        cls.seen["dirs_at_open"] = [d for m in markers(cls.dirs) for d in m.dirs]
        cls.seen["copy"] = copy_dir
        return cls(copy_dir)

    def check_signed_in(self) -> PageState:
        self.seen["processes_at_check"] = [r for m in markers(self.dirs) for r in m.processes]
        return PageState(PageKind.PO, "signed in", "https://acme.example.com/user/home")

    def quit(self) -> None:
        end_processes(self.processes, timeout=5)
        self.browser.wait(timeout=5)


@pytest.fixture
def fake_session(dirs: AppDirs, monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeSession]]:
    FakeSession.seen = {}
    FakeSession.dirs = dirs
    monkeypatch.setattr(signin, "BrowserSession", FakeSession)
    yield FakeSession


def test_the_copy_and_browser_are_recorded_while_they_exist_and_the_marker_goes_after(
    tmp_path: Path, dirs: AppDirs, fake_session: type[FakeSession]
) -> None:
    check = signin.verify_signed_in(config(tmp_path), dirs)

    assert check.ok and check.url == "https://acme.example.com/user/home"
    copy = fake_session.seen["copy"]
    scratch = copy.parent
    assert scratch.parent == dirs.worker_profiles and scratch.name.startswith("verify-")
    assert fake_session.seen["dirs_at_open"] == [scratch]  # recorded before anything was copied into it
    assert [r.pid for r in fake_session.seen["processes_at_check"]] != []
    assert not scratch.exists()
    assert markers(dirs) == []


def test_a_failed_removal_keeps_the_marker_for_the_next_sweep(
    tmp_path: Path, dirs: AppDirs, fake_session: type[FakeSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(path: Path, **_: Any) -> None:
        raise PermissionError(f"{path} is in use")

    monkeypatch.setattr(signin, "remove_tree", locked)
    with pytest.raises(PermissionError):
        signin.verify_signed_in(config(tmp_path), dirs)
    left = markers(dirs)
    assert [m.dirs for m in left] == [[fake_session.seen["copy"].parent]]
    monkeypatch.undo()
    left[0].close()


CRASHING_CHECK = textwrap.dedent(
    """
    import os, subprocess, sys
    from pathlib import Path
    from po_downloader.engine.browser import signin
    from po_downloader.engine.system.processes import proc_ref
    from po_downloader.engine.browser.launch import BrowserSpec
    from po_downloader.engine.browser.profile_copy import SourceProfile
    from po_downloader.engine.system.paths import app_dirs

    class Crashing:
        @classmethod
        def open(cls, spec, source, copy_dir, *_, **__):
            return cls(copy_dir)

        def __init__(self, copy_dir):
            copy_dir.mkdir(parents=True)
            (copy_dir / "Cookies").write_bytes(b"session")
            # Not on our pipes: the test reads them to the end, which a live 'browser' would hold open.
            browser = subprocess.Popen(
                [sys.executable, "-c", "import time; time.sleep(60)"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.processes = (proc_ref(browser.pid),)
            self.portal = self
            print(browser.pid, copy_dir, sep="\\n", flush=True)

        def check_signed_in(self):
            os._exit(9)  # the app dies mid-check: killed, power cut, crash

    signin.BrowserSession = Crashing
    signin.verify_signed_in(
        signin.SignInSetup("https://acme.example.com", BrowserSpec(), SourceProfile(Path(sys.argv[1]), own=True)),
        app_dirs(),
    )
    """
)


def test_a_crash_during_the_check_leaves_nothing_after_the_next_sweep(tmp_path: Path, dirs: AppDirs) -> None:
    (tmp_path / "source").mkdir()
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_CHECK, str(tmp_path / "source")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
        check=False,
    )
    assert crashed.returncode == 9, crashed.stderr
    browser_pid, copy = crashed.stdout.split("\n")[:2]
    scratch = Path(copy).parent
    assert scratch.name.startswith("verify-") and (Path(copy) / "Cookies").exists()
    assert not gone(int(browser_pid))
    [marker] = markers(dirs)
    assert json.loads(marker.path.read_text(encoding="utf-8"))["dirs"] == [str(scratch)]

    report = sweep_stale_runs(dirs.runs)

    assert report.runs == 1
    assert report.ended == [int(browser_pid)]
    assert report.removed_dirs == [scratch]
    assert not scratch.exists()
    assert wait_gone(int(browser_pid))
    assert markers(dirs) == []
