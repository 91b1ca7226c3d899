"""The offer to carry on a sheet's unfinished batch, shown as soon as the sheet is on screen.

Its own class because the window only has to place the banner: what the journal found, how it is worded
and what each answer starts live here. Start (the main button) resumes too, so ignoring the offer never
downloads a finished PO again; "Start over" is the one way to work every PO afresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from po_downloader.engine.output.journal_records import BatchRecord
from po_downloader.ui.banner import Banner
from po_downloader.ui.batch_launcher import BatchLauncher
from po_downloader.ui.i18n import local_datetime


class ResumeOffer(QObject):
    """Shows ``banner`` when ``launcher`` finds an unfinished batch of the sheet; hides it on start."""

    def __init__(self, launcher: BatchLauncher, banner: Banner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.launcher = launcher
        self.banner = banner
        launcher.resume_offered.connect(self._offer)
        launcher.resume_declined.connect(self._declined)
        launcher.starting.connect(banner.hide)

    def _offer(self, record: BatchRecord, done: int) -> None:
        """``done``: the POs Resume keeps (``ResumeCheck.kept``), not the batch's final ones: a finished
        PO whose files were deleted since is worked again, so it is not counted done."""
        total = record.total
        self.banner.show_message(
            self.tr(
                "This sheet has an unfinished batch from {when}: {done} of %n POs done. Resume "
                "carries on where it stopped (finished POs and their files are kept); Start over works "
                "every PO again.",
                "",
                total,
            ).format(when=local_datetime(record.started_at), done=done),
            [
                (self.tr("Resume"), lambda: self.launcher.start(resume=True)),
                (self.tr("Start over"), lambda: self.launcher.start(resume=False)),
            ],
        )

    def _declined(self, record: BatchRecord) -> None:
        self.banner.show_message(
            self.tr(
                "This sheet changed since its unfinished batch of {when}: Start works it as a new batch "
                "(files already downloaded are recognised and not saved twice)."
            ).format(when=local_datetime(record.started_at)),
            [],
        )
