"""HTML of the demo portal, shaped after what is known of real Coupa markup (see coupa.md §2 and §8).

Every page keeps ``body > div#top_nav`` first and ``div#flash_messages`` second, so an error ``h1`` sits at
``/html/body/div[2]/div/h1`` as the old tool expected. Decoys (extra spans, a nav link to requisitions, a help
link whose href contains "attachment") are deliberate: a downloader must rely on the documented markers.
How a page renders its attachments, its error layout, banner and language follow the portal's
:class:`~po_downloader.demo_portal.variants.Variant` (``classic`` unless told otherwise).
"""

from __future__ import annotations

import base64
import json
from html import escape

from po_downloader.demo_portal.catalog import (
    MALFORMED_URL,
    SCENARIOS,
    Attachment,
    Document,
    demo_po_numbers,
)
from po_downloader.demo_portal.facts import CURRENCY, demo_facts, line_values
from po_downloader.demo_portal.variants import (
    CLASSIC,
    DATA_URL_ATTRIBUTES,
    GAP_MS,
    Variant,
    span_url,
    timer_delay_ms,
)

_CSS = """
body { margin: 0; font-family: Arial, Helvetica, sans-serif; font-size: 14px; color: #222;
       padding-bottom: 160px; background: #f4f6f8; }
#top_nav { display: flex; align-items: center; gap: 24px; height: 56px; padding: 0 24px;
           background: #1f3a5a; color: #fff; }
#top_nav a { color: #fff; text-decoration: none; }
#top_nav .logo { font-weight: bold; font-size: 22px; letter-spacing: 1px; }
#top_nav .user-menu { margin-left: auto; }
#flash_messages .notice { background: #fff6d6; border: 1px solid #e5c75c; padding: 10px 24px; }
#flash_messages .flash_error { background: #fde8e8; border: 1px solid #e08a8a; padding: 16px 24px; }
#main_content { max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
section { background: #fff; border: 1px solid #dde2e6; border-radius: 4px; margin: 16px 0; padding: 12px 18px; }
section h2 { font-size: 16px; margin: 4px 0 12px; }
.field { display: inline-block; min-width: 220px; margin: 6px 12px 6px 0; vertical-align: top; }
.field .label, .field label { display: block; color: #667; font-size: 12px; }
table.lines { width: 100%; border-collapse: collapse; }
table.lines td, table.lines th { border-bottom: 1px solid #eef; padding: 10px 6px; text-align: left; }
.attachment { display: inline-flex; align-items: center; gap: 6px; margin: 6px 12px 6px 0; padding: 6px 10px;
              border: 1px solid #c9d3dc; border-radius: 14px; cursor: pointer; color: #1a5fa8; max-width: 100%;
              overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.attachment .attachment-icon::before { content: "\\1F4CE"; }
.comment { border-top: 1px solid #eee; padding: 8px 0; }
.commentAttachments a { color: #1a5fa8; }
.loading { color: #889; font-style: italic; }
.history-row { padding: 10px 0; border-bottom: 1px solid #f0f0f0; }
.page_buttons_right.floatingSectionOnTop { position: fixed; bottom: 0; left: 0; right: 0; height: 140px;
              z-index: 1000; background: #fff; border-top: 1px solid #ccd; box-shadow: 0 -4px 12px rgba(0,0,0,.15);
              display: flex; align-items: center; justify-content: flex-end; gap: 12px; padding: 0 32px; }
.page_buttons_right button { padding: 10px 18px; }
.modal { position: fixed; top: 0; left: 0; right: 0; bottom: 0; z-index: 2000; background: rgba(0,0,0,.55);
         display: flex; align-items: center; justify-content: center; }
.modal .modal-dialog { background: #fff; padding: 24px 32px; width: 520px; border-radius: 6px; position: relative; }
.modal .close { position: absolute; top: 8px; right: 12px; font-size: 22px; border: none; background: none; }
form.sign-in { background: #fff; width: 360px; margin: 60px auto; padding: 24px; border: 1px solid #dde; }
form.sign-in input[type=text], form.sign-in input[type=email], form.sign-in input[type=password] {
    display: block; width: 100%; margin: 4px 0 14px; padding: 8px; box-sizing: border-box; }
"""

