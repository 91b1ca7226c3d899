"""The breaker: stop sending a group of POs (a company code, or the whole batch) once its last POs all
failed the same way, so a batch does not spend an hour asking Coupa for POs it will refuse.

Which outcomes count (:func:`failure_way`): no access (the page said so), a page that could not be read
(the portal's error page, a proxy's, no answer in time, a list that never settled: :data:`PORTAL_KINDS`),
and a PO's own page that keeps showing sign-in while other POs go through. They are what a whole group
shares: rights per company, a tenant or proxy that is down, a company on another sign-in. Never counted:

- a session that expired: the controller sends the PO back and pauses for sign-in; it never ends a PO here;
- not found: each one is a proven answer about that PO (a typo, an old number), which the user needs row
  by row; a run of them proves nothing about the next PO of the group;
- files that failed after the page listed them, a worker that died, our own disk or folders: the portal
  answered for that group, the trouble is elsewhere.

The rule is literal and strict: the last ``limit`` POs of the group to end (in the order they ended) all
ended the same counted way. Any other outcome in between (a success, a not found) breaks the run, so a
skip is never bought with a guess. Pure logic; the controller feeds it final outcomes and skips what it
names.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.column_choice import column_index
from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.input.sheet import SheetError
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome

if TYPE_CHECKING:  # options.py imports the pool, which imports page_outcome, which imports this
    from po_downloader.engine.run.options import BatchOptions

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 10

#: ``PoOutcome.details`` keys of a skipped PO (``ErrorKind.BREAKER_SKIPPED``), also read by the faces.
GROUP_COLUMN, GROUP_VALUE, WAY, COUNT = "column", "group", "way", "count"

#: A ``details`` key the controller puts on a PO failed for meeting sign-in on its own page again and again.
SIGN_IN_PAGE = "sign_in_page"


class FailureWay(StrEnum):
    """How a PO failed, as far as the breaker cares."""

    NO_ACCESS = "no_access"
    PORTAL_ERROR = "portal_error"
    SIGN_IN_PAGE = "sign_in_page"


#: A PO's page that could not be read: the portal's error page, a page in front of it (a proxy's, a CDN's),
#: no answer in time, a list the page never proved. Not a list that moved (``PAGE_CHANGED``: one read's
#: bad luck), files missing after a list (the portal answered), a worker's death, our disk or folders.
PORTAL_KINDS = frozenset(
    {
        ErrorKind.PORTAL_ERROR_PAGE,
        ErrorKind.PAGE_NOT_COUPAS,
        ErrorKind.PORTAL_TIMEOUT,
        ErrorKind.LIST_UNCONFIRMED,
    }
)

WAY_WORDS = {
    FailureWay.NO_ACCESS: "no access",
    FailureWay.PORTAL_ERROR: "a portal error",
    FailureWay.SIGN_IN_PAGE: "a sign-in page",
}


def way_of(value: str) -> FailureWay | None:
    """The way a skipped PO's details name (None: a value this version does not know)."""
    return FailureWay(value) if value in FailureWay.__members__.values() else None


def failure_way(outcome: PoOutcome) -> FailureWay | None:
    """The counted way ``outcome`` failed, or None (a success, not found, anything not the group's)."""
    if outcome.status is PoStatus.NO_ACCESS:
        return FailureWay.NO_ACCESS
    if outcome.status is not PoStatus.FAILED:
        return None
    if SIGN_IN_PAGE in outcome.details:
        return FailureWay.SIGN_IN_PAGE
    if outcome.kind in PORTAL_KINDS:
        return FailureWay.PORTAL_ERROR
    return None


def group_values(plan: BatchPlan, column: str) -> dict[str, str]:
    """Each PO's group (by digits): its first row's value in ``column`` ("" for a blank cell). ``column``
    empty: no value, every PO in one group. ``KeyError`` when the sheet has no such column."""
    if not column:
        return {}
    sheet = plan.sheet
    index = column_index(sheet.columns, column)
    if index is None:
        raise KeyError(column)
    values: dict[str, str] = {}
    for po in plan.pos:
        rows = plan.rows_for(po.digits)
        cell = sheet.rows[rows[0]][index] if rows else ""
        values[po.digits] = _cell_text(cell)
    return values


