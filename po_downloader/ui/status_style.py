"""How each PoStatus looks in the GUI: a label, a colour and an icon whose shape alone tells it apart.

Shapes (check, triangle, cross, dash, question mark, lock, key, hourglass…) carry the meaning, so the table
reads without colour; the colours come from the Okabe-Ito palette, which stays distinct for colour-blind users.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor, QIcon

from po_downloader.engine.models import PoStatus
from po_downloader.engine.system.paths import resources_dir

_CONTEXT = "Status"

# Marked for lupdate here, translated on every call so a language switch shows at once.
# QT_TRANSLATE_NOOP returns its text unchanged; the stubs type it ``object``.
_LABELS = cast(
    "dict[PoStatus, str]",
    {
        PoStatus.PENDING: QT_TRANSLATE_NOOP("Status", "Waiting"),
        PoStatus.PROCESSING: QT_TRANSLATE_NOOP("Status", "Working"),
        PoStatus.COMPLETED: QT_TRANSLATE_NOOP("Status", "Completed"),
        PoStatus.PARTIAL: QT_TRANSLATE_NOOP("Status", "Partial"),
        PoStatus.FAILED: QT_TRANSLATE_NOOP("Status", "Failed"),
        PoStatus.NO_ATTACHMENTS: QT_TRANSLATE_NOOP("Status", "No attachments"),
        PoStatus.PO_NOT_FOUND: QT_TRANSLATE_NOOP("Status", "PO not found"),
        PoStatus.NO_ACCESS: QT_TRANSLATE_NOOP("Status", "No access"),
        PoStatus.SIGN_IN_REQUIRED: QT_TRANSLATE_NOOP("Status", "Sign-in required"),
        PoStatus.INVALID: QT_TRANSLATE_NOOP("Status", "Invalid"),
        PoStatus.SKIPPED: QT_TRANSLATE_NOOP("Status", "Skipped"),
    },
)

_COLORS: dict[PoStatus, str] = {
    PoStatus.PENDING: "#7F7F7F",
    PoStatus.PROCESSING: "#56B4E9",
    PoStatus.COMPLETED: "#009E73",
    PoStatus.PARTIAL: "#E69F00",
    PoStatus.FAILED: "#D55E00",
    PoStatus.NO_ATTACHMENTS: "#5E9C86",
    PoStatus.PO_NOT_FOUND: "#CC79A7",
    PoStatus.NO_ACCESS: "#882255",
    PoStatus.SIGN_IN_REQUIRED: "#0072B2",
    PoStatus.INVALID: "#A6761D",
    PoStatus.SKIPPED: "#9A9A9A",
}

# Sort order of the status column: what needs the user's attention first, successes last.
STATUS_ORDER: tuple[PoStatus, ...] = (
    PoStatus.FAILED,
    PoStatus.PARTIAL,
    PoStatus.SIGN_IN_REQUIRED,
    PoStatus.SKIPPED,
    PoStatus.NO_ACCESS,
    PoStatus.PO_NOT_FOUND,
    PoStatus.INVALID,
    PoStatus.PROCESSING,
    PoStatus.PENDING,
    PoStatus.COMPLETED,
    PoStatus.NO_ATTACHMENTS,
)
_RANK: dict[PoStatus, int] = {status: i for i, status in enumerate(STATUS_ORDER)}

_icons: dict[str, QIcon] = {}


def status_label(status: PoStatus) -> str:
    """The status as the user reads it, in the current UI language."""
    return QCoreApplication.translate(_CONTEXT, _LABELS[status])


def status_color(status: PoStatus) -> QColor:
    return QColor(_COLORS[status])


def status_rank(status: PoStatus) -> int:
    """Position in ``STATUS_ORDER``: the raw value the table sorts the status column on."""
    return _RANK[status]


def icon_file(status: PoStatus) -> str:
    """File name of the status icon under ``resources/icons`` (``status-no-access.svg``)."""
    return f"status-{status.value.lower().replace('_', '-')}.svg"


def status_icon(status: PoStatus) -> QIcon:
    return _icon(icon_file(status))


def app_icon() -> QIcon:
    return _icon("po-downloader.svg")


def _icon(name: str) -> QIcon:
    # Cached: the table asks for an icon on every repaint of every visible row.
    icon = _icons.get(name)
    if icon is None:
        icon = _icons[name] = QIcon(str(resources_dir() / "icons" / name))
    return icon
