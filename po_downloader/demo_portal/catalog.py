"""Deterministic content of the demo portal: which POs exist, what they show and the bytes of every file.

Tests import this module to know, without asking the server, what a correct run must produce: the same
PO digits always give the same supplier, attachments and file bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

ORDINARY_FIRST = 10_000_001
ORDINARY_LAST = 19_999_999
ORDINARY_REQUISITION_OFFSET = 30_000_000
"""Ordinary PO ``1000000k`` that has a requisition links to ``4000000k``."""

STALL_SENT_BYTES = 10 * 1024
"""How much of a stalling file is sent before the server stops sending."""

LARGE_FILE_SIZE = 20 * 1024 * 1024 + 12_345
LARGE_CHUNK_BYTES = 256 * 1024
LARGE_CHUNK_DELAY_S = 0.03

HUGE_FILE_SIZE = 200 * 1024 * 1024 + 4_321
"""A file too big to hold in memory comfortably: its body is made and sent chunk by chunk."""
STREAM_CHUNK = 1024 * 1024
"""The filler of a streamed body comes from one seeded generator, this many bytes at a time."""

SCENARIOS: dict[str, str] = {
    "20000001": "not found: HTTP 200 'Oops! We couldn't find what you wanted' inside div.flash_error",
    "20000002": "not authorised: 'You are not authorized to view this page' inside div.flash_error (HTTP 200)",
    "20000003": "not authorised, PT-BR: 'Você não tem permissão para acessar esta página' (HTTP 200)",
    "20000004": "valid PO, 2 attachments, plus a benign div.notice banner mentioning 'Access denied'",
    "20000005": "valid PO, no attachments, no requisition link",
    "20000006": "valid PO, no attachments of its own, links to requisition 30000006 (2 attachments)",
    "20000007": "duplicate names: two span attachments and one comment attachment, all 'Invoice.pdf'",
    "20000008": "one normal attachment and one that sends headers and ~10 KiB, then stalls (up to 120 s)",
    "20000009": "always answers HTTP 500 with the 'We're sorry, but something went wrong.' page",
    "20000010": "hostile file names (path traversal, reserved, Windows-illegal, 250 chars, Unicode, '...')",
    "20000011": "a ~20 MiB file sent in chunks with small sleeps (~2-4 s) plus a small one",
    "20000012": "8 attachments (7 spans and 1 comment link): several downloads from one page",
    "20000013": "a modal dialog (div[role=dialog].modal with a close button) covers the page on load",
    "20000014": "attachments rendered late: the attachments API waits an extra 4 s",
    "20000015": "one name in two Unicode forms: 'Fatura_Março.pdf' composed and decomposed (different bytes), "
    "and the decomposed name again as a comment link to the composed file's bytes; supplier name decomposed",
    "20000016": "the same supplier as 20000015 under its composed name, one attachment",
    "20000017": "a ~200 MiB file, made and sent chunk by chunk (never whole in memory), plus a small one",
    "20000018": "a zero-byte attachment listed with a normal one: both are files the page lists",
    "20000041": "terminal escapes: supplier and 2 file names hold ANSI/OSC escape sequences and control chars",
    "20000042": "terminal escapes in the names of a normal file and of one that stalls (its failure names it)",
    "20000043": "signed attachment URLs: a comment link and a span carry an ?X-Amz-Signature=…&token=… query",
    "20000071": "valid PO, no attachments of its own, links to requisition 30000071, which is not found",
    "20000072": "valid PO, no attachments of its own, links to requisition 30000072, which the user may not see",
    "20000081": "2 attachments; the first span's data-url is malformed (new URL() throws), its click still works",
    "20000091": "long names: a 98-character supplier and two ~120-character PDF names alike in their first "
    "100 characters (a deep download folder on Windows cuts them)",
    "20000092": "a 249-byte Unicode PDF name (Chromium cannot create NAME.crdownload for it) and a short one",
    "30000006": "the requisition page of PO 20000006, with 2 attachments",
    "30000072": "the requisition of PO 20000072: 'You are not authorized to view this page' (HTTP 200)",
}

SUPPLIERS: tuple[str, ...] = (
    "Globex Corporation",
    "Café & Companhia Ltda.",
    "Müller GmbH",
    "ACME / Filial 2",
    "Initech Ltd",
    "CON",
    "Fornecedor: *Teste*?",
    "Umbrella Suprimentos S.A.",
    "..",
    ("Sociedade Anónima de Transportes e Logística Integrada do Norte e Nordeste " * 3)[:200],
    'Stark "Industries" <EMEA>',
    "Wayne Enterprises",
)
"""Suppliers of ordinary POs, cycled in order; several are hostile as folder names on purpose."""

_ORDINARY_PDF_NAMES: tuple[str, ...] = (
    "Quote {k}.pdf",
    "Proposta comercial nº {k} – revisão final.pdf",
    "Signed contract {k}.docx.pdf",
    "Nota Fiscal {k}.pdf",
)
_ORDINARY_OTHER_NAMES: tuple[str, ...] = (
    "RE Order confirmation {k}.msg",
    "Delivery schedule {k}.xlsx",
    "Supplier email {k}.eml",
    "Especificação técnica {k}.docx",
)

_HEADERS: dict[str, bytes] = {
    ".pdf": b"%PDF-1.4\n",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".zip": b"PK\x03\x04",
    ".msg": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ".eml": b"From: supplier@example.com\r\nSubject: Order\r\n\r\n",
    ".txt": b"Plain text attachment\n",
}

_CONTENT_TYPES: dict[str, str] = {".pdf": "application/pdf"}


class PageKind(StrEnum):
    """What the portal answers for a document page."""

    OK = "ok"
    NOT_FOUND = "not_found"
    NOT_AUTHORIZED = "not_authorized"
    NOT_AUTHORIZED_PT = "not_authorized_pt"
    SERVER_ERROR = "server_error"


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attachment of a PO or requisition page.

    ``kind`` is "file" for the span attachments and "comment" for links inside ``div.commentAttachments``.
    ``stall`` files send :data:`STALL_SENT_BYTES` and then hang; ``chunk_delay_s`` paces a large body;
    a ``streamed`` body is only ever made chunk by chunk (:func:`file_chunks`, :func:`file_sha256`).
    ``same_as`` names another attachment of the page whose bytes this one serves (one file offered twice).
    """

    doc: str
    index: int
    name: str
    kind: str
    size: int
    stall: bool = False
    chunk_delay_s: float = 0.0
    same_as: int | None = None
    streamed: bool = False
    query: str = ""
    """A signed link's query (``X-Amz-Signature=…``): part of the link, ignored by the server."""
    malformed_url: bool = False
    """The file span carries :data:`MALFORMED_URL` in ``data-url`` (every variant); its click still works."""

    @property
    def url_path(self) -> str:
        path = f"/attachment_files/{self.doc}/{self.index}/download"
        return f"{path}?{self.query}" if self.query else path

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES.get(_extension(self.name), "application/octet-stream")


