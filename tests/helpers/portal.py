"""Run the demo portal as a subprocess and follow its JSON event log (integration tests, benchmark)."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import po_downloader

_REPO_ROOT = Path(po_downloader.__file__).resolve().parent.parent
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class PortalProcess:
    """``python -m po_downloader.demo_portal --port 0`` in a subprocess.

    ``url`` is the portal base URL (``http://127.0.0.1:<port>``); ``lines()`` holds every JSON event seen.
    Knob keyword arguments become CLI flags: ``PortalProcess(render_ms=0, latency_ms=50)``; the markup/timing
    profile is one of them: ``PortalProcess(variant="timer")`` (names in ``demo_portal.variants.VARIANTS``).
    """

    def __init__(
        self, *, startup_timeout: float = 15.0, log_file: Path | None = None, **knobs: int | str
    ) -> None:
        args = [sys.executable, "-m", "po_downloader.demo_portal", "--port", "0"]
        for name, value in knobs.items():
            args += [f"--{name.replace('_', '-')}", str(value)]
        if log_file is not None:
            args += ["--log-file", str(log_file)]
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join(filter(None, [str(_REPO_ROOT), os.environ.get("PYTHONPATH")])),
        )
        self._proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=_REPO_ROOT,
            text=True,
            encoding="utf-8",
        )
        self._lines: list[dict[str, Any]] = []
        self._stderr: deque[str] = deque(maxlen=200)
        self._cond = threading.Condition()
        self._first: queue.Queue[str] = queue.Queue()
        self._readers = [
            threading.Thread(target=self._read_stdout, name="portal-stdout", daemon=True),
            threading.Thread(target=self._read_stderr, name="portal-stderr", daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        try:
            first = self._first.get(timeout=startup_timeout)
        except queue.Empty:
            self.stop()
            raise TimeoutError(
                f"demo portal gave no PORTAL_URL in {startup_timeout}s: {list(self._stderr)}"
            ) from None
        if not first.startswith("PORTAL_URL "):
            self.stop()
            raise RuntimeError(f"unexpected first line from demo portal: {first!r} {list(self._stderr)}")
        self.url: str = first.split(" ", 1)[1].strip()
        self.port: int = int(self.url.rsplit(":", 1)[1])

    # -- readers -------------------------------------------------------------------------------------

    def _read_stdout(self) -> None:
        assert self._proc.stdout is not None
        first = True
        for raw in self._proc.stdout:
            line = raw.rstrip("\n")
            if first:
                self._first.put(line)
                first = False
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                event = {"event": "unparsed", "line": line}
            with self._cond:
                self._lines.append(event)
                self._cond.notify_all()
        if first:
            self._first.put("")

    def _read_stderr(self) -> None:
        assert self._proc.stderr is not None
        for raw in self._proc.stderr:
            self._stderr.append(raw.rstrip("\n"))

    # -- API -----------------------------------------------------------------------------------------

    def lines(self) -> list[dict[str, Any]]:
        with self._cond:
            return list(self._lines)

    def stderr_tail(self) -> list[str]:
        """The portal's last lines on stderr (a traceback there is the portal failing)."""
        return list(self._stderr)

    def mark(self) -> int:
        """The number of events so far, to pass as ``since`` to :meth:`wait_for`."""
        with self._cond:
            return len(self._lines)

    def wait_for(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 10.0, *, since: int = 0
    ) -> dict[str, Any]:
        """The first event (from index ``since``) matching ``predicate``; TimeoutError shows the last lines."""
        deadline = time.monotonic() + timeout
        checked = since
        with self._cond:
            while True:
                for event in self._lines[checked:]:
                    if predicate(event):
                        return event
                checked = max(checked, len(self._lines))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    tail = "\n".join(json.dumps(e, ensure_ascii=False) for e in self._lines[-15:])
                    raise TimeoutError(f"no matching portal event within {timeout}s; last events:\n{tail}")
                self._cond.wait(remaining)

    def _call(self, path: str, payload: dict[str, Any] | None) -> dict[str, Any]:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Content-Type": "application/json"}
        )
        with _NO_PROXY.open(request, timeout=10) as response:
            return json.loads(response.read())

    def control(self, **knobs: Any) -> dict[str, Any]:
        """POST the knobs to ``/__control``; returns the portal state after the change."""
        return self._call("/__control", knobs)

    @contextlib.contextmanager
    def slowed(self, **delays: int) -> Iterator[None]:
        """Latency knobs (``latency_ms``, ``file_latency_ms``...) for the block, back to 0 afterwards so a
        session-wide portal stays fast for the next test."""
        self.control(**delays)
        try:
            yield
        finally:
            self.control(**dict.fromkeys(delays, 0))

    def state(self) -> dict[str, Any]:
        return self._call("/__state", None)

    def stop(self, timeout: float = 5.0) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout)
        for reader in self._readers:
            reader.join(timeout)
        for stream in (self._proc.stdout, self._proc.stderr):
            if stream is not None:
                stream.close()

    @property
    def returncode(self) -> int | None:
        return self._proc.poll()

    def __enter__(self) -> PortalProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
