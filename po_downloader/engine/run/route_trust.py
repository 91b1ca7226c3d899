"""May the batch let served pages decide POs? Trust earned against the browser, and kept by sampling.

A tenant's served HTML is evidence only once the batch has seen it agree with the rendered page: each
verdict the HTTP route can give (a list, an empty list, not found, no access) is first checked through the
browser on real POs of this batch (``NEEDED`` agreeing checks each), and then one trusted PO in
``SAMPLE_EVERY`` is still worked through the browser and compared. One disagreement ends HTTP for the rest
of the batch. A tenant whose served PO pages prove no list (lists drawn by script) stops being asked after
``GIVE_UP_AFTER`` such pages in a row, but for one probe in ``SAMPLE_EVERY``, so it costs almost nothing;
its error pages, which any tenant serves whole, do not keep the probes going.
Pure: the controller feeds it ``HttpProbe`` results and asks it for each task's ``HttpPlan``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from po_downloader.engine.events import ProbeResult
from po_downloader.engine.models import HttpPlan, PoNumber, RouteMode
from po_downloader.engine.outcome import PoOutcome

NEEDED: Mapping[str, int] = {"LISTED": 2, "EMPTY": 1, "NOT_FOUND": 1, "NO_ACCESS": 1}
SAMPLE_EVERY = 20
GIVE_UP_AFTER = 3
_LISTS = ("LISTED", "EMPTY")


class RouteTrust:
    def __init__(
        self,
        mode: RouteMode,
        *,
        needed: Mapping[str, int] = NEEDED,
        sample_every: int = SAMPLE_EVERY,
        give_up_after: int = GIVE_UP_AFTER,
    ) -> None:
        self.mode = mode
        self.needed = dict(needed)
        self.sample_every = max(1, sample_every)
        self.give_up_after = give_up_after
        self.agreed: Counter[str] = Counter()
        self.distrusted = ""
        """Why HTTP was given up for this batch ("" while it is not)."""
        self._unproven_run = 0
        self._ever_proven = False
        self._asked = 0
        self._trusted_plans = 0
        self._decided: dict[str, tuple[PoNumber, PoOutcome]] = {}
        """Final outcomes a served page decided: the browser checks them again if trust is lost."""

    def trusted(self) -> frozenset[str]:
        if self.mode is RouteMode.HTTP:
            return frozenset(self.needed)
        return frozenset(v for v, n in self.needed.items() if self.agreed[v] >= n)

    def lists_over_http(self) -> bool:
        """Will served pages decide the next POs' lists? Then a page loaded ahead in the browser goes unused
        (and, taken, would keep every following PO in the browser)."""
        return self.mode is not RouteMode.BROWSER and not self.distrusted and "LISTED" in self.trusted()

    def plan(self) -> HttpPlan | None:
        """The next task's plan; None: the browser alone."""
        if self.mode is RouteMode.BROWSER or self.distrusted:
            return None
        if self.mode is RouteMode.HTTP:
            return HttpPlan(self.trusted())
        self._asked += 1
        if (
            not self._ever_proven
            and self._unproven_run >= self.give_up_after
            and self._asked % self.sample_every
        ):
            return None  # this tenant's served pages prove nothing: ask again only now and then
        trusted = self.trusted()
        check = False
        if trusted:
            self._trusted_plans += 1
            check = self._trusted_plans % self.sample_every == 0
        return HttpPlan(trusted, check)

    def keep(self, po: PoNumber, outcome: PoOutcome) -> bool:
        """Note a final outcome; False when a served page decided it after trust was lost (work it again)."""
        if "http" not in outcome.route.split("+"):
            return True
        if self.distrusted:
            return False
        self._decided[po.digits] = (po, outcome)
        return True

    def take_decided(self) -> list[tuple[PoNumber, PoOutcome]]:
        """The outcomes served pages decided so far, handed over once (to be worked again)."""
        decided, self._decided = list(self._decided.values()), {}
        return decided

    def probe(self, result: ProbeResult, verdict: str = "", detail: str = "") -> str:
        """Learn from one PO; returns the reason when this ends HTTP for the batch, else ""."""
        match result:
            case ProbeResult.AGREED | ProbeResult.DECIDED if verdict in _LISTS:
                self.agreed[verdict] += result is ProbeResult.AGREED
                self._ever_proven = True
                self._unproven_run = 0
            case ProbeResult.AGREED:
                self.agreed[verdict] += 1
            case ProbeResult.UNPROVABLE:
                self._unproven_run += 1
            case ProbeResult.DISAGREED:
                if self.mode is RouteMode.AUTO and not self.distrusted:
                    self.distrusted = detail or "the served page and the browser disagreed"
                    return self.distrusted
        return ""
