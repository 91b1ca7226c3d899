"""A Grid's slots from its ``/status``, the wait for a free one, and the worker count it sets."""

from __future__ import annotations

import pytest

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.http.grid_status import (
    GridSlots,
    GridUnavailable,
    grid_workers,
    read_slots,
    slots_of,
    wait_for_slots,
)

CHROME = {"browserName": "chrome"}
EDGE = {"browserName": "MicrosoftEdge"}


def node(*slots: dict, availability: str = "UP") -> dict:
    return {"availability": availability, "slots": list(slots)}


def slot(stereotype: dict, busy: bool = False) -> dict:
    return {"stereotype": stereotype, "session": {"sessionId": "x"} if busy else None}


def test_slots_count_free_and_busy_on_nodes_that_are_up() -> None:
    status = {
        "value": {
            "ready": True,
            "nodes": [
                node(slot(CHROME), slot(CHROME, busy=True), slot(EDGE)),
                node(slot(CHROME), availability="DRAINING"),
                node(slot(CHROME), availability="DOWN"),
            ],
        }
    }
    assert slots_of(status) == GridSlots(total=3, free=2, ready=True)
    assert slots_of(status, "chrome") == GridSlots(total=2, free=1, ready=True)
    assert slots_of(status, "MicrosoftEdge") == GridSlots(total=1, free=1, ready=True)


def test_a_status_without_nodes_has_no_slot() -> None:
    assert slots_of({"value": {"ready": False, "message": "no nodes"}}) == GridSlots(0, 0, False)
    assert slots_of({}) == GridSlots(0, 0, False)


def test_the_worker_count_is_the_free_slots_unless_fewer_are_asked_for() -> None:
    assert grid_workers(0, GridSlots(6, 3, True)) == 3
    assert grid_workers(2, GridSlots(6, 3, True)) == 2
    assert grid_workers(8, GridSlots(6, 3, True)) == 3
    assert grid_workers(0, GridSlots(6, 0, True)) == 1


def test_a_grid_with_a_free_slot_is_not_waited_for() -> None:
    told: list[GridSlots] = []
    got = wait_for_slots(
        "http://grid:4444",
        "chrome",
        timeout=60,
        on_waiting=told.append,
        read=lambda u, b: GridSlots(3, 1, True),
    )
    assert got == GridSlots(3, 1, True) and told == []


def test_the_batch_waits_for_a_free_slot_and_says_so_once() -> None:
    answers = iter([GridSlots(3, 0, True)] * 3 + [GridSlots(3, 2, True)])
    now = [0.0]
    told: list[GridSlots] = []
    got = wait_for_slots(
        "http://grid:4444",
        "chrome",
        timeout=60,
        on_waiting=told.append,
        read=lambda u, b: next(answers),
        clock=lambda: now[0],
        sleep=lambda s: now.__setitem__(0, now[0] + s),
    )
    assert got.free == 2
    assert told == [GridSlots(3, 0, True)]


def test_no_free_slot_in_time_fails_naming_the_grid() -> None:
    now = [0.0]
    with pytest.raises(GridUnavailable) as caught:
        wait_for_slots(
            "http://grid:4444",
            "chrome",
            timeout=10,
            read=lambda u, b: GridSlots(3, 0, True),
            clock=lambda: now[0],
            sleep=lambda s: now.__setitem__(0, now[0] + s),
        )
    assert caught.value.kind is ErrorKind.GRID_NO_FREE_SLOT
    assert caught.value.details == {"url": "http://grid:4444", "waited": "10"}
    assert now[0] >= 10


def test_an_address_that_does_not_answer_is_named() -> None:
    with pytest.raises(GridUnavailable) as caught:
        read_slots("http://127.0.0.1:9", timeout=2)
    assert caught.value.kind is ErrorKind.GRID_UNREACHABLE
    assert caught.value.details["url"] == "http://127.0.0.1:9"


def test_a_grid_url_that_does_not_answer_is_a_clear_error_naming_it_before_any_browser(
    tmp_path, app_home, capsys: pytest.CaptureFixture[str]
) -> None:
    from po_downloader.cli.main import main
    from tests.helpers.cli import run_args
    from tests.helpers.grid import free_port

    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO10000001\n", encoding="utf-8")
    profile = tmp_path / "profile"
    profile.mkdir()
    url = f"http://127.0.0.1:{free_port()}"
    code = main(run_args(sheet, tmp_path / "out", "http://127.0.0.1:9", profile, "--grid", url))
    out = capsys.readouterr()
    assert code == 2
    assert f"the Selenium Grid at {url} does not answer (ConnectError" in out.err
    assert "check --grid and that it runs" in out.err
    assert "downloading to" not in out.out
    log = (app_home / "state" / "logs" / "po-downloader.log").read_text()
    assert "copied profile" not in log, "no browser was started for the sign-in before the Grid answered"


def test_a_grid_url_with_credentials_is_refused_without_repeating_them(
    tmp_path, app_home, capsys: pytest.CaptureFixture[str]
) -> None:
    from po_downloader.cli.main import main
    from tests.helpers.cli import run_args

    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO10000001\n", encoding="utf-8")
    profile = tmp_path / "profile"
    profile.mkdir()
    code = main(
        run_args(
            sheet, tmp_path / "out", "http://127.0.0.1:9", profile, "--grid", "https://me:pw@grid.example"
        )
    )
    out = capsys.readouterr()
    assert code == 2
    assert "not a usable Selenium Grid address: https://grid.example" in out.err
    assert ":pw@" not in out.err + out.out
