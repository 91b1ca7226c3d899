"""The banner: a message with buttons, replaced whole by the next message."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from po_downloader.ui.banner import Banner


def test_a_banner_starts_hidden_and_shows_its_message_and_buttons(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    banner = Banner(host)
    host.show()  # showing the window must not show a banner that has nothing to say
    assert not banner.isVisible()
    clicked: list[str] = []
    banner.show_message("Coupa wants you", [("Yes", lambda: clicked.append("yes")), ("No", lambda: None)])
    assert banner.isVisible() and banner.label.text() == "Coupa wants you"
    assert banner.button_texts() == ["Yes", "No"]
    banner.button("Yes").click()
    assert clicked == ["yes"]


def test_the_next_message_replaces_the_buttons(qtbot) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show_message("first", [("A", lambda: None), ("B", lambda: None)])
    banner.show_message("second", [("C", lambda: None)])
    assert banner.label.text() == "second"
    assert banner.button_texts() == ["C"]
    with pytest.raises(LookupError):
        banner.button("A")
    banner.show_message("third", [])
    assert banner.button_texts() == []