@dataclass(frozen=True, slots=True)
class Trip:
    """A group the breaker stopped: which, why, and the outcome its remaining POs get."""

    column: str
    """The sheet column that groups POs ("" : the whole batch)."""
    group: str
    way: FailureWay
    count: int
    members: frozenset[str]
    """The digits of every PO of the group (the controller skips those still queued); with no
    ``column`` the group is the whole batch and this is empty."""

    def covers(self, po: PoNumber) -> bool:
        """``po`` is in the stopped group."""
        return not self.column or po.digits in self.members

    @property
    def outcome(self) -> PoOutcome:
        """What a PO of the group not yet sent ends as: ``SKIPPED``, naming the group and the reason."""
        return PoOutcome(
            PoStatus.SKIPPED,
            message=skip_message(self.column, self.group, self.way, self.count),
            kind=ErrorKind.BREAKER_SKIPPED,
            details={
                GROUP_COLUMN: self.column,
                GROUP_VALUE: self.group,
                WAY: self.way.value,
                COUNT: str(self.count),
            },
        )


def group_name(column: str, group: str) -> str:
    """The group as the English message names it: ``Company code 1000``, ``the whole batch``."""
    if not column:
        return "the whole batch"
    return f"{column} {group}" if group else f"{column} (blank)"


def skip_message(column: str, group: str, way: FailureWay, count: int) -> str:
    return (
        f"skipped: the last {count} POs of {group_name(column, group)} all ended with {WAY_WORDS[way]}; "
        "not worked (retry them once that is fixed)"
    )


@dataclass
class Breaker:
    """Per group, the ways its last ``limit`` POs ended; trips a group once, when they all agree."""

    limit: int = DEFAULT_LIMIT
    """0: off."""
    column: str = ""
    groups: Mapping[str, str] = field(default_factory=dict)
    """Each PO's group value by digits (:func:`group_values`); a PO not in it is in the "" group."""
    _recent: dict[str, deque[FailureWay | None]] = field(default_factory=dict, init=False, repr=False)
    _tripped: set[str] = field(default_factory=set, init=False, repr=False)

    def group_of(self, po: PoNumber) -> str:
        return self.groups.get(po.digits, "")

    def record(self, po: PoNumber, outcome: PoOutcome) -> Trip | None:
        """Note ``po``'s final outcome; the trip when it is its group's ``limit``-th same failure in a row."""
        if self.limit <= 0 or outcome.status is PoStatus.SKIPPED:
            return None
        group = self.group_of(po)
        if group in self._tripped:
            return None
        recent = self._recent.setdefault(group, deque(maxlen=self.limit))
        recent.append(failure_way(outcome))
        way = recent[0]
        if way is None or len(recent) < self.limit or any(w is not way for w in recent):
            return None
        self._tripped.add(group)
        del self._recent[group]
        members = frozenset(d for d, g in self.groups.items() if g == group) if self.column else frozenset()
        return Trip(self.column, group, way, self.limit, members)


def breaker_for(plan: BatchPlan, options: BatchOptions) -> Breaker:
    """The batch's breaker: its POs grouped by ``options.breaker_group``'s values. A sheet without that
    column (the window's setting names a column of another sheet) is one group, the whole batch, said in
    the log; the CLI refuses such a column before it starts (:func:`check_group_column`)."""
    column = options.breaker_group if options.breaker else ""
    try:
        return Breaker(options.breaker, column, group_values(plan, column))
    except KeyError:
        log.info("the sheet has no column %r: the breaker counts the whole batch as one group", column)
        return Breaker(options.breaker)


def check_group_column(plan: BatchPlan, column: str) -> None:
    """Refuse a breaker group column the sheet does not have, naming the columns it has (``SheetError``)."""
    if column and column_index(plan.sheet.columns, column) is None:
        raise SheetError(
            ErrorKind.BREAKER_UNKNOWN_COLUMN,
            f"the sheet has no column '{column}' to group POs by; its columns: {', '.join(plan.sheet.columns)}",
            name=plan.sheet.path.name,
            column=column,
            headers=", ".join(plan.sheet.columns),
        )


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if value is not None else ""
