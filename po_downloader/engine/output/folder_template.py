"""Folder templates: where a PO's folder goes below the download root, in the user's own layout.

A template such as ``{Centro de custo}/{supplier}/{year}/{po}`` names the folders above the PO's own
folder. Its tokens come from the page (``{supplier}``, ``{po}``), from the batch (``{year}``, ``{month}``)
and from the sheet: any other token is a column of the sheet, by its header. The PO's own folder is
always the template's last level, ``{po}`` alone: it is still ``<PO>__WORK`` while worked and
``<PO>_<STATUS>`` at the end, so two POs never share a folder (a PO number names one folder) and the
rules that find a PO's earlier folder by its name hold for every template.

Pure: parsing, checking against the sheet's headers, rendering with fallbacks and fitting the path
budget. The default ``{supplier}/{po}`` renders exactly today's ``<root>/<supplier>/<PO>_<STATUS>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.input.column_choice import column_index
from po_downloader.engine.output.naming import fit_component, safe_component

if TYPE_CHECKING:
    from po_downloader.engine.input.plan import BatchPlan

DEFAULT_TEMPLATE = "{supplier}/{po}"
"""Today's layout: one folder per supplier, the PO's folder in it."""
PO_TOKEN = "po"
SUPPLIER_TOKEN = "supplier"
PAGE_TOKENS = (SUPPLIER_TOKEN, PO_TOKEN, "year", "month")
"""Tokens that are not sheet columns (any case): the page's supplier and PO number, the batch's date."""
UNKNOWN_SUPPLIER = "Unknown supplier"
"""A page (and a sheet) without a supplier's name: today's folder for it, kept for the default."""
MIN_LEVEL_ROOM = 8
"""Below this a folder's name says nothing: the download folder itself is too deep for the template."""
_LEVEL = re.compile(r"(?:\{[^{}]*\}|[^/\\{}]|[{}])+")
"""One level: up to a ``/`` or ``\\`` outside braces (a header such as ``Centro/Custo`` stays one token)."""
_PIECE = re.compile(r"\{([^{}]*)\}|([^{}]+)|([{}])")
_SHOWN_COLUMNS = 30
"""How many of the sheet's headers an unknown token's message lists."""


class TemplateError(PoDownloaderError):
    """A template that cannot lay out folders: refused before the batch starts, naming what is wrong."""


@dataclass(frozen=True, slots=True)
class Piece:
    """Literal text, or a token (``token`` True: ``text`` is its name as written)."""

    text: str
    token: bool = False


@dataclass(frozen=True, slots=True)
class FolderTemplate:
    """A parsed template: the levels above the PO's folder, each a run of pieces."""

    text: str
    levels: tuple[tuple[Piece, ...], ...]

    @property
    def tokens(self) -> tuple[str, ...]:
        """Every token of the levels above the PO's folder, in order, each once."""
        named = (p.text for level in self.levels for p in level if p.token)
        return tuple(dict.fromkeys(named))

    @property
    def sheet_tokens(self) -> tuple[str, ...]:
        """The tokens that are sheet columns (by header), not the page's or the batch's."""
        return tuple(t for t in self.tokens if not is_page_token(t))


def is_page_token(name: str) -> bool:
    return name.casefold() in PAGE_TOKENS


