from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from po_downloader.engine.models import PoNumber, PoStatus
from po_downloader.engine.output.naming import (
    final_folder_name,
    name_key,
    po_folder,
    safe_component,
    unique_path,
    work_folder,
)

WINDOWS_FORBIDDEN = set('<>:"/\\|?*')


def assert_portable(name: str) -> None:
    """The rules Windows and macOS both impose on one name."""
    assert name
    assert name not in (".", "..")
    assert not WINDOWS_FORBIDDEN & set(name)
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
    assert not name.endswith((".", " "))
    assert not name.startswith((" ", "."))
    assert len(name.encode("utf-8")) <= 255
    assert name.split(".", 1)[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("invoice.pdf", "invoice.pdf"),
        ("../../evil.pdf", "_.._evil.pdf"),
        ("a/b\\c:d*e?f<g>h|i.pdf", "a_b_c_d_e_f_g_h_i.pdf"),
        ('say "hi".txt', "say _hi_.txt"),
        ("tab\there\nnew\x00.pdf", "tab_here_new_.pdf"),
        ("CON.txt", "CON_.txt"),
        ("con", "con_"),
        ("Lpt1.tar.gz", "Lpt1_.tar.gz"),
        ("COM\u00b9.log", "COM\u00b9_.log"),
        ("CONSOLE.txt", "CONSOLE.txt"),
        ("nul .txt", "nul _.txt"),
        ("report. . .", "report"),
        ("  spaced name  ", "spaced name"),
        ("trailing dot.", "trailing dot"),
        (".hidden", "hidden"),
        ("Gr\u00fc\u00dfe \u65e5\u672c.pdf", "Gr\u00fc\u00dfe \u65e5\u672c.pdf"),
        ("evil\u202efdp.exe", "evil_fdp.exe"),
    ],
)
def test_safe_component_examples(raw: str, expected: str) -> None:
    assert safe_component(raw) == expected
    assert_portable(safe_component(raw))


@pytest.mark.parametrize("raw", ["", ".", "..", "...", "   ", " . . "])
def test_safe_component_never_empty_or_dots(raw: str) -> None:
    assert safe_component(raw) == "unnamed"
    assert safe_component(raw, fallback="Unknown supplier") == "Unknown supplier"


def test_fallback_is_sanitised_too() -> None:
    assert safe_component("", fallback="a/b") == "a_b"
    assert safe_component("", fallback="..") == "_"


def test_unicode_is_nfc_normalised() -> None:
    decomposed = "Cafe\u0301.pdf"
    result = safe_component(decomposed)
    assert result == "Caf\u00e9.pdf"
    assert unicodedata.is_normalized("NFC", result)


def test_name_key_ignores_case_and_normalisation_form() -> None:
    assert name_key("Fatura_Mar\u00e7o.pdf") == name_key("FATURA_MARC\u0327O.PDF")
    assert name_key("\u01f0") == name_key("J\u030c")  # folding decomposes: normalised again
    assert name_key("a.pdf") != name_key("\u00e0.pdf")


def test_unique_path_counts_the_other_normalisation_form_as_taken(tmp_path: Path) -> None:
    (tmp_path / "Marc\u0327o.pdf").write_bytes(b"")
    assert unique_path(tmp_path, "Mar\u00e7o.pdf") == tmp_path / "Mar\u00e7o (2).pdf"


def test_long_name_is_cut_but_keeps_its_extension() -> None:
    name = "x" * 246 + ".pdf"
    assert len(name) == 250
    result = safe_component(name)
    assert result == "x" * 116 + ".pdf"
    assert len(result) == 120


def test_long_multibyte_name_fits_255_utf8_bytes() -> None:
    name = "\u65e5" * 200 + ".pdf"  # 3 bytes each in UTF-8
    result = safe_component(name, max_len=250)
    assert result.endswith(".pdf")
    assert len(result.encode("utf-8")) <= 255
    assert len(result.encode("utf-8")) > 250  # cut no more than needed
    assert set(result[:-4]) == {"\u65e5"}


def test_astral_characters_are_not_split() -> None:
    result = safe_component("\U0001f600" * 100 + ".pdf", max_len=250)
    assert result.endswith(".pdf")
    assert len(result.encode("utf-8")) <= 255
    result.encode("utf-8")  # no lone surrogates


