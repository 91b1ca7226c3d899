"""The CLI: terminal progress as an event sink, and command-line parsing."""

from __future__ import annotations

import io
import sys
import types
from pathlib import Path

import pytest

from po_downloader.cli.main import EXIT_OK, build_parser, main
from po_downloader.cli.progress import TerminalProgress
from po_downloader.engine import events as ev
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def P(display: str) -> PoNumber:
    return PoNumber(display[2:], display[:2])


def test_one_line_per_final_po_and_none_for_requeued_ones() -> None:
    out, clock = io.StringIO(), Clock()
    progress = TerminalProgress(4, out, clock=clock)
    progress(ev.BatchStarted(0, total=4, workers=2))
    progress(
        ev.PoFinished(
            1, P("PO100001"), PoOutcome(PoStatus.COMPLETED, supplier="Acme", found=2, downloaded=2, size=2048)
        )
    )
    progress(ev.BatchProgress(0, done=1, failed=0, left=3, total_bytes=2048))
    progress(ev.PoRequeued(2, P("PO100002"), PoStatus.SIGN_IN_REQUIRED, "sign in"))
    progress(ev.PoLeftOver(0, P("PO100003"), PoStatus.PENDING, "not processed"))
    progress(
        ev.PoFinished(
            2,
            P("PO100004"),
            PoOutcome(PoStatus.PARTIAL, supplier="Acme", found=3, downloaded=1, message="b: gone"),
        )
    )
    progress(ev.BatchProgress(0, done=2, failed=1, left=2, total_bytes=2048))
    progress(ev.PoFinished(1, P("PO100005"), PoOutcome(PoStatus.NO_ATTACHMENTS, supplier="Beta")))
    progress(ev.BatchProgress(0, done=3, failed=1, left=1, total_bytes=2048))
    printed = lines(out)
    assert printed[0] == "4 POs to download with 2 workers"
    assert len(printed) == 4
    assert printed[1].split() == ["PO100001", "COMPLETED", "2/2", "files", "Acme"]
    assert printed[2].split()[:4] == ["PO100004", "PARTIAL", "1/3", "files"]
    assert printed[2].endswith("b: gone")  # failures show why, not the supplier
    assert printed[3].split() == ["PO100005", "NO_ATTACHMENTS", "Beta"]
    assert not any("PO100002" in line or "PO100003" in line for line in printed)
    assert (progress.done, progress.failed, progress.bytes) == (3, 1, 2048)
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()  # no bar on a pipe


def test_status_line_counts_and_eta() -> None:
    clock = Clock(100.0)
    progress = TerminalProgress(4, io.StringIO(), clock=clock)
    progress(ev.BatchStarted(0, total=4, workers=3))
    assert "ETA —" in progress.status_line()
    progress(ev.WorkerReady(1, pid=11))
    progress(ev.WorkerReady(2, pid=12))
    clock.now = 130.0
    progress(ev.PoFinished(1, P("PO100001"), PoOutcome(PoStatus.COMPLETED, size=1536)))
    progress(ev.BatchProgress(0, done=1, failed=0, left=3, total_bytes=1536))
    clock.now = 160.0
    progress(ev.PoFinished(2, P("PO100002"), PoOutcome(PoStatus.FAILED, message="gave up")))
    progress(ev.BatchProgress(0, done=2, failed=1, left=2, total_bytes=1536))
    line = progress.status_line()
    assert "2/4 done" in line
    assert "1 failed" in line
    assert "2 left" in line
    assert "1.5 KB" in line
    assert "2 workers" in line
    assert "ETA 1m00s" in line  # 60 s for 2 POs, 2 more to go
    assert line.startswith("[" + "#" * 12 + "." * 12 + "]")
    clock.now = 190.0
    progress(ev.PoFinished(1, P("PO100003"), PoOutcome(PoStatus.COMPLETED)))
    progress(ev.BatchProgress(0, done=3, failed=1, left=1, total_bytes=1536))
    progress(ev.PoFinished(1, P("PO100004"), PoOutcome(PoStatus.COMPLETED)))
    progress(ev.BatchProgress(0, done=4, failed=1, left=0, total_bytes=1536))
    line = progress.status_line()
    assert "4/4 done" in line and "0 left" in line and "ETA —" in line


