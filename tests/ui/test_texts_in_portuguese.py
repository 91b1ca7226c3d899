"""Texts right in both languages: plural forms, the engine's words worded by the window, and numbers,
sizes and dates in the user's locale (issue 18, item 6)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from po_downloader.engine import events as ev
from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.outcome import GAVE_UP_AFTER, PoOutcome
from po_downloader.ui.i18n import local_datetime
from po_downloader.ui.outcome_words import outcome_words
from po_downloader.ui.task_model import TaskTableModel, human_size, shown_message, table_rows
from po_downloader.ui.worker_controls import WorkerControls
from tests.helpers.window import make_window, run_to_end, statuses

#: Words of the engine's and the window's English that Portuguese text never holds.
ENGLISH = re.compile(
    r"\b(the|not|after|attempts?|stopped|completed|failed|found|processed|retry|sign|files?|need|done|"
    r"left|could|cannot|folder|waiting|checked|gave|asked|again|error|portal|page|rows?)\b",
    re.IGNORECASE,
)
HELD = {"name": "PO10000001__WORK", "detail": "in use"}


def _model(n: int = 1) -> TaskTableModel:
    model = TaskTableModel()
    model.set_rows(table_rows(PoNumber(str(10000001 + i)) for i in range(n)))
    return model


def test_the_english_window_counts_in_english_plurals(qtbot) -> None:
    controls = WorkerControls(1)
    qtbot.addWidget(controls)
    assert controls.count_label.text() == "1 worker"
    controls.slider.setValue(2)
    assert controls.count_label.text() == "2 workers"
    given_up = PoOutcome(PoStatus.FAILED, kind=ErrorKind.FOLDER_HELD, details={**HELD, GAVE_UP_AFTER: "1"})
    assert shown_message(given_up).startswith("gave up after 1 attempt: ")
    many = PoOutcome(PoStatus.FAILED, kind=ErrorKind.FOLDER_HELD, details={**HELD, GAVE_UP_AFTER: "3"})
    assert shown_message(many).startswith("gave up after 3 attempts: ")


def test_the_portuguese_window_counts_in_portuguese_plurals(qtbot, portuguese) -> None:
    controls = WorkerControls(1)
    qtbot.addWidget(controls)
    assert controls.count_label.text() == "1 navegador"
    controls.slider.setValue(2)
    assert controls.count_label.text() == "2 navegadores"
    from po_downloader.ui.sheet_summary import SheetSummary

    words = SheetSummary()
    assert words.tr("%n duplicate rows", "", 1) == "1 linha duplicada"
    assert words.tr("%n duplicate rows", "", 2) == "2 linhas duplicadas"


def test_sizes_and_dates_in_the_users_locale(portuguese) -> None:
    assert human_size(1536 * 1024) == "1,5 MB"
    assert human_size(512) == "512 B"
    moment = datetime(2026, 3, 7, 14, 5, tzinfo=UTC).astimezone()
    local = moment.replace(tzinfo=None)
    assert local_datetime(moment) == f"{local:%d/%m/%Y %H:%M}"


def test_sizes_and_dates_in_english(qapp) -> None:
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    try:
        assert human_size(1536 * 1024) == "1.5 MB"
        moment = datetime(2026, 3, 7, 14, 5, tzinfo=UTC).astimezone()
        assert local_datetime(moment).startswith(f"{moment.month}/{moment.day}/26")
    finally:
        QLocale.setDefault(before)


def test_the_engines_english_reasons_are_worded_by_the_window_in_portuguese(portuguese) -> None:
    model = _model(4)
    p = [PoNumber(str(10000001 + i)) for i in range(4)]
    model.apply(
        [
            ev.PoRetrying(1, p[0], 2, 4.0, "held", ErrorKind.FOLDER_HELD, HELD),
            ev.PoRetrying(1, p[1], 2, 4.0, "portal error: HTTP 500"),
            ev.PoRequeued(1, p[2], PoStatus.SIGN_IN_REQUIRED, "Coupa asked to sign in again"),
            ev.PoLeftOver(0, p[3], PoStatus.PENDING, "not processed: the batch was stopped"),
            ev.FileFailed(1, p[3], "a.pdf", "never arrived"),
        ]
    )
    messages = [model.row(i).outcome.message for i in range(4)]
    assert messages[0].startswith("Tentativa 2 em 4s: ")
    assert messages[1] == "Tentativa 2 em 4s"  # the English reason stays in the log
    assert messages[2] == "o Coupa pediu para entrar de novo"
    assert messages[3] == "não processado: o lote foi parado; a.pdf: não salvo"
    given_up = PoOutcome(PoStatus.FAILED, kind=ErrorKind.FOLDER_HELD, details={**HELD, GAVE_UP_AFTER: "3"})
    assert shown_message(given_up).startswith("desistiu após 3 tentativas: ")
    for text in [*messages, shown_message(given_up), outcome_words().left_over(PoStatus.SIGN_IN_REQUIRED)]:
        assert not ENGLISH.search(text), text


def test_a_portuguese_window_through_a_batch_with_failures_shows_no_english(
    qtbot, tmp_path: Path, app_home: Path, portuguese
) -> None:
    """Scripted workers (no browser): a PO given up with a kind after retries, one not found, one with no
    attachments, the rest completed; the table's status and message cells, the banner, the stats line and
    the tray's summary are all in Portuguese."""
    script = {"10000001": ["held"], "10000002": ["notfound"], "10000003": ["empty"]}
    window = make_window(qtbot, tmp_path, script)
    finished: list[str] = []
    window.batch_finished.connect(finished.append)
    run_to_end(qtbot, window, window.start_button.click)
    assert statuses(window)[:3] == [PoStatus.FAILED, PoStatus.PO_NOT_FOUND, PoStatus.NO_ATTACHMENTS]
    model = window.model
    cells = [
        model.index(r, c).data()
        for r in range(model.rowCount())
        for c in (TaskTableModel.STATUS, TaskTableModel.MESSAGE)
    ]
    assert cells[1].startswith("desistiu após 3 tentativas: "), cells[1]
    qtbot.waitUntil(lambda: bool(finished))
    shown = [
        *cells,
        window.finish_banner.label.text(),
        window.stats_label.text(),
        window.drop_zone.summary_text(),
        finished[0],
    ]
    english = [text for text in shown if text and ENGLISH.search(text.replace("pos.csv", ""))]
    assert not english, english
    assert "6 POs: 3 concluídos" in finished[0]