@dataclass(frozen=True, slots=True)
class Document:
    """Everything the portal shows for one PO or requisition number."""

    digits: str
    is_requisition: bool
    page: PageKind
    supplier: str = ""
    requisition: str | None = None
    attachments: tuple[Attachment, ...] = ()
    notice: str | None = None
    modal: bool = False
    extra_render_ms: int = 0
    parent_po: str | None = None


MALFORMED_URL = "http://[malformed-host/attachment.pdf"
"""A ``data-url`` value that ``new URL()`` refuses (an unclosed IPv6 bracket): PO 20000081's first span."""

MAINTENANCE_NOTICE = (
    "Scheduled maintenance on Saturday 02:00–04:00 UTC. Access denied errors may appear briefly."
)

HOSTILE_NAMES: tuple[str, ...] = (
    "../../evil.pdf",
    "CON.txt",
    "a/b\\c:d*e?f<g>h|i.pdf",
    "Very long attachment name " + "x" * 170 + ".pdf",  # 200 chars: Chromium cannot save names near 255 bytes
    "résumé ünïcødé 請求書.pdf",
    "...",
)

TERMINAL_SUPPLIER = "\x1b[2J\x1b[31mRed Alert\x1b[0m Supplies\x07 Ltda"
TERMINAL_NAMES: tuple[str, ...] = (
    "\x1b]0;pwned\x07Quote\x1b[1A 41.pdf",
    "Bell\x07 and \x9b2J C1\x7f.pdf",
)
"""Names that drive a terminal printed raw (clear screen, colours, window title, cursor up, bell, C1 CSI)."""
TERMINAL_STALLED = "\x1b[5mBlink\x1b[0m\x08 stalled.pdf"
SIGNED_QUERY = (
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=5ec7e7deadbeef0123456789abcdef&token=t0k3n-s3cr3t"
)
"""The signature and token of PO 20000043's links: they must never reach a log or the manifest."""