def parse_template(text: str) -> FolderTemplate:
    """The template ``text`` (empty: the default) or :class:`TemplateError`: a stray brace or an empty
    ``{}``, or a template whose last level is not ``{po}`` alone (or that uses ``{po}`` above it)."""
    text = text.strip() or DEFAULT_TEMPLATE
    levels: list[tuple[Piece, ...]] = []
    for found in _LEVEL.finditer(text):
        raw = found.group()
        if not raw.strip():
            continue  # "a//b", a leading "/": no level of its own (the root is the user's choice)
        pieces: list[Piece] = []
        for match in _PIECE.finditer(raw):
            token, literal, brace = match.groups()
            if brace is not None or (token is not None and not token.strip()):
                raise TemplateError(
                    ErrorKind.FOLDER_TEMPLATE_BRACE,
                    f"the folder template {text!r} has a stray brace or an empty {{}}: "
                    "write tokens as {name}",
                    template=text,
                    example="{name}",
                )
            pieces.append(Piece(token.strip(), True) if token is not None else Piece(literal))
        levels.append(tuple(pieces))
    last = levels[-1] if levels else ()
    ends_with_po = len(last) == 1 and last[0].token and last[0].text.casefold() == PO_TOKEN
    above = [p for level in levels[:-1] for p in level if p.token and p.text.casefold() == PO_TOKEN]
    if not ends_with_po or above:
        raise TemplateError(
            ErrorKind.FOLDER_TEMPLATE_NO_PO,
            f"the folder template {text!r} must end with {{po}} as a folder of its own, and use it only "
            "there (e.g. {supplier}/{po})",
            template=text,
            po="{po}",
            example=DEFAULT_TEMPLATE,
        )
    return FolderTemplate(text, tuple(levels[:-1]))


def check_template(text: str, columns: Sequence[str]) -> FolderTemplate:
    """:func:`parse_template`, and every token known: one of :data:`PAGE_TOKENS` or a column of the
    sheet whose ``columns`` are given (by :func:`column_index`). The first unknown one is named."""
    template = parse_template(text)
    for token in template.sheet_tokens:
        if column_index(columns, token) is None:
            shown = [*(f"{{{t}}}" for t in PAGE_TOKENS), *(f"{{{c}}}" for c in columns[:_SHOWN_COLUMNS])]
            more = ", …" if len(columns) > _SHOWN_COLUMNS else ""
            raise TemplateError(
                ErrorKind.FOLDER_TEMPLATE_UNKNOWN_TOKEN,
                f"the folder template uses {{{token}}}, which is neither a page token nor a column of the "
                f"sheet (known: {', '.join(shown)}{more})",
                token=f"{{{token}}}",
                known=", ".join(shown) + more,
            )
    return template


def value_columns(
    template: FolderTemplate, columns: Sequence[str], supplier_column: str | None = None
) -> tuple[tuple[str, int], ...]:
    """Where each value the template takes from the sheet is: its sheet tokens (by the token as
    written), and the sheet's supplier (``supplier_column``, the user's mapping) under ``supplier`` when
    the template uses it (the page's supplier comes first, the sheet's only where the page shows none).
    Found once per batch, not per row: a 100 000-row sheet is read in a blink."""
    wanted = [(t, t) for t in template.sheet_tokens]
    if supplier_column and any(t.casefold() == SUPPLIER_TOKEN for t in template.tokens):
        wanted.append((SUPPLIER_TOKEN, supplier_column))
    found = ((token, column_index(columns, column)) for token, column in wanted)
    return tuple((token, index) for token, index in found if index is not None)


def values_at(where: Sequence[tuple[str, int]], row: Sequence[object]) -> tuple[tuple[str, str], ...]:
    """One row's values at :func:`value_columns`; blank cells are left out (the fallback names them)."""
    cells = ((token, cell_text(row[index]) if index < len(row) else "") for token, index in where)
    return tuple((token, text) for token, text in cells if text)


def row_values(
    template: FolderTemplate,
    columns: Sequence[str],
    row: Sequence[object],
    supplier_column: str | None = None,
) -> tuple[tuple[str, str], ...]:
    """One row's values for the template (:func:`value_columns`, :func:`values_at`)."""
    return values_at(value_columns(template, columns, supplier_column), row)


def po_values(plan: BatchPlan, digits: str, where: Sequence[tuple[str, int]]) -> tuple[tuple[str, str], ...]:
    """The values at ``where`` (:func:`plan_columns`) of the PO's first row: a PO is one folder, so rows
    of it that disagree do not split it."""
    rows = plan.rows_for(digits)
    return values_at(where, plan.sheet.rows[rows[0]]) if rows else ()