#: A PO's outcomes as the engine ends them (kind, details, and the English ``message`` of the results sheet).
OUTCOMES = [
    PoOutcome(
        PoStatus.PARTIAL,
        message="missing 1 of 3: b.pdf: HTTP 500",
        kind=ErrorKind.FILES_MISSING,
        details={"missing": "1", "total": "3", "names": "b.pdf"},
    ),
    PoOutcome(
        PoStatus.FAILED,
        message="portal error: HTTP 502",
        kind=ErrorKind.PORTAL_ERROR_PAGE,
        details={"detail": "HTTP 502"},
    ),
    PoOutcome(
        PoStatus.FAILED,
        message="could not confirm the attachments list: no proof within 8 s",
        kind=ErrorKind.LIST_UNCONFIRMED,
        details={"detail": "no proof within 8 s"},
    ),
    PoOutcome(
        PoStatus.FAILED,
        message="the page changed while its attachments were read",
        kind=ErrorKind.PAGE_CHANGED,
    ),
    PoOutcome(
        PoStatus.FAILED,
        message="proxy.corp answered HTTP 403 (no Coupa frame)",
        kind=ErrorKind.PAGE_NOT_COUPAS,
        details={"detail": "proxy.corp answered HTTP 403 (no Coupa frame)"},
    ),
    PoOutcome(PoStatus.PO_NOT_FOUND, message="PO not found", kind=ErrorKind.PO_NOT_FOUND),
    PoOutcome(PoStatus.NO_ACCESS, message="not authorised", kind=ErrorKind.PO_NO_ACCESS),
]


def test_a_pos_outcome_is_worded_by_the_portuguese_window_from_its_kind(portuguese) -> None:
    shown = [shown_message(o) for o in OUTCOMES]
    assert shown[0] == "arquivos não salvos: 1 de 3 (b.pdf)"
    assert shown[1] == "o Coupa mostrou um erro: HTTP 502"
    for text in shown:
        assert not ENGLISH.search(text), text
    given_up = replace(OUTCOMES[1], details={**OUTCOMES[1].details, GAVE_UP_AFTER: "2"})
    assert shown_message(given_up) == "desistiu após 2 tentativas: o Coupa mostrou um erro: HTTP 502"


def test_the_english_window_shows_the_engines_own_sentence_with_its_detail(qapp) -> None:
    assert [shown_message(o) for o in OUTCOMES] == [o.message for o in OUTCOMES]


def test_the_governors_reason_is_worded_in_portuguese(portuguese) -> None:
    controls = WorkerControls(4)
    words = outcome_words()
    reason = "other programs' CPU 93% > 80%: running 2 of 4 workers"
    controls.show_governor(2, 4, words.governor(reason, "cpu", 93.4))
    assert controls.governor_label.text() == "Usando 2 de 4 navegadores: outros programas usam 93% da CPU"
    controls.show_governor(3, 4, words.governor("memory 95% > 90%: running 3 of 4 workers", "memory", 95.0))
    assert controls.governor_label.text().endswith("a memória está 95% ocupada")
    controls.show_governor(3, 4, words.governor("CPU 20%, memory 40%: recovering", "recovering", 20.0))
    assert not ENGLISH.search(controls.governor_label.text())


def test_the_english_window_says_the_governors_cause_once(qapp) -> None:
    """The engine's reason repeats "running 2 of 4 workers", which the label already says."""
    controls = WorkerControls(4)
    reason = "other programs' CPU 93% > 80%: running 2 of 4 workers"
    controls.show_governor(2, 4, outcome_words().governor(reason, "cpu", 93.4))
    assert controls.governor_label.text() == "Running 2 of 4 workers: other programs use 93% of the CPU"
    assert outcome_words().governor("set by a test", "", 0.0) == "set by a test"
