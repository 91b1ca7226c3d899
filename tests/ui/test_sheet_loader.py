"""Reading a chosen sheet off the GUI thread (a coroutine on the qasync loop): the plan or the error, and
only the latest sheet counts."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from po_downloader.engine.input.plan import BatchPlan
from po_downloader.engine.input.sheet import SheetError
from po_downloader.ui import sheet_loader
from po_downloader.ui.sheet_loader import SheetLoader, read_and_plan


def _csv(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_a_good_sheet_is_read_on_a_worker_thread_and_planned(qtbot, tmp_path: Path, monkeypatch) -> None:
    threads: list[bool] = []
    real = sheet_loader.read_sheet

    def spy(path: Path, **kw: Any):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(path, **kw)

    monkeypatch.setattr(sheet_loader, "read_sheet", spy)
    loader = SheetLoader()
    path = _csv(tmp_path, "pos.csv", "PO_NUMBER\nPO10000001\nPO10000002\nPO10000001\n")
    with qtbot.waitSignal(loader.loaded, timeout=10_000) as loaded:
        loader.load(path)
        assert loader.busy
    got_path, plan = loaded.args
    assert got_path == path and [po.display for po in plan.pos] == ["PO10000001", "PO10000002"]
    assert threads == [False]
    assert not loader.busy


def test_a_sheet_without_a_po_column_fails_with_the_reason(qtbot, tmp_path: Path) -> None:
    loader = SheetLoader()
    path = _csv(tmp_path, "names.csv", "Name,Amount\nAlice,3\n")
    with qtbot.waitSignal(loader.failed, timeout=10_000) as failed:
        loader.load(path)
    assert failed.args[0] == path and isinstance(failed.args[1], SheetError)
    assert not loader.busy


def test_only_the_latest_sheet_chosen_is_reported(qtbot, tmp_path: Path) -> None:
    release = threading.Event()
    slow, fast = (
        _csv(tmp_path, "slow.csv", "PO\nPO10000001\n"),
        _csv(tmp_path, "fast.csv", "PO\nPO10000002\n"),
    )

    def reader(path: Path) -> BatchPlan:
        if path == slow:
            release.wait(10)
        return read_and_plan(path)

    loader = SheetLoader(reader=reader)
    reported: list[Path] = []
    loader.loaded.connect(lambda path, _plan: reported.append(path))
    loader.load(slow)
    with qtbot.waitSignal(loader.loaded, timeout=10_000):
        loader.load(fast)
    assert not loader.busy
    release.set()
    qtbot.wait(300)  # the slow read finishes now; its answer must be dropped
    assert reported == [fast]
    assert not loader.busy


def test_the_table_rows_are_built_on_the_reading_thread_too(qtbot, tmp_path: Path, monkeypatch) -> None:
    """A 100 000-row sheet's rows and index took most of a second: the GUI thread only adopts them."""
    built_on_main: list[bool] = []
    real = sheet_loader.table_rows

    def spy(pos):
        built_on_main.append(threading.current_thread() is threading.main_thread())
        return real(pos)

    monkeypatch.setattr(sheet_loader, "table_rows", spy)
    loader = SheetLoader()
    path = _csv(tmp_path, "pos.csv", "PO_NUMBER\nPO10000001\nPO10000002\n")
    with qtbot.waitSignal(loader.loaded, timeout=10_000) as loaded:
        loader.load(path)
    _, plan = loaded.args
    rows = loader.rows_for(plan)
    assert built_on_main == [False]
    assert [r.po.display for r in rows.rows] == ["PO10000001", "PO10000002"]
    assert rows.index == {r.po: i for i, r in enumerate(rows.rows)}
    # Rows are handed over once and only for their own plan: any other plan gets rows built for it.
    again = loader.rows_for(plan)
    assert again is not rows and [r.po for r in again.rows] == [r.po for r in rows.rows]