_ATTACHMENTS_JS = """
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("attachments_config").textContent);
  var fileList = document.getElementById("attachments_list");
  var commentList = document.getElementById("comments_list");

  function startDownload(url) {
    // Like Coupa: a click-only span keeps its URL inside this handler, never in the DOM.
    var link = document.createElement("a");
    link.href = url;
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { link.remove(); }, 0);
  }

  function urlAttribute(position) {
    // The position counts file spans only (0-based); mirrors Variant.url_attribute.
    var names = config.url_attributes;
    if (config.span_style === "data_url") { return names[position % names.length]; }
    if (config.span_style === "mixed" && position % 2 === 0) { return names[0]; }
    return null;
  }

  function attributeValue(attribute, url) {
    // Mirrors variants.span_url: three URL forms for the same file.
    if (attribute === "data-href") { return url + (url.includes("?") ? "&" : "?") + "disposition=attachment"; }
    if (attribute === "data-download-url") { return window.location.origin + url; }
    return url;
  }

  function bind(span, url) {
    span.addEventListener("click", function () { startDownload(url); });
    span.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); startDownload(url); }
    });
  }

  function fileSpan(item, position) {
    var span = document.createElement("span");
    span.setAttribute("role", "button");
    span.setAttribute("tabindex", "0");
    span.setAttribute("aria-label", item.name + " file attachment");
    span.setAttribute("title", item.name);
    span.className = "attachment";
    var attribute = urlAttribute(position);
    if (item.malformed_url) { span.setAttribute("data-url", item.malformed_url); }
    else if (attribute) { span.setAttribute(attribute, attributeValue(attribute, item.url)); }
    var icon = document.createElement("span");
    icon.className = "attachment-icon";
    var text = document.createElement("span");
    text.className = "attachment-name";
    text.textContent = item.name;
    span.appendChild(icon);
    span.appendChild(text);
    bind(span, item.url);
    return span;
  }

  function commentEntry(item) {
    var entry = document.createElement("div");
    entry.className = "comment";
    var body = document.createElement("div");
    body.className = "comment_body";
    body.textContent = config.comment_text;
    var box = document.createElement("div");
    box.className = "commentAttachments";
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.name;
    box.appendChild(link);
    entry.appendChild(body);
    entry.appendChild(box);
    return entry;
  }

  function render(items) {
    var files = 0;
    items.forEach(function (item) {
      if (item.kind === "comment") {
        // "first_html": the comment links came with the page already.
        if (config.comments !== "first_html") { commentList.appendChild(commentEntry(item)); }
      } else { fileList.appendChild(fileSpan(item, files)); files += 1; }
    });
    if (files === 0 && config.empty) {
      var none = document.createElement("span");
      none.className = "none";
      none.textContent = config.empty;
      fileList.appendChild(none);
    }
  }

  function hydrate(items) {
    // "immediate": the spans came with the HTML; only their click handlers are missing.
    var spans = fileList.querySelectorAll("span.attachment");
    var position = 0;
    items.forEach(function (item) {
      if (item.kind === "comment") { return; }
      if (spans[position]) { bind(spans[position], item.url); }
      position += 1;
    });
  }

  function embedded() {
    var raw = window.atob(config.data);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
    return JSON.parse(new TextDecoder("utf-8").decode(bytes)).attachments;
  }

  function done() {
    var loading = document.querySelector(".loading[aria-busy]");
    if (loading) { loading.remove(); }
  }

  function failed() {
    done();
    var box = document.createElement("div");
    box.className = "attachments_unavailable";
    box.textContent = config.failed;
    fileList.appendChild(box);
  }

  function show(items) {
    if (config.render === "xhr_gap") {
      // The spinner goes with the answer, the items come later: network quiet is not "done".
      done();
      setTimeout(function () { render(items); }, config.gap_ms);
    } else {
      render(items);
      done();
    }
  }

  function load() {
    if (config.render === "timer") {
      var items = embedded();
      setTimeout(function () { render(items); }, config.delay_ms);
      return;
    }
    fetch(config.api, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401) {
          return response.json().then(function (body) {
            window.location.assign(body.login_url);
            throw new Error("signed out");
          });
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { show(data.attachments); })
      .catch(failed);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-dismiss='modal']"), function (button) {
    button.addEventListener("click", function () {
      var modal = button.closest(".modal");
      if (modal) { modal.remove(); }
    });
  });

  if (config.render === "immediate") { hydrate(embedded()); }
  if (config.late_item_ms > 0) {
    // A tenant whose served page is not the whole story: one more item drawn later, with no spinner.
    setTimeout(function () {
      var first = fileList.querySelector("span.attachment");
      if (!first) { return; }
      var late = first.cloneNode(true);
      late.setAttribute("aria-label", "Late addendum.pdf file attachment");
      late.setAttribute("title", "Late addendum.pdf");
      late.querySelector(".attachment-name").textContent = "Late addendum.pdf";
      fileList.appendChild(late);
    }, config.late_item_ms);
  }
  else if (document.readyState === "complete") { load(); }
  else { window.addEventListener("load", load); }
})();
"""

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "po_title": "PO #{digits} - Coupa",
        "purchase_order": "Purchase Order",
        "po_error_title": "Purchase Order - Coupa",
        "req_title": "Requisition #{digits} - Coupa",
        "requisition": "Requisition",
        "req_error_title": "Requisition - Coupa",
        "requisition_link": "Requisition {digits}",
        "po_link": "PO #{digits}",
        "none": "None",
        "general_info": "General Info",
        "details": "Details",
        "supplier": "Supplier",
        "lines": "Lines",
        "approvals": "Approvals",
        "attachments": "Attachments",
        "attachment_policy": "Attachment policy",
        "comments": "Comments",
        "history": "History",
        "po_number": "PO Number",
        "status": "Status",
        "issued": "Issued",
        "order_date": "Order Date",
        "version": "Version",
        "buyer": "Buyer",
        "ship_to": "Ship To",
        "payment_terms": "Payment Terms",
        "net_30": "Net 30",
        "currency": "Currency",
        "supplier_contact": "Supplier Contact",
        "transmission": "Transmission",
        "email": "Email",
        "approver": "Approver",
        "finance_manager": "Finance Manager",
        "approved_on": "Approved",
        "item": "Item",
        "qty": "Qty",
        "price": "Price",
        "requisition_number": "Requisition Number",
        "ordered": "Ordered",
        "requested_by": "Requested By",
        "total": "Total",
        "company": "Company",
        "supplier_number": "Supplier Number",
        "loading": "Loading attachments…",
        "empty": "No attachments",
        "failed": "Attachments could not be loaded. Refresh the page to try again.",
        "order_sent": "Order sent to supplier by email.",
        "comment_text": "Supplier Portal User: please find the document attached.",
        "history_rows": "Created|Submitted for approval|Approved|Issued|Acknowledged by supplier|Comment added",
        "toolbar": "Back|Print View|Email|Create Invoice|Change",
        "not_found": "Oops! We couldn't find what you wanted",
        "not_found_help": 'The page may have been moved or deleted. <a href="/user/home">Go to your home page</a>.',
        "no_access": "You are not authorized to view this page",
        "no_access_help": "Contact your Coupa administrator if you need access.",
        "banner": (
            'Maintenance tonight: if you see "Page Not Found", "Oops! We couldn\'t find what you wanted" '
            'or "You are not authorized", retry later.'
        ),
        "home_title": "Coupa Home",
        "welcome": "Welcome, Demo Buyer",
        "recent_orders": "Recent orders",
        "all_orders": "All orders",
        "orders": "Orders",
        "orders_title": "Orders - Coupa",
        "requests": "Requests",
        "requests_title": "Requests - Coupa",
        "requisition_list_link": "Requisition #{digits}",
        "help_title": "Help - Coupa",
        "help_text": "Attachments on orders are shared with the supplier. Do not attach personal data.",
    },
    "pt": {
        "po_title": "Pedido #{digits} - Coupa",
        "purchase_order": "Pedido de compra",
        "po_error_title": "Pedido de compra - Coupa",
        "req_title": "Requisição #{digits} - Coupa",
        "requisition": "Requisição",
        "req_error_title": "Requisição - Coupa",
        "requisition_link": "Requisição {digits}",
        "po_link": "Pedido #{digits}",
        "none": "Nenhuma",
        "general_info": "Informações gerais",
        "details": "Detalhes",
        "supplier": "Fornecedor",
        "lines": "Linhas",
        "approvals": "Aprovações",
        "attachments": "Anexos",
        "attachment_policy": "Política de anexos",
        "comments": "Comentários",
        "history": "Histórico",
        "po_number": "Número do pedido",
        "status": "Status",
        "issued": "Emitido",
        "order_date": "Data do pedido",
        "version": "Versão",
        "buyer": "Comprador",
        "ship_to": "Entregar em",
        "payment_terms": "Condições de pagamento",
        "net_30": "30 dias",
        "currency": "Moeda",
        "supplier_contact": "Contato do fornecedor",
        "transmission": "Transmissão",
        "email": "E-mail",
        "approver": "Aprovador",
        "finance_manager": "Gerente financeiro",
        "approved_on": "Aprovado em",
        "item": "Item",
        "qty": "Qtd.",
        "price": "Preço",
        "requisition_number": "Número da requisição",
        "ordered": "Pedido emitido",
        "requested_by": "Solicitado por",
        "total": "Valor total",
        "company": "Empresa",
        "supplier_number": "Número do fornecedor",
        "loading": "Carregando anexos…",
        "empty": "Nenhum anexo",
        "failed": "Não foi possível carregar os anexos. Atualize a página para tentar novamente.",
        "order_sent": "Pedido enviado ao fornecedor por e-mail.",
        "comment_text": "Usuário do portal do fornecedor: segue o documento em anexo.",
        "history_rows": "Criado|Enviado para aprovação|Aprovado|Emitido|Confirmado pelo fornecedor|Comentário adicionado",
        "toolbar": "Voltar|Visualizar impressão|E-mail|Criar fatura|Alterar",
        "not_found": "Desculpe, não encontramos o que você procurava",
        "not_found_help": 'A página pode ter sido movida ou excluída. <a href="/user/home">Ir para a página inicial</a>.',
        "no_access": "Você não tem permissão para acessar esta página",
        "no_access_help": "Fale com o administrador do Coupa se precisar de acesso.",
        "banner": (
            'Manutenção hoje à noite: se aparecer "Página não encontrada" ou "Você não tem permissão", '
            "tente mais tarde."
        ),
        "home_title": "Início - Coupa",
        "welcome": "Bem-vindo, Demo Buyer",
        "recent_orders": "Pedidos recentes",
        "all_orders": "Todos os pedidos",
        "orders": "Pedidos",
        "orders_title": "Pedidos - Coupa",
        "requests": "Requisições",
        "requests_title": "Requisições - Coupa",
        "requisition_list_link": "Requisição #{digits}",
        "help_title": "Ajuda - Coupa",
        "help_text": "Os anexos dos pedidos são compartilhados com o fornecedor. Não anexe dados pessoais.",
    },
}
"""Page texts by language; ``|`` separates list items. English is what the portal always showed."""