def test_worker_messages_are_printed() -> None:
    out = io.StringIO()
    progress = TerminalProgress(1, out, clock=Clock())
    progress(ev.WorkerReady(1, pid=1))
    progress(ev.WorkerDied(1, exitcode=-9, po=P("PO100001")))
    progress(ev.WorkerCountChanged(0, target=2, requested=4, reason="CPU 95% > 80%"))
    progress(ev.PoRetrying(0, P("PO100001"), attempt=2, delay=4.0, reason="portal error"))
    progress(ev.SignInNeeded(0, "session expired"))
    progress(ev.Heartbeat(1))  # not shown
    printed = lines(out)
    assert len(printed) == 4
    assert "worker 1 stopped unexpectedly while working PO100001 (exit code -9)" in printed[0]
    assert "workers: 2 (asked for 4)" in printed[1] and "CPU 95% > 80%" in printed[1]
    assert "retry #2 in 4s: portal error" in printed[2]
    assert "po-downloader sign-in" in printed[3]
    assert progress.workers == 0


def test_tty_redraws_the_bar_in_place() -> None:
    out = Tty()
    progress = TerminalProgress(2, out, clock=Clock())
    progress(ev.PoFinished(1, P("PO100001"), PoOutcome(PoStatus.COMPLETED)))
    text = out.getvalue()
    assert text.count("PO100001") == 1
    assert text.endswith(progress.status_line())
    assert "\r\x1b[2K[" in text
    progress.finish()
    assert out.getvalue().endswith("\n")


# ------------------------------------------------------------------ argument parsing


def test_parse_run() -> None:
    args = build_parser().parse_args(["run", "x.csv", "--workers", "3", "--out", "d", "--all", "--headless"])
    assert args.command == "run"
    assert args.input == Path("x.csv")
    assert args.workers == 3
    assert args.out == Path("d")
    assert args.all is True
    assert args.headless is True
    assert args.results is None and args.attempts is None and args.no_governor is False
    assert args.base_url is None and args.browser is None


def test_parse_run_defaults_and_no_headless() -> None:
    args = build_parser().parse_args(
        ["--dev-dir", "dev", "run", "x.xlsx", "--no-headless", "--browser", "chromium", "--attempts", "5"]
    )
    assert args.dev_dir == Path("dev")
    assert args.headless is False
    assert args.all is False
    assert args.browser == "chromium" and args.attempts == 5
    assert build_parser().parse_args(["run", "x.csv"]).headless is None  # not given: the saved setting


def test_parse_sign_in() -> None:
    args = build_parser().parse_args(["sign-in", "--base-url", "https://acme.coupahost.com"])
    assert args.command == "sign-in"
    assert args.base_url == "https://acme.coupahost.com"


def test_parse_demo() -> None:
    args = build_parser().parse_args(["demo", "--count", "5"])
    assert args.command == "demo"
    assert args.count == 5
    assert args.visible is False and args.workers is None
    assert build_parser().parse_args(["demo"]).count == 24


@pytest.mark.parametrize(
    "argv",
    [["run"], ["run", "x.csv", "--workers", "many"], ["run", "x.csv", "--browser", "firefox"], ["nope"]],
)
def test_bad_arguments_exit_with_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(argv)
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_no_command_opens_the_window(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    calls = []
    fake = types.ModuleType("po_downloader.ui.app")
    fake.run_gui = lambda **kw: calls.append(kw) or EXIT_OK  # the real one needs Qt and a display
    monkeypatch.setitem(sys.modules, "po_downloader.ui.app", fake)
    assert main(["--dev-dir", str(tmp_path), "--smoke-test"]) == EXIT_OK
    assert calls == [{"dev_dir": tmp_path, "smoke": True}]


def test_a_pos_outcome_kind_prints_the_engines_english_sentence_with_its_detail() -> None:
    """The kinds a window words (issue 18 item 6) leave the terminal its full English: the reason per file."""
    from po_downloader.engine.errors import ErrorKind
    from po_downloader.engine.outcome import GAVE_UP_AFTER

    out = io.StringIO()
    progress = TerminalProgress(2, out, clock=Clock())
    missing = {"missing": "1", "total": "2", "names": "b.pdf"}
    partial = PoOutcome(
        PoStatus.PARTIAL,
        found=2,
        downloaded=1,
        message="missing 1 of 2: b.pdf: HTTP 500",
        kind=ErrorKind.FILES_MISSING,
        details=missing,
    )
    given_up = PoOutcome(
        PoStatus.FAILED,
        message="gave up after 3 attempts: portal error: HTTP 502",
        kind=ErrorKind.PORTAL_ERROR_PAGE,
        details={"detail": "HTTP 502", GAVE_UP_AFTER: "3"},
    )
    progress(ev.PoFinished(1, P("PO100001"), partial))
    progress(ev.PoFinished(1, P("PO100002"), given_up))
    printed = lines(out)
    assert printed[0].endswith("missing 1 of 2: b.pdf: HTTP 500")
    assert printed[1].endswith("gave up after 3 attempts: portal error: HTTP 502")
    assert printed[1].count("gave up") == 1
