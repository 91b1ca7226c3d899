"""When the attachments list is final: a pure decision over timed looks, with a fake clock."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from po_downloader.engine.browser.attachment_wait import (
    AttachmentsLook,
    AttachmentsWait,
    WaitRules,
    decide,
)
from po_downloader.engine.models import ListVerdict, PoStatus
from po_downloader.engine.status import decide_outcome

RULES = WaitRules(settle=2.0, empty_window=5.0, cap=20.0)
SPINNER = AttachmentsLook(section=True, busy=True, signature="s0")
EMPTY_SECTION = AttachmentsLook(section=True, signature="s1")
COMMENT = ("url|Lieferschein.msg|https://x/attachment_file/3",)
TWO_SPANS = ("click|Report.PDF|", "url|report.pdf|https://x/attachment_file/2")


def run(
    timeline: Sequence[tuple[float, AttachmentsLook]], until: float, step: float = 0.15
) -> tuple[ListVerdict, float]:
    """Feed looks every ``step`` seconds (each look holds from its time on); the verdict and when it came."""
    wait = AttachmentsWait(RULES, 0.0)
    now = 0.0
    while now <= until:
        look = [lk for t, lk in timeline if t <= now][-1]
        decision = wait.observe(look, now)
        if decision.verdict is not ListVerdict.WAIT:
            return decision.verdict, now
        now = round(now + step, 3)
    return ListVerdict.WAIT, now


def test_spinner_then_items_is_listed_after_the_settle_window() -> None:
    items = AttachmentsLook(section=True, items=TWO_SPANS, in_section=2, signature="s2")
    verdict, at = run([(0, SPINNER), (1.0, items)], until=30)
    assert verdict is ListVerdict.LISTED
    assert 3.0 <= at < 3.3


def test_spinner_gone_then_a_quiet_gap_then_items() -> None:
    """The network went quiet and the spinner went away ~0.9 s before anything was drawn."""
    items = AttachmentsLook(section=True, items=COMMENT + TWO_SPANS, in_section=2, signature="s2")
    early = AttachmentsLook(section=True, items=COMMENT, in_section=0, signature="s1")
    verdict, at = run([(0, SPINNER), (1.0, early), (1.9, items)], until=30)
    assert verdict is ListVerdict.LISTED
    assert at >= 3.9


def test_comment_links_present_from_the_start_do_not_end_the_wait_early() -> None:
    """Comments outside the section are there at once; the section's spans come 3 s later by a timer."""
    early = AttachmentsLook(section=True, items=COMMENT, in_section=0, signature="s1")
    later = AttachmentsLook(section=True, items=COMMENT + TWO_SPANS, in_section=2, signature="s2")
    verdict, at = run([(0, early), (3.0, later)], until=30)
    assert verdict is ListVerdict.LISTED
    assert at >= 5.0


def test_explicit_empty_state_is_proof_after_the_settle_window() -> None:
    empty = AttachmentsLook(section=True, empty_text="No attachments", signature="s3")
    verdict, at = run([(0, SPINNER), (2.0, empty)], until=30)
    assert verdict is ListVerdict.EMPTY
    assert 4.0 <= at < 4.3


def test_a_section_that_stays_empty_through_the_whole_window_is_empty() -> None:
    verdict, at = run([(0, SPINNER), (1.0, EMPTY_SECTION)], until=30)
    assert verdict is ListVerdict.EMPTY
    assert at >= 6.0


def test_items_that_come_before_the_empty_window_ends_are_listed() -> None:
    items = AttachmentsLook(section=True, items=TWO_SPANS, in_section=2, signature="s2")
    verdict, _ = run([(0, EMPTY_SECTION), (4.5, items)], until=30)
    assert verdict is ListVerdict.LISTED


def test_empty_section_with_comment_links_lists_the_comments() -> None:
    look = AttachmentsLook(section=True, items=COMMENT, in_section=0, signature="s1")
    assert run([(0, look)], until=30)[0] is ListVerdict.LISTED


def test_empty_text_with_comment_links_lists_the_comments() -> None:
    look = AttachmentsLook(section=True, empty_text="None", items=COMMENT, signature="s1")
    assert run([(0, look)], until=30)[0] is ListVerdict.LISTED


def test_still_loading_at_the_cap_is_unconfirmed() -> None:
    verdict, at = run([(0, SPINNER)], until=30)
    assert verdict is ListVerdict.UNCONFIRMED
    assert at >= RULES.cap


def test_content_that_keeps_changing_is_unconfirmed_at_the_cap() -> None:
    timeline = [
        (t / 2, AttachmentsLook(section=True, items=TWO_SPANS, in_section=2, signature=f"tick{t}"))
        for t in range(80)
    ]
    assert run(timeline, until=40)[0] is ListVerdict.UNCONFIRMED


def test_no_section_and_nothing_on_the_page_is_unconfirmed_not_empty() -> None:
    verdict, at = run([(0, AttachmentsLook(section=False))], until=30)
    assert verdict is ListVerdict.UNCONFIRMED
    assert at >= RULES.empty_window


def test_no_section_but_an_empty_state_text_is_empty() -> None:
    look = AttachmentsLook(section=False, empty_text="No attachments")
    assert run([(0, look)], until=30)[0] is ListVerdict.EMPTY


def test_no_section_with_items_waits_the_long_window() -> None:
    verdict, at = run([(0, AttachmentsLook(section=False, items=TWO_SPANS))], until=30)
    assert verdict is ListVerdict.LISTED
    assert at >= RULES.empty_window


def test_busy_always_waits() -> None:
    look = AttachmentsLook(
        section=True, busy=True, items=TWO_SPANS, in_section=2, empty_text="No attachments"
    )
    assert decide(look, quiet=100, rules=RULES).verdict is ListVerdict.WAIT


@pytest.mark.parametrize(
    ("verdict", "listed", "on_disk", "status"),
    [
        (ListVerdict.EMPTY, 0, 0, PoStatus.NO_ATTACHMENTS),
        (ListVerdict.UNCONFIRMED, 0, 0, PoStatus.FAILED),
        (ListVerdict.LISTED, 3, 3, PoStatus.COMPLETED),
        (ListVerdict.LISTED, 3, 2, PoStatus.PARTIAL),
        (ListVerdict.LISTED, 3, 0, PoStatus.FAILED),
    ],
)
def test_outcome(verdict: ListVerdict, listed: int, on_disk: int, status: PoStatus) -> None:
    assert decide_outcome(verdict, listed, on_disk) is status


@pytest.mark.parametrize(("verdict", "listed"), [(ListVerdict.EMPTY, 1), (ListVerdict.LISTED, 0)])
def test_impossible_outcomes_raise(verdict: ListVerdict, listed: int) -> None:
    with pytest.raises(ValueError):
        decide_outcome(verdict, listed, 0)


def test_look_from_script_dict() -> None:
    look = AttachmentsLook.from_dict(
        {
            "section": True,
            "busy": False,
            "empty_text": None,
            "items": ["a"],
            "in_section": 1,
            "signature": "x",
        }
    )
    assert look == AttachmentsLook(section=True, items=("a",), in_section=1, signature="x")