def _texts(lang: str) -> dict[str, str]:
    return _TEXTS["pt" if lang.startswith("pt") else "en"]


def _e(text: str) -> str:
    """Escape text content; quotes stay literal so page-source searches for "We're sorry" still match."""
    return escape(text, quote=False)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _banner(lang: str) -> str:
    """A benign status line that quotes error phrases: recognising errors must not rely on page-wide text."""
    return (
        '<div class="announcement" role="status" style="background:#e8f1fb;border:1px solid #9cc1e6;'
        f'padding:8px 14px;margin:8px 0">{_e(_texts(lang)["banner"])}</div>\n'
    )


def _layout(
    title: str,
    main: str,
    *,
    flash: str = "",
    lang: str = "en",
    body_class: str = "",
    tail: str = "",
    banner: bool = False,
) -> str:
    nav_pt = lang.startswith("pt")
    home, orders, requests = (
        ("Início", "Pedidos", "Requisições") if nav_pt else ("Home", "Orders", "Requests")
    )
    announcement = _banner(lang) if banner else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{_attr(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f'<body class="{_attr(body_class)}">\n'
        '<div id="top_nav"><span class="logo">coupa</span>'
        f'<a href="/user/home">{home}</a><a href="/order_headers">{orders}</a>'
        f'<a href="/requisition_headers">{requests}</a>'
        '<span class="user-menu"><span class="greeting">Signed in as</span> '
        '<span class="user-name">Demo Buyer</span></span></div>\n'
        f'<div id="flash_messages">{flash}</div>\n'
        f'<div id="main_content">\n{announcement}{main}\n</div>\n{tail}</body>\n</html>\n'
    )


def _field(label: str, value: str, css: str = "") -> str:
    return f'<div class="field {css}"><span class="label">{_e(label)}</span><span class="value">{_e(value)}</span></div>'


def _lines_section(digits: str, tx: dict[str, str]) -> str:
    rows = "".join(
        f'<tr><td><span class="line-num">{i}</span></td><td><span class="item">{_e(item)}</span></td>'
        f'<td><span class="qty">{qty}</span></td>'
        f'<td><span class="price">{price}.00</span> <span class="currency">{CURRENCY}</span></td>'
        f'<td><span class="status">{_e(tx["issued"])}</span></td></tr>'
        for i, item, qty, price in line_values(digits)
    )
    return (
        f'<section class="order-lines"><h2>{_e(tx["lines"])}</h2><table class="lines"><thead><tr><th>#</th>'
        f"<th>{_e(tx['item'])}</th><th>{_e(tx['qty'])}</th><th>{_e(tx['price'])}</th>"
        f"<th>{_e(tx['status'])}</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _file_span(att: Attachment, position: int, variant: Variant, origin: str) -> str:
    """A file span as the server sends it (``immediate``); the page script builds the same one otherwise."""
    attribute = variant.url_attribute(position)
    url_attr = f' {attribute}="{_attr(span_url(attribute, att.url_path, origin))}"' if attribute else ""
    if att.malformed_url:
        url_attr = f' data-url="{_attr(MALFORMED_URL)}"'
    return (
        f'<span role="button" tabindex="0" aria-label="{_attr(att.name + " file attachment")}" '
        f'title="{_attr(att.name)}" class="attachment"{url_attr}><span class="attachment-icon"></span>'
        f'<span class="attachment-name">{_e(att.name)}</span></span>'
    )


def _comment_entry(att: Attachment, tx: dict[str, str]) -> str:
    return (
        f'<div class="comment"><div class="comment_body">{_e(tx["comment_text"])}</div>'
        f'<div class="commentAttachments"><a href="{_attr(att.url_path)}">{_e(att.name)}</a></div></div>'
    )


def _empty_text(variant: Variant, tx: dict[str, str]) -> str:
    if not variant.empty_state:
        return ""
    return variant.empty_text or tx["empty"]


def api_items(doc: Document) -> list[dict[str, object]]:
    """The attachments as the page script gets them (the API's answer, or embedded in the page); only a
    span meant to carry a malformed ``data-url`` has the ``malformed_url`` key."""
    items: list[dict[str, object]] = []
    for a in doc.attachments:
        item: dict[str, object] = {
            "index": a.index,
            "name": a.name,
            "kind": a.kind,
            "size": a.size,
            "url": a.url_path,
        }
        if a.malformed_url:
            item["malformed_url"] = MALFORMED_URL
        items.append(item)
    return items


def _embedded_payload(doc: Document) -> str:
    """The attachment list for ``immediate``/``timer`` pages, base64 so no URL or name shows in the source."""
    raw = json.dumps({"document": doc.digits, "attachments": api_items(doc)}, ensure_ascii=False)
    return base64.b64encode(raw.encode("utf-8")).decode("ascii")


def _history(tx: dict[str, str]) -> str:
    return (
        f'<section class="history-section"><h2>{_e(tx["history"])}</h2>'
        + "".join(
            f'<div class="history-row"><span class="when">2025-03-{day:02d}</span> '
            f'<span class="who">Demo Buyer</span> <span class="what">{_e(what)}</span></div>'
            for day, what in zip(range(10, 16), tx["history_rows"].split("|"), strict=True)
        )
        + "</section>\n"
    )


def _attachments_sections(
    doc: Document, api_path: str, variant: Variant, origin: str, late_item_ms: int = 0
) -> str:
    tx = _texts(variant.lang)
    files = [a for a in doc.attachments if a.kind != "comment"]
    comments = [a for a in doc.attachments if a.kind == "comment"]
    spinner = f'<div class="loading" aria-busy="true">{_e(tx["loading"])}</div>' if variant.uses_api else ""
    spans = ""
    if variant.render == "immediate":
        spans = "".join(_file_span(a, n, variant, origin) for n, a in enumerate(files))
        if not files and (empty := _empty_text(variant, tx)):
            spans = f'<span class="none">{_e(empty)}</span>'
    early_comments = ""
    if variant.comments == "first_html" or variant.render == "immediate":
        early_comments = "".join(_comment_entry(a, tx) for a in comments)
    config = {
        "late_item_ms": late_item_ms,
        "render": variant.render,
        "api": api_path if variant.uses_api else None,
        "data": _embedded_payload(doc) if not variant.uses_api else None,
        "delay_ms": timer_delay_ms(doc.digits, doc.extra_render_ms) if variant.render == "timer" else 0,
        "gap_ms": GAP_MS if variant.render == "xhr_gap" else 0,
        "span_style": variant.span_style,
        "url_attributes": list(DATA_URL_ATTRIBUTES),
        "comments": variant.comments,
        "empty": _empty_text(variant, tx),
        "failed": tx["failed"],
        "comment_text": tx["comment_text"],
    }
    config_json = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    heading, count_attr = tx["attachments"], ""
    if variant.stated_count == "heading":
        heading = f"{heading} ({len(files)})"
    elif variant.stated_count == "attribute":
        count_attr = f' data-count="{len(files)}"'
    return (
        f'<section class="attachments-section"{count_attr} id="attachments_section"><h2>{_e(heading)} '
        f'<a class="help_link" href="/help/attachment_policy" title="{_attr(tx["attachment_policy"])}">?</a></h2>'
        f'{spinner}<div class="attachments" id="attachments_list">{spans}</div></section>\n'
        f'<section class="comments-section"><h2>{_e(tx["comments"])}</h2><div id="comments_list">'
        f'<div class="comment"><div class="comment_body">{_e(tx["order_sent"])}</div></div>'
        f"{early_comments}</div></section>\n"
        + _history(tx)
        + f'<script type="application/json" id="attachments_config">{config_json}</script>\n'
    )


def _toolbar(extra_class: str, tx: dict[str, str] | None = None) -> str:
    labels = (tx or _TEXTS["en"])["toolbar"].split("|")
    buttons = "".join(f'<button type="button" class="button">{_e(label)}</button>' for label in labels)
    return f'<div class="page_buttons_right {extra_class} floatingSectionOnTop">{buttons}</div>\n'


_MODAL = (
    '<div role="dialog" aria-modal="true" aria-labelledby="modal_title" class="modal" id="announcement_modal">'
    '<div class="modal-dialog"><button type="button" class="close" aria-label="Close" data-dismiss="modal">'
    '×</button><h2 id="modal_title">What\'s new in Coupa</h2><p>The order page has a new layout. '
    "Take a tour to learn more.</p>"
    '<button type="button" class="button" data-dismiss="modal">Got it</button></div></div>\n'
)


def _supplier_block(supplier: str | None, tx: dict[str, str]) -> str:
    """The supplier markup; ``None`` gives the empty shell of an error page (no ``data-supplier-name``)."""
    if supplier is None:
        return f'<div class="supplier-info"><label>{_e(tx["supplier"])}</label><span class="supplier-name"></span></div>'
    return (
        f'<div class="supplier-info"><label>{_e(tx["supplier"])}</label>'
        f'<span class="supplier-name" data-supplier-name="{_attr(supplier)}">{_e(supplier)}</span></div>'
    )


def po_page(doc: Document, variant: Variant = CLASSIC, origin: str = "", late_item_ms: int = 0) -> str:
    """A valid PO page; how the attachments get there follows ``variant.render``.

    ``origin`` (``http://host:port`` as the browser addressed the portal) is for absolute span URLs.
    ``late_item_ms`` > 0: a script copies the first file span that long after load (a served page that
    is not the whole list: what the HTTP route's check against the browser must catch).
    """
    tx = _texts(variant.lang)
    requisition = (
        f'<a href="/requisition_headers/{doc.requisition}">'
        f"{_e(tx['requisition_link'].format(digits=doc.requisition))}</a>"
        if doc.requisition
        else f'<span class="value">{_e(tx["none"])}</span>'
    )
    flash = f'<div class="notice">{_e(doc.notice)}</div>' if doc.notice else ""
    facts = demo_facts(doc.digits, doc.requisition, variant.lang)
    main = (
        f'<h1 class="page_title"><span>{_e(tx["purchase_order"])}</span> '
        f'<span class="po-number">#{doc.digits}</span></h1>\n'
        f'<section class="order-summary"><h2>{_e(tx["general_info"])}</h2>'
        + _field(tx["po_number"], doc.digits)
        + _field(tx["status"], facts.po_status, "status_issued")
        + _field(tx["order_date"], facts.created)
        + _field(tx["version"], "1")
        + _field(tx["total"], f"{facts.total} {facts.currency}")
        + (_field(tx["requisition_number"], facts.requisition) if facts.requisition else "")
        + "</section>\n"
        f'<section class="order-details"><h2>{_e(tx["details"])}</h2>'
        f'<div class="field"><span class="label">{_e(tx["buyer"])}</span><span class="value">Demo Buyer</span></div>'
        + _field(tx["requested_by"], facts.requester)
        + (_field(tx["company"], facts.company) if facts.company else "")
        + f'<div class="field ship-to"><span class="label">{_e(tx["ship_to"])}</span>'
        '<span class="value">Building 7</span>'
        '<span class="value">Dock 3, Rua das Flores 100</span><span class="value">São Paulo, BR</span></div>'
        '<div id="order_header_requisition_header" class="field">'
        f'<span class="label">{_e(tx["requisition"])}</span>'
        f"{requisition}</div>" + _field(tx["payment_terms"], facts.payment_term) + "</section>\n"
        f'<section class="order-parties"><h2>{_e(tx["supplier"])}</h2>'
        + _field(tx["currency"], facts.currency)
        + _supplier_block(doc.supplier, tx)
        + f'<div class="field"><span class="label">{_e(tx["supplier_number"])}</span>'
        f'<span class="value" id="order_header_supplier_number">{_e(facts.supplier_number)}</span></div>'
        + _field(tx["supplier_contact"], "orders@supplier.example")
        + _field(tx["transmission"], tx["email"])
        + "</section>\n"
        + _lines_section(doc.digits, tx)
        + f'\n<section class="approvals"><h2>{_e(tx["approvals"])}</h2>'
        + _field(tx["approver"], tx["finance_manager"])
        + _field(tx["approved_on"], "2025-03-12")
        + "</section>\n"
        + _attachments_sections(
            doc, f"/api/order_headers/{doc.digits}/attachments", variant, origin, late_item_ms
        )
    )
    tail = _toolbar("orderHeaderShowFloatingSection", tx) + (_MODAL if doc.modal else "")
    tail += f"<script>{_ATTACHMENTS_JS}</script>\n"
    return _layout(
        tx["po_title"].format(digits=doc.digits),
        main,
        flash=flash,
        lang=variant.html_lang,
        body_class="order_headers show",
        tail=tail,
        banner=variant.banner,
    )


def requisition_page(
    doc: Document, variant: Variant = CLASSIC, origin: str = "", late_item_ms: int = 0
) -> str:
    """A requisition page with the same attachment mechanism as a PO page."""
    tx = _texts(variant.lang)
    po_link = (
        f'<a href="/order_headers/{doc.parent_po}">{_e(tx["po_link"].format(digits=doc.parent_po))}</a>'
        if doc.parent_po
        else ""
    )
    main = (
        f'<h1 class="page_title"><span>{_e(tx["requisition"])}</span> '
        f'<span class="req-number">#{doc.digits}</span></h1>\n'
        f'<section class="requisition-summary"><h2>{_e(tx["general_info"])}</h2>'
        + _field(tx["requisition_number"], doc.digits)
        + _field(tx["status"], tx["ordered"])
        + _field(tx["requested_by"], "Demo Requester")
        + f'<div class="field"><span class="label">{_e(tx["purchase_order"])}</span>{po_link}</div></section>\n'
        f'<section class="requisition-parties"><h2>{_e(tx["supplier"])}</h2>'
        + _supplier_block(doc.supplier, tx)
        + "</section>\n"
        + _lines_section(doc.digits, tx)
        + "\n"
        + _attachments_sections(
            doc, f"/api/requisition_headers/{doc.digits}/attachments", variant, origin, late_item_ms
        )
    )
    tail = _toolbar("requisitionHeaderShowFloatingSection", tx) + f"<script>{_ATTACHMENTS_JS}</script>\n"
    return _layout(
        tx["req_title"].format(digits=doc.digits),
        main,
        lang=variant.html_lang,
        body_class="requisition_headers show",
        tail=tail,
        banner=variant.banner,
    )


def _full_error_page(flash: str, lang: str, variant: Variant, is_requisition: bool) -> str:
    """``error_layout="full"``: the document layout around the error, with every value empty.

    It has the toolbar and ``orderHeader``-style classes, but no document number, no
    ``#order_header_requisition_header``, no spinner and nothing inside the attachments section.
    """
    tx = _texts(lang)
    attachments = (
        f'<section class="attachments-section" id="attachments_section"><h2>{_e(tx["attachments"])}</h2>'
        '<div class="attachments" id="attachments_list"></div></section>\n'
    )
    if is_requisition:
        title, body_class, toolbar = tx["req_error_title"], "requisition_headers show", "requisitionHeader"
        main = (
            f'<h1 class="page_title"><span>{_e(tx["requisition"])}</span></h1>\n'
            f'<section class="requisition-summary"><h2>{_e(tx["general_info"])}</h2>'
            + _field(tx["requisition_number"], "")
            + _field(tx["status"], "")
            + "</section>\n"
            f'<section class="requisition-parties"><h2>{_e(tx["supplier"])}</h2>'
            + _supplier_block(None, tx)
            + "</section>\n"
        )
    else:
        title, body_class, toolbar = tx["po_error_title"], "order_headers show", "orderHeader"
        main = (
            f'<h1 class="page_title"><span>{_e(tx["purchase_order"])}</span></h1>\n'
            f'<section class="order-summary"><h2>{_e(tx["general_info"])}</h2>'
            + _field(tx["po_number"], "")
            + _field(tx["status"], "")
            + _field(tx["order_date"], "")
            + "</section>\n"
            f'<section class="order-details"><h2>{_e(tx["details"])}</h2>'
            + _field(tx["buyer"], "")
            + _field(tx["requisition"], "")
            + _field(tx["payment_terms"], "")
            + "</section>\n"
            f'<section class="order-parties"><h2>{_e(tx["supplier"])}</h2>'
            + _supplier_block(None, tx)
            + "</section>\n"
        )
    return _layout(
        title,
        main + attachments,
        flash=flash,
        lang="pt-BR" if lang.startswith("pt") else "en",
        body_class=body_class,
        tail=_toolbar(f"{toolbar}ShowFloatingSection", tx),
        banner=variant.banner,
    )


def not_found_page(
    variant: Variant = CLASSIC, *, document_page: bool = False, is_requisition: bool = False
) -> str:
    """The "couldn't find" page; ``document_page`` (a PO/requisition URL) lets a ``full`` variant use its
    document layout. Unknown routes and files always get the bare layout."""
    tx = _texts(variant.lang)
    flash = f'<div class="flash_error"><h1>{_e(tx["not_found"])}</h1><p>{tx["not_found_help"]}</p></div>'
    if document_page and variant.error_layout == "full":
        return _full_error_page(flash, variant.lang, variant, is_requisition)
    return _layout("Coupa", "", flash=flash, lang=variant.html_lang, banner=variant.banner)


def not_authorized_page(
    portuguese: bool = False, variant: Variant = CLASSIC, *, is_requisition: bool = False
) -> str:
    """The no-access page; in a ``full`` layout the message is plain text in ``div.flash_error`` (no h1)."""
    lang = "pt-BR" if portuguese or variant.lang == "pt" else "en"
    tx = _texts(lang)
    if variant.error_layout == "full":
        flash = f'<div class="flash_error">{_e(tx["no_access"])}. {_e(tx["no_access_help"])}</div>'
        return _full_error_page(flash, lang, variant, is_requisition)
    flash = f'<div class="flash_error"><h1>{_e(tx["no_access"])}</h1><p>{_e(tx["no_access_help"])}</p></div>'
    return _layout("Coupa", "", flash=flash, lang=lang, banner=variant.banner)


_STATUS_PAGES: dict[int, tuple[str, str, str]] = {
    500: (
        "We're sorry, but something went wrong (500)",
        "We're sorry, but something went wrong.",
        "If you are the application owner check the logs for more information.",
    ),
    429: (
        "Too Many Requests",
        "Too Many Requests",
        "You have sent too many requests. Please wait and retry.",
    ),
    502: ("Bad Gateway", "Bad Gateway", "The server received an invalid response. Please retry."),
    503: ("Service Unavailable", "Service Unavailable", "The service is temporarily unavailable."),
}


def status_page(status: int) -> str:
    """Bare, Rails-style static error pages (no Coupa layout, as a proxy or app crash would serve)."""
    title, heading, text = _STATUS_PAGES.get(status, (f"Error {status}", f"Error {status}", "Please retry."))
    return (
        f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{_e(title)}</title>\n</head>\n'
        f'<body class="rails-default-error-page">\n<div class="dialog">\n<div>\n<h1>{_e(heading)}</h1>\n</div>\n'
        f"<p>{_e(text)}</p>\n</div>\n</body>\n</html>\n"
    )


def cdn_denied_page(url: str, reference: str) -> str:
    """What a CDN or web firewall in front of the portal answers when it blocks a request (Akamai's
    wording): no portal layout at all, only "Access Denied" and a reference number, with HTTP 403."""
    shown = "".join(c if c.isalnum() else f"&#{ord(c)};" for c in url)
    return (
        "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \n"
        f'You don\'t have permission to access "{shown}" on this server.<P>\n'
        f"Reference&#32;&#35;{_e(reference)}\n</BODY>\n</HTML>\n"
    )


def sso_login_page(return_url: str, error: str = "") -> str:
    """The identity provider's form (served on the SSO host)."""
    message = f'<div class="error" role="alert">{_e(error)}</div>' if error else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Sign in - Demo Identity Provider</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        '<form class="sign-in" method="post" action="/sso/login"><h1>Sign in to your organisation</h1>'
        f'{message}<input type="hidden" name="return" value="{_attr(return_url)}">'
        '<label for="username">Username</label>'
        '<input type="text" id="username" name="username" autocomplete="username">'
        '<label for="password">Password</label>'
        '<input type="password" id="password" name="password" autocomplete="current-password">'
        '<button type="submit">Sign in</button></form>\n</body>\n</html>\n'
    )


def native_sign_in_page(return_url: str, error: str = "") -> str:
    """Coupa's own form at ``/sessions/new``."""
    message = f'<div class="error" role="alert">{_e(error)}</div>' if error else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Login - Coupa</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        '<form class="sign-in" method="post" action="/sessions"><h1>coupa</h1>'
        f'{message}<input type="hidden" name="return" value="{_attr(return_url)}">'
        '<label for="user_email">Email</label>'
        '<input type="email" id="user_email" name="user[login]" autocomplete="username">'
        '<label for="user_password">Password</label>'
        '<input type="password" id="user_password" name="user[password]" autocomplete="current-password">'
        '<input type="submit" name="commit" value="Sign In"></form>\n</body>\n</html>\n'
    )


