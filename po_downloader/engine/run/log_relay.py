"""A worker's log records travel over its pipe; the controller's process writes them with its own handlers.

Workers never open the log file: the parent rotates it, and a second writer would keep appending to the
renamed file (and on Windows, where an open file cannot be renamed, make the rotation fail).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from po_downloader.engine.events import Event, WorkerLog
from po_downloader.engine.system.logs import FROM_WORKER, quiet_chatty_loggers

_TRACEBACKS = logging.Formatter()


def as_event(record: logging.LogRecord, worker: int) -> WorkerLog:
    """The record as a picklable event: its message formatted here, where its arguments live."""
    exc_text = record.exc_text or ""
    if record.exc_info and not exc_text:
        exc_text = _TRACEBACKS.formatException(record.exc_info)
    if record.stack_info:
        exc_text = "\n".join(t for t in (exc_text, _TRACEBACKS.formatStack(record.stack_info)) if t)
    return WorkerLog(worker, record.name, record.levelno, record.getMessage(), record.created, exc_text)


class PipeLogHandler(logging.Handler):
    """Worker side: every record becomes a ``WorkerLog`` sent to the controller."""

    def __init__(self, worker: int, send: Callable[[Event], None]) -> None:
        super().__init__()
        self.worker = worker
        self.send = send

    def emit(self, record: logging.LogRecord) -> None:
        try:
            event = as_event(record, self.worker)
        except Exception:
            self.handleError(record)
            return
        try:
            self.send(event)
        except (OSError, EOFError):
            pass  # the controller is gone: no one is left to write the line


def send_logs_to_controller(worker: int, send: Callable[[Event], None], level: int) -> None:
    """Worker side, first thing: the pipe is the process's only log handler."""
    logging.basicConfig(level=level, handlers=[PipeLogHandler(worker, send)], force=True)
    quiet_chatty_loggers()


def replay(event: WorkerLog, pid: int | None = None) -> None:
    """Controller side: hand a worker's record to this process's handlers, as if it were logged here.

    This process's levels decide (a logger it keeps quiet stays quiet); the record keeps the worker's
    time and ``pid``, and carries the worker's id as ``FROM_WORKER``.
    """
    handle_here(event, f"po-worker-{event.worker}", pid, {FROM_WORKER: event.worker})


def handle_here(event: WorkerLog, process_name: str, pid: int | None, extra: dict[str, object]) -> None:
    """A record logged in another process, handled by this one's handlers at this one's levels, keeping its
    own time, process name and ``pid``."""
    logger = logging.getLogger(event.logger)
    if not logger.isEnabledFor(event.level):
        return
    record = logging.makeLogRecord(
        {
            "name": event.logger,
            "levelno": event.level,
            "levelname": logging.getLevelName(event.level),
            "msg": event.message,
            "args": None,
            "created": event.created,
            "msecs": int((event.created - int(event.created)) * 1000) + 0.0,
            "exc_text": event.exc_text or None,
            "processName": process_name,
            **extra,
        }
    )
    if pid is not None:
        record.process = pid
    logger.handle(record)
