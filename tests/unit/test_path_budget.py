"""Windows paths (issue 14, item 9): every path fits the OS's limit, and a file in use is waited for.

Pure tests for the budget; one PO fetched (stand-in portal of ``test_resume``, no browser) on a disk
that refuses, as Windows without long paths does, any path over 259 characters; the retry of a rename
that meets a sharing violation (``PermissionError`` with ``winerror`` 32, as Windows raises it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus, PoTask
from po_downloader.engine.output import downloads as downloads_module
from po_downloader.engine.output.downloads import in_use, place_download, retry_in_use
from po_downloader.engine.output.folders import (
    STAGED_FILE_UNITS,
    PathTooLong,
    check_staging_room,
    finalise_folder,
    make_work_folder,
)
from po_downloader.engine.output.naming import (
    MIN_NAME_ROOM,
    fit_component,
    in_name_family,
    name_room,
    numbered,
    supplier_room,
    unique_path,
)
from po_downloader.engine.run.fetch import FetchSettings
from po_downloader.engine.system.paths import PATH_LIMIT_ENV, WINDOWS_MAX_PATH, path_limit
from tests.helpers.fetcher import Portal, Tracker, make_fetcher

LIMIT = WINDOWS_MAX_PATH
LONG = "Relatório de inspeção técnica do fornecedor com anexos assinados e carimbados " * 2


def sharing_violation() -> PermissionError:
    exc = PermissionError(
        13, "The process cannot access the file because it is being used by another process"
    )
    exc.winerror = 32  # type: ignore[attr-defined]  # what Windows sets; absent elsewhere
    return exc


# ---------------------------------------------------------------- the budget, pure


def test_off_windows_there_is_no_limit_to_keep_to(monkeypatch: pytest.MonkeyPatch) -> None:
    if os.name == "nt":
        pytest.skip("the answer on Windows depends on the machine's long-path policy")
    monkeypatch.delenv(PATH_LIMIT_ENV, raising=False)
    assert path_limit() is None
    monkeypatch.setenv(PATH_LIMIT_ENV, "")
    assert path_limit() is None  # empty or not a number: the OS decides


def test_tests_can_make_a_batch_keep_to_the_windows_limit_on_any_os(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the browser test of item 9 sets: the worker processes inherit it."""
    monkeypatch.setenv(PATH_LIMIT_ENV, str(LIMIT))
    assert path_limit() == LIMIT
    assert FetchSettings(Path("root")).path_limit == LIMIT


def test_a_name_is_cut_to_its_room_keeping_its_extension() -> None:
    name = fit_component(LONG + ".pdf", 50)
    assert len(name) == 50 and name.endswith(".pdf") and name.startswith("Relatório")
    assert fit_component("short.pdf", 50) == "short.pdf"
    assert fit_component(LONG + ".pdf", None) == fit_component(LONG + ".pdf", 120)  # the usual 120


def test_numbered_names_fit_the_same_room_and_stay_in_the_family() -> None:
    name = fit_component(LONG + ".pdf", 50)
    second = numbered(name, 2, 50)
    assert len(second) <= 50 and second.endswith(" (2).pdf")
    assert in_name_family(second, name, 50)
    assert in_name_family(name, name, 50)
    assert not in_name_family(numbered("other.pdf", 2, 50), name, 50)
    assert in_name_family("report (2).pdf", "report.pdf") and in_name_family("REPORT (12).PDF", "report.pdf")
    assert not in_name_family("report (2).pdf.exe", "report.pdf")


def test_unique_path_keeps_the_number_within_the_room(tmp_path: Path) -> None:
    name = fit_component(LONG + ".pdf", 50)
    (tmp_path / name).write_bytes(b"1")
    second = unique_path(tmp_path, name, 50)
    assert second.name == numbered(name, 2, 50) and len(second.name) <= 50


def test_the_rooms_add_up_to_the_limit_with_the_longest_final_folder(tmp_path: Path) -> None:
    root = tmp_path / ("d" * 80)
    supplier = supplier_room(root, "PO12345678", LIMIT)
    assert supplier is not None
    supplier_dir = root / ("s" * supplier)
    room = name_room(supplier_dir, "PO12345678", LIMIT)
    assert room == MIN_NAME_ROOM
    longest = supplier_dir / "PO12345678_NO_ATTACHMENTS (99)" / ("n" * room)
    assert len(str(longest)) == LIMIT
    assert supplier_room(root, "PO1", None) is None and name_room(supplier_dir, "PO1", None) is None


