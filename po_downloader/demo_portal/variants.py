"""Markup and timing profiles of the demo portal: one portal-wide ``variant`` picks how every page looks.

A :class:`Variant` is a set of independent axes; :data:`VARIANTS` names the combinations tests run against.
``classic`` is the portal as it always was. Choose one with ``--variant NAME``, ``start_portal(variant=NAME)``
or, while the portal runs, ``POST /__control {"variant": NAME}``.

Axes:

``render``
    ``xhr``: a spinner (``div.loading[aria-busy=true]``), then the page fetches the attachments API (which
    waits ``render_ms`` + the document's ``extra_render_ms``), renders, removes the spinner.
    ``immediate``: spans and comment links are in the first HTML; no API call, no spinner.
    ``timer``: the attachment data is embedded (base64 JSON in the config script tag); a ``setTimeout``
    renders it :func:`timer_delay_ms` after ``load``; no request and no loading indicator at all.
    ``xhr_gap``: like ``xhr``, but the spinner goes as soon as the API answers and the items appear
    :data:`GAP_MS` later, with no network activity in between.
``span_style``
    ``click``: the span carries no URL; only its click handler knows it. ``data_url``: span number *n* (0-based,
    counting file spans only) carries its URL in ``DATA_URL_ATTRIBUTES[n % 3]`` (see :func:`span_url` for the
    URL form of each); clicking still downloads. ``mixed``: even *n* get ``data-url``, odd *n* are click-only.
``comments``
    ``with_items``: comment links (``div.commentAttachments a``) appear together with the spans.
    ``first_html``: they are in the first HTML, before the spans (an early, partial list).
``empty_state`` / ``empty_text``
    For a document without file spans: show a text in ``#attachments_list`` (``span.none``) or nothing.
    ``empty_text`` overrides the language's default ("No attachments" / "Nenhum anexo").
``error_layout``
    ``bare``: not-found/no-access pages are nav + ``div.flash_error`` only. ``full``: the whole PO layout
    (nav, sticky toolbar, ``body.order_headers.show``, empty section shells, an empty attachments section)
    but no PO number anywhere and no ``#order_header_requisition_header``.
``error_http``
    200: not-found and no-access answer 200. 404: not-found answers 404 and no-access 403.
``banner``
    Every layout page carries a benign ``div.announcement[role=status]`` quoting error phrases.
``lang``
    ``en`` or ``pt`` (pt-BR texts, ``<html lang="pt-BR">``; aria-labels keep "<name> file attachment").
``stated_count``
    How the page states how many file attachments its section lists, from the server (as Coupa's
    "Attachments (3)"): ``heading`` in the section's heading, ``attribute`` as ``data-count`` on the
    section, or ``none``. Comment links are not counted: they are not the section's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Render = Literal["xhr", "immediate", "timer", "xhr_gap"]
SpanStyle = Literal["click", "data_url", "mixed"]
Comments = Literal["with_items", "first_html"]
ErrorLayout = Literal["bare", "full"]
ErrorHttp = Literal[200, 404]
Lang = Literal["en", "pt"]
StatedCount = Literal["none", "heading", "attribute"]

DATA_URL_ATTRIBUTES: tuple[str, ...] = ("data-url", "data-href", "data-download-url")
"""The URL attributes of ``data_url`` spans, rotated by the span's position among the file spans."""

GAP_MS = 900
"""``xhr_gap``: how long after the API answer (and the spinner's removal) the items appear."""

TIMER_BASE_MS = 1000
TIMER_STEP_MS = 1000


@dataclass(frozen=True, slots=True)
class Variant:
    """One markup/timing profile; every field is an independent axis (see the module docstring)."""

    name: str
    render: Render = "xhr"
    span_style: SpanStyle = "click"
    comments: Comments = "with_items"
    empty_state: bool = True
    empty_text: str = ""
    error_layout: ErrorLayout = "bare"
    error_http: ErrorHttp = 200
    banner: bool = False
    lang: Lang = "en"
    stated_count: StatedCount = "none"

    @property
    def uses_api(self) -> bool:
        """Whether the page script fetches the attachments API (and so can see a 401)."""
        return self.render in ("xhr", "xhr_gap")

    @property
    def html_lang(self) -> str:
        return "pt-BR" if self.lang == "pt" else "en"

    def url_attribute(self, position: int) -> str | None:
        """The attribute carrying the URL of file span number ``position`` (0-based), or None (click-only)."""
        if self.span_style == "data_url":
            return DATA_URL_ATTRIBUTES[position % len(DATA_URL_ATTRIBUTES)]
        if self.span_style == "mixed" and position % 2 == 0:
            return "data-url"
        return None

    def not_found_status(self) -> int:
        return 404 if self.error_http == 404 else 200

    def no_access_status(self) -> int:
        return 403 if self.error_http == 404 else 200


def span_url(attribute: str, path: str, origin: str) -> str:
    """The value of a span's URL attribute: three URL forms, all served by the file route.

    ``data-url``: the path; ``data-href``: the path plus ``?disposition=attachment``; ``data-download-url``:
    the absolute URL on the origin the browser used. The page script applies the same rule.
    """
    if attribute == "data-href":
        return path + ("&" if "?" in path else "?") + "disposition=attachment"
    if attribute == "data-download-url":
        return origin + path
    return path


def timer_delay_ms(digits: str, extra_render_ms: int = 0) -> int:
    """``timer``: ms between the page's ``load`` event and the attachments appearing (1–3 s, per document)."""
    step = int(digits) % 3 if digits.isdigit() else 0
    return TIMER_BASE_MS + step * TIMER_STEP_MS + extra_render_ms


CLASSIC = Variant("classic", empty_text="None")

VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        CLASSIC,
        Variant(
            "immediate",
            render="immediate",
            span_style="mixed",
            comments="first_html",
            empty_state=True,
            error_layout="full",
            error_http=404,
            banner=True,
            stated_count="heading",
        ),
        Variant(
            "timer",
            render="timer",
            span_style="click",
            comments="first_html",
            empty_state=False,
            error_layout="full",
            error_http=200,
            banner=True,
        ),
        Variant(
            "data-url",
            render="xhr",
            span_style="data_url",
            comments="first_html",
            empty_state=True,
            error_layout="bare",
            error_http=404,
            banner=False,
            stated_count="attribute",
        ),
        Variant(
            "gap",
            render="xhr_gap",
            span_style="mixed",
            comments="with_items",
            empty_state=False,
            error_layout="full",
            error_http=200,
            banner=True,
        ),
        Variant(
            "pt-br",
            render="timer",
            span_style="data_url",
            comments="first_html",
            empty_state=True,
            error_layout="full",
            error_http=200,
            banner=True,
            lang="pt",
        ),
        # As newer Coupa tenants serve it: every attachment's URL in the first HTML, nothing drawn later.
        # The one variant whose served page proves its list, so the HTTP route can decide its POs.
        Variant(
            "served",
            render="immediate",
            span_style="data_url",
            comments="first_html",
            empty_state=True,
            error_layout="full",
            error_http=404,
            banner=True,
        ),
    )
}
"""The named variants, ``classic`` first."""


def variant_named(name: str) -> Variant:
    """The variant called ``name``; ValueError naming the valid ones otherwise."""
    found = VARIANTS.get(name) if isinstance(name, str) else None
    if found is None:
        raise ValueError(f"unknown variant {name!r}; valid variants: {', '.join(VARIANTS)}")
    return found
