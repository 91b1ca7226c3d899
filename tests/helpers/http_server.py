"""A tiny scripted HTTP/1.1 server on 127.0.0.1 for the HTTP client's tests: raw header bytes, replies in
order, bodies cut short or stalled on purpose, and a record of every request it saw."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: tuple[tuple[str, bytes | str], ...] = ()
    """Sent as given (``bytes`` values raw: a header with UTF-8 or Latin-1 bytes in it)."""
    body: bytes = b""
    send: int | None = None
    """Send only this many bytes of ``body`` (its whole length still announced), then ..."""
    stall: bool = False
    """... keep the connection open without sending more (until the server stops), instead of hanging up."""
    length: bool = True
    """Announce ``Content-Length``."""


@dataclass(frozen=True)
class Seen:
    path: str
    headers: Mapping[str, str]


@dataclass
class Script:
    """What the server answers: a path (with its query) to one reply, or to replies used in turn (the last
    one repeats). A path it does not know gets a 404."""

    routes: dict[str, Reply | Sequence[Reply]]
    seen: list[Seen] = field(default_factory=list)
    base: str = ""
    stop: threading.Event = field(default_factory=threading.Event)
    _used: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, path: str, headers: Mapping[str, str]) -> Reply:
        with self._lock:
            self.seen.append(Seen(path, dict(headers)))
            route = self.routes.get(path)
            if route is None:
                return Reply(404, (("Content-Type", "text/plain"),), b"not here")
            if isinstance(route, Reply):
                return route
            index = self._used.get(path, 0)
            self._used[path] = index + 1
            return route[min(index, len(route) - 1)]

    def paths(self) -> list[str]:
        with self._lock:
            return [s.path for s in self.seen]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    script: Script

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up on cut and stalled bodies: expected here


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        reply = self.server.script.reply(self.path, dict(self.headers.items()))
        lines = [f"HTTP/1.1 {reply.status} X\r\n".encode("ascii")]
        for name, value in reply.headers:
            raw = value if isinstance(value, bytes) else value.encode("latin-1")
            lines.append(name.encode("ascii") + b": " + raw + b"\r\n")
        if reply.length:
            lines.append(f"Content-Length: {len(reply.body)}\r\n".encode("ascii"))
        else:
            self.close_connection = True
        lines.append(b"\r\n")
        self.wfile.write(b"".join(lines))
        body = reply.body if reply.send is None else reply.body[: reply.send]
        self.wfile.write(body)
        self.wfile.flush()
        if reply.send is not None:
            if reply.stall:
                self.server.script.stop.wait(60)
            self.close_connection = True


@contextmanager
def serve(routes: Mapping[str, Reply | Sequence[Reply]]) -> Iterator[Script]:
    """Serve ``routes`` on a free port of 127.0.0.1 for the ``with`` block; ``script.base`` is its URL."""
    server = _Server(("127.0.0.1", 0), _Handler)
    script = Script(dict(routes))
    server.script = script
    script.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="http-test-server", daemon=True)
    thread.start()
    try:
        yield script
    finally:
        script.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
