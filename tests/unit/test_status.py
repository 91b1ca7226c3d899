"""Pure outcome rules: a PO's status from its counts, retry backoff, the process exit code."""

from __future__ import annotations

import pytest

from po_downloader.engine.models import PoStatus
from po_downloader.engine.run.controller import BatchSummary
from po_downloader.engine.status import (
    EXIT_BAD_INPUT,
    EXIT_FAILURES,
    EXIT_OK,
    backoff_delay,
    batch_exit_code,
    decide_status,
    exit_code,
)


@pytest.mark.parametrize(
    ("found", "downloaded", "status"),
    [
        (0, 0, PoStatus.NO_ATTACHMENTS),
        (1, 1, PoStatus.COMPLETED),
        (5, 5, PoStatus.COMPLETED),
        (1, 0, PoStatus.FAILED),
        (5, 0, PoStatus.FAILED),
        (5, 1, PoStatus.PARTIAL),
        (5, 4, PoStatus.PARTIAL),
    ],
)
def test_decide_status(found: int, downloaded: int, status: PoStatus) -> None:
    assert decide_status(found, downloaded) is status


@pytest.mark.parametrize(("found", "downloaded"), [(-1, 0), (0, -1), (0, 1), (2, 3)])
def test_impossible_counts_raise(found: int, downloaded: int) -> None:
    with pytest.raises(ValueError, match="impossible counts"):
        decide_status(found, downloaded)


def test_backoff_doubles_from_base() -> None:
    assert [backoff_delay(a) for a in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 16.0]
    assert [backoff_delay(a, base=0.5) for a in (1, 2, 3)] == [0.5, 1.0, 2.0]
    assert backoff_delay(0) == backoff_delay(1) == 2.0  # never below the base


def test_backoff_is_capped() -> None:
    assert backoff_delay(6) == 60.0  # 2 * 32 = 64 > cap
    assert backoff_delay(50) == 60.0
    assert backoff_delay(10, base=1.0, cap=5.0) == 5.0


@pytest.mark.parametrize(
    ("statuses", "code"),
    [
        ([], 0),
        ([PoStatus.COMPLETED, PoStatus.NO_ATTACHMENTS], 0),
        ([PoStatus.COMPLETED, PoStatus.PARTIAL], 1),
        ([PoStatus.FAILED], 1),
        ([PoStatus.PO_NOT_FOUND, PoStatus.COMPLETED], 1),
        ([PoStatus.NO_ACCESS], 1),
        ([PoStatus.SIGN_IN_REQUIRED], 1),
        ([PoStatus.PENDING], 1),
    ],
)
def test_exit_code(statuses: list[PoStatus], code: int) -> None:
    assert exit_code(statuses) == code


C, F, S, P = PoStatus.COMPLETED, PoStatus.FAILED, PoStatus.SIGN_IN_REQUIRED, PoStatus.PENDING


@pytest.mark.parametrize(
    ("statuses", "extra", "tolerated", "code"),
    [
        ({"1": C, "2": PoStatus.NO_ATTACHMENTS}, {}, (), EXIT_OK),
        ({"1": C, "2": F}, {}, (), EXIT_FAILURES),
        ({"1": C, "2": F}, {}, ("2",), EXIT_OK),  # the demo's deliberate failures
        ({"1": C, "2": F, "3": F}, {}, ("2",), EXIT_FAILURES),
        ({"1": C, "2": P}, {"stopped": True}, (), EXIT_FAILURES),
        ({"1": P}, {"error": "workers could not start"}, (), EXIT_BAD_INPUT),
        ({"1": C}, {"error": "bad selectors"}, ("1",), EXIT_BAD_INPUT),
        ({"1": S, "2": S}, {"sign_in_required": True}, (), EXIT_BAD_INPUT),  # nothing could run
        ({"1": C, "2": S}, {"sign_in_required": True}, (), EXIT_FAILURES),
        ({"1": C, "2": S}, {"sign_in_required": True}, ("2",), EXIT_FAILURES),
    ],
)
def test_batch_exit_code(
    statuses: dict[str, PoStatus], extra: dict[str, object], tolerated: tuple[str, ...], code: int
) -> None:
    summary = BatchSummary(statuses, 1.0, 0, **extra)  # type: ignore[arg-type]
    assert batch_exit_code(summary, tolerated=tolerated) == code


def test_batch_summary_counts_by_status_value() -> None:
    summary = BatchSummary(
        {
            "100001": PoStatus.COMPLETED,
            "100002": PoStatus.FAILED,
            "100003": PoStatus.COMPLETED,
            "100004": PoStatus.PENDING,
        },
        seconds=1.0,
        total_bytes=0,
    )
    assert summary.counts == {"COMPLETED": 2, "FAILED": 1, "PENDING": 1}
    assert BatchSummary({}, 0.0, 0).counts == {}


def test_every_status_has_one_group_and_the_groups_agree_with_the_rules() -> None:
    from po_downloader.engine.models import StatusGroup

    by_group = {g: {s for s in PoStatus if s.group is g} for g in StatusGroup}
    assert by_group[StatusGroup.DONE] == {PoStatus.COMPLETED, PoStatus.NO_ATTACHMENTS}
    assert by_group[StatusGroup.ACTIVE] == {PoStatus.PENDING, PoStatus.PROCESSING}
    assert PoStatus.SIGN_IN_REQUIRED in by_group[StatusGroup.PROBLEM]
    assert all(s.is_success == (s.group is StatusGroup.DONE) for s in PoStatus)
    # what "Retry failed" runs again: never a PO the portal said is missing or forbidden, never an invalid row
    assert {s for s in PoStatus if s.worth_retrying} == {
        PoStatus.FAILED,
        PoStatus.PARTIAL,
        PoStatus.SIGN_IN_REQUIRED,
        PoStatus.PENDING,
        PoStatus.SKIPPED,  # never asked about: the breaker stopped its group
    }
