"""The batch's QThreadPool: a thread that blocks for the whole batch, off the GUI thread.

It reads the controller's process (``engine/run/controller_host.py``) for the whole batch, or, for a
factory that cannot be sent to another process (tests), builds and runs the controller itself.
Results and errors come back through queued signals (Picard's ``run_task``). The window's one-shot work
(a sheet, the sign-in, the history) is coroutines on the qasync loop instead (``jobs.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from po_downloader.engine.errors import PoDownloaderError

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except (
            PoDownloaderError
        ) as exc:  # a user-facing problem (bad sheet, bad setting): its callback says it
            log.info("background task ended with %s: %s", exc.kind, exc)
            self.relay.failed.emit(exc)
        except Exception as exc:  # reported on the GUI thread, never lost in a pool thread
            log.exception("background task failed")
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class BackgroundTasks(QObject):
    """Owns the relays of running tasks so their signals outlive the call that started them."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if pool is None:
            # Its own pool, not Qt's global one: a batch holds one thread for its whole length.
            pool = QThreadPool(self)
            pool.setMaxThreadCount(4)
        self.pool = pool
        self._relays: set[_Relay] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        relay = _Relay(self)
        self._relays.add(relay)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            callback(value)

        relay.done.connect(lambda value: finish(on_done, value))
        relay.failed.connect(lambda exc: finish(on_error, exc))
        self.pool.start(_Job(fn, relay))
