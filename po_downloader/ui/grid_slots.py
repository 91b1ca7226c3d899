"""The worker slider follows a Selenium Grid's free slots while the window is open, and the window says when
the Grid does not answer.

A team's Grid is shared: other batches' sessions come and go, so the slots read at Start are soon stale.
Its ``/status`` is read every ``POLL_MS`` by the engine's Qt-free ``read_slots`` on a job thread
(``jobs.in_thread``), one read at a time; the answer is shown on the GUI thread. The Grid's state is told
beside the slider it limits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel

from po_downloader.engine.http.grid_status import GridSlots, browser_name_for, read_slots
from po_downloader.engine.system.settings import Settings
from po_downloader.ui import jobs
from po_downloader.ui.batch_launcher import BatchLauncher
from po_downloader.ui.error_text import error_text
from po_downloader.ui.worker_controls import WorkerControls

log = logging.getLogger(__name__)

POLL_MS = 10_000
"""A modest pace for a shared server: the slider is a few seconds behind at worst."""
POLL_TIMEOUT = 5.0
"""A read that takes longer is a Grid that does not answer, said before the next read is due."""

SlotsReader = Callable[[str, str], GridSlots]
"""``read_slots(grid_url, browser_name)``: raises ``GridUnavailable`` when the Grid does not answer."""


def slider_maximum(slots: GridSlots, own: int) -> int:
    """Workers a batch of this window can have on the Grid: its free slots plus the sessions this window's
    running batch holds (``own``: they are not free, yet they are ours), never more than the Grid has, at
    least one (a batch on a full Grid waits for a slot)."""
    return max(1, min(slots.total, slots.free + own) if slots.total else slots.free + own)


class GridSlotsWatch(QObject):
    """Reads the Grid of the window's settings now and then; the slider's maximum follows its free slots.

    ``label`` (beside the slider) says the slots, that the Grid does not answer, or that a batch waits for
    a slot. Signals: ``answered(object)`` after each read, with the ``GridSlots`` or the error.
    """

    answered = Signal(object)

    def __init__(
        self,
        controls: WorkerControls,
        launcher: BatchLauncher,
        settings: Callable[[], Settings],
        parent: QObject | None = None,
        *,
        interval_ms: int = POLL_MS,
        read: SlotsReader | None = None,
    ) -> None:
        super().__init__(parent)
        self.controls = controls
        self.launcher = launcher
        self._settings = settings
        self._read: SlotsReader = read or (lambda url, name: read_slots(url, name, timeout=POLL_TIMEOUT))
        self._reading = False
        self._following = False
        self.label = QLabel()
        self.label.setVisible(False)
        row = controls.layout()
        assert row is not None, "WorkerControls lays out its row itself"
        row.addWidget(self.label)
        launcher.grid_slots.connect(self._slots_at_start)
        launcher.grid_waiting.connect(self._waiting)  # emitted on the launcher's job thread: queued here
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        QTimer.singleShot(0, self, self.poll)  # a Grid already in the settings is read at once

    def poll(self) -> None:
        """Read the Grid's ``/status`` off the GUI thread, unless a read is under way or no Grid is set."""
        settings = self._settings()
        if not settings.grid_url:
            self._off_grid()
            return
        if self._reading:
            return
        self._reading = True
        url, name = settings.grid_url, browser_name_for(settings.browser)
        jobs.start(self._poll(url, name), name=f"reading the Selenium Grid's slots at {url}")

    async def _poll(self, url: str, name: str) -> None:
        try:
            answer = await jobs.in_thread(lambda: self._answer(url, name))
        finally:  # cancelled too: the next tick reads again
            if shiboken6.isValid(self):
                self._reading = False
        if not shiboken6.isValid(self):  # the window closed meanwhile
            return
        if url != self._settings().grid_url:  # the settings moved on meanwhile: read the new Grid now
            self.poll()
            return
        if isinstance(answer, GridSlots):
            self._follow(answer)
        else:
            self._say(error_text(answer), problem=True)
        self.answered.emit(answer)

    def _answer(self, url: str, name: str) -> GridSlots | Exception:
        """On the job thread: the slots, or why not (returned, not raised: a Grid that is down is told in
        the window, not logged every few seconds)."""
        try:
            return self._read(url, name)
        except Exception as exc:  # GridUnavailable, or a surprise that must not end the polling
            return exc

    def _follow(self, slots: GridSlots) -> None:
        running = self.launcher.session.running
        own = self.controls.slider.value() if running else 0
        self.controls.follow_grid(slider_maximum(slots, own))
        self._following = True
        self._say(
            self.tr("Selenium Grid: {free} of {total} browser slots free").format(
                free=slots.free, total=slots.total
            ),
            problem=False,
        )

    def _slots_at_start(self, free: int, total: int) -> None:
        """The launcher read the Grid just before its batch: follow that (0, 0: the batch runs here)."""
        if total or free:
            self._follow(GridSlots(total, free, True))
        else:
            self._off_grid()

    @Slot(str)
    def _waiting(self, text: str) -> None:
        self._say(text, problem=True)

    def _off_grid(self) -> None:
        if self._following:
            self.controls.follow_grid(0)  # back to this computer's maximum
            self._following = False
        self.label.setVisible(False)

    def _say(self, text: str, *, problem: bool) -> None:
        self.label.setText(text)
        self.label.setStyleSheet("color: #a11;" if problem else "")
        self.label.setVisible(True)