def test_a_download_folder_too_deep_for_any_name_fails_clearly(tmp_path: Path) -> None:
    root = tmp_path / ("d" * (LIMIT - len(str(tmp_path)) - 60))
    with pytest.raises(PathTooLong, match="too deep") as caught:
        make_work_folder(root, "ACME", "PO1", LIMIT)
    assert not root.exists() or not any(root.iterdir())
    assert caught.value.kind is ErrorKind.ROOT_TOO_DEEP
    assert caught.value.details == {"root": str(root), "limit": str(LIMIT)}
    assert isinstance(caught.value, OSError)  # a disk's problem: callers catching OSError still see it


def test_a_po_under_a_download_folder_too_deep_fails_for_good_with_the_kind_to_word(tmp_path: Path) -> None:
    root = tmp_path / ("d" * (LIMIT - len(str(tmp_path)) - 60))
    result = fetch_with_limit(tmp_path, root, Portal({"a.pdf": b"A"}))
    assert (result.outcome.status, result.retryable) == (PoStatus.FAILED, False)
    assert result.outcome.message.startswith(f"the download folder {root} is too deep")  # the sheet's text
    assert result.outcome.kind is ErrorKind.ROOT_TOO_DEEP
    assert result.outcome.details == {"root": str(root), "limit": str(LIMIT)}


# ---------------------------------------------------------------- one PO on a disk that keeps to MAX_PATH


@pytest.fixture
def max_path_disk(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Renames and folder creations refuse a path over 259 characters, as on Windows without long paths;
    the refused paths are listed."""
    refused: list[str] = []
    real_replace, real_mkdir = os.replace, Path.mkdir

    def replace(src: Any, dst: Any, *a: Any, **kw: Any) -> None:
        if len(str(Path(dst).absolute())) > LIMIT:
            refused.append(str(dst))
            raise FileNotFoundError(3, "The system cannot find the path specified", str(dst))
        real_replace(src, dst, *a, **kw)

    def mkdir(self: Path, *a: Any, **kw: Any) -> None:
        if len(str(self.absolute())) > LIMIT:
            refused.append(str(self))
            raise FileNotFoundError(3, "The system cannot find the path specified", str(self))
        real_mkdir(self, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "mkdir", mkdir)
    return refused


def fetch_with_limit(tmp_path: Path, root: Path, portal: Portal) -> Any:
    staging = tmp_path / "staging"
    staging.mkdir(exist_ok=True)
    settings = FetchSettings(root, path_limit=LIMIT)
    fetcher = make_fetcher(portal, staging, root, Tracker(portal, staging), settings=settings)
    return fetcher.fetch(PoTask(PoNumber("12345678"), 1), lambda e: None)


class LongSupplier(Portal):
    def supplier(self) -> str:
        return "Companhia Brasileira de Distribuição de Materiais Elétricos e Hidráulicos Industriais Ltda."


def test_a_po_with_long_names_completes_with_every_path_within_the_limit(
    tmp_path: Path, max_path_disk: list[str]
) -> None:
    """root + supplier + ``PO…_COMPLETED`` + a 120-character name once passed 259: the rename failed,
    the PO was fetched three times and FAILED. Now the names are cut to fit, extensions kept, the two
    names that agree up to the cut kept apart, and nothing is refused."""
    root = tmp_path / "Users" / "maria.silva" / "OneDrive - Empresa" / "Downloads" / "Coupa"
    first, second = LONG[:110] + " A.pdf", LONG[:110] + " B.pdf"
    portal = LongSupplier({first: b"first", second: b"second", "short.msg": b"msg"})
    result = fetch_with_limit(tmp_path, root, portal)
    assert result.outcome.status is PoStatus.COMPLETED, result.outcome.message
    assert max_path_disk == []
    final = Path(result.outcome.folder)
    files = {p.name: p.read_bytes() for p in final.iterdir()}
    assert sorted(files.values()) == [b"first", b"msg", b"second"]
    assert files["short.msg"] == b"msg"
    for path in [final, *final.iterdir()]:
        assert len(str(path.absolute())) <= LIMIT, path
    for name in files:
        assert name.endswith((".pdf", ".msg"))


# ---------------------------------------------------------------- a file in use


def test_a_rename_that_meets_a_sharing_violation_is_tried_again_with_backoff() -> None:
    calls: list[int] = []
    slept: list[float] = []

    def held_twice() -> None:
        calls.append(1)
        if len(calls) <= 2:
            raise sharing_violation()

    retry_in_use(held_twice, delays=(0.1, 0.2, 0.4), sleep=slept.append)
    assert len(calls) == 3 and slept == [0.1, 0.2]


def test_a_lasting_violation_or_a_real_refusal_is_not_hidden() -> None:
    slept: list[float] = []

    def always(exc: OSError) -> Callable[[], None]:
        def op() -> None:
            raise exc

        return op

    with pytest.raises(PermissionError):
        retry_in_use(always(sharing_violation()), delays=(0.1, 0.2), sleep=slept.append)
    assert slept == [0.1, 0.2]
    slept.clear()
    with pytest.raises(PermissionError):  # no winerror: a real "permission denied", at once
        retry_in_use(always(PermissionError(13, "denied")), delays=(0.1,), sleep=slept.append)
    assert slept == []
    assert in_use(sharing_violation()) and not in_use(PermissionError(13, "denied"))


@pytest.fixture
def held_then_free(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The first two renames of each source fail as if an antivirus held a file; no real waiting."""
    monkeypatch.setattr(downloads_module, "IN_USE_DELAYS", (0.0, 0.0, 0.0))
    tries: dict[str, int] = {}
    failed: list[str] = []
    real_replace = os.replace

    def replace(src: Any, dst: Any, *a: Any, **kw: Any) -> None:
        tries[str(src)] = tries.get(str(src), 0) + 1
        if tries[str(src)] <= 2:
            failed.append(Path(src).name)
            raise sharing_violation()
        real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)
    return failed


