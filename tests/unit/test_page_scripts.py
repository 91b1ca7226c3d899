"""The page scripts and what Python hands them: a key the scan reads but is never given would be
``undefined`` in the page and throw on every look."""

from __future__ import annotations

import re

from po_downloader.engine.browser.page_scripts import (
    SCAN_ATTACHMENTS,
    WATCH_KEY,
    WATCH_MUTATIONS,
    scan_config,
)
from po_downloader.engine.browser.selectors import load_selectors


def test_every_config_key_the_scan_reads_is_given() -> None:
    read = set(re.findall(r"\bcfg\.(\w+)", SCAN_ATTACHMENTS))
    given = set(scan_config(load_selectors()))
    assert read, "the scan reads its configuration from cfg"
    assert read <= given, f"read but never given: {sorted(read - given)}"
    assert given <= read, f"given but never read: {sorted(given - read)}"


def test_the_stated_count_attributes_come_from_the_selectors() -> None:
    sel = load_selectors()
    assert scan_config(sel)["countAttrs"] == list(sel.attachment_count_attributes)
    assert "data-count" in sel.attachment_count_attributes


def test_the_scan_reads_the_watch_where_it_is_installed() -> None:
    assert f"'{WATCH_KEY}'" in WATCH_MUTATIONS
    assert f"window['{WATCH_KEY}']" in SCAN_ATTACHMENTS
