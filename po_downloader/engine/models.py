"""Plain values shared by every layer: a PO to work and the statuses it can end in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StatusGroup(StrEnum):
    """How a status reads at a glance: the table's filters, the counters and the exit code share these."""

    PROBLEM = "problem"
    """It did not get the PO's files and says why (failed, partial, not found, no access, sign-in, invalid,
    skipped)."""
    ACTIVE = "active"
    """Not decided yet: waiting or being worked."""
    DONE = "done"
    """Every listed file is on disk, or the page proved there is nothing to fetch."""


class PoStatus(StrEnum):
    """Outcome of one PO; the string values are what the results sheet and folder names show."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"
    PARTIAL = "PARTIAL"
    FAILED = "FAILED"
    NO_ATTACHMENTS = "NO_ATTACHMENTS"
    PO_NOT_FOUND = "PO_NOT_FOUND"
    NO_ACCESS = "NO_ACCESS"
    SIGN_IN_REQUIRED = "SIGN_IN_REQUIRED"
    INVALID = "INVALID"
    SKIPPED = "SKIPPED"
    """Not sent to Coupa: the breaker stopped its group after the group's last POs all failed one way
    (``run/breaker.py``). Final for its batch, and worked again by a re-run, a retry or ``--retry-skipped``."""

    @property
    def group(self) -> StatusGroup:
        if self in (PoStatus.PENDING, PoStatus.PROCESSING):
            return StatusGroup.ACTIVE
        if self in (PoStatus.COMPLETED, PoStatus.NO_ATTACHMENTS):
            return StatusGroup.DONE
        return StatusGroup.PROBLEM

    @property
    def is_final(self) -> bool:
        """A verdict the batch will not revisit (SIGN_IN_REQUIRED waits for the user to sign in again)."""
        return self not in (PoStatus.PENDING, PoStatus.PROCESSING, PoStatus.SIGN_IN_REQUIRED)

    @property
    def is_success(self) -> bool:
        """Counts toward exit code 0: every file there, or nothing to fetch."""
        return self.group is StatusGroup.DONE

    @property
    def worth_retrying(self) -> bool:
        """What "Retry failed" runs again: files may still come (not found, no access, invalid will not; a
        skipped PO was never asked about)."""
        return self in (
            PoStatus.FAILED,
            PoStatus.PARTIAL,
            PoStatus.SIGN_IN_REQUIRED,
            PoStatus.PENDING,
            PoStatus.SKIPPED,
        )

    @property
    def has_folder(self) -> bool:
        """Statuses that leave a ``<PO>_<STATUS>`` folder on disk."""
        return self in (PoStatus.COMPLETED, PoStatus.PARTIAL, PoStatus.FAILED, PoStatus.NO_ATTACHMENTS)


class ListVerdict(StrEnum):
    """The page's word on a PO's attachments list: ``browser/`` reads it off the page, ``status`` turns it
    into the PO's outcome (a guess never is one)."""

    WAIT = "WAIT"
    LISTED = "LISTED"
    """The list is final and has at least one item."""
    EMPTY = "EMPTY"
    """The page proved there is nothing to download."""
    UNCONFIRMED = "UNCONFIRMED"


@dataclass(frozen=True, slots=True)
class PoNumber:
    """A normalised PO: ``digits`` go into the URL, ``display`` (``PO123…``/``PM123…``) is shown."""

    digits: str
    prefix: str = "PO"

    @property
    def display(self) -> str:
        return f"{self.prefix}{self.digits}"

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True, slots=True)
class KnownFile:
    """A file the journal says an earlier attempt saved for a PO: kept if it is still there, same bytes."""

    name: str
    url: str
    size: int
    sha256: str
    path: str


class RouteMode(StrEnum):
    """How a batch reads PO pages: ``auto`` uses HTTP where the batch proved it sees what the browser sees,
    ``browser`` never uses HTTP, ``http`` uses it wherever a served page proves its list, unchecked."""

    AUTO = "auto"
    BROWSER = "browser"
    HTTP = "http"


@dataclass(frozen=True, slots=True)
class HttpPlan:
    """How a worker may use the HTTP route for one PO: the controller's word, from what the batch proved."""

    trusted: frozenset[str] = frozenset()
    """The served verdicts (``LISTED``, ``EMPTY``, ``NOT_FOUND``, ``NO_ACCESS``) HTTP may give alone; any
    other is checked against the browser, which then works the PO."""
    check: bool = False
    """Work this PO through the browser and compare, even if its verdict is trusted (the ongoing sample)."""


@dataclass(frozen=True, slots=True)
class PoTask:
    """One unit of work sent to a worker: a unique PO and how many times it was tried.

    ``folder`` and ``known`` carry what an earlier run left for this PO (resume, a re-run): the worker
    works in that folder again instead of making a ``(2)`` one, and does not download a file again whose
    bytes are already there."""

    po: PoNumber
    attempt: int = 1
    folder: str = ""
    """The PO's folder from an earlier run (final ``<PO>_<STATUS>`` or ``<PO>__WORK``); empty: none."""
    known: tuple[KnownFile, ...] = ()
    http: HttpPlan | None = None
    """May the served page decide this PO (see :class:`HttpPlan`); None: the browser only."""
    values: tuple[tuple[str, str], ...] = ()
    """The PO's row values the folder template names (``output/folder_template.row_values``)."""