def test_the_work_folder_is_renamed_once_the_file_is_let_go(
    tmp_path: Path, held_then_free: list[str]
) -> None:
    work = tmp_path / "ACME" / "PO1__WORK"
    work.mkdir(parents=True)
    (work / "a.pdf").write_bytes(b"a")
    final = finalise_folder(work, "PO1", PoStatus.COMPLETED)
    assert final.name == "PO1_COMPLETED" and (final / "a.pdf").read_bytes() == b"a"
    assert not work.exists()
    assert held_then_free == ["PO1__WORK", "PO1__WORK"]


def test_a_download_moved_in_while_held_arrives_whole(tmp_path: Path, held_then_free: list[str]) -> None:
    staged = tmp_path / "staged.pdf"
    staged.write_bytes(b"x")
    folder = tmp_path / "PO1__WORK"
    folder.mkdir()
    placed = place_download(staged, folder, "a.pdf")
    assert placed.path == folder / "a.pdf" and placed.path.read_bytes() == b"x" and not staged.exists()


def test_a_po_whose_work_folder_is_held_a_while_completes_and_leaves_no_work_folder(
    tmp_path: Path, held_then_free: list[str]
) -> None:
    root = tmp_path / "root"
    portal = Portal({"a.pdf": b"A"})
    result = fetch_with_limit(tmp_path, root, portal)
    assert result.outcome.status is PoStatus.COMPLETED, result.outcome.message
    assert "PO12345678__WORK" in held_then_free
    assert [p.name for p in (root / "ACME").iterdir()] == ["PO12345678_COMPLETED"]


def test_a_work_folder_held_for_good_fails_the_po_for_a_retry_naming_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every rename of the work folder meets a sharing violation: the files stay in it for the next
    attempt, and the outcome says which folder and why, for the edges to word."""
    monkeypatch.setattr(downloads_module, "IN_USE_DELAYS", (0.0,))
    real_replace = os.replace

    def replace(src: Any, dst: Any, *a: Any, **kw: Any) -> None:
        if Path(src).name.endswith("__WORK"):
            raise sharing_violation()
        real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)
    root = tmp_path / "root"
    result = fetch_with_limit(tmp_path, root, Portal({"a.pdf": b"A"}))
    o = result.outcome
    assert (o.status, result.retryable) == (PoStatus.FAILED, True)
    assert o.message == (
        f"PO12345678__WORK could not be renamed: another program holds a file in it ({sharing_violation()})"
    )
    assert o.kind is ErrorKind.FOLDER_HELD
    assert o.details == {"name": "PO12345678__WORK", "detail": str(sharing_violation())}
    assert (root / "ACME" / "PO12345678__WORK" / "a.pdf").read_bytes() == b"A"


def test_the_browsers_staging_folder_must_leave_room_for_a_download_in_it(tmp_path: Path) -> None:
    root = tmp_path / "root"
    fits = root / ("s" * (LIMIT - len(str(root.absolute())) - 1 - STAGED_FILE_UNITS))
    check_staging_room(fits, root, LIMIT)  # <guid>.crdownload ends exactly at the limit
    check_staging_room(fits / "x", root, None)  # no limit: nothing to keep to
    with pytest.raises(PathTooLong, match="too deep .*choose a shorter download folder") as caught:
        check_staging_room(Path(f"{fits}x"), root, LIMIT)
    assert caught.value.kind is ErrorKind.ROOT_TOO_DEEP_FOR_DOWNLOADS
    assert caught.value.details == {"root": str(root), "limit": str(LIMIT)}
