"""The breaker's banner: which groups the batch stopped sending, why, and a button per group that runs
its skipped POs again (Retry rows on exactly those), once the batch has ended and the cause is fixed."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QBoxLayout, QWidget

from po_downloader.engine import events as ev
from po_downloader.engine.events import BatchSummary
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.run.breaker import GROUP_COLUMN, GROUP_VALUE
from po_downloader.ui.banner import Banner
from po_downloader.ui.batch_launcher import BatchLauncher
from po_downloader.ui.batch_session import BatchSession
from po_downloader.ui.breaker_words import breaker_words, group_text
from po_downloader.ui.task_model import TaskTableModel

Group = tuple[str, str]
"""A breaker group: its column ("" : the whole batch) and value."""


class BreakerOffer(QObject):
    """Listens to the session's events; its own banner, placed under ``below`` (the finish banner), says
    which groups were stopped. The resume buttons wait for the batch's end (a retry is a batch of its own)."""

    def __init__(
        self,
        session: BatchSession,
        launcher: BatchLauncher,
        model: TaskTableModel,
        below: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.banner = Banner()
        holder = below.parentWidget()
        layout = holder.layout() if holder is not None else None
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(layout.indexOf(below) + 1, self.banner)
        self.session = session
        self.model = model
        self.launcher = launcher
        self.stopped: dict[Group, ev.GroupSkipped] = {}
        launcher.starting.connect(self.clear)
        session.events.connect(self.on_events)
        session.finished.connect(self.on_finished)

    def running(self) -> bool:
        return self.session.running

    def on_events(self, events: list) -> None:
        tripped = [e for e in events if isinstance(e, ev.GroupSkipped)]
        for event in tripped:
            self.stopped[(event.column, event.group)] = event
        if tripped:
            self._show()

    def on_finished(self, _summary: BatchSummary | None = None) -> None:
        if self.stopped:
            self._show()

    def clear(self) -> None:
        """A new batch (or this very resume) starts: the last batch's offer no longer holds."""
        self.stopped.clear()
        self.banner.hide()

    def skipped_in(self, group: Group) -> list[PoNumber]:
        """The table's SKIPPED rows of ``group``: what its resume runs again."""
        return [
            row.po
            for row in self.model.rows()
            if row.outcome.status is PoStatus.SKIPPED
            and (row.outcome.details.get(GROUP_COLUMN, ""), row.outcome.details.get(GROUP_VALUE, "")) == group
        ]

    def resume(self, group: Group) -> None:
        pos = self.skipped_in(group)
        if pos and not self.running():
            self.launcher.retry_rows(pos)

    def button_label(self, group: Group) -> str:
        return self.tr("Resume {group}").format(group=group_text(*group))

    def _show(self) -> None:
        lines = []
        for event in self.stopped.values():
            words = breaker_words({"column": event.column, "group": event.group, "way": event.way})
            lines.append(
                self.tr(
                    "Stopped sending {name}: its last {count} POs all ended with {way}; %n POs skipped.",
                    "",
                    event.skipped,
                ).format(name=words["name"], count=event.count, way=words["way"])
            )
        running = self.running()
        if running:
            lines.append(self.tr("Once the batch has ended and the cause is fixed, resume a group here."))
        actions = [(self.button_label(group), partial(self.resume, group)) for group in self.stopped]
        self.banner.show_message("\n".join(lines), list(actions))
        for label, _ in actions:
            self.banner.button(label).setEnabled(not running)
