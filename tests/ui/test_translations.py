"""The Brazilian Portuguese translation: complete, placeholder-safe, loadable, and in sync with the code."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from po_downloader.ui import i18n

ROOT = Path(__file__).resolve().parents[2]
UI_DIR = ROOT / "po_downloader" / "ui"
TS_FILE = ROOT / "resources" / "i18n" / "po_downloader_pt_BR.ts"
BIN_DIR = Path(sys.executable).parent

# Python-format fields ({n}, {rate:.1f}) and Qt's %1..%99 markers: both are filled in after translation.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d{1,2}")
# Punctuation that carries meaning in the UI: "…" opens a dialog, ":" labels a field, "?" asks.
MEANINGFUL_ENDINGS = ("…", ":", "?")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translations: tuple[str, ...]  # one text, or every plural form of a numerus message
    finished: bool


def read_ts(path: Path) -> list[Message]:
    """Every message of a .ts file, obsolete/vanished ones included (lrelease drops those)."""
    root = ET.parse(path).getroot()
    messages = []
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{name}: {message.findtext('source')!r} has no <translation>"
            forms = translation.findall("numerusform")
            texts = tuple(f.text or "" for f in forms) if forms else (translation.text or "",)
            messages.append(
                Message(name, message.findtext("source", ""), texts, translation.get("type") is None)
            )
    return messages


def tool(name: str) -> Path:
    path = BIN_DIR / name
    assert path.exists(), f"{name} not found next to {sys.executable}: is PySide6 installed in this env?"
    return path


def compile_ts(ts: Path, qm: Path) -> str:
    result = subprocess.run(
        [str(tool("pyside6-lrelease")), str(ts), "-qm", str(qm)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def messages() -> list[Message]:
    return read_ts(TS_FILE)


@pytest.fixture
def installed(qapp: QApplication) -> Iterator[list[QTranslator]]:
    """Translators a test installs; removed afterwards so other tests see the source language."""
    translators: list[QTranslator] = []
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)
        translator.deleteLater()


def test_the_file_declares_its_languages() -> None:
    root = ET.parse(TS_FILE).getroot()
    assert root.tag == "TS"
    assert root.get("language") == "pt_BR"
    assert root.get("sourcelanguage") == "en"


def test_every_message_is_translated_and_finished(messages: list[Message]) -> None:
    assert len(messages) > 100  # the file was parsed, not silently empty
    untranslated = [
        (m.context, m.source)
        for m in messages
        if not m.finished or not all(t.strip() for t in m.translations)
    ]
    assert not untranslated, f"unfinished or empty translations: {untranslated}"


def test_translations_keep_placeholders_spacing_and_punctuation(messages: list[Message]) -> None:
    problems = []
    for m in messages:
        wanted = sorted(PLACEHOLDER.findall(m.source))
        for text in m.translations:
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"{m.context}: {m.source!r} -> {text!r}: placeholders differ")
            if m.source.count("&") != text.count("&"):
                problems.append(f"{m.context}: {m.source!r} -> {text!r}: accelerators differ")
            if len(m.source) - len(m.source.lstrip()) != len(text) - len(text.lstrip()) or (
                len(m.source) - len(m.source.rstrip()) != len(text) - len(text.rstrip())
            ):
                problems.append(f"{m.context}: {m.source!r} -> {text!r}: leading/trailing spaces differ")
            if m.source.count("\n") != text.count("\n"):
                problems.append(f"{m.context}: {m.source!r} -> {text!r}: line breaks differ")
            for ending in MEANINGFUL_ENDINGS:
                if m.source.endswith(ending) != text.endswith(ending):
                    problems.append(f"{m.context}: {m.source!r} -> {text!r}: ending {ending!r} differs")
    assert not problems, "\n".join(problems)


def test_placeholder_check_catches_a_translated_field_name() -> None:
    """Guards the regex above: a translator who renames {n} or drops %2 must be caught."""
    assert sorted(PLACEHOLDER.findall("{n} concluídos")) == sorted(PLACEHOLDER.findall("{n} completed"))
    assert PLACEHOLDER.findall("{rate:.1f} POs/min") == ["{rate:.1f}"]
    assert sorted(PLACEHOLDER.findall("{número} concluídos")) != sorted(PLACEHOLDER.findall("{n} completed"))
    assert sorted(PLACEHOLDER.findall("Tentativa %1: %3")) != sorted(
        PLACEHOLDER.findall("Retry %1 in %2s: %3")
    )


def test_compiled_translation_answers_in_portuguese(
    qapp: QApplication, installed: list[QTranslator], messages: list[Message], tmp_path: Path
) -> None:
    qm = tmp_path / "po_downloader_pt_BR.qm"
    output = compile_ts(TS_FILE, qm)
    assert " 0 unfinished" in output, output
    assert QCoreApplication.translate("MainWindow", "Start") == "Start"  # nothing of ours installed yet

    translator = QTranslator()
    assert translator.load(str(qm))
    assert qapp.installTranslator(translator)
    installed.append(translator)

    assert QCoreApplication.translate("MainWindow", "Start") == "Iniciar"
    assert QCoreApplication.translate("Status", "PO not found") == "PO não encontrado"
    assert QCoreApplication.translate("MainWindow", "Sign in to Coupa…") == "Entrar no Coupa…"
    wrong = [
        (m.context, m.source, got)
        for m in messages
        if (got := QCoreApplication.translate(m.context, m.source)) != m.translations[0]
    ]
    assert not wrong, f"the compiled file answers differently from the .ts: {wrong}"


def test_install_translators_loads_ours_for_brazilian_portuguese(
    qapp: QApplication, installed: list[QTranslator]
) -> None:
    qm = i18n.translations_dir() / "po_downloader_pt_BR.qm"
    if not qm.exists():
        pytest.skip(f"{qm.name} is not compiled yet: run `make translations` (`make test` does it first)")
    installed.extend(i18n.install_translators(qapp, QLocale("pt_BR")))

    ours = [t for t in installed if Path(t.filePath()).name == qm.name]
    assert len(ours) == 1, [t.filePath() for t in installed]
    assert ours[0].language() == "pt_BR"
    assert QCoreApplication.translate("MainWindow", "Start") == "Iniciar", (
        "stale .qm? run `make translations`"
    )


@pytest.mark.parametrize("language", ["en_US", "fr_FR"])
def test_install_translators_loads_only_the_english_plural_forms_for_english_and_unshipped_languages(
    qapp: QApplication, installed: list[QTranslator], language: str
) -> None:
    """English is the source language, but its plural forms live in a file of their own (Qt's numerus
    rules); a language we do not ship reads the English text, so it gets them too."""
    qm = i18n.translations_dir() / f"{i18n.SOURCE_PLURALS}.qm"
    if not qm.exists():
        pytest.skip(f"{qm.name} is not compiled yet: run `make translations` (`make test` does it first)")
    installed.extend(i18n.install_translators(qapp, QLocale(language)))

    ours = [
        Path(t.filePath()).name for t in installed if Path(t.filePath()).parent == i18n.translations_dir()
    ]
    assert ours == [qm.name]
    assert QCoreApplication.translate("MainWindow", "Start") == "Start"
    assert QCoreApplication.translate("WorkerControls", "%n workers", "", 1) == "1 worker"
    assert QCoreApplication.translate("WorkerControls", "%n workers", "", 2) == "2 workers"


EN_TS_FILE = TS_FILE.with_name(f"{i18n.SOURCE_PLURALS}.ts")


def test_every_plural_string_has_its_english_forms(messages: list[Message], tmp_path: Path) -> None:
    """The English file holds exactly the code's numerus strings, each with its singular and plural."""
    english = read_ts(EN_TS_FILE)
    root = ET.parse(TS_FILE).getroot()
    numerus = {
        (c.findtext("name", ""), m.findtext("source", ""))
        for c in root.iter("context")
        for m in c.iter("message")
        if m.get("numerus") == "yes"
    }
    assert len(numerus) >= 15
    assert {(m.context, m.source) for m in english} == numerus
    for m in english:
        assert m.finished and len(m.translations) == 2, m
        assert all("%n" in form for form in m.translations), m
        assert m.translations[1] == m.source, f"{m.source!r}: the plural form is the source text"
    output = compile_ts(EN_TS_FILE, tmp_path / "en.qm")
    assert " 0 unfinished" in output, output


