"""The sign-in flow on its own: the banner's questions, the sign-in and its check off the GUI thread.

No browser: the user's sign-in and the check are the callables the flow is built with. The window's
mid-batch round trip through scripted workers is in ``test_window_batch_flow.py``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from po_downloader.engine.browser.signin import SignInCheck
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings
from po_downloader.ui.banner import Banner
from po_downloader.ui.sign_in_flow import SignInFlow
from tests.helpers.window import still_signed_out


class Recorder:
    """Stands in for the user signing in and for the check; notes which thread each ran on."""

    def __init__(self, verdicts: list[SignInCheck] | None = None) -> None:
        self.verdicts = verdicts or [SignInCheck("https://coupa.example/user/home")]
        self.calls: list[tuple[str, bool]] = []

    def sign_in(self) -> None:
        self.calls.append(("sign_in", threading.current_thread() is threading.main_thread()))

    def verify(self) -> SignInCheck:
        self.calls.append(("verify", threading.current_thread() is threading.main_thread()))
        return self.verdicts.pop(0)


def make_flow(banner: Banner, tmp_path: Path, recorder: Recorder | None = None, **settings) -> SignInFlow:
    current = Settings(**settings)
    return SignInFlow(
        app_dirs(tmp_path / "home"),
        banner,
        lambda: current,
        sign_in_action=recorder.sign_in if recorder else None,
        verifier=recorder.verify if recorder else None,
        parent=banner,
    )


def test_asking_shows_the_reason_and_offers_sign_in_or_stop(qtbot, banner: Banner, tmp_path: Path) -> None:
    flow = make_flow(banner, tmp_path, Recorder())
    flow.ask("session expired")
    assert banner.isVisible()
    assert "session expired" in banner.label.text() and "sign in again" in banner.label.text()
    assert banner.button_texts() == ["Sign in…", "Stop the batch"]
    with qtbot.waitSignal(flow.stop_requested, timeout=1000):
        banner.button("Stop the batch").click()


def test_a_verified_sign_in_hides_the_banner_and_says_signed_in(
    qtbot, banner: Banner, tmp_path: Path
) -> None:
    recorder = Recorder()
    flow = make_flow(banner, tmp_path, recorder)
    busy: list[bool] = []
    status: list[tuple[str, int]] = []
    flow.busy_changed.connect(busy.append)
    flow.status.connect(lambda text, ms: status.append((text, ms)))
    flow.ask("session expired")
    with qtbot.waitSignal(flow.signed_in, timeout=10_000):
        banner.button("Sign in…").click()
    assert recorder.calls == [("sign_in", False), ("verify", False)]  # both off the GUI thread, in order
    assert busy == [True, False] and not flow.busy
    assert not banner.isVisible()
    assert status[0][0].startswith("Sign in in the browser window")
    assert status[-1] == ("Signed in to Coupa", 5000)


def test_a_sign_in_that_did_not_take_asks_again_and_does_not_resume(
    qtbot, banner: Banner, tmp_path: Path
) -> None:
    recorder = Recorder([still_signed_out(), SignInCheck("https://coupa.example/user/home")])
    flow = make_flow(banner, tmp_path, recorder)
    resumed: list[bool] = []
    flow.signed_in.connect(lambda: resumed.append(True))
    flow.sign_in()
    qtbot.waitUntil(lambda: not flow.busy, timeout=10_000)
    assert resumed == []
    assert (
        banner.isVisible()
        and "did not take: still not signed in: https://coupa.example sends the browser to https://sso.example/login"
        in banner.label.text()
    )
    assert banner.button_texts() == ["Try again…"]
    with qtbot.waitSignal(flow.signed_in, timeout=10_000):
        banner.button("Try again…").click()
    assert resumed == [True] and len(recorder.calls) == 4


@pytest.mark.expect_log("po_downloader.ui.jobs", r"background task failed")
def test_a_sign_in_that_raised_says_why_and_offers_to_try_again(
    qtbot, banner: Banner, tmp_path: Path
) -> None:
    def broken() -> None:
        raise RuntimeError("the browser would not open")

    flow = SignInFlow(
        app_dirs(tmp_path / "home"),
        banner,
        Settings,
        sign_in_action=broken,
        verifier=lambda: pytest.fail("no check after a sign-in that failed"),
        parent=banner,
    )
    flow.sign_in()
    qtbot.waitUntil(lambda: not flow.busy, timeout=10_000)
    assert "Could not sign in: the browser would not open" in banner.label.text()
    assert banner.button_texts() == ["Try again…"]


def test_the_default_sign_in_refuses_a_chosen_browser_profile_without_opening_a_browser(
    qtbot, banner: Banner, tmp_path: Path
) -> None:
    flow = make_flow(banner, tmp_path, profile_dir=str(tmp_path / "Edge User Data"))
    flow.sign_in()
    qtbot.waitUntil(lambda: not flow.busy, timeout=10_000)
    assert "sign in to Coupa with that browser itself" in banner.label.text()


def test_a_second_sign_in_while_one_runs_is_ignored(qtbot, banner: Banner, tmp_path: Path) -> None:
    release = threading.Event()
    started: list[int] = []

    def slow_sign_in() -> None:
        started.append(1)
        release.wait(10)

    flow = SignInFlow(
        app_dirs(tmp_path / "home"),
        banner,
        Settings,
        sign_in_action=slow_sign_in,
        verifier=lambda: SignInCheck("https://coupa.example/user/home"),
        parent=banner,
    )
    flow.sign_in()
    qtbot.waitUntil(lambda: started == [1], timeout=10_000)
    flow.sign_in()  # the banner's button and the toolbar's, both clicked
    release.set()
    with qtbot.waitSignal(flow.signed_in, timeout=10_000):
        pass
    qtbot.wait(100)  # a second run would have started on the pool by now
    assert started == [1]
