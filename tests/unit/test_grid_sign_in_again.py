"""Signing in again mid-batch on a Selenium Grid: the sessions opened from then on carry the new sign-in.

A Grid's browsers are signed in by cookies carried from a local copy, read once before the batch. After the
user signs in again, the controller reads them again through its cookie source (``run/grid_batch``), and
asks again, starting nothing, while the profile is still signed out. Scripted workers (no browser, no Grid)
report the cookies their config carried.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.browser.carried_cookies import CarriedSignIn
from po_downloader.engine.browser.launch import BrowserSpec
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.run.controller import BatchController
from po_downloader.engine.run.grid_batch import carry_again
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.run.worker import WorkerConfig
from po_downloader.engine.system.paths import app_dirs
from tests.helpers.batch import Recorder, run_in_thread
from tests.helpers.fake_worker import FakeWorker

pytestmark = pytest.mark.timeout(60)

GRID = "http://127.0.0.1:4444"


def sign_in_of(value: str) -> CarriedSignIn:
    return CarriedSignIn(({"name": "coupa_session", "value": value, "domain": "127.0.0.1", "path": "/"},))


OLD, NEW = sign_in_of("old-session-1111"), sign_in_of("new-session-2222")


def config_for(root: Path) -> WorkerConfig:
    return WorkerConfig(
        base_url="http://127.0.0.1:9",
        download_root=str(root),
        browser=BrowserSpec("chromium"),
        source_user_data_dir=str(root.parent / "profile"),
        grid_url=GRID,
        carried=OLD,
    )


# ---------------------------------------------------------------- carry_again, the rule


def test_the_sign_in_read_again_replaces_the_one_carried(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    fresh = carry_again(config, lambda: NEW)
    assert isinstance(fresh, WorkerConfig)
    assert fresh.carried.cookies == NEW.cookies
    assert replace(fresh, carried=OLD) == config, "nothing but the sign-in changes"


@pytest.mark.parametrize(
    ("source_raises", "kind"),
    [
        (PoDownloaderError(ErrorKind.SIGN_IN_DID_NOT_TAKE, "not signed in: sent to /login"), "sign_in"),
        (None, "grid"),  # the source answers with no cookie of the portal
        (RuntimeError("chromedriver went away"), "sign_in"),
    ],
    ids=["signed-out", "no-cookie", "anything-else"],
)
@pytest.mark.expect_log("po_downloader.engine.run.grid_batch", r"could not be read again")
def test_a_profile_still_signed_out_is_asked_for_again_not_carried(
    tmp_path: Path, source_raises: Exception | None, kind: str
) -> None:
    def source() -> CarriedSignIn:
        if source_raises is not None:
            raise source_raises
        return CarriedSignIn()

    asked = carry_again(config_for(tmp_path), source)
    assert isinstance(asked, ev.SignInNeeded)
    expected = ErrorKind.GRID_NOT_SIGNED_IN if kind == "grid" else ErrorKind.SIGN_IN_DID_NOT_TAKE
    assert asked.kind is expected and asked.kind.needs_sign_in
    assert asked.message


def test_what_is_logged_of_a_new_sign_in_is_a_count_never_a_value(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="po_downloader.engine.run.grid_batch"):
        carry_again(config_for(tmp_path), lambda: NEW)
    assert "(1 cookies)" in caplog.text
    assert "new-session-2222" not in caplog.text


# ---------------------------------------------------------------- through the controller


@dataclass(frozen=True)
class CarryingWorker(FakeWorker):
    """A scripted worker that first notes the cookie values its config carried, by worker id."""

    def __call__(self, worker: int, config, copy_dir: str, staging_dir: str, conn) -> None:  # type: ignore[override]
        notes = Path(config.download_root) / ".carried"
        notes.mkdir(exist_ok=True)
        (notes / str(worker)).write_text(json.dumps([c["value"] for c in config.carried.cookies]))
        super().__call__(worker, config, copy_dir, staging_dir, conn)


def carried_by_worker(root: Path) -> dict[int, list[str]]:
    return {int(p.name): json.loads(p.read_text()) for p in (root / ".carried").iterdir()}


def grid_controller(
    tmp_path: Path, script: dict[str, list[str]], source: Callable[[], CarriedSignIn]
) -> tuple[BatchController, Recorder, Path]:
    root = tmp_path / "downloads"
    root.mkdir()
    recorder = Recorder()
    options = BatchOptions(
        workers=1, max_attempts=2, backoff_base=0.05, governor=False, pause_on_sign_in=True
    )
    pos = [PoNumber(f"1000000{i}") for i in range(1, 5)]
    controller = BatchController(
        config_for(root),
        pos,
        recorder,
        options,
        app_dirs(tmp_path / "home"),
        worker_target=CarryingWorker(script),
        cookie_source=source,
    )
    return controller, recorder, root


def test_workers_started_after_signing_in_again_carry_the_new_sign_in(tmp_path: Path) -> None:
    reads: list[CarriedSignIn] = []

    def source() -> CarriedSignIn:
        reads.append(NEW)
        return NEW

    c, rec, root = grid_controller(tmp_path, {"10000002": ["signin", "ok:1"]}, source)
    thread, out = run_in_thread(c)
    rec.wait(lambda e: isinstance(e, ev.SignInNeeded), timeout=30)
    assert not reads, "the sign-in is read again only once the user signed in again"
    before = {e.worker for e in rec.of(ev.WorkerReady)}
    c.signed_in_again()
    thread.join(30)
    assert not thread.is_alive()
    assert set(out[0].statuses.values()) == {PoStatus.COMPLETED}
    assert len(reads) == 1 and len(rec.of(ev.SignInNeeded)) == 1
    carried = carried_by_worker(root)
    after = set(carried) - before
    assert after, "a fresh worker took over"
    assert {w: carried[w] for w in before} == {w: ["old-session-1111"] for w in before}
    assert {w: carried[w] for w in after} == {w: ["new-session-2222"] for w in after}


@pytest.mark.expect_log("po_downloader.engine.run.grid_batch", r"could not be read again")
def test_signed_in_again_but_still_signed_out_asks_again_and_starts_no_worker(tmp_path: Path) -> None:
    answers: list[CarriedSignIn | Exception] = [
        PoDownloaderError(ErrorKind.SIGN_IN_DID_NOT_TAKE, "not signed in: sent to /login"),
        NEW,
    ]

    def source() -> CarriedSignIn:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    c, rec, root = grid_controller(tmp_path, {"10000002": ["signin", "ok:1"]}, source)
    thread, out = run_in_thread(c)
    rec.wait(lambda e: isinstance(e, ev.SignInNeeded), timeout=30)
    c.signed_in_again()
    asked = rec.wait(
        lambda e: isinstance(e, ev.SignInNeeded) and e.kind is ErrorKind.SIGN_IN_DID_NOT_TAKE, 30
    )
    started_by_then = len(rec.of(ev.WorkerReady))
    assert not thread.join(1.0) and thread.is_alive(), "the batch waits for a sign-in that takes"
    assert len(rec.of(ev.WorkerReady)) == started_by_then == 1, "no worker started on a signed-out profile"
    assert asked.message == "not signed in: sent to /login"
    c.signed_in_again()
    thread.join(30)
    assert not thread.is_alive()
    assert set(out[0].statuses.values()) == {PoStatus.COMPLETED}
    assert not answers, "read once per sign-in"
    assert sorted(v for values in carried_by_worker(root).values() for v in values) == [
        "new-session-2222",
        "old-session-1111",
    ]


def test_off_a_grid_signing_in_again_reads_no_cookies(tmp_path: Path) -> None:
    """Local workers copy the profile itself; the controller has no cookie source then (``make_controller``
    gives one only with a Grid), and the sign-in restart is as before."""
    root = tmp_path / "downloads"
    root.mkdir()
    rec = Recorder()
    c = BatchController(
        replace(config_for(root), grid_url="", carried=CarriedSignIn()),
        [PoNumber("10000001"), PoNumber("10000002")],
        rec,
        BatchOptions(workers=1, max_attempts=2, governor=False, pause_on_sign_in=True),
        app_dirs(tmp_path / "home"),
        worker_target=CarryingWorker({"10000001": ["signin", "ok:1"]}),
    )
    thread, out = run_in_thread(c)
    rec.wait(lambda e: isinstance(e, ev.SignInNeeded), timeout=30)
    c.signed_in_again()
    thread.join(30)
    assert set(out[0].statuses.values()) == {PoStatus.COMPLETED}
    assert all(values == [] for values in carried_by_worker(root).values())
