"""PO normalisation: every form users' sheets really contain, and clear reasons for the rest."""

from __future__ import annotations

from decimal import Decimal

import pytest

from po_downloader.engine.input.po import InvalidPo, is_blank, looks_like_po, normalise_po
from po_downloader.engine.models import PoNumber


@pytest.mark.parametrize(
    "value",
    [
        "PO15262984",
        "po15262984",
        "po 15262984",
        "PO-15262984",
        "PO_15262984",
        "PO#15262984",
        "PO: 15262984",
        "15262984",
        "15262984.0",
        "15262984.00",
        "PO15262984.0",
        "  PO15262984  ",
        "\u00a0PO\u00a015262984\u00a0",  # non-breaking spaces from a web copy
        "PO\u202f15262984\u200b",  # narrow NBSP and a zero-width space
        "\ufeffPO15262984",  # BOM glued to the first cell
        "ＰＯ１５２６２９８４",  # full-width forms
        "\tPO15262984\r\n",
        15262984,
        15262984.0,
        Decimal("15262984"),
    ],
)
def test_accepted_forms_give_the_same_po(value: object) -> None:
    assert normalise_po(value) == PoNumber("15262984", "PO")


def test_pm_prefix_is_kept_for_display() -> None:
    po = normalise_po("pm15492200")
    assert po == PoNumber("15492200", "PM")
    assert po.display == "PM15492200"


def test_bare_number_displays_with_po_prefix() -> None:
    assert normalise_po(15262984.0).display == "PO15262984"


@pytest.mark.parametrize("digits", ["123456", "123456789012"])
def test_digit_count_limits_are_inclusive(digits: str) -> None:
    assert normalise_po(f"PO{digits}").digits == digits


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("ABC", "not a PO number: 'ABC'"),
        ("PO", "not a PO number: 'PO'"),
        ("PO12345", "too short"),
        (12345, "too short"),
        ("PO1234567890123", "too long"),
        ("PO15262984X", "has letters after the number"),
        ("15262984 abc", "has letters after the number"),
        ("POPO15262984", "expected a PO or PM prefix"),  # the old replace("PO", "") accepted this
        ("PX15262984", "expected a PO or PM prefix"),
        ("15262984PO", "has letters after the number"),
        ("15262984.5", "not a whole number"),
        (15262984.5, "not a whole number"),
        ("15262984.05", "not a whole number"),
        ("-15262984", "not a PO number"),
        (-15262984, "negative"),
        ("1526 2984", "not a PO number"),
        ("PO 15262984 / 15262985", "not a PO number"),
        ("000000", "all zeros"),
        (True, "yes/no value"),
        (False, "yes/no value"),
        (float("inf"), "not a PO number"),
        (None, "empty cell"),
        ("   ", "empty cell"),
        (["PO15262984"], "not a PO number"),
    ],
)
def test_rejected_values_say_why(value: object, reason: str) -> None:
    with pytest.raises(InvalidPo) as info:
        normalise_po(value)
    assert reason in str(info.value)
    assert info.value.reason == str(info.value)


def test_only_a_leading_prefix_is_stripped() -> None:
    # "PO" inside the value must not vanish (old bug: "15PO262984" became "15262984").
    assert not looks_like_po("15PO262984")


def test_same_digits_are_the_same_po_whatever_the_source() -> None:
    assert normalise_po("PO15262984").digits == normalise_po(15262984.0).digits == "15262984"


def test_looks_like_po() -> None:
    assert looks_like_po("PO15262984")
    assert looks_like_po(15262984.0)
    assert not looks_like_po("Supplier Ltd")
    assert not looks_like_po(3.0)
    assert not looks_like_po(None)


@pytest.mark.parametrize("value", [None, "", "  ", "\u00a0", "\u200b", float("nan")])
def test_is_blank(value: object) -> None:
    assert is_blank(value)


@pytest.mark.parametrize("value", ["x", 0, 0.0, False, "PO1"])
def test_is_not_blank(value: object) -> None:
    assert not is_blank(value)


def test_the_ascii_fast_path_cleans_text_exactly_as_the_general_rule() -> None:
    """Every ASCII character, spaces and control characters included, in runs and at the ends."""
    import random
    import re
    import unicodedata

    from po_downloader.engine.input.po import _clean_text

    rng = random.Random(7)
    alphabet = [chr(c) for c in range(128)]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        general = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
        assert _clean_text(text) == general, repr(text)
