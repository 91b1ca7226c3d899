"""What one PO ended as: the one record the events carry, the journal stores, the results sheet writes
and the table shows.

A new fact about a PO's outcome is added here once; each place that shows it adds only its column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus

#: The facts a PO's page shows, in the results sheet's order (``PoFacts``' fields).
FACT_NAMES = (
    "po_status",
    "total",
    "currency",
    "supplier_number",
    "company",
    "payment_term",
    "created",
    "requester",
    "requisition",
)


@dataclass(frozen=True, slots=True)
class PoFacts:
    """What the PO's page shows about the order (``--facts``), as text exactly as the page shows it:
    never converted (a total is "1.234,56" on one tenant and "1,234.56" on another) and never guessed, so
    a fact the page does not show is blank."""

    po_status: str = ""
    total: str = ""
    currency: str = ""
    supplier_number: str = ""
    company: str = ""
    """The company or business unit the order is for."""
    payment_term: str = ""
    created: str = ""
    requester: str = ""
    requisition: str = ""
    """The requisition's number, as the page names it."""

    def shown(self) -> dict[str, str]:
        """The facts the page showed, by name (blank ones left out): what the journal stores."""
        return {name: value for name in FACT_NAMES if (value := getattr(self, name))}

    @classmethod
    def of(cls, values: Mapping[str, object]) -> PoFacts:
        """Facts from ``values`` by name; unknown names and non-text values are left out, never guessed."""
        return cls(**{n: v for n in FACT_NAMES if isinstance(v := values.get(n), str)})


NO_FACTS = PoFacts()

#: A ``details`` key: the attempts the batch spent before it gave up on a PO whose last attempt had a kind
#: (the kind says why; the edges add that it was given up: "gave up after 3 attempts: …").
GAVE_UP_AFTER = "gave_up_after"


@dataclass(frozen=True, slots=True)
class PoOutcome:
    """A PO's outcome: its status, what its page listed and what is on disk, and why.

    ``message`` is the English text the results sheet and the logs carry; ``kind`` and ``details`` say
    what it is for the edges to word, where the engine has a kind for it (None otherwise)."""

    status: PoStatus
    supplier: str = ""
    folder: str = ""
    """The PO's folder (``<PO>_<STATUS>``, or the ``<PO>__WORK`` one its files wait in); empty: none."""
    found: int = 0
    """Attachments the page listed."""
    downloaded: int = 0
    """Of those, the ones whose bytes are on disk."""
    size: int = 0
    """Bytes saved by the attempt that earned this outcome."""
    names: tuple[str, ...] = ()
    """The names of the files saved, as on disk."""
    message: str = ""
    kind: ErrorKind | None = None
    details: Mapping[str, str] = field(default_factory=dict)
    url: str = ""
    """The PO's page."""
    route: str = ""
    """The download route its files took (``browser``, ``folder``; joined by "+" when one gave way to the
    other mid-PO); empty when nothing was fetched."""
    facts: PoFacts = NO_FACTS
    """What the PO's page showed about the order, when the batch reads facts (blank otherwise)."""
