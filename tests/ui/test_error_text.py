"""The window words engine errors itself, in the user's language."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from po_downloader.cli import messages
from po_downloader.engine.errors import ErrorKind, PoDownloaderError
from po_downloader.engine.run.batch import make_controller
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import validate_base_url
from po_downloader.ui import error_text
from po_downloader.ui.main_window import MainWindow
from tests.helpers.batch import settings_for
from tests.helpers.fake_worker import FakeWorker
from tests.helpers.window import load_sheet, window_with_sheet

pytestmark = pytest.mark.timeout(120)

FIELD = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("kind", list(ErrorKind), ids=str)
def test_every_kind_has_window_text_asking_only_for_details_the_cli_uses(kind: ErrorKind) -> None:
    """A field the CLI never fills would be a detail the engine may not send: it would show as "?"."""
    text = error_text.TEXT[kind]
    assert text.strip()
    assert set(FIELD.findall(text)) <= set(FIELD.findall(messages.TEXT[kind]))


def test_the_window_has_no_text_for_kinds_that_do_not_exist() -> None:
    assert set(error_text.TEXT) == set(ErrorKind)


def test_an_exception_that_is_not_ours_shows_as_is(qapp: QApplication) -> None:
    assert error_text.error_text(RuntimeError("boom")) == "boom"
    ours = PoDownloaderError(ErrorKind.SHEET_NOT_FOUND, "english for logs", path="/x.csv")
    assert error_text.error_text(ours) == "file not found: /x.csv"


def test_a_setting_name_is_the_windows_own_label(qapp: QApplication) -> None:
    shown = error_text.kind_text(ErrorKind.TIMEOUT_NOT_POSITIVE, {"setting": "page timeout"})
    assert shown == "the page load time limit must be more than zero"


def test_a_bad_sheet_is_explained_in_portuguese(qtbot, tmp_path: Path, app_home: Path, portuguese) -> None:
    window = MainWindow(app_dirs())
    qtbot.addWidget(window)
    notes = tmp_path / "notas.txt"
    notes.write_text("nothing", encoding="utf-8")
    assert not load_sheet(qtbot, window, notes)
    text = window.drop_zone.summary_text()
    assert "“notas.txt” não é um tipo de arquivo aceito" in text, text
    assert "not a supported" not in text
    window.log_panel.detach()


@pytest.mark.expect_log("po_downloader.ui.main_window", r"worker \d+: bad selectors")
def test_a_worker_config_error_ends_the_batch_with_portuguese_text(
    qtbot, tmp_path: Path, app_home: Path, portuguese
) -> None:
    factory = functools.partial(make_controller, worker_target=FakeWorker(start="config"))
    window = MainWindow(app_dirs(), controller_factory=factory)
    qtbot.addWidget(window)
    profile = tmp_path / "profile"
    profile.mkdir()
    window.settings = settings_for("http://127.0.0.1:9", profile, tmp_path / "out")
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO10000001\nPO10000002\n", encoding="utf-8")
    assert load_sheet(qtbot, window, sheet)
    finished: list[str] = []
    window.batch_finished.connect(finished.append)
    window.launcher.start()
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    # FakeWorker(start="config") reports SELECTORS_BAD_VALUE for the key po_url
    assert "a chave de seletores “po_url” deve ser uma lista de textos não vazios" in finished[0], finished[0]
    assert "bad selectors" not in finished[0]  # the engine's English stays in the log
    window.log_panel.detach()


@pytest.mark.expect_log("po_downloader.ui.main_window", r"worker \d+: not signed in")
def test_a_signed_out_profile_asks_to_sign_in_in_portuguese(
    qtbot, tmp_path: Path, app_home: Path, portuguese
) -> None:
    factory = functools.partial(make_controller, worker_target=FakeWorker(start="signin"))
    window = window_with_sheet(qtbot, tmp_path, ["10000001"], factory)
    window.launcher.start()
    qtbot.waitUntil(window.sign_in_banner.isVisible, timeout=60_000)
    assert "o perfil do navegador não está conectado ao Coupa" in window.sign_in_banner.label.text()
    window.session.stop()
    qtbot.waitUntil(lambda: not window.session.running, timeout=60_000)
    window.log_panel.detach()


def test_what_a_selectors_value_must_be_is_in_portuguese(portuguese) -> None:
    shown = error_text.kind_text(ErrorKind.SELECTORS_BAD_VALUE, {"key": "po_url", "expected": "po_url"})
    assert shown == (
        "a chave de seletores “po_url” deve ser um texto com exatamente os marcadores {base_url} e {digits}"
    )
    shown = error_text.kind_text(ErrorKind.SELECTORS_BAD_VALUE, {"key": "sign_in", "expected": "object"})
    assert (
        shown
        == "a chave de seletores “sign_in” deve ser um objeto com as chaves do selectors.json incluído no programa"
    )


def test_a_refused_address_is_explained_in_portuguese_without_its_password(portuguese) -> None:
    problem = validate_base_url("https://jdoe:Hunter2pw@acme.coupahost.com")
    assert problem is not None
    shown = error_text.error_text(problem)
    assert shown.startswith(
        "o endereço do Coupa não deve conter usuário nem senha: informe https://acme.coupahost.com "
    )
    assert "Hunter2pw" not in shown
