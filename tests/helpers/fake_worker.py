"""A worker process without a browser: it replays a script, so the controller is tested in seconds.

``FakeWorker(script)`` is the ``worker_target`` given to ``BatchController``; the controller spawns it
like the real ``worker_main`` (a real process, a real pipe), and it answers each PO as the script says:

    {"10000001": ["ok:2"], "10000002": ["fail", "ok:1"], "10000003": ["crash", "ok:1"]}

One step per time the PO is handed to a worker, counted across worker processes (the last one repeats): ``ok:N`` completes with N files, ``empty`` has no
attachments, ``notfound``, ``noaccess``, ``down`` (the portal's error page, retryable), ``fail`` (a retryable failure), ``held`` (one with a kind), ``signin`` (the session expired; the URL reached is ``<base>/login?po=<digits>``), ``crash``
(the process dies mid-PO), ``disk`` (the download disk is full: a ``WorkerError`` DISK_FULL, then the process
exits, as the real worker does), ``hang`` (never answers but keeps beating), ``freeze`` (the whole process
stops, heartbeat included: SIGSTOP), ``slow:S`` (sleeps S seconds, then ``ok:1``).
``agree``/``disagree`` complete through the browser after an ``HttpProbe`` saying the served list agreed or
not; ``http`` completes with route ``http`` when the task's ``HttpPlan`` trusts lists, else ``browser``.
``start`` picks how the worker starts: ``ready`` (default), ``crash``, ``signin``, ``grid-signin`` (the
sign-in carried to a Grid did not take, naming the Grid) or ``config``;
``start_by_worker`` overrides it for given worker ids (ids count up from 1 in the order workers are spawned).
A PO not in the script completes with one file. Each attempt starts with ``PoStarted``; like the real worker,
a thread sends a ``Heartbeat`` every ``beat`` seconds, and it logs only through its pipe: ``log_lines`` lines
``fake worker <id> line <n>`` are logged once it is ready, then the files the process holds open are written to
``<download root>/.fake-open-files/<id>``. Each task handed over is noted in ``<download root>/.fake-tasks/<digits>``, the PO reserved to follow it
in ``.fake-ahead/<digits>``.

With ``write_files=True`` an ``ok:N`` step does what the real worker does on disk: N files with
:func:`fake_file_bytes` staged in the worker's staging folder, placed in ``<root>/Fake Supplier/<PO>__WORK``
(``place_download``: an identical file already there is kept once), each told by a hashed ``FileSaved``,
then the folder renamed to ``<PO>_COMPLETED``; ``pace`` seconds pass before each answer (until the file
``pace_until`` exists, when one is named: a test that needs the batch long only until some moment ends it
quickly after that moment).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import psutil

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.downloads import place_download
from po_downloader.engine.output.folders import finalise_folder
from po_downloader.engine.output.naming import work_folder
from po_downloader.engine.run.log_relay import send_logs_to_controller

log = logging.getLogger("tests.fake_worker")

FAKE_SUPPLIER = "Fake Supplier"


def fake_file_name(index: int) -> str:
    return f"attachment-{index + 1}.pdf"


def fake_file_bytes(digits: str, index: int) -> bytes:
    """The bytes of a PO's ``index``-th file: different for every PO and file, a few KiB."""
    seed = f"PO{digits} file {index + 1}\n".encode()
    return seed * (200 + int(digits[-2:]) + 7 * index)


def fake_files(digits: str, n: int) -> dict[str, bytes]:
    """What a written ``ok:N`` leaves in the PO's folder: name -> bytes."""
    return {fake_file_name(i): fake_file_bytes(digits, i) for i in range(n)}


