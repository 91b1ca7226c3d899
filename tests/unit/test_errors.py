"""Errors carry a kind and the data to word it; the engine writes no front end's sentence."""

from __future__ import annotations

import io
import pickle
import re
from pathlib import Path

import pytest

from po_downloader.cli import messages
from po_downloader.cli.main import main
from po_downloader.cli.progress import TerminalProgress
from po_downloader.engine import events as ev
from po_downloader.engine.browser.launch import BrowserError
from po_downloader.engine.browser.profile_copy import ProfileCopyError, SourceProfile, copy_profile
from po_downloader.engine.browser.selectors import SelectorsError
from po_downloader.engine.errors import ErrorKind, PoDownloaderError, fill
from po_downloader.engine.input.sheet import SheetError, read_sheet
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import PoOutcome
from po_downloader.engine.output.folders import FolderError, PathTooLong, UnsafeFolder, make_work_folder
from po_downloader.engine.output.results import ResultsLockedError, results_path_for
from po_downloader.engine.run.batch import ConfigError, worker_config
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import Settings

ENGINE = Path(__file__).resolve().parents[2] / "po_downloader" / "engine"
FIELD = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("kind", list(ErrorKind), ids=str)
def test_every_kind_has_cli_text(kind: ErrorKind) -> None:
    text = messages.TEXT[kind]
    assert text.strip()
    assert "{" not in messages.describe(kind, dict.fromkeys(FIELD.findall(text), "x")), (
        "a field was not filled"
    )


def test_the_cli_has_no_text_for_kinds_that_do_not_exist() -> None:
    assert set(messages.TEXT) == set(ErrorKind)


def test_a_missing_detail_shows_as_a_question_mark() -> None:
    assert fill("cannot read '{name}': {detail}", {"name": "a.csv"}) == "cannot read 'a.csv': ?"


