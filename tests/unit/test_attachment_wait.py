"""When the attachments list is final: a pure decision over timed looks, with a fake clock."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest

from po_downloader.engine.browser.attachment_wait import (
    AttachmentsLook,
    AttachmentsWait,
    WaitRules,
    complete_looking,
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


def test_explicit_empty_state_with_nothing_loading_is_proof_at_once() -> None:
    """Issue 16: the page's own "No attachments" in the section, no spinner, no item anywhere, is the proof;
    no settle window is paid on it (it was 2 s)."""
    empty = AttachmentsLook(section=True, empty_text="No attachments", signature="s3")
    verdict, at = run([(0, SPINNER), (2.0, empty)], until=30)
    assert verdict is ListVerdict.EMPTY
    assert 2.0 <= at < 2.2


def test_empty_state_text_while_still_loading_is_no_proof() -> None:
    loading = AttachmentsLook(section=True, busy=True, empty_text="No attachments", signature="s3")
    assert decide(loading, quiet=100, rules=RULES).verdict is ListVerdict.WAIT


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


# ---------------------------------------------------------------- a count the page states


def test_a_stated_count_equal_to_the_items_shown_is_final_at_once() -> None:
    look = AttachmentsLook(section=True, items=TWO_SPANS, in_section=2, stated=2, signature="s2")
    assert decide(look, quiet=0, rules=RULES).verdict is ListVerdict.LISTED


def test_a_stated_count_above_the_items_shown_waits_for_the_settle() -> None:
    """Two of three drawn: the count proves nothing yet, and the ordinary rules still hold."""
    look = AttachmentsLook(section=True, items=TWO_SPANS, in_section=2, stated=3, signature="s2")
    assert decide(look, quiet=1.9, rules=RULES).verdict is ListVerdict.WAIT
    assert decide(look, quiet=2.0, rules=RULES).verdict is ListVerdict.LISTED


def test_a_stated_count_while_loading_waits() -> None:
    look = AttachmentsLook(section=True, busy=True, items=TWO_SPANS, in_section=2, stated=2)
    assert decide(look, quiet=100, rules=RULES).verdict is ListVerdict.WAIT


def test_a_stated_zero_with_nothing_shown_is_empty_at_once() -> None:
    look = AttachmentsLook(section=True, stated=0, signature="s1")
    decision = decide(look, quiet=0, rules=RULES)
    assert (decision.verdict, decision.reason) == (ListVerdict.EMPTY, "the page states 0 attachments")


def test_a_stated_zero_with_comment_links_elsewhere_is_no_proof_of_empty() -> None:
    look = AttachmentsLook(section=True, items=COMMENT, stated=0, signature="s1")
    assert decide(look, quiet=RULES.empty_window - 0.1, rules=RULES).verdict is ListVerdict.WAIT


def test_items_shown_against_a_stated_zero_wait_for_the_settle() -> None:
    look = AttachmentsLook(section=True, items=TWO_SPANS, in_section=2, stated=0, signature="s2")
    assert decide(look, quiet=1.0, rules=RULES).verdict is ListVerdict.WAIT


# ---------------------------------------------------------------- quiet as the page saw it


def _quiet(look: AttachmentsLook, ms: float) -> AttachmentsLook:
    return dataclasses.replace(look, quiet_ms=ms)


ITEMS = AttachmentsLook(section=True, items=TWO_SPANS, in_section=2, signature="s2")


def test_a_section_quiet_for_the_settle_by_the_page_clock_is_final_on_the_first_look() -> None:
    wait = AttachmentsWait(RULES, 0.0)
    assert wait.observe(_quiet(ITEMS, 2000), 0.0).verdict is ListVerdict.LISTED


def test_the_page_clock_counts_the_settle_from_the_last_change() -> None:
    """Drawn 1.2 s before the first look: 0.8 s more, not the whole 2 s."""
    wait = AttachmentsWait(RULES, 0.0)
    assert wait.observe(_quiet(ITEMS, 1200), 0.0).verdict is ListVerdict.WAIT
    assert wait.observe(_quiet(ITEMS, 1950), 0.75).verdict is ListVerdict.WAIT
    assert wait.observe(_quiet(ITEMS, 2000), 0.8).verdict is ListVerdict.LISTED


def test_a_change_the_looks_see_restarts_the_settle_whatever_the_page_clock_says() -> None:
    """The page clock is trusted for what it saw; a look that differs is a change seen now."""
    wait = AttachmentsWait(RULES, 0.0)
    fewer = AttachmentsLook(section=True, items=TWO_SPANS[:1], in_section=1, signature="s1")
    assert wait.observe(_quiet(fewer, 500), 0.0).verdict is ListVerdict.WAIT
    assert wait.observe(_quiet(ITEMS, 5000), 1.0).verdict is ListVerdict.WAIT
    assert wait.observe(_quiet(ITEMS, 6900), 2.9).verdict is ListVerdict.WAIT
    assert wait.observe(_quiet(ITEMS, 7000), 3.0).verdict is ListVerdict.LISTED


def test_the_page_clock_is_not_part_of_a_looks_identity() -> None:
    assert _quiet(ITEMS, 10) == _quiet(ITEMS, 5000) == ITEMS


def test_without_the_page_clock_the_settle_is_measured_between_looks() -> None:
    wait = AttachmentsWait(RULES, 0.0)
    assert wait.observe(ITEMS, 0.0).verdict is ListVerdict.WAIT
    assert wait.observe(ITEMS, 1.9).verdict is ListVerdict.WAIT
    assert wait.observe(ITEMS, 2.0).verdict is ListVerdict.LISTED


def test_the_empty_window_counts_by_the_page_clock_too() -> None:
    wait = AttachmentsWait(RULES, 0.0)
    assert wait.observe(_quiet(EMPTY_SECTION, RULES.empty_window * 1000 - 1), 0.0).verdict is ListVerdict.WAIT
    assert wait.observe(_quiet(EMPTY_SECTION, RULES.empty_window * 1000), 0.0).verdict is ListVerdict.EMPTY


def test_resume_starts_a_new_cap_window_and_keeps_what_was_seen() -> None:
    """The confirmation after the downloads: the cap counts again from there, and a look that differs
    from the last one before the downloads is a change seen now."""
    wait = AttachmentsWait(RULES, 0.0)
    assert wait.observe(_quiet(ITEMS, 100), 0.0).verdict is ListVerdict.WAIT
    wait.resume(25.0)  # the downloads took longer than the cap
    more = AttachmentsLook(section=True, items=(*TWO_SPANS, "click|c.pdf|"), in_section=3, signature="s3")
    assert wait.observe(_quiet(more, 24000), 25.0).verdict is ListVerdict.WAIT
    assert wait.observe(_quiet(more, 26000), 27.0).verdict is ListVerdict.LISTED


def test_the_cap_still_holds_with_the_page_clock() -> None:
    wait = AttachmentsWait(RULES, 0.0)
    assert wait.observe(_quiet(SPINNER, 50000), RULES.cap).verdict is ListVerdict.UNCONFIRMED


@pytest.mark.parametrize(
    ("look", "complete"),
    [
        (ITEMS, True),
        (dataclasses.replace(ITEMS, busy=True), False),
        (EMPTY_SECTION, False),
        (AttachmentsLook(section=True, items=COMMENT, signature="s1"), False),
        (AttachmentsLook(section=False, items=TWO_SPANS), False),
    ],
)
def test_complete_looking_is_items_in_the_section_with_nothing_loading(
    look: AttachmentsLook, complete: bool
) -> None:
    assert complete_looking(look) is complete


def test_look_with_a_stated_count_and_the_page_clock_from_script_dict() -> None:
    look = AttachmentsLook.from_dict(
        {"section": True, "items": ["a"], "in_section": 1, "signature": "x", "stated": 1, "quiet_ms": 812.5}
    )
    assert (look.stated, look.quiet_ms) == (1, 812.5)
    assert AttachmentsLook.from_dict({"section": True, "stated": None}).stated is None
    assert AttachmentsLook.from_dict({"section": True}).quiet_ms is None