@dataclass(frozen=True)
class FakeWorker:
    script: dict[str, list[str]] = field(default_factory=dict)
    start: str = "ready"
    start_by_worker: dict[int, str] = field(default_factory=dict)
    startup_seconds: float = 0.0
    log_lines: int = 0
    beat: float = 0.2
    write_files: bool = False
    pace: float = 0.0
    pace_until: str = ""

    def __call__(self, worker: int, config, copy_dir: str, staging_dir: str, conn: Connection) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        lock = threading.Lock()

        def send(event: ev.Event) -> None:
            with lock:
                conn.send(event)

        def beat() -> None:
            while True:
                time.sleep(self.beat)
                try:
                    send(ev.Heartbeat(worker))
                except OSError:
                    return

        threading.Thread(target=beat, daemon=True).start()
        send_logs_to_controller(worker, send, config.log_level)
        Path(copy_dir).mkdir(parents=True, exist_ok=True)
        time.sleep(self.startup_seconds)
        start = self.start_by_worker.get(worker, self.start)
        if start == "crash":
            os._exit(3)
        if start in ("signin", "grid-signin", "config"):
            send(
                ev.WorkerError(worker, "not signed in", ErrorKind.NOT_SIGNED_IN)
                if start == "signin"
                else ev.WorkerError(worker, "grid", ErrorKind.GRID_NOT_SIGNED_IN, {"url": "http://grid:4444"})
                if start == "grid-signin"
                else ev.WorkerError(worker, "bad selectors", ErrorKind.SELECTORS_BAD_VALUE, {"key": "po_url"})
            )
            return
        send(ev.WorkerReady(worker, os.getpid(), (), 0.01))
        if self.log_lines:
            self._log(worker, Path(config.download_root) / ".fake-open-files")
        while True:
            try:
                order = conn.recv()
            except EOFError:
                return
            if order.task is None:
                return
            task = order.task
            # Noted before the start is told: a test that acts on PoStarted (a stop) never races the note.
            self._note_task(task, Path(config.download_root) / ".fake-tasks", getattr(order, "ahead", None))
            send(
                ev.PoStarted(
                    worker, task.po, task.attempt, f"{config.base_url}/order_headers/{task.po.digits}"
                )
            )
            if not (self.pace_until and os.path.exists(self.pace_until)):
                time.sleep(self.pace)
            root = Path(config.download_root)
            answer = self._answer(worker, task, root / ".fake-calls", config.base_url)
            if isinstance(answer, tuple):  # an HttpProbe first, as the real worker sends it
                probe, answer = answer
                send(probe)
            if isinstance(answer, ev.WorkerError):
                send(answer)
                return
            if self.write_files and answer.outcome.status is PoStatus.COMPLETED:
                answer = self._write(worker, task.po, root, Path(staging_dir), answer.outcome.found, send)
            send(answer)

    def _write(self, worker: int, po: PoNumber, root: Path, staging: Path, n: int, send) -> ev.AttemptEnded:
        """The real worker's disk work for ``n`` files: staged, placed once, hashed, folder finalised."""
        folder = work_folder(root, FAKE_SUPPLIER, po.display)
        folder.mkdir(parents=True, exist_ok=True)
        staging.mkdir(parents=True, exist_ok=True)
        files = fake_files(po.digits, n)
        send(ev.AttachmentsFound(worker, po, FAKE_SUPPLIER, tuple(files), "PO", str(folder)))
        size = 0
        for name, data in files.items():
            staged = staging / name
            staged.write_bytes(data)
            placed = place_download(staged, folder, name)
            size += len(data)
            if not placed.duplicate:
                send(
                    ev.FileSaved(
                        worker,
                        po,
                        placed.path.name,
                        str(placed.path),
                        len(data),
                        sha256=hashlib.sha256(data).hexdigest(),
                        url=f"fake://{po.digits}/{name}",
                    )
                )
        final = finalise_folder(folder, po.display, PoStatus.COMPLETED)
        return ev.AttemptEnded(
            worker,
            po,
            PoOutcome(
                PoStatus.COMPLETED,
                supplier=FAKE_SUPPLIER,
                folder=str(final),
                found=n,
                downloaded=n,
                names=tuple(files),
                size=size,
            ),
        )

    @staticmethod
    def _note_task(task, tasks_dir: Path, ahead: PoNumber | None = None) -> None:
        """What the controller handed over with the PO (resume: its earlier folder and files), one JSON
        line per hand-out in ``<download root>/.fake-tasks/<digits>``; the PO reserved to follow it, one
        line per hand-out ("" for none), in ``.fake-ahead/<digits>`` beside it."""
        tasks_dir.mkdir(exist_ok=True)
        with (tasks_dir / task.po.digits).open("a", encoding="utf-8") as f:
            f.write(json.dumps({"folder": task.folder, "known": [k.name for k in task.known]}) + "\n")
        ahead_dir = tasks_dir.parent / ".fake-ahead"
        ahead_dir.mkdir(exist_ok=True)
        with (ahead_dir / task.po.digits).open("a", encoding="utf-8") as f:
            f.write((ahead.digits if ahead is not None else "") + "\n")

    def _log(self, worker: int, report_dir: Path) -> None:
        for n in range(1, self.log_lines + 1):
            log.info("fake worker %d line %d", worker, n)
        report_dir.mkdir(exist_ok=True)
        with (report_dir / str(worker)).open("w", encoding="utf-8") as report:  # held open: listed too
            report.write("\n".join(f.path for f in psutil.Process().open_files()))

    def _answer(
        self, worker: int, task, calls_dir: Path, base_url: str
    ) -> ev.AttemptEnded | ev.WorkerError | tuple[ev.HttpProbe, ev.AttemptEnded]:
        po = task.po
        calls_dir.mkdir(exist_ok=True)
        calls = calls_dir / task.po.digits
        with calls.open("a") as f:  # one line per hand-out, whichever worker process gets it
            f.write(f"{worker}\n")
        count = len(calls.read_text().splitlines())
        steps = self.script.get(task.po.digits, ["ok:1"])
        step = steps[min(count, len(steps)) - 1]
        kind, _, arg = step.partition(":")
        match kind:
            case "ok":
                n = int(arg or 1)
                return ev.AttemptEnded(
                    worker,
                    po,
                    PoOutcome(
                        PoStatus.COMPLETED, supplier="Fake Supplier", found=n, downloaded=n, size=100 * n
                    ),
                )
            case "agree" | "disagree":  # the browser worked it and compared the served page's list
                result = ev.ProbeResult.AGREED if kind == "agree" else ev.ProbeResult.DISAGREED
                detail = "" if kind == "agree" else "the attachment lists differ"
                done = PoOutcome(PoStatus.COMPLETED, found=1, downloaded=1, size=100, route="browser")
                return ev.HttpProbe(worker, po, result, "LISTED", detail), ev.AttemptEnded(worker, po, done)
            case "http":  # decided over HTTP when the task's plan trusts a list, else by the browser
                trusted = task.http is not None and "LISTED" in task.http.trusted and not task.http.check
                route = "http" if trusted else "browser"
                done = PoOutcome(PoStatus.COMPLETED, found=1, downloaded=1, size=100, route=route)
                return ev.AttemptEnded(worker, po, done)
            case "slow":
                time.sleep(float(arg))
                return ev.AttemptEnded(
                    worker, po, PoOutcome(PoStatus.COMPLETED, found=1, downloaded=1, size=100)
                )
            case "empty":
                return ev.AttemptEnded(worker, po, PoOutcome(PoStatus.NO_ATTACHMENTS))
            case "notfound":
                said = {"said": "Oops!"}  # the kinds and details the real worker's early_outcome gives
                found = PoOutcome(
                    PoStatus.PO_NOT_FOUND, message="Coupa: Oops!", kind=ErrorKind.PORTAL_SAID, details=said
                )
                return ev.AttemptEnded(worker, po, found)
            case "noaccess":  # as the real worker's early_outcome: the portal's words, the page's URL
                said = {"said": "not authorised"}
                url = f"{base_url}/{po.digits}"
                denied = PoOutcome(
                    PoStatus.NO_ACCESS,
                    message="Coupa: not authorised",
                    kind=ErrorKind.PORTAL_SAID,
                    details=said,
                    url=url,
                )
                return ev.AttemptEnded(worker, po, denied)
            case "down":  # the portal's error page: reached, nothing listed, retryable
                error = {"kind": ErrorKind.PORTAL_ERROR_PAGE, "details": {"detail": "HTTP 502"}}
                down = PoOutcome(
                    PoStatus.FAILED, message="portal error: HTTP 502", url=f"{base_url}/{po.digits}", **error
                )
                return ev.AttemptEnded(worker, po, down, retryable=True)
            case "fail":
                error = {"kind": ErrorKind.PORTAL_ERROR_PAGE, "details": {"detail": "HTTP 500"}}
                failed = PoOutcome(PoStatus.FAILED, message="portal error: HTTP 500", **error)
                return ev.AttemptEnded(worker, po, failed, retryable=True)
            case "held":  # the PO's work folder could not be renamed: a failure with a kind, retryable
                held = {"name": f"PO{po.digits}__WORK", "detail": "in use"}
                outcome = PoOutcome(PoStatus.FAILED, message="held", kind=ErrorKind.FOLDER_HELD, details=held)
                return ev.AttemptEnded(worker, po, outcome, retryable=True)
            case "signin":
                return ev.AttemptEnded(
                    worker,
                    po,
                    PoOutcome(
                        PoStatus.SIGN_IN_REQUIRED,
                        message="Coupa asked to sign in again",
                        url=f"{base_url}/login?po={po.digits}",
                    ),
                    retryable=True,
                )
            case "crash":
                os._exit(9)
            case "disk":
                root = str(calls_dir.parent)
                return ev.WorkerError(
                    worker,
                    f"the download folder {root} is full",
                    ErrorKind.DISK_FULL,
                    {"path": root, "free": "0 B"},
                )
            case "hang":
                time.sleep(3600)
            case "freeze":
                os.kill(os.getpid(), signal.SIGSTOP)
                time.sleep(3600)  # woken only to be ended
        raise ValueError(f"unknown fake step {step!r}")
