"""Translations: Qt's own and ours, chosen by the OS language (English is the source language); and the
numbers, sizes and dates the window writes, in the user's locale.

English has a file of its own too, ``po_downloader_en.qm``, holding only the plural forms of the numerus
strings (``%n files``: "1 file", "2 files"), as Qt's plural handling wants: a source text has one form, the
translation file knows the language's rules. It is loaded for English and for any language we do not ship,
whose users read the English text.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLibraryInfo, QLocale, QTime, QTranslator

from po_downloader.engine.system.paths import resources_dir

log = logging.getLogger(__name__)

SHIPPED = ("pt_BR",)
SOURCE_PLURALS = "po_downloader_en"
"""The English plural forms: the fallback when the user's language has no translation of ours."""


def translations_dir() -> Path:
    """The compiled ``.qm`` files: ``resources/i18n`` wherever the resources are found (one rule, paths.py)."""
    return resources_dir() / "i18n"


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Load ``po_downloader_<lang>.qm`` (else the English plural forms) and Qt's base translations for
    ``locale`` (default: the OS's)."""
    locale = locale or QLocale.system()
    installed = []
    ours = QTranslator(app)
    if ours.load(locale, "po_downloader", "_", str(translations_dir())) or ours.load(
        SOURCE_PLURALS, str(translations_dir())
    ):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    log.info("language %s: %d translation file(s) loaded", locale.name(), len(installed))
    return installed


def local_number(value: float, decimals: int = 1) -> str:
    """``1.5`` as the user's locale writes it (``1,5`` in pt-BR)."""
    return QLocale().toString(float(value), "f", decimals)


def local_datetime(moment: datetime) -> str:
    """A moment (aware, e.g. the journal's UTC) in the user's local time, as their locale writes a date
    and time (``07/03/2026 14:05`` in pt-BR, ``3/7/26 2:05 PM`` in en-US)."""
    local = moment.astimezone()
    when = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    return QLocale().toString(when, QLocale.FormatType.ShortFormat)
