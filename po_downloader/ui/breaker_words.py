"""A breaker group and its failure way as the window words them (``run/breaker.py``): the skipped PO's
sentence in ``error_text`` and the banner of ``breaker_offer`` both say them this way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from po_downloader.engine.run.breaker import FailureWay

_CONTEXT = "ErrorText"  # beside the sentences that use them

# The breaker's failure ways (``run/breaker.FailureWay``) as a skipped PO's sentence names them.
_WAYS = cast(
    "dict[str, str]",
    {
        FailureWay.NO_ACCESS: QT_TRANSLATE_NOOP("ErrorText", "no access"),
        FailureWay.PORTAL_ERROR: QT_TRANSLATE_NOOP("ErrorText", "a portal error"),
        FailureWay.SIGN_IN_PAGE: QT_TRANSLATE_NOOP("ErrorText", "a sign-in page"),
    },
)


_WHOLE_BATCH = cast(str, QT_TRANSLATE_NOOP("ErrorText", "the whole batch"))
_BLANK_GROUP = cast(str, QT_TRANSLATE_NOOP("ErrorText", "{column} (blank)"))


def group_text(column: str, group: str) -> str:
    """A breaker group as the window names it: ``Company 2000``, ``the whole batch``."""
    if not column:
        return QCoreApplication.translate(_CONTEXT, _WHOLE_BATCH)
    if not group:
        return QCoreApplication.translate(_CONTEXT, _BLANK_GROUP).format(column=column)
    return f"{column} {group}"


def breaker_words(details: Mapping[str, str]) -> dict[str, str]:
    """A skipped PO's group and failure way, worded in the window's language."""
    way = details.get("way", "")
    worded = QCoreApplication.translate(_CONTEXT, _WAYS[way]) if way in _WAYS else way
    return {"name": group_text(details.get("column", ""), details.get("group", "")), "way": worded}