FORMS_NAME_NFC = "Fatura_Mar\u00e7o.pdf"
FORMS_NAME_NFD = "Fatura_Marc\u0327o.pdf"
FORMS_SUPPLIER_NFC = "Mar\u00e7o Com\u00e9rcio Ltda"
FORMS_SUPPLIER_NFD = "Marc\u0327o Come\u0301rcio Ltda"
"""One name in its composed (NFC) and decomposed (NFD) Unicode forms: POs 20000015 and 20000016."""


LONG_SUPPLIER = (
    "Companhia Brasileira de Distribuição e Logística Integrada de Materiais Técnicos Industriais Ltda."
)
"""PO 20000091's supplier: longer than any Windows path budget leaves for a supplier folder."""
_LONG_STEM = (
    "Relatório de inspeção técnica do lote 114 com certificados de qualidade, "
    "laudos assinados e anexos via do"
)
LONG_NAMES: tuple[str, ...] = (f"{_LONG_STEM} fornecedor.pdf", f"{_LONG_STEM} comprador.pdf")
"""PO 20000091's attachments: ~120 characters each, alike until past any cut a path budget makes."""
NEAR_LIMIT_NAME = (
    "Relação técnica das vistorias elétricas, hidráulicas e de climatização — filial São José dos "
    "Campos — revisão nº 4 após a manutenção corretiva, com observações da equipe de segurança e "
    "aprovação final da diretoria regional.pdf"
)
"""PO 20000092's first attachment: 249 bytes of UTF-8, under the disk's 255 but not with ``.crdownload``."""


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _seeded_size(doc: str, index: int, name: str) -> int:
    """A stable size in [2 KiB, 60 KiB) so every file differs in size as well as content."""
    digest = hashlib.sha256(f"{doc}/{index}/{name}".encode()).digest()
    return 2048 + int.from_bytes(digest[:4], "big") % (58 * 1024)


def _att(
    doc: str,
    index: int,
    name: str,
    kind: str = "file",
    *,
    size: int | None = None,
    stall: bool = False,
    chunk_delay_s: float = 0.0,
    same_as: int | None = None,
    streamed: bool = False,
    malformed_url: bool = False,
) -> Attachment:
    return Attachment(
        doc=doc,
        index=index,
        name=name,
        kind=kind,
        size=size if size is not None else _seeded_size(doc, index, name),
        stall=stall,
        chunk_delay_s=chunk_delay_s,
        same_as=same_as,
        streamed=streamed,
        malformed_url=malformed_url,
    )


def _ordinary_names(k: int) -> list[str]:
    """1–3 distinct names; every 7th PO has no PDF at all (the case that makes the old tool try the PR)."""
    count = 1 + (k - 1) % 3
    others = [_ORDINARY_OTHER_NAMES[(k + i) % len(_ORDINARY_OTHER_NAMES)] for i in range(count)]
    if k % 7 == 0:
        chosen = others
    else:
        chosen = [_ORDINARY_PDF_NAMES[k % len(_ORDINARY_PDF_NAMES)], *others[: count - 1]]
    return [name.format(k=k) for name in chosen]


