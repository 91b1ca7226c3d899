"""HTML of the demo portal, shaped after what is known of real Coupa markup (see coupa.md §2 and §8).

Every page keeps ``body > div#top_nav`` first and ``div#flash_messages`` second, so an error ``h1`` sits at
``/html/body/div[2]/div/h1`` as the old tool expected. Decoys (extra spans, a nav link to requisitions, a help
link whose href contains "attachment") are deliberate: a downloader must rely on the documented markers.
"""

from __future__ import annotations

import json
from html import escape

from po_downloader.demo_portal.catalog import SCENARIOS, Document, demo_po_numbers

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
    // Like Coupa: the URL exists only inside the handler, never in the DOM before the click.
    var link = document.createElement("a");
    link.href = url;
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { link.remove(); }, 0);
  }

  function fileSpan(item) {
    var span = document.createElement("span");
    span.setAttribute("role", "button");
    span.setAttribute("tabindex", "0");
    span.setAttribute("aria-label", item.name + " file attachment");
    span.setAttribute("title", item.name);
    span.className = "attachment";
    var icon = document.createElement("span");
    icon.className = "attachment-icon";
    var text = document.createElement("span");
    text.className = "attachment-name";
    text.textContent = item.name;
    span.appendChild(icon);
    span.appendChild(text);
    span.addEventListener("click", function () { startDownload(item.url); });
    span.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); startDownload(item.url); }
    });
    return span;
  }

  function commentEntry(item) {
    var entry = document.createElement("div");
    entry.className = "comment";
    var body = document.createElement("div");
    body.className = "comment_body";
    body.textContent = "Supplier Portal User: please find the document attached.";
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
      if (item.kind === "comment") { commentList.appendChild(commentEntry(item)); }
      else { fileList.appendChild(fileSpan(item)); files += 1; }
    });
    if (files === 0) {
      var none = document.createElement("span");
      none.className = "none";
      none.textContent = "None";
      fileList.appendChild(none);
    }
  }

  function done() {
    var loading = document.querySelector(".loading[aria-busy]");
    if (loading) { loading.remove(); }
  }

  function failed() {
    done();
    var box = document.createElement("div");
    box.className = "attachments_unavailable";
    box.textContent = "Attachments could not be loaded. Refresh the page to try again.";
    fileList.appendChild(box);
  }

  function load() {
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
      .then(function (data) { render(data.attachments); done(); })
      .catch(failed);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-dismiss='modal']"), function (button) {
    button.addEventListener("click", function () {
      var modal = button.closest(".modal");
      if (modal) { modal.remove(); }
    });
  });

  if (document.readyState === "complete") { load(); } else { window.addEventListener("load", load); }
})();
"""


def _e(text: str) -> str:
    """Escape text content; quotes stay literal so page-source searches for "We're sorry" still match."""
    return escape(text, quote=False)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _layout(
    title: str, main: str, *, flash: str = "", lang: str = "en", body_class: str = "", tail: str = ""
) -> str:
    nav_pt = lang.startswith("pt")
    home, orders, requests = (
        ("Início", "Pedidos", "Requisições") if nav_pt else ("Home", "Orders", "Requests")
    )
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
        f'<div id="main_content">\n{main}\n</div>\n{tail}</body>\n</html>\n'
    )


def _field(label: str, value: str, css: str = "") -> str:
    return f'<div class="field {css}"><span class="label">{_e(label)}</span><span class="value">{_e(value)}</span></div>'


def _lines_section(digits: str) -> str:
    items = (
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
    seed = int(digits[-3:]) if digits[-3:].isdigit() else 0
    rows = "".join(
        f'<tr><td><span class="line-num">{i}</span></td><td><span class="item">{_e(item)}</span></td>'
        f'<td><span class="qty">{(seed + i) % 9 + 1}</span></td>'
        f'<td><span class="price">{(seed * 7 + i * 13) % 900 + 50}.00</span> <span class="currency">USD</span></td>'
        '<td><span class="status">Issued</span></td></tr>'
        for i, item in enumerate(items, start=1)
    )
    return (
        '<section class="order-lines"><h2>Lines</h2><table class="lines"><thead><tr><th>#</th><th>Item</th>'
        f"<th>Qty</th><th>Price</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _attachments_sections(api_path: str) -> str:
    config = json.dumps({"api": api_path}).replace("</", "<\\/")
    return (
        '<section class="attachments-section" id="attachments_section"><h2>Attachments '
        '<a class="help_link" href="/help/attachment_policy" title="Attachment policy">?</a></h2>'
        '<div class="loading" aria-busy="true">Loading attachments…</div>'
        '<div class="attachments" id="attachments_list"></div></section>\n'
        '<section class="comments-section"><h2>Comments</h2><div id="comments_list">'
        '<div class="comment"><div class="comment_body">Order sent to supplier by email.</div></div>'
        "</div></section>\n"
        '<section class="history-section"><h2>History</h2>'
        + "".join(
            f'<div class="history-row"><span class="when">2025-03-{day:02d}</span> '
            f'<span class="who">Demo Buyer</span> <span class="what">{_e(what)}</span></div>'
            for day, what in (
                (10, "Created"),
                (11, "Submitted for approval"),
                (12, "Approved"),
                (13, "Issued"),
                (14, "Acknowledged by supplier"),
                (15, "Comment added"),
            )
        )
        + f'</section>\n<script type="application/json" id="attachments_config">{config}</script>\n'
    )


def _toolbar(extra_class: str) -> str:
    buttons = "".join(
        f'<button type="button" class="button">{label}</button>'
        for label in ("Back", "Print View", "Email", "Create Invoice", "Change")
    )
    return f'<div class="page_buttons_right {extra_class} floatingSectionOnTop">{buttons}</div>\n'


_MODAL = (
    '<div role="dialog" aria-modal="true" aria-labelledby="modal_title" class="modal" id="announcement_modal">'
    '<div class="modal-dialog"><button type="button" class="close" aria-label="Close" data-dismiss="modal">'
    '×</button><h2 id="modal_title">What\'s new in Coupa</h2><p>The order page has a new layout. '
    "Take a tour to learn more.</p>"
    '<button type="button" class="button" data-dismiss="modal">Got it</button></div></div>\n'
)


def po_page(doc: Document) -> str:
    """A valid PO page; attachments are filled in later by JavaScript from the attachments API."""
    requisition = (
        f'<a href="/requisition_headers/{doc.requisition}">Requisition {doc.requisition}</a>'
        if doc.requisition
        else '<span class="value">None</span>'
    )
    flash = f'<div class="notice">{_e(doc.notice)}</div>' if doc.notice else ""
    main = (
        f'<h1 class="page_title"><span>Purchase Order</span> <span class="po-number">#{doc.digits}</span></h1>\n'
        '<section class="order-summary"><h2>General Info</h2>'
        + _field("PO Number", doc.digits)
        + _field("Status", "Issued", "status_issued")
        + _field("Order Date", "2025-03-13")
        + _field("Version", "1")
        + "</section>\n"
        '<section class="order-details"><h2>Details</h2>'
        '<div class="field"><span class="label">Buyer</span><span class="value">Demo Buyer</span></div>'
        '<div class="field ship-to"><span class="label">Ship To</span><span class="value">Building 7</span>'
        '<span class="value">Dock 3, Rua das Flores 100</span><span class="value">São Paulo, BR</span></div>'
        '<div id="order_header_requisition_header" class="field"><span class="label">Requisition</span>'
        f"{requisition}</div>" + _field("Payment Terms", "Net 30") + "</section>\n"
        '<section class="order-parties"><h2>Supplier</h2>'
        + _field("Currency", "USD")
        + '<div class="supplier-info"><label>Supplier</label>'
        f'<span class="supplier-name" data-supplier-name="{_attr(doc.supplier)}">{_e(doc.supplier)}</span></div>'
        + _field("Supplier Contact", "orders@supplier.example")
        + _field("Transmission", "Email")
        + "</section>\n"
        + _lines_section(doc.digits)
        + '\n<section class="approvals"><h2>Approvals</h2>'
        + _field("Approver", "Finance Manager")
        + _field("Approved", "2025-03-12")
        + "</section>\n"
        + _attachments_sections(f"/api/order_headers/{doc.digits}/attachments")
    )
    tail = _toolbar("orderHeaderShowFloatingSection") + (_MODAL if doc.modal else "")
    tail += f"<script>{_ATTACHMENTS_JS}</script>\n"
    return _layout(f"PO #{doc.digits} - Coupa", main, flash=flash, body_class="order_headers show", tail=tail)


def requisition_page(doc: Document) -> str:
    """A requisition page with the same attachment mechanism as a PO page."""
    po_link = f'<a href="/order_headers/{doc.parent_po}">PO #{doc.parent_po}</a>' if doc.parent_po else ""
    main = (
        f'<h1 class="page_title"><span>Requisition</span> <span class="req-number">#{doc.digits}</span></h1>\n'
        '<section class="requisition-summary"><h2>General Info</h2>'
        + _field("Requisition Number", doc.digits)
        + _field("Status", "Ordered")
        + _field("Requested By", "Demo Requester")
        + f'<div class="field"><span class="label">Purchase Order</span>{po_link}</div></section>\n'
        '<section class="requisition-parties"><h2>Supplier</h2>'
        '<div class="supplier-info"><label>Supplier</label>'
        f'<span class="supplier-name" data-supplier-name="{_attr(doc.supplier)}">{_e(doc.supplier)}</span></div>'
        "</section>\n"
        + _lines_section(doc.digits)
        + "\n"
        + _attachments_sections(f"/api/requisition_headers/{doc.digits}/attachments")
    )
    tail = _toolbar("requisitionHeaderShowFloatingSection") + f"<script>{_ATTACHMENTS_JS}</script>\n"
    return _layout(
        f"Requisition #{doc.digits} - Coupa", main, body_class="requisition_headers show", tail=tail
    )


def not_found_page() -> str:
    flash = (
        '<div class="flash_error"><h1>Oops! We couldn\'t find what you wanted</h1>'
        '<p>The page may have been moved or deleted. <a href="/user/home">Go to your home page</a>.</p></div>'
    )
    return _layout("Coupa", "", flash=flash)


def not_authorized_page(portuguese: bool = False) -> str:
    if portuguese:
        flash = (
            '<div class="flash_error"><h1>Você não tem permissão para acessar esta página</h1>'
            "<p>Fale com o administrador do Coupa se precisar de acesso.</p></div>"
        )
        return _layout("Coupa", "", flash=flash, lang="pt-BR")
    flash = (
        '<div class="flash_error"><h1>You are not authorized to view this page</h1>'
        "<p>Contact your Coupa administrator if you need access.</p></div>"
    )
    return _layout("Coupa", "", flash=flash)


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


def _po_links(numbers: list[str]) -> str:
    return "".join(
        f'<tr><td><a href="/order_headers/{n}">PO #{n}</a></td><td>{_e(SCENARIOS.get(n, "Ordinary PO"))}</td></tr>'
        for n in numbers
    )


def home_page() -> str:
    main = (
        '<h1 class="page_title">Welcome, Demo Buyer</h1>'
        '<section class="dashboard"><h2>Recent orders</h2><table class="lines"><tbody>'
        + _po_links(demo_po_numbers(5))
        + '</tbody></table><p><a href="/order_headers">All orders</a></p></section>'
    )
    return _layout("Coupa Home", main, body_class="user home")


def order_list_page() -> str:
    specials = [n for n in SCENARIOS if n.startswith("2")]
    main = (
        '<h1 class="page_title">Orders</h1><section class="orders"><table class="lines"><tbody>'
        + _po_links(demo_po_numbers(10) + specials)
        + "</tbody></table></section>"
    )
    return _layout("Orders - Coupa", main, body_class="order_headers index")


def requisition_list_page() -> str:
    rows = '<tr><td><a href="/requisition_headers/30000006">Requisition #30000006</a></td></tr>'
    main = f'<h1 class="page_title">Requests</h1><section class="requisitions"><table class="lines">{rows}</table></section>'
    return _layout("Requests - Coupa", main, body_class="requisition_headers index")


def help_page() -> str:
    main = (
        '<h1 class="page_title">Attachment policy</h1><section><p>Attachments on orders are shared with the '
        "supplier. Do not attach personal data.</p></section>"
    )
    return _layout("Help - Coupa", main)
