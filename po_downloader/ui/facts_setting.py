"""The PO facts setting (``--facts`` in the CLI): whether the results sheet carries what each PO's page shows,
and the names the window gives those facts (the Settings checkbox and the Details pane speak alike)."""

from __future__ import annotations

import dataclasses
from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QCheckBox, QWidget

from po_downloader.engine.outcome import FACT_NAMES, PoFacts
from po_downloader.engine.system.settings import Settings


class FactsCheck(QCheckBox):
    """ "Add what each PO's page shows to the results": remembered in the settings, off by default (the
    sheet is then exactly as it always was)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add what each PO's page shows to the results"), parent)
        self.setToolTip(
            self.tr(
                "Extra results columns from the PO page: status, total and currency, supplier number, "
                "company, payment term, created date, requester and requisition number. A fact the page "
                "does not show stays blank."
            )
        )

    def load(self, settings: Settings) -> None:
        self.setChecked(settings.facts)

    def applied(self, settings: Settings) -> Settings:
        """``settings`` with this box's choice."""
        return dataclasses.replace(settings, facts=self.isChecked())


_CONTEXT = "PoFacts"
# Marked for lupdate here, translated on every call so a language switch shows at once.
_NAMES = cast(
    "dict[str, str]",
    {
        "po_status": QT_TRANSLATE_NOOP("PoFacts", "PO status"),
        "total": QT_TRANSLATE_NOOP("PoFacts", "Total"),
        "currency": QT_TRANSLATE_NOOP("PoFacts", "Currency"),
        "supplier_number": QT_TRANSLATE_NOOP("PoFacts", "Supplier number"),
        "company": QT_TRANSLATE_NOOP("PoFacts", "Company"),
        "payment_term": QT_TRANSLATE_NOOP("PoFacts", "Payment term"),
        "created": QT_TRANSLATE_NOOP("PoFacts", "Created"),
        "requester": QT_TRANSLATE_NOOP("PoFacts", "Requester"),
        "requisition": QT_TRANSLATE_NOOP("PoFacts", "Requisition"),
    },
)


def fact_labels() -> dict[str, str]:
    """Each fact's name in the window's language, in the results sheet's order (``FACT_NAMES``)."""
    return {name: QCoreApplication.translate(_CONTEXT, _NAMES[name]) for name in FACT_NAMES}


def shown_facts(facts: PoFacts) -> list[tuple[str, str]]:
    """(name, value) of each fact the page showed, in order: what the Details pane lists."""
    shown = facts.shown()
    return [(label, shown[name]) for name, label in fact_labels().items() if name in shown]