def test_cut_that_leaves_trailing_spaces_or_a_device_name_is_fixed() -> None:
    result = safe_component("CON" + " " * 200 + "x.pdf")
    assert result == "CON_.pdf"
    assert_portable(result)


def test_long_extension_is_not_treated_as_extension() -> None:
    name = "a" * 100 + "." + "b" * 100
    result = safe_component(name)
    assert len(result) == 120
    assert result.startswith("a" * 100)


def test_tiny_max_len_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_len"):
        safe_component("x", max_len=4)


@pytest.mark.parametrize(
    "raw",
    ["../../evil.pdf", "CON.txt", "a/b\\c:d*e?f<g>h|i.pdf", "...", "z" * 250 + ".pdf", "x. ", "", "\x7f\x1f"],
)
def test_hostile_names_are_portable(raw: str) -> None:
    assert_portable(safe_component(raw))


def test_unique_path_numbers_duplicates(tmp_path: Path) -> None:
    assert unique_path(tmp_path, "a.pdf") == tmp_path / "a.pdf"
    (tmp_path / "a.pdf").write_bytes(b"1")
    assert unique_path(tmp_path, "a.pdf") == tmp_path / "a (2).pdf"
    (tmp_path / "a (2).pdf").write_bytes(b"2")
    assert unique_path(tmp_path, "a.pdf") == tmp_path / "a (3).pdf"


def test_unique_path_ignores_case_like_windows_and_macos(tmp_path: Path) -> None:
    (tmp_path / "Report.PDF").write_bytes(b"1")
    assert unique_path(tmp_path, "report.pdf") == tmp_path / "report (2).pdf"


def test_unique_path_keeps_only_the_last_extension(tmp_path: Path) -> None:
    (tmp_path / "x.docx.pdf").write_bytes(b"1")
    assert unique_path(tmp_path, "x.docx.pdf") == tmp_path / "x.docx (2).pdf"
    (tmp_path / "noext").write_bytes(b"1")
    assert unique_path(tmp_path, "noext") == tmp_path / "noext (2)"
    (tmp_path / ".hidden").write_bytes(b"1")
    assert unique_path(tmp_path, ".hidden") == tmp_path / ".hidden (2)"


def test_unique_path_counts_directories_as_taken(tmp_path: Path) -> None:
    (tmp_path / "PO1_COMPLETED").mkdir()
    assert unique_path(tmp_path, "PO1_COMPLETED") == tmp_path / "PO1_COMPLETED (2)"


def test_unique_path_in_missing_directory(tmp_path: Path) -> None:
    assert unique_path(tmp_path / "new", "a.pdf") == tmp_path / "new" / "a.pdf"


def test_unique_path_stays_within_255_bytes(tmp_path: Path) -> None:
    name = "y" * 251 + ".pdf"
    (tmp_path / name).write_bytes(b"1")
    result = unique_path(tmp_path, name)
    assert result.name.endswith(" (2).pdf")
    assert len(result.name.encode("utf-8")) == 255


def test_folder_conventions(tmp_path: Path) -> None:
    po = PoNumber("123456")
    assert work_folder(tmp_path, "ACME Corp.", po) == tmp_path / "ACME Corp" / "PO123456__WORK"
    assert final_folder_name(po, PoStatus.COMPLETED) == "PO123456_COMPLETED"
    assert final_folder_name("PM42", PoStatus.NO_ATTACHMENTS) == "PM42_NO_ATTACHMENTS"
    assert po_folder(tmp_path, "ACME", "PO1", "_WORK") == tmp_path / "ACME" / "PO1__WORK"
    assert po_folder(tmp_path, "ACME", "PO1", "COMPLETED") == tmp_path / "ACME" / "PO1_COMPLETED"


@pytest.mark.parametrize("supplier", ["", "   ", "..", "/"])
def test_unnamed_supplier_folder(tmp_path: Path, supplier: str) -> None:
    expected = "_" if supplier == "/" else "Unknown supplier"
    assert po_folder(tmp_path, supplier, "PO1", "FAILED") == tmp_path / expected / "PO1_FAILED"


def test_hostile_supplier_stays_inside_root(tmp_path: Path) -> None:
    folder = work_folder(tmp_path, "../../etc/CON", "PO9")
    assert folder.parent.parent == tmp_path
    assert folder.resolve().is_relative_to(tmp_path.resolve())
