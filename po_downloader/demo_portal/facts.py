"""What the demo portal's PO pages show about each order (the facts ``--facts`` reads): status, total and
currency, supplier number, company, payment term, order date, requester, requisition number.

Each PO's facts follow from its number, so tests know what a page shows without reading it; some POs
leave a fact out (no company, no requisition), as real pages do. The pages draw them as Coupa draws its
General Info: label and value side by side, the supplier number also under Coupa's id.
"""

from __future__ import annotations

from dataclasses import dataclass

ITEMS = (
    "Office chairs, ergonomic",
    "Laptop docking station",
    "Safety gloves (box of 100)",
    "Printer toner, black",
    "Consulting services - March",
    "Pallet wrap film",
    "Spare parts kit A-12",
    "Cleaning services",
    "Conference room display",
    "Freight charges",
    "Calibration service",
    "Warehouse labels",
)
CURRENCY = "USD"
_STATUS = {
    "en": ("Issued", "Closed", "Partially Received"),
    "pt": ("Emitido", "Fechado", "Recebido parcialmente"),
}
_TERMS = {"en": ("Net 30", "Net 45", "Net 60"), "pt": ("30 dias", "45 dias", "60 dias")}
_COMPANIES = ("ACME Brasil Ltda", "ACME Foods Inc.", "ACME Europe B.V.", "ACME Chemicals S.A.")
_REQUESTERS = ("Ana Souza", "John Smith", "Mei Tanaka", "Lucas Pereira")


def line_values(digits: str) -> list[tuple[int, str, int, int]]:
    """The PO's lines: (number, item, quantity, unit price), as its Lines table shows them."""
    seed = int(digits[-3:]) if digits[-3:].isdigit() else 0
    return [(i, item, (seed + i) % 9 + 1, (seed * 7 + i * 13) % 900 + 50) for i, item in enumerate(ITEMS, 1)]


@dataclass(frozen=True)
class DemoFacts:
    """One PO's facts as its page shows them; "" for a fact the page leaves out."""

    po_status: str
    total: str
    """The amount as shown, without the currency code the page writes after it."""
    currency: str
    supplier_number: str
    company: str
    payment_term: str
    created: str
    requester: str
    requisition: str


def demo_facts(digits: str, requisition: str | None, lang: str = "en") -> DemoFacts:
    """What the page of PO ``digits`` shows (``requisition``: its requisition's number, if it has one)."""
    n = int(digits) if digits.isdigit() else 0
    words = "pt" if lang.startswith("pt") else "en"
    amount = sum(qty * price for _i, _item, qty, price in line_values(digits))
    total = f"{amount:,}.00"
    if words == "pt":
        total = total.replace(",", ".")[:-3] + ",00"
    return DemoFacts(
        po_status=_STATUS[words][n % 3],
        total=total,
        currency=CURRENCY,
        supplier_number=f"SUP-{n % 10000:04d}",
        company="" if n % 5 == 0 else _COMPANIES[n % 4],
        payment_term=_TERMS[words][n % 3],
        created=f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
        requester=_REQUESTERS[n % 4],
        requisition=requisition or "",
    )