def plan_columns(template: FolderTemplate, plan: BatchPlan) -> tuple[tuple[str, int], ...]:
    """:func:`value_columns` of the plan's sheet, with the supplier column of the user's mapping."""
    sheet = plan.sheet
    supplier_column = sheet.mapping.supplier if sheet.mapping is not None else None
    return value_columns(template, sheet.columns, supplier_column)


def cell_text(value: object) -> str:
    """A cell as a folder name's text: whole floats without ``.0`` (Excel's numbers), a date without a
    midnight time, whitespace runs as one space."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.endswith(" 00:00:00"):
        text = text[: -len(" 00:00:00")]
    return " ".join(text.split())


def fallback(token: str) -> str:
    """The folder a missing value goes to: ``_no Centro de custo``; the supplier keeps today's."""
    return UNKNOWN_SUPPLIER if token.casefold() == SUPPLIER_TOKEN else f"_no {token}"


def render(
    template: FolderTemplate,
    *,
    supplier: str,
    po_display: str,
    values: Mapping[str, str],
    day: date,
) -> tuple[str, ...]:
    """The safe names of the folders above the PO's folder, uncut (:func:`fit_levels` cuts them).

    Each token's value is made safe on its own first, so a ``/`` in a cost centre never makes a level;
    a missing value (blank cell, no supplier on the page) is its :func:`fallback`."""
    page = {
        SUPPLIER_TOKEN: supplier.strip() or values.get(SUPPLIER_TOKEN, ""),
        PO_TOKEN: po_display,
        "year": f"{day.year:04d}",
        "month": f"{day.month:02d}",
    }
    names = []
    for level in template.levels:
        tokens = [p.text for p in level if p.token]
        parts = []
        for piece in level:
            if not piece.token:
                parts.append(piece.text)
                continue
            name = piece.text
            value = page.get(name.casefold(), "") if is_page_token(name) else values.get(name, "")
            value = value.strip()
            parts.append(safe_component(value, fallback=fallback(name)) if value else fallback(name))
        only = fallback(tokens[0]) if len(tokens) == 1 else "_"
        names.append(safe_component("".join(parts), fallback=only))
    return tuple(names)


def fit_levels(names: Sequence[str], room: int | None) -> tuple[str, ...] | None:
    """``names`` cut so that together they take at most ``room`` characters (the path budget left by
    the root, the PO's folder and a file name): the longest are cut first, to one common length, never
    below :data:`MIN_LEVEL_ROOM`. None when ``room`` cannot give each level that much (the download
    folder is too deep for this template). ``room`` None: no limit. One level is cut exactly as the
    supplier's folder always was (:func:`~.naming.fit_component`)."""
    if room is None:
        return tuple(names)
    if room < MIN_LEVEL_ROOM * len(names) or room < 0:
        return None
    lengths = [len(n) for n in names]
    if sum(lengths) <= room:
        return tuple(names)
    cap = _common_cap(lengths, room)
    return tuple(n if len(n) <= cap else fit_component(n, cap) for n in names)


def _common_cap(lengths: Sequence[int], room: int) -> int:
    """The largest length ``cap`` such that the names cut to it fit in ``room``."""
    low, high = MIN_LEVEL_ROOM, max(lengths)
    while low < high:
        mid = (low + high + 1) // 2
        if sum(min(n, mid) for n in lengths) <= room:
            low = mid
        else:
            high = mid - 1
    return low


def preview(
    template: FolderTemplate,
    plan: BatchPlan,
    *,
    count: int,
    page_supplier: str,
    day: date,
) -> list[tuple[str, tuple[str, ...]]]:
    """The first ``count`` POs of ``plan`` and the folders the template puts each in (uncut), for the
    user to see before a batch: the sheet's values as the batch reads them; ``page_supplier`` stands for
    the supplier the page will show, where the sheet gives none."""
    shown = []
    where = plan_columns(template, plan)
    for po in plan.pos[:count]:
        values = dict(po_values(plan, po.digits, where))
        supplier = "" if values.get(SUPPLIER_TOKEN) else page_supplier
        names = render(template, supplier=supplier, po_display=po.display, values=values, day=day)
        shown.append((po.display, names))
    return shown
