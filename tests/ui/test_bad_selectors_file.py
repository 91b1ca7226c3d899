"""A user's selectors file that cannot be used: the window still opens and says why, in its own words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.main_window import MainWindow

pytestmark = pytest.mark.timeout(120)


def _write_user_selectors(content: object) -> None:
    path = app_dirs().user_selectors_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content), encoding="utf-8")


@pytest.mark.expect_log("po_downloader.ui.main_window", r"selectors key 'attachment_links' must be")
def test_a_dict_where_a_list_is_expected_opens_the_window_and_names_the_key(qtbot, app_home: Path) -> None:
    _write_user_selectors({"attachment_links": {"a": "a[href*='attachment_file']"}})
    window = MainWindow(app_dirs())  # this raised a bare TypeError before
    qtbot.addWidget(window)
    window.show()
    assert window.finish_banner.isVisible()
    text = window.finish_banner.label.text()
    assert text == (
        "Your selectors file cannot be used, so no batch can start until it is fixed: "
        "the selectors key “attachment_links” must be a list of non-empty texts, not empty"
    )
    assert window.selectors.attachment_links  # the bundled selectors, so the window still works
    window.log_panel.detach()


@pytest.mark.expect_log("po_downloader.ui.main_window", r"selectors key 'po_url' must be")
def test_a_po_url_typo_is_shown_when_the_window_opens(qtbot, app_home: Path) -> None:
    _write_user_selectors({"po_url": "{base_url}/order_headers/{digit}"})
    window = MainWindow(app_dirs())
    qtbot.addWidget(window)
    window.show()
    assert window.finish_banner.isVisible()
    assert "“po_url” must be a text with exactly the placeholders {base_url} and {digits}" in (
        window.finish_banner.label.text()
    )
    window.log_panel.detach()


def test_a_good_selectors_file_shows_no_banner(qtbot, app_home: Path) -> None:
    _write_user_selectors({"po_url": "{base_url}/po/{digits}"})
    window = MainWindow(app_dirs())
    qtbot.addWidget(window)
    window.show()
    assert not window.finish_banner.isVisible()
    assert window.selectors.po_url == "{base_url}/po/{digits}"
    window.log_panel.detach()