def _ordinary_po(digits: str) -> Document:
    k = int(digits) - ORDINARY_FIRST + 1
    names = _ordinary_names(k)
    last_is_comment = len(names) >= 2 and k % 2 == 0
    atts = tuple(
        _att(digits, i + 1, name, "comment" if last_is_comment and i == len(names) - 1 else "file")
        for i, name in enumerate(names)
    )
    # Only POs that have a PDF link a requisition, so no ordinary PO ever triggers a PR fallback.
    has_pdf = any(a.name.lower().endswith(".pdf") for a in atts)
    requisition = str(int(digits) + ORDINARY_REQUISITION_OFFSET) if k % 3 == 0 and has_pdf else None
    return Document(
        digits=digits,
        is_requisition=False,
        page=PageKind.OK,
        supplier=SUPPLIERS[(k - 1) % len(SUPPLIERS)],
        requisition=requisition,
        attachments=atts,
    )


def _special_po(digits: str) -> Document | None:
    def ok(
        supplier: str,
        *names: str | tuple[str, str],
        requisition: str | None = None,
        notice: str | None = None,
        modal: bool = False,
        extra_render_ms: int = 0,
    ) -> Document:
        atts = []
        for i, entry in enumerate(names, start=1):
            name, kind = (entry, "file") if isinstance(entry, str) else entry
            atts.append(_att(digits, i, name, kind))
        return Document(
            digits=digits,
            is_requisition=False,
            page=PageKind.OK,
            supplier=supplier,
            attachments=tuple(atts),
            requisition=requisition,
            notice=notice,
            modal=modal,
            extra_render_ms=extra_render_ms,
        )

    match digits:
        case "20000001":
            return Document(digits, False, PageKind.NOT_FOUND)
        case "20000002":
            return Document(digits, False, PageKind.NOT_AUTHORIZED)
        case "20000003":
            return Document(digits, False, PageKind.NOT_AUTHORIZED_PT)
        case "20000004":
            return ok(
                "Northwind Traders",
                "Maintenance contract.pdf",
                "Access report.pdf",
                notice=MAINTENANCE_NOTICE,
            )
        case "20000005":
            return ok("Contoso Serviços Ltda.")
        case "20000006":
            return ok("Tailspin Toys", requisition="30000006")
        case "20000007":
            return ok("Duplicate Names Inc.", "Invoice.pdf", "Invoice.pdf", ("Invoice.pdf", "comment"))
        case "20000008":
            return Document(
                digits,
                False,
                PageKind.OK,
                supplier="Slowpoke Logistics",
                attachments=(
                    _att(digits, 1, "Packing list.pdf"),
                    _att(digits, 2, "Stalled transfer.pdf", stall=True, size=48 * 1024),
                ),
            )
        case "20000009":
            return Document(digits, False, PageKind.SERVER_ERROR)
        case "20000010":
            return ok("Hostile Names S.A.", *HOSTILE_NAMES)
        case "20000011":
            return Document(
                digits,
                False,
                PageKind.OK,
                supplier="Big Files Corp",
                attachments=(
                    _att(
                        digits,
                        1,
                        "Drawings package.zip",
                        size=LARGE_FILE_SIZE,
                        chunk_delay_s=LARGE_CHUNK_DELAY_S,
                    ),
                    _att(digits, 2, "Cover letter.pdf"),
                ),
            )
        case "20000017":
            return Document(
                digits,
                False,
                PageKind.OK,
                supplier="Huge Files Ltda.",
                attachments=(
                    _att(digits, 1, "Plant survey scans.zip", size=HUGE_FILE_SIZE, streamed=True),
                    _att(digits, 2, "Survey summary.pdf"),
                ),
            )
        case "20000018":
            return Document(
                digits,
                False,
                PageKind.OK,
                supplier="Empty Forms Co.",
                attachments=(_att(digits, 1, "Blank form.pdf", size=0), _att(digits, 2, "Filled form.pdf")),
            )
        case "20000012":
            names: list[str | tuple[str, str]] = [f"Lote {i} - certificado.pdf" for i in range(1, 8)]
            names.append(("Resumo dos lotes.pdf", "comment"))
            return ok("Many Files Ltda.", *names)
        case "20000013":
            return ok("Modal Dialogs GmbH", "Terms and conditions.pdf", modal=True)
        case "20000014":
            return ok("Late Render Co.", "Late quote.pdf", "Late specification.docx", extra_render_ms=4000)
        case "20000015":
            first = _att(digits, 1, FORMS_NAME_NFC)
            return Document(
                digits,
                False,
                PageKind.OK,
                supplier=FORMS_SUPPLIER_NFD,
                attachments=(
                    first,
                    _att(digits, 2, FORMS_NAME_NFD),
                    _att(digits, 3, FORMS_NAME_NFD, "comment", size=first.size, same_as=1),
                ),
            )
        case "20000016":
            return ok(FORMS_SUPPLIER_NFC, "Pedido assinado.pdf")
        case "20000041":
            return ok(TERMINAL_SUPPLIER, *TERMINAL_NAMES)
        case "20000042":
            return Document(
                digits,
                False,
                PageKind.OK,
                supplier=TERMINAL_SUPPLIER,
                attachments=(
                    _att(digits, 1, TERMINAL_NAMES[0]),
                    _att(digits, 2, TERMINAL_STALLED, stall=True, size=48 * 1024),
                ),
            )
        case "20000043":
            # The comment link's href carries the URL in every variant; the span only in the data-url ones.
            signed = (_att(digits, 1, "Signed quote.pdf", "comment"), _att(digits, 2, "Signed drawing.pdf"))
            return Document(
                digits,
                False,
                PageKind.OK,
                supplier="Signed Links Ltd",
                attachments=tuple(dataclasses.replace(a, query=SIGNED_QUERY) for a in signed),
            )
        case "20000071":
            return ok("Lost Requisitions Ltd", requisition="30000071")
        case "20000072":
            return ok("Hidden Requisitions S.A.", requisition="30000072")
        case "20000091":
            return ok(LONG_SUPPLIER, *LONG_NAMES)
        case "20000092":
            return ok("Vistorias Técnicas Ltda", NEAR_LIMIT_NAME, "Resumo.pdf")
        case "20000081":
            return Document(
                digits,
                False,
                PageKind.OK,
                supplier="Broken Links GmbH",
                attachments=(
                    _att(digits, 1, "Malformed link quote.pdf", malformed_url=True),
                    _att(digits, 2, "Working link terms.pdf"),
                ),
            )
    return None