def test_every_string_in_the_code_is_in_the_ts_file(messages: list[Message], tmp_path: Path) -> None:
    fresh = tmp_path / "extracted.ts"
    sources = sorted(str(p) for p in UI_DIR.rglob("*.py"))
    subprocess.run(
        [str(tool("pyside6-lupdate")), *sources, "-ts", str(fresh)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    in_code = {(m.context, m.source) for m in read_ts(fresh)}
    in_file = {(m.context, m.source) for m in messages}
    assert len(in_code) > 100  # lupdate really extracted the UI's strings

    missing, stale = sorted(in_code - in_file), sorted(in_file - in_code)
    assert not missing and not stale, (
        "resources/i18n/po_downloader_pt_BR.ts is out of date: run `make update-translations`, then translate.\n"
        f"in the code but not in the .ts: {missing}\nin the .ts but no longer in the code: {stale}"
    )


def runtime_contexts() -> set[str]:
    """Contexts the UI looks strings up in: ``self.tr`` uses the class name, the rest name theirs."""
    contexts = set()
    for path in UI_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                contexts.add(node.name)
            elif (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", ""))
                in ("translate", "QT_TRANSLATE_NOOP")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                contexts.add(node.args[0].value)
    return contexts


def test_every_context_is_one_the_app_looks_up(messages: list[Message]) -> None:
    unreachable = sorted({m.context for m in messages} - runtime_contexts())
    assert not unreachable, f"translations no code path asks for (tr called on a variable?): {unreachable}"
