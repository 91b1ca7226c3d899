"""The Settings dialog's folder part: the folder template, the tokens it may use, and a live preview of
where the first POs of the sheet on screen will go.

The preview is the engine's own rendering (``output/folder_template.preview``), so what it shows is what
the batch makes; a template the sheet cannot fill (an unknown token) is said here, as the batch would
refuse it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.output.folder_template import (
    DEFAULT_TEMPLATE,
    PAGE_TOKENS,
    TemplateError,
    check_template,
    parse_template,
    preview,
)
from po_downloader.ui.error_text import error_text

PREVIEW_ROWS = 5
"""How many of the sheet's POs the preview shows."""
ERROR_STYLE = "color: #c62828;"


class FolderTemplateField(QWidget):
    """A line edit for the template, the tokens, and the preview for the sheet on screen (if any)."""

    def __init__(self, plan: BatchPlan | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan = plan
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(DEFAULT_TEMPLATE)
        self.edit.setToolTip(
            self.tr(
                "Where each PO's folder goes below the download folder. The last folder is always the PO's "
                "own, named with its status. A value the sheet or page lacks goes to a “_no …” folder."
            )
        )
        self.tokens_label = QLabel()
        self.tokens_label.setWordWrap(True)
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.edit, self.tokens_label, self.preview_label, self.error_label):
            layout.addWidget(widget)
        self.edit.textChanged.connect(self.refresh)
        self.refresh()

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self.refresh()

    def problem(self) -> TemplateError | None:
        """What makes the template unusable for any sheet (a stray brace, no ``{po}`` at the end)."""
        try:
            parse_template(self.text())
        except TemplateError as exc:
            return exc
        return None

    def refresh(self) -> None:
        """Say the tokens there are and show the first POs' folders, or why the template cannot be used."""
        page = " ".join(f"{{{t}}}" for t in PAGE_TOKENS)
        if self._plan is None:
            self.tokens_label.setText(
                self.tr("Tokens: {page}, or any column of the sheet by its header.").format(page=page)
            )
        else:
            columns = " ".join(f"{{{c}}}" for c in self._plan.sheet.columns)
            self.tokens_label.setText(
                self.tr("Tokens: {page}, or this sheet's columns: {columns}").format(
                    page=page, columns=columns
                )
            )
        try:
            template = (
                check_template(self.text(), self._plan.sheet.columns)
                if self._plan is not None
                else parse_template(self.text())
            )
        except TemplateError as exc:
            self.error_label.setText(error_text(exc))
            self.error_label.setVisible(True)
            self.preview_label.setVisible(False)
            return
        self.error_label.setVisible(False)
        if self._plan is None:
            self.preview_label.setText(self.tr("Open a sheet to preview its folders."))
        else:
            rows = preview(
                template,
                self._plan,
                count=PREVIEW_ROWS,
                page_supplier=self.tr("‹supplier›"),
                day=date.today(),
            )
            lines = ["/".join((*names, self.tr("{po}_‹status›").format(po=po))) for po, names in rows]
            self.preview_label.setText(self.tr("The first POs go to:") + "\n" + "\n".join(lines))
        self.preview_label.setVisible(True)