def _requisition(digits: str) -> Document:
    if digits == "30000006":
        atts: tuple[Attachment, ...] = (
            _att(digits, 1, "Requisition quote.pdf"),
            _att(digits, 2, "Budget approval.msg"),
        )
        return Document(
            digits, True, PageKind.OK, supplier="Tailspin Toys", attachments=atts, parent_po="20000006"
        )
    if digits == "30000072":
        return Document(digits, True, PageKind.NOT_AUTHORIZED, parent_po="20000072")
    if digits.isdigit():
        po = str(int(digits) - ORDINARY_REQUISITION_OFFSET)
        parent = document(po) if po.isdigit() and ORDINARY_FIRST <= int(po) <= ORDINARY_LAST else None
        if parent is not None and parent.requisition == digits:
            k = int(po) - ORDINARY_FIRST + 1
            atts = (_att(digits, 1, f"Requisition justification {k}.pdf"),)
            return Document(
                digits, True, PageKind.OK, supplier=parent.supplier, attachments=atts, parent_po=po
            )
    return Document(digits, True, PageKind.NOT_FOUND)


@functools.lru_cache(maxsize=4096)
def document(digits: str) -> Document:
    """The PO page behind ``/order_headers/<digits>``; anything unknown is a "not found" page."""
    special = _special_po(digits)
    if special is not None:
        return special
    if digits.isdigit() and not digits.startswith("0") and ORDINARY_FIRST <= int(digits) <= ORDINARY_LAST:
        return _ordinary_po(digits)
    return Document(digits, False, PageKind.NOT_FOUND)


