"""The breaker: which outcomes count, when a group trips, what its rest becomes; the scheduler's skip and
the controller's few lines through scripted workers (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.input.plan import plan_batch
from po_downloader.engine.input.sheet import Sheet
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.run.breaker import (
    COUNT,
    GROUP_COLUMN,
    GROUP_VALUE,
    SIGN_IN_PAGE,
    WAY,
    Breaker,
    FailureWay,
    failure_way,
    group_values,
)
from po_downloader.engine.run.options import BatchOptions
from po_downloader.engine.run.page_outcome import own_sign_in_page
from po_downloader.engine.run.scheduler import Scheduler
from tests.helpers.batch import scripted_controller
from tests.helpers.fake_worker import FakeWorker

URL = "https://coupa.example/order_headers/1"
DENIED = PoOutcome(PoStatus.NO_ACCESS, message="not authorised", url=URL)
DOWN = PoOutcome(
    PoStatus.FAILED,
    message="gave up after 3 attempts: portal error: HTTP 500",
    url=URL,
    kind=ErrorKind.PORTAL_ERROR_PAGE,
    details={"detail": "HTTP 500", "gave_up_after": "3"},
)
DONE = PoOutcome(PoStatus.COMPLETED, found=1, downloaded=1, url=URL)


@pytest.mark.parametrize(
    ("outcome", "way"),
    [
        (DENIED, FailureWay.NO_ACCESS),
        (DOWN, FailureWay.PORTAL_ERROR),
        (own_sign_in_page(PoOutcome(PoStatus.SIGN_IN_REQUIRED, url=URL), 2, ""), FailureWay.SIGN_IN_PAGE),
        (DONE, None),
        (PoOutcome(PoStatus.NO_ATTACHMENTS, url=URL), None),
        (PoOutcome(PoStatus.PO_NOT_FOUND, message="Coupa: Oops!", url=URL), None),  # proven per PO
        (PoOutcome(PoStatus.FAILED, url=URL, kind=ErrorKind.PAGE_NOT_COUPAS), FailureWay.PORTAL_ERROR),
        (PoOutcome(PoStatus.FAILED, url=URL, kind=ErrorKind.PORTAL_TIMEOUT), FailureWay.PORTAL_ERROR),
        (PoOutcome(PoStatus.FAILED, url=URL, kind=ErrorKind.LIST_UNCONFIRMED), FailureWay.PORTAL_ERROR),
        (PoOutcome(PoStatus.FAILED, url=URL, kind=ErrorKind.PAGE_CHANGED), None),  # one read's bad luck
        (PoOutcome(PoStatus.FAILED, found=3, url=URL, kind=ErrorKind.FILES_MISSING), None),  # the page listed
        (PoOutcome(PoStatus.PARTIAL, found=3, downloaded=1, url=URL, kind=ErrorKind.FILES_MISSING), None),
        (PoOutcome(PoStatus.FAILED, kind=ErrorKind.WORKER_DIED, details={"code": "-9"}), None),
        (PoOutcome(PoStatus.FAILED, url=URL, kind=ErrorKind.FOLDER_HELD), None),  # our folder, not the portal
        (PoOutcome(PoStatus.FAILED, url=URL), None),  # no kind: nothing the breaker can name
        (PoOutcome(PoStatus.SIGN_IN_REQUIRED, url=URL), None),  # expiry: its own flow, never a final here
    ],
)
def test_which_outcomes_count(outcome: PoOutcome, way: FailureWay | None) -> None:
    assert failure_way(outcome) is way


def po(i: int) -> PoNumber:
    return PoNumber(f"{10000000 + i}")


def test_a_group_trips_on_its_nth_same_failure_in_a_row_and_only_once() -> None:
    groups = {po(i).digits: ("A" if i < 20 else "B") for i in range(40)}
    breaker = Breaker(3, "Company", groups)
    assert breaker.record(po(0), DENIED) is None
    assert breaker.record(po(20), DENIED) is None  # another group's count is its own
    assert breaker.record(po(1), DENIED) is None
    trip = breaker.record(po(2), DENIED)
    assert trip is not None
    assert (trip.column, trip.group, trip.way, trip.count) == ("Company", "A", FailureWay.NO_ACCESS, 3)
    assert trip.covers(po(5)) and not trip.covers(po(25))
    assert breaker.record(po(3), DENIED) is None, "a tripped group trips once"
    assert breaker.record(po(21), DENIED) is None
    assert breaker.record(po(22), DENIED) is not None


@pytest.mark.parametrize(
    "between",
    [
        DONE,
        PoOutcome(PoStatus.PO_NOT_FOUND, url=URL),  # not found breaks the run: never counted, never ignored
        DOWN,  # another way: "the same failing way" only
    ],
)
def test_anything_else_in_between_breaks_the_run(between: PoOutcome) -> None:
    breaker = Breaker(3)
    assert breaker.record(po(0), DENIED) is None
    assert breaker.record(po(1), DENIED) is None
    assert breaker.record(po(2), between) is None
    assert breaker.record(po(3), DENIED) is None
    assert breaker.record(po(4), DENIED) is None
    assert breaker.record(po(5), DENIED) is not None


def test_not_found_alone_never_trips_and_zero_is_off() -> None:
    breaker = Breaker(2)
    for i in range(10):
        assert breaker.record(po(i), PoOutcome(PoStatus.PO_NOT_FOUND, url=URL)) is None
    off = Breaker(0)
    assert all(off.record(po(i), DENIED) is None for i in range(50))


def test_skipped_outcomes_are_not_counted_and_name_the_group() -> None:
    breaker = Breaker(2, "Company", {po(1).digits: "2000", po(2).digits: "2000"})
    trip = breaker.record(po(1), DENIED) or breaker.record(po(2), DENIED)
    assert trip is not None
    skipped = trip.outcome
    assert skipped.status is PoStatus.SKIPPED and skipped.kind is ErrorKind.BREAKER_SKIPPED
    assert skipped.details == {GROUP_COLUMN: "Company", GROUP_VALUE: "2000", WAY: "no_access", COUNT: "2"}
    assert "Company 2000" in skipped.message and "no access" in skipped.message
    whole = Breaker(1).record(po(1), DOWN)
    assert whole is not None and whole.covers(po(99)) and "the whole batch" in whole.outcome.message
    assert Breaker(1).record(po(1), skipped) is None


def test_sign_in_page_details_mark_only_the_own_page_failure() -> None:
    failed = own_sign_in_page(PoOutcome(PoStatus.SIGN_IN_REQUIRED, url=URL), 2, "https://sso/login")
    assert failed.status is PoStatus.FAILED and failed.details[SIGN_IN_PAGE] == "2"
    assert "https://sso/login" in failed.message


def sheet(rows: list[tuple[str, str]]) -> Sheet:
    return Sheet(Path("in.csv"), ("PO", "Company code"), tuple(rows), "PO", 0, "header")


def test_each_po_takes_its_first_rows_group_value() -> None:
    plan = plan_batch(
        sheet([("10000001", "1000"), ("10000002", " 2000 "), ("10000001", "3000"), ("10000003", "")])
    )
    assert group_values(plan, "company code") == {"10000001": "1000", "10000002": "2000", "10000003": ""}
    assert group_values(plan, "") == {}
    with pytest.raises(KeyError):
        group_values(plan, "Cost centre")


def test_the_scheduler_skips_only_queued_pos_of_the_group() -> None:
    s = Scheduler([po(i) for i in range(6)])
    held = s.take(1, 0.0)
    assert held is not None and held.po == po(0)
    s.reserve(1, 0.0)  # po(1) set aside for worker 1: a skip takes it too
    skipped = s.skip(lambda p: p.digits in {po(0).digits, po(1).digits, po(3).digits})
    assert skipped == [po(1), po(3)]
    assert s.status(po(1)) is PoStatus.SKIPPED and s.status(po(0)) is PoStatus.PROCESSING
    assert s.reserved_for(1) is None
    assert [t.po for w in (2, 3, 4, 5) if (t := s.take(w, 0.0))] == [po(2), po(4), po(5)]
    s.finish(po(0), PoStatus.NO_ACCESS)
    for p in (po(2), po(4), po(5)):
        s.finish(p, PoStatus.COMPLETED)
    assert s.finished()


@pytest.mark.timeout(60)
def test_the_controller_skips_the_rest_of_a_group_while_other_groups_complete(tmp_path: Path) -> None:
    denied = [f"2000000{i}" for i in range(10)]
    fine = [f"3000000{i}" for i in range(4)]
    pos = [d for pair in zip(denied, fine + [""] * 6, strict=True) for d in pair if d]
    script = {d: ["noaccess"] for d in denied}
    c, rec = scripted_controller(tmp_path, pos, FakeWorker(script), workers=1)
    c.breaker = Breaker(3, "Company", {**dict.fromkeys(denied, "2000"), **dict.fromkeys(fine, "1000")})
    summary = c.run()
    statuses = summary.statuses
    assert [statuses[d] for d in denied[:3]] == [PoStatus.NO_ACCESS] * 3
    assert {statuses[d] for d in denied[3:]} <= {PoStatus.SKIPPED, PoStatus.NO_ACCESS}  # one may be ahead
    assert sum(statuses[d] is PoStatus.SKIPPED for d in denied) >= 6
    assert all(statuses[d] is PoStatus.COMPLETED for d in fine)
    (trip,) = rec.of(ev.GroupSkipped)
    assert (trip.column, trip.group, trip.way, trip.count) == ("Company", "2000", "no_access", 3)
    skipped = [e for e in rec.of(ev.PoFinished) if e.outcome.status is PoStatus.SKIPPED]
    assert trip.skipped == len(skipped) and {e.po.digits for e in skipped} <= set(denied)
    worked = {p.name for p in (tmp_path / "downloads" / ".fake-tasks").iterdir()}
    assert not worked & {e.po.digits for e in skipped}, "a skipped PO is never sent to a worker"
    progress = rec.of(ev.BatchProgress)[-1]
    assert (progress.done, progress.left) == (len(pos), 0)
    assert summary.counts.get(PoStatus.SKIPPED) == len(skipped)


@pytest.mark.timeout(60)
def test_sign_in_expiry_never_trips_the_breaker(tmp_path: Path) -> None:
    pos = [f"4000000{i}" for i in range(4)]
    script = {d: ["signin", "ok:1"] for d in pos}
    c, rec = scripted_controller(tmp_path, pos, FakeWorker(script), workers=1, max_sign_ins=99)
    c.breaker = Breaker(1)
    summary = c.run()
    assert not rec.of(ev.GroupSkipped)
    assert PoStatus.SKIPPED not in summary.statuses.values()


def test_batch_options_default_to_ten_for_the_whole_batch() -> None:
    options = BatchOptions(workers=1)
    assert (options.breaker, options.breaker_group) == (10, "")


def test_a_group_column_the_sheet_lacks_is_refused_naming_its_columns() -> None:
    from po_downloader.cli.messages import error_message
    from po_downloader.engine.input.sheet import SheetError
    from po_downloader.engine.run.breaker import breaker_for, check_group_column

    plan = plan_batch(sheet([("10000001", "1000")]))
    check_group_column(plan, "company code")
    check_group_column(plan, "")
    with pytest.raises(SheetError) as refused:
        check_group_column(plan, "Empresa")
    assert refused.value.kind is ErrorKind.BREAKER_UNKNOWN_COLUMN
    assert error_message(refused.value) == (
        "no column 'Empresa' in 'in.csv' to group POs by (--breaker-group); its columns: PO, Company code"
    )
    # The window's setting may name another sheet's column: this sheet is then one group.
    whole = breaker_for(plan, BatchOptions(workers=1, breaker=5, breaker_group="Empresa"))
    assert (whole.limit, whole.column, dict(whole.groups)) == (5, "", {})
    grouped = breaker_for(plan, BatchOptions(workers=1, breaker_group="Company code"))
    assert (grouped.limit, grouped.column, dict(grouped.groups)) == (10, "Company code", {"10000001": "1000"})


def test_the_cli_words_a_skipped_po_and_takes_the_flags() -> None:
    from po_downloader.cli.main import build_parser
    from po_downloader.cli.messages import describe

    details = {GROUP_COLUMN: "", GROUP_VALUE: "", WAY: "portal_error", COUNT: "10"}
    assert describe(ErrorKind.BREAKER_SKIPPED, details) == (
        "skipped: the last 10 POs of the whole batch all ended with a portal error; not worked "
        "(once that is fixed, run again with --retry-skipped)"
    )
    args = build_parser().parse_args(["run", "x.csv", "--breaker", "0", "--breaker-group", "Company"])
    assert (args.breaker, args.breaker_group, args.retry_skipped) == (0, "Company", False)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "x.csv", "--breaker", "-1"])
    with pytest.raises(SystemExit):  # a retry of the skipped POs is not a resume, nor a fresh batch
        build_parser().parse_args(["run", "x.csv", "--retry-skipped", "--fresh"])


@pytest.mark.timeout(60)
def test_portal_errors_trip_after_their_retries_and_name_the_way(tmp_path: Path) -> None:
    pos = [f"5000000{i}" for i in range(6)]
    c, rec = scripted_controller(tmp_path, pos, FakeWorker(dict.fromkeys(pos, ["down"])), workers=1)
    c.breaker = Breaker(2)
    summary = c.run()
    (trip,) = rec.of(ev.GroupSkipped)
    assert (trip.column, trip.way, trip.count) == ("", "portal_error", 2)
    counts = summary.counts
    assert counts[PoStatus.FAILED] >= 2 and counts[PoStatus.SKIPPED] == trip.skipped >= 1
    assert counts[PoStatus.FAILED] + counts[PoStatus.SKIPPED] == len(pos)
    failed = [e.outcome for e in rec.of(ev.PoFinished) if e.outcome.status is PoStatus.FAILED]
    assert all(o.message.startswith("gave up after 2 attempts") for o in failed), "retries come first"
