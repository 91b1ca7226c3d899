"""When is a PO's list of attachments final? A pure decision over successive looks at the page.

"Network and DOM quiet for 600 ms" is not an answer: portals render attachments from timers, after a
request has long finished, and a busy machine stretches every gap. So the decision looks at the
attachments section itself:

* while the section shows a loading state (spinner, placeholder, ``aria-busy``), keep waiting;
* items in the section, unchanged for ``settle`` seconds since the last change *inside the section*:
  the list is final;
* an explicit empty-state text ("No attachments"), unchanged for ``settle``: proven empty;
* nothing at all in the section: only after ``empty_window`` seconds without any change does it count as
  empty (the section "stayed empty through the whole window");
* no section found: items elsewhere (comment links) count after ``empty_window`` unchanged; with no
  items and no empty-state text the page proves nothing, and the answer is UNCONFIRMED;
* past ``cap`` seconds without one of these, UNCONFIRMED: the PO fails and is retried, never guessed.

Two proofs end the wait at once, because the page itself says the list is whole: an explicit empty-state
text in the section with nothing loading and no item anywhere, and a count the page states for its list
("Attachments (3)", ``data-count``) equal to the items in the section, nothing loading.

"Unchanged" is counted from the section's last change *as the page saw it* (``quiet_ms``, from a mutation
watch installed before the page's scripts) whenever the page reports it, so the settle is not paid again
from the first look; any change the looks themselves see still restarts it. Without the watch (a page
opened before it was installed), quiet is measured between looks as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import SupportsInt, cast

from po_downloader.engine.models import ListVerdict


@dataclass(frozen=True)
class AttachmentsLook:
    """One look at the page's attachments, as the portal module saw it."""

    section: bool
    """The attachments section was found."""
    busy: bool = False
    """A loading indicator is visible (in the section, or anywhere when there is no section)."""
    empty_text: str = ""
    """An explicit empty-state text, "" when none is shown."""
    items: tuple[str, ...] = ()
    """A key per attachment candidate on the whole page (kind, name, URL)."""
    in_section: int = 0
    """How many of ``items`` are inside the section."""
    signature: str = ""
    """A fingerprint of the section's content, so any change inside it restarts the settle window."""
    stated: int | None = None
    """The count the page states for its list (a count attribute, "Attachments (3)"); None when none."""
    quiet_ms: float | None = field(default=None, compare=False)
    """Page-clock ms since the section or a listed item last changed; None without the mutation watch.
    Not part of the look's identity: it grows while the look stays the same."""

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> AttachmentsLook:
        return cls(
            section=bool(data.get("section")),
            busy=bool(data.get("busy")),
            empty_text=str(data.get("empty_text") or ""),
            items=tuple(str(i) for i in cast("Iterable[object]", data.get("items", ()) or ())),
            in_section=int(cast("SupportsInt", data.get("in_section") or 0)),
            signature=str(data.get("signature") or ""),
            stated=_count(data.get("stated")),
            quiet_ms=_ms(data.get("quiet_ms")),
        )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _ms(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


@dataclass(frozen=True)
class WaitRules:
    settle: float = 2.0
    empty_window: float = 8.0
    """Long enough for pages that draw their list by a timer seconds after load, with nothing to show
    meanwhile; only POs whose section has no empty-state text pay it."""
    cap: float = 20.0


@dataclass(frozen=True)
class ListDecision:
    verdict: ListVerdict
    reason: str = ""


class AttachmentsWait:
    """Feed it looks with their times; it says when the list is final. No clock of its own."""

    def __init__(self, rules: WaitRules, start: float) -> None:
        self.rules = rules
        self.start = start
        self.last_change = start
        self._last: AttachmentsLook | None = None
        self._seen_change: float | None = None
        """When a look first differed from the one before it (None: no change seen between looks)."""

    def quiet(self, look: AttachmentsLook, now: float) -> float:
        """Seconds the list has been unchanged: by the page's clock when it tells, never longer than the
        looks themselves allow (a change they saw restarts it)."""
        if look != self._last:
            if self._last is not None:
                self._seen_change = now
            self._last = look
            self.last_change = now
        if look.quiet_ms is None:
            return now - self.last_change
        page = look.quiet_ms / 1000
        return page if self._seen_change is None else min(page, now - self._seen_change)

    def resume(self, now: float) -> None:
        """Start a new ``cap`` window (the confirmation after the downloads), keeping what was seen: a
        look that differs from the last one before the pause is a change seen now."""
        self.start = now

    def observe(self, look: AttachmentsLook, now: float) -> ListDecision:
        decision = decide(look, quiet=self.quiet(look, now), rules=self.rules)
        if decision.verdict is ListVerdict.WAIT and now - self.start >= self.rules.cap:
            return ListDecision(ListVerdict.UNCONFIRMED, _cap_reason(look, self.rules.cap))
        return decision

    def unreadable(self, why: str, now: float) -> ListDecision:
        """A look that failed (the page's script threw): an observation like any other, so the cap holds.

        It proves nothing, so it only waits; past the cap the list is UNCONFIRMED, naming the error, and
        the PO is retried within seconds instead of looping until a watchdog ends the attempt.
        """
        if now - self.start >= self.rules.cap:
            return ListDecision(
                ListVerdict.UNCONFIRMED,
                f"the attachments could not be read for {self.rules.cap:.0f} s: {why}"[:300],
            )
        return ListDecision(ListVerdict.WAIT)


def decide(look: AttachmentsLook, *, quiet: float, rules: WaitRules) -> ListDecision:
    """The verdict for a look that has been unchanged for ``quiet`` seconds."""
    wait = ListDecision(ListVerdict.WAIT)
    if look.busy:
        return wait
    found = ListDecision(ListVerdict.LISTED)
    if look.section:
        if look.stated is not None and look.stated == look.in_section:
            if look.in_section:
                return found  # the page's own count of its list, all of them shown
            if not look.items:
                return ListDecision(ListVerdict.EMPTY, "the page states 0 attachments")
        if look.in_section:
            return found if quiet >= rules.settle else wait
        if look.empty_text:
            if not look.items:
                return ListDecision(ListVerdict.EMPTY, look.empty_text)  # the page says so, nothing loading
            return found if quiet >= rules.settle else wait
        if quiet < rules.empty_window:
            return wait
        if look.items:
            return found
        return ListDecision(
            ListVerdict.EMPTY, f"the attachments section stayed empty for {rules.empty_window:.0f} s"
        )
    if look.empty_text and not look.items:
        return ListDecision(ListVerdict.EMPTY, look.empty_text) if quiet >= rules.settle else wait
    if quiet < rules.empty_window:
        return wait
    if look.items:
        return found
    return ListDecision(ListVerdict.UNCONFIRMED, "no attachments section or empty-state text on the page")


def complete_looking(look: AttachmentsLook) -> bool:
    """Items in the section and nothing loading: worth starting the downloads on, not yet a final list."""
    return look.section and not look.busy and look.in_section > 0


def _cap_reason(look: AttachmentsLook, cap: float) -> str:
    if look.busy:
        return f"the attachments were still loading after {cap:.0f} s"
    return f"the attachments list kept changing for {cap:.0f} s"