@functools.lru_cache(maxsize=4096)
def requisition(digits: str) -> Document:
    """The requisition page behind ``/requisition_headers/<digits>``."""
    return _requisition(digits)


def _owner(digits: str) -> Document:
    po = document(digits)
    return po if po.page is not PageKind.NOT_FOUND else requisition(digits)


def attachments_for(digits: str) -> list[Attachment]:
    """Attachments of a PO, or of a requisition when given a requisition id (the ranges never overlap)."""
    return list(_owner(digits).attachments)


def attachment(digits: str, index: int) -> Attachment | None:
    return next((a for a in _owner(digits).attachments if a.index == index), None)


def supplier_for(po_digits: str) -> str:
    return document(po_digits).supplier


def demo_po_numbers(n: int) -> list[str]:
    """``n`` ordinary POs ``10000001…`` for batches and benchmarks."""
    if not 0 <= n <= ORDINARY_LAST - ORDINARY_FIRST + 1:
        raise ValueError(f"n out of range: {n}")
    return [str(ORDINARY_FIRST + i) for i in range(n)]


def _known(digits: str, index: int) -> Attachment:
    att = attachment(digits, index)
    if att is None:
        raise KeyError(f"{digits}/{index}")
    return att


def _frame(att: Attachment) -> tuple[bytes, bytes, int]:
    """A body's type header + identity line, its end, and the filler bytes between them."""
    ext = _extension(att.name)
    head = _HEADERS.get(ext, b"") + f"po-downloader demo file {att.doc}/{att.index}: {att.name}\n".encode()
    tail = b"\n%%EOF\n" if ext == ".pdf" else b"\n"
    return head, tail, max(0, att.size - len(head) - len(tail))


@functools.lru_cache(maxsize=16)
def file_bytes(digits: str, index: int) -> bytes:
    """The full body of one file: a type header, an identity line, then seeded random filler.

    Raises KeyError for an attachment that does not exist, ValueError for a ``streamed`` one (too big to
    hold: use :func:`file_chunks` or :func:`file_sha256`).
    """
    att = _known(digits, index)
    if att.same_as is not None:
        return file_bytes(digits, att.same_as)
    if att.streamed:
        raise ValueError(f"{digits}/{index} is streamed: read it with file_chunks()")
    head, tail, filler = _frame(att)
    body = head + random.Random(f"{digits}/{index}").randbytes(filler) + tail
    return body[: att.size]


def file_chunks(digits: str, index: int) -> Iterator[bytes]:
    """The body of one file in pieces, exactly :attr:`Attachment.size` bytes in all: how the server sends
    it, whatever its size. A ``streamed`` body is made :data:`STREAM_CHUNK` bytes at a time."""
    att = _known(digits, index)
    if not att.streamed:
        yield file_bytes(digits, index)
        return
    head, tail, filler = _frame(att)
    rng = random.Random(f"{digits}/{index}")
    left = att.size
    for piece in _filler_pieces(head, rng, filler, tail):
        yield piece[:left]
        left -= min(len(piece), left)
        if left == 0:
            return


def _filler_pieces(head: bytes, rng: random.Random, filler: int, tail: bytes) -> Iterator[bytes]:
    yield head
    while filler > 0:
        n = min(STREAM_CHUNK, filler)
        filler -= n
        yield rng.randbytes(n)
    yield tail


def file_sha256(digits: str, index: int) -> str:
    """The SHA-256 of one file's body, never holding a streamed body whole."""
    digest = hashlib.sha256()
    for piece in file_chunks(digits, index):
        digest.update(piece)
    return digest.hexdigest()