def _po_links(numbers: list[str], tx: dict[str, str]) -> str:
    return "".join(
        f'<tr><td><a href="/order_headers/{n}">{_e(tx["po_link"].format(digits=n))}</a></td>'
        f"<td>{_e(SCENARIOS.get(n, 'Ordinary PO'))}</td></tr>"
        for n in numbers
    )


def home_page(variant: Variant = CLASSIC) -> str:
    tx = _texts(variant.lang)
    main = (
        f'<h1 class="page_title">{_e(tx["welcome"])}</h1>'
        f'<section class="dashboard"><h2>{_e(tx["recent_orders"])}</h2><table class="lines"><tbody>'
        + _po_links(demo_po_numbers(5), tx)
        + f'</tbody></table><p><a href="/order_headers">{_e(tx["all_orders"])}</a></p></section>'
    )
    return _layout(
        tx["home_title"], main, lang=variant.html_lang, body_class="user home", banner=variant.banner
    )


def order_list_page(variant: Variant = CLASSIC) -> str:
    tx = _texts(variant.lang)
    specials = [n for n in SCENARIOS if n.startswith("2")]
    main = (
        f'<h1 class="page_title">{_e(tx["orders"])}</h1><section class="orders"><table class="lines"><tbody>'
        + _po_links(demo_po_numbers(10) + specials, tx)
        + "</tbody></table></section>"
    )
    return _layout(
        tx["orders_title"],
        main,
        lang=variant.html_lang,
        body_class="order_headers index",
        banner=variant.banner,
    )


def requisition_list_page(variant: Variant = CLASSIC) -> str:
    tx = _texts(variant.lang)
    link = _e(tx["requisition_list_link"].format(digits="30000006"))
    rows = f'<tr><td><a href="/requisition_headers/30000006">{link}</a></td></tr>'
    main = (
        f'<h1 class="page_title">{_e(tx["requests"])}</h1>'
        f'<section class="requisitions"><table class="lines">{rows}</table></section>'
    )
    return _layout(
        tx["requests_title"],
        main,
        lang=variant.html_lang,
        body_class="requisition_headers index",
        banner=variant.banner,
    )


def help_page(variant: Variant = CLASSIC) -> str:
    tx = _texts(variant.lang)
    main = (
        f'<h1 class="page_title">{_e(tx["attachment_policy"])}</h1>'
        f"<section><p>{_e(tx['help_text'])}</p></section>"
    )
    return _layout(tx["help_title"], main, lang=variant.html_lang, banner=variant.banner)