@pytest.mark.parametrize(
    "error",
    [
        SheetError(ErrorKind.SHEET_NOT_FOUND, "file not found: /x.csv", path="/x.csv"),
        ResultsLockedError(Path("/out/r.xlsx"), "Permission denied"),
        BrowserError(ErrorKind.BROWSER_START_FAILED, "could not start Chromium: boom", browser="Chromium"),
        ConfigError(
            ErrorKind.SETTINGS_INVALID,
            "no URL",
            problems=[PoDownloaderError(ErrorKind.NO_BASE_URL, "no URL")],
        ),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle_with_their_kind_and_details(error: PoDownloaderError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.kind, copy.details, str(copy)) == (error.kind, error.details, str(error))
    assert [p.kind for p in copy.problems] == [p.kind for p in error.problems]


def test_results_locked_keeps_its_path() -> None:
    error = ResultsLockedError(Path("/out/r.xlsx"), "Permission denied")
    assert error.kind is ErrorKind.RESULTS_LOCKED
    assert error.path == Path("/out/r.xlsx")
    assert error.details["detail"] == "Permission denied"


def test_kinds_say_whether_signing_in_or_a_setting_is_the_cure() -> None:
    assert {k for k in ErrorKind if k.needs_sign_in} == {
        ErrorKind.NOT_SIGNED_IN,
        ErrorKind.SESSION_EXPIRED,
        ErrorKind.SIGN_IN_DID_NOT_TAKE,
        ErrorKind.GRID_NOT_SIGNED_IN,
    }
    # What a worker met at start that every other worker would meet too ends the batch at once...
    for kind in (ErrorKind.SELECTORS_BAD_VALUE, ErrorKind.PROFILE_NO_COOKIES, ErrorKind.DRIVER_NOT_FOUND):
        assert kind.is_config
    # ...what may pass (a busy machine, a stale lock) lets the controller try other workers.
    for kind in (
        ErrorKind.PROFILE_IN_USE,
        ErrorKind.BROWSER_START_FAILED,
        ErrorKind.PORTAL_TIMEOUT,
        ErrorKind.WORKER_CRASHED,
    ):
        assert not kind.is_config and not kind.needs_sign_in


def test_the_engine_names_no_cli_command_or_flag() -> None:
    offenders = [
        f"{path.relative_to(ENGINE)}: {needle}"
        for path in ENGINE.rglob("*.py")
        for needle in ("po-downloader sign-in", r"--profile-dir\b(?!ectory)", "--base-url", "--results")
        if re.search(needle, path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_engine_errors_carry_kinds_and_details(tmp_path: Path) -> None:
    with pytest.raises(SheetError) as sheet:
        read_sheet(tmp_path / "notes.txt")
    assert sheet.value.kind is ErrorKind.SHEET_UNSUPPORTED_TYPE
    assert sheet.value.details["name"] == "notes.txt" and ".csv" in sheet.value.details["suffixes"]

    with pytest.raises(SheetError) as results:
        results_path_for(tmp_path / "in.csv", tmp_path / "in.csv")
    assert results.value.kind is ErrorKind.RESULTS_OVERWRITES_INPUT

    with pytest.raises(ProfileCopyError) as profile:
        copy_profile(SourceProfile(tmp_path / "nothing", own=False), tmp_path / "copy")
    assert profile.value.kind is ErrorKind.PROFILE_NOT_FOUND and profile.value.kind.is_config
    assert isinstance(profile.value, PoDownloaderError)
    assert issubclass(SelectorsError, PoDownloaderError)


def test_missing_profiles_are_told_apart(tmp_path: Path, app_home: Path) -> None:
    dirs = app_dirs()
    settings = Settings(base_url="https://acme.coupahost.com", download_root=str(tmp_path / "out"))
    with pytest.raises(ConfigError) as own:
        worker_config(settings, dirs)
    assert own.value.kind is ErrorKind.NO_SIGN_IN_PROFILE
    assert "sign-in" in messages.error_message(own.value)  # the CLI points at its own command

    (tmp_path / "gone").mkdir()
    chosen = settings.with_(profile_dir=str(tmp_path / "gone"))
    (tmp_path / "gone").rmdir()
    with pytest.raises(ConfigError) as settings_error:
        worker_config(chosen, dirs)
    assert settings_error.value.kind is ErrorKind.SETTINGS_INVALID
    assert [p.kind for p in settings_error.value.problems] == [ErrorKind.PROFILE_DIR_NOT_FOUND]
    assert "--profile-dir" in messages.error_message(settings_error.value)


def test_several_problems_are_worded_one_by_one() -> None:
    error = ConfigError(
        ErrorKind.SETTINGS_INVALID,
        "english",
        problems=[
            PoDownloaderError(ErrorKind.NO_BASE_URL, "x"),
            PoDownloaderError(ErrorKind.ATTEMPTS_TOO_FEW, "y"),
        ],
    )
    assert messages.error_message(error) == (
        f"{messages.TEXT[ErrorKind.NO_BASE_URL]}; {messages.TEXT[ErrorKind.ATTEMPTS_TOO_FEW]}"
    )


def test_the_cli_prints_its_own_wording(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO10000001\n", encoding="utf-8")
    code = main(["--dev-dir", str(tmp_path / "home"), "run", str(sheet), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "no Coupa URL configured: pass --base-url" in err  # the CLI's sentence, naming its own flag


def test_worker_errors_on_the_terminal_are_the_clis_sentences() -> None:
    out = io.StringIO()
    progress = TerminalProgress(1, out)
    progress(ev.WorkerError(2, "english for logs", ErrorKind.NOT_SIGNED_IN))
    progress(ev.WorkerError(3, "english", ErrorKind.PROFILE_IN_USE, {"path": "/p/w3"}))
    printed = out.getvalue().splitlines()
    assert printed[0] == f"worker 2: {messages.TEXT[ErrorKind.NOT_SIGNED_IN]}"
    assert "po-downloader sign-in" in printed[0]
    assert printed[1] == "worker 3: the profile copy /p/w3 is in use by another browser"


def test_the_cli_words_a_po_folders_kinds_as_the_results_sheet_reads_them(tmp_path: Path) -> None:
    """The terminal's line for a PO that failed on its folder is the English the sheet and the logs carry."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "ACME").symlink_to(tmp_path, target_is_directory=True)
    (root / "Beta").write_bytes(b"not a folder")
    raised: list[FolderError] = [PathTooLong.under(root, 259), PathTooLong.under(root, 259, staging=True)]
    for supplier in ("ACME", "Beta"):
        with pytest.raises(UnsafeFolder) as caught:
            make_work_folder(root, supplier, "PO1")
        raised.append(caught.value)
    assert {e.kind for e in raised} == {
        ErrorKind.ROOT_TOO_DEEP,
        ErrorKind.ROOT_TOO_DEEP_FOR_DOWNLOADS,
        ErrorKind.FOLDER_IS_LINK,
        ErrorKind.FOLDER_IS_FILE,
    }
    for error in raised:
        assert messages.describe(error.kind, error.details) == str(error)


def test_a_finished_pos_kind_is_worded_by_the_cli() -> None:
    out = io.StringIO()
    progress = TerminalProgress(1, out)
    held = {"name": "PO1__WORK", "detail": "in use"}
    outcome = PoOutcome(PoStatus.FAILED, message="english", kind=ErrorKind.FOLDER_HELD, details=held)
    progress(ev.PoFinished(1, PoNumber("1"), outcome))
    assert (
        out.getvalue()
        .rstrip()
        .endswith("PO1__WORK could not be renamed: another program holds a file in it (in use)")
    )


def test_sign_in_refusals_are_the_clis_sentences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(tmp_path / "home")
    assert main(["--dev-dir", home, "sign-in", "--base-url", "ftp://acme.coupahost.com"]) == 2
    assert "not a web address: 'ftp://acme.coupahost.com' (pass --base-url" in capsys.readouterr().err

    url = "https://acme.coupahost.com"
    assert main(["--dev-dir", home, "sign-in", "--base-url", url, "--profile-dir", str(tmp_path)]) == 2
    assert messages.TEXT[ErrorKind.SIGN_IN_WITH_OWN_BROWSER] in capsys.readouterr().err


def test_results_warnings_during_a_batch_are_worded_by_the_cli() -> None:
    locked = ResultsLockedError(Path("/out/pos_results.xlsx"), "Permission denied")
    assert messages.error_message(locked).startswith(
        "cannot write the results file '/out/pos_results.xlsx' (Permission denied): it is open in another program"
    )
    assert (
        messages.error_message(OSError(28, "No space left on device")) == "[Errno 28] No space left on device"
    )
