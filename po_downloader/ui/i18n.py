"""Translations: Qt's own and ours, chosen by the OS language (English is the source language)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from po_downloader.engine.system.paths import resources_dir

log = logging.getLogger(__name__)

SHIPPED = ("pt_BR",)


def translations_dir() -> Path:
    """The compiled ``.qm`` files: ``resources/i18n`` wherever the resources are found (one rule, paths.py)."""
    return resources_dir() / "i18n"


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Load ``po_downloader_<lang>.qm`` and Qt's base translations for ``locale`` (default: the OS's)."""
    locale = locale or QLocale.system()
    installed = []
    ours = QTranslator(app)
    if ours.load(locale, "po_downloader", "_", str(translations_dir())):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    log.info("language %s: %d translation file(s) loaded", locale.name(), len(installed))
    return installed
