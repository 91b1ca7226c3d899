"""Folder templates (issue 18 item 1), pure: parsing, checking against the sheet, rendering with
fallbacks, the path budget; and ``make_work_folder`` laying a template out on disk."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path

import pytest

from po_downloader.engine.errors import ErrorKind
from po_downloader.engine.models import PoStatus
from po_downloader.engine.output.folder_template import (
    DEFAULT_TEMPLATE,
    MIN_LEVEL_ROOM,
    TemplateError,
    check_template,
    fit_levels,
    parse_template,
    render,
    row_values,
)
from po_downloader.engine.output.folders import (
    FolderLayout,
    PathTooLong,
    UnsafeFolder,
    adopt_folder,
    drop_empty_levels,
    finalise_folder,
    make_work_folder,
)
from po_downloader.engine.output.naming import (
    MIN_NAME_ROOM,
    fit_component,
    levels_room,
    supplier_room,
    work_folder,
)
from po_downloader.engine.system.paths import WINDOWS_MAX_PATH

LIMIT = WINDOWS_MAX_PATH
DAY = dt.date(2024, 3, 5)
COLUMNS = ("PO_NUMBER", "Centro de custo", "Company", "Data")
HOSTILE = [
    "ACME Ltda.",
    "",
    "...",
    "ACME/Brasil: Filial \\ Sul?",
    "CON",
    " trailing dot. ",
    "evil\u202efdp.exe",
    "Marc\u0327o Comércio",
    "Companhia Brasileira de Distribuição de Materiais Elétricos e Hidráulicos Industriais Ltda. " * 3,
]


def layout(text: str) -> FolderLayout:
    return FolderLayout(parse_template(text), DAY)


# ---------------------------------------------------------------- parsing


def test_the_default_is_one_level_the_supplier() -> None:
    template = parse_template("")
    assert template.text == DEFAULT_TEMPLATE
    assert template.tokens == ("supplier",) and template.sheet_tokens == ()


def test_levels_tokens_and_literals_are_read_with_either_separator() -> None:
    template = parse_template(r"CC {Centro de custo}\{supplier}//{year}-{month}/{po}")
    assert len(template.levels) == 3
    assert template.tokens == ("Centro de custo", "supplier", "year", "month")
    assert template.sheet_tokens == ("Centro de custo",)


def test_a_header_with_a_slash_stays_one_token() -> None:
    assert parse_template("{Centro/Custo}/{po}").sheet_tokens == ("Centro/Custo",)


def test_page_tokens_are_read_in_any_case() -> None:
    assert parse_template("{Supplier}/{YEAR}/{PO}").sheet_tokens == ()


@pytest.mark.parametrize("text", ["{supplier/{po}", "{supplier}}/{po}", "{}/{po}", "{ }/{po}", "a{/{po}"])
def test_a_stray_brace_or_an_empty_token_is_refused(text: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template(text)
    assert caught.value.kind is ErrorKind.FOLDER_TEMPLATE_BRACE
    assert caught.value.details["template"] == text


@pytest.mark.parametrize("text", ["{supplier}", "{po}/{supplier}", "{supplier}/PO {po}", "{po}/{po}", "x/"])
def test_a_template_must_end_with_po_alone_and_use_it_only_there(text: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template(text)
    assert caught.value.kind is ErrorKind.FOLDER_TEMPLATE_NO_PO


def test_po_alone_is_a_template_without_levels() -> None:
    assert parse_template("/{po}").levels == ()


# ---------------------------------------------------------------- checked against the sheet


def test_an_unknown_token_is_refused_by_name_listing_what_is_known() -> None:
    with pytest.raises(TemplateError) as caught:
        check_template("{Centro de custo}/{Cost center}/{po}", COLUMNS)
    assert caught.value.kind is ErrorKind.FOLDER_TEMPLATE_UNKNOWN_TOKEN
    assert caught.value.details["token"] == "{Cost center}"
    assert (
        "{supplier}" in caught.value.details["known"] and "{Centro de custo}" in caught.value.details["known"]
    )


def test_sheet_tokens_find_their_column_as_the_po_column_is_found() -> None:
    template = check_template("{centro  de CUSTO}/{company}/{po}", COLUMNS)
    assert template.sheet_tokens == ("centro  de CUSTO", "company")


def test_row_values_skip_blank_cells_and_read_numbers_and_dates_as_people_do() -> None:
    template = parse_template("{Centro de custo}/{Company}/{Data}/{supplier}/{po}")
    row = ("1", 4100.0, "  ", dt.datetime(2024, 3, 5), "Sheet Supplier")
    columns = (*COLUMNS, "Fornecedor")
    values = dict(row_values(template, columns, row, supplier_column="Fornecedor"))
    assert values == {"Centro de custo": "4100", "Data": "2024-03-05", "supplier": "Sheet Supplier"}


def test_the_sheets_supplier_is_carried_only_when_the_template_uses_it() -> None:
    template = parse_template("{Company}/{po}")
    assert row_values(template, (*COLUMNS, "F"), ("1", "", "X", "", "S"), supplier_column="F") == (
        ("Company", "X"),
    )


# ---------------------------------------------------------------- rendering


def test_a_missing_value_gets_a_named_fallback_and_the_supplier_keeps_todays() -> None:
    template = parse_template("{Centro de custo}/{supplier}/{year}/{month}/{po}")
    names = render(template, supplier="", po_display="PO1", values={}, day=DAY)
    assert names == ("_no Centro de custo", "Unknown supplier", "2024", "03")


def test_the_pages_supplier_comes_before_the_sheets() -> None:
    template = parse_template(DEFAULT_TEMPLATE)
    values = {"supplier": "From sheet"}
    assert render(template, supplier="From page", po_display="PO1", values=values, day=DAY) == ("From page",)
    assert render(template, supplier=" ", po_display="PO1", values=values, day=DAY) == ("From sheet",)


def test_every_value_is_made_safe_on_its_own_and_never_makes_a_level() -> None:
    template = parse_template("CC {Centro de custo} - {Company}/{po}")
    values = {"Centro de custo": "../../etc", "Company": "A/B: C"}
    (name,) = render(template, supplier="", po_display="PO1", values=values, day=DAY)
    assert "/" not in name and "\\" not in name and ":" not in name
    assert name == "CC _.._etc - A_B_ C"  # as today's names: separators replaced, no leading dot


@pytest.mark.parametrize("supplier", HOSTILE)
@pytest.mark.parametrize("limit", [None, LIMIT])
def test_the_default_template_lays_out_exactly_todays_folders(
    tmp_path: Path, supplier: str, limit: int | None
) -> None:
    root = tmp_path / ("d" * (170 - len(str(tmp_path))) if limit else "root")
    made = make_work_folder(root, supplier, "PO12345", limit)
    today = work_folder(root, supplier, "PO12345", supplier_room(root, "PO12345", limit))
    assert made == today


# ---------------------------------------------------------------- the path budget


def test_one_level_is_cut_as_the_supplier_always_was() -> None:
    long = HOSTILE[-1].strip()
    assert fit_levels([fit_component(long, None)], 50) == (fit_component(long, 50),)


def test_the_longest_levels_give_way_first_and_none_below_the_minimum() -> None:
    names = ["a" * 100, "b" * 10, "c" * 60]
    fitted = fit_levels(names, 80)
    assert fitted is not None
    assert sum(len(n) for n in fitted) <= 80
    assert fitted[1] == "b" * 10 and len(fitted[0]) == len(fitted[2]) >= MIN_LEVEL_ROOM
    assert fit_levels(names, 3 * MIN_LEVEL_ROOM - 1) is None
    assert fit_levels(names, None) == tuple(names)


def test_a_deep_template_keeps_every_path_within_the_limit(tmp_path: Path) -> None:
    root = tmp_path / ("r" * (150 - len(str(tmp_path))))
    values = {"Centro de custo": "x" * 200, "Company": "y" * 90}
    folder = make_work_folder(
        root, HOSTILE[-1], "PO12345678", LIMIT, layout("{Centro de custo}/{Company}/{supplier}/{po}"), values
    )
    assert folder.relative_to(root).parts[:-1][0].startswith("x")
    final = finalise_folder(folder, "PO12345678", PoStatus.NO_ATTACHMENTS)
    longest = final.parent / (final.name + " (99)") / ("n" * MIN_NAME_ROOM)
    assert len(str(longest.absolute())) <= LIMIT


def test_a_root_too_deep_for_the_templates_levels_fails_clearly(tmp_path: Path) -> None:
    root = tmp_path / "r"
    room = levels_room(root, "PO1", LIMIT, 3)
    assert room is not None
    deep = tmp_path / ("r" * (room - 3 * MIN_LEVEL_ROOM + 2))  # enough for one level, not for three
    make_work_folder(deep, "ACME", "PO1", LIMIT)
    with pytest.raises(PathTooLong) as caught:
        make_work_folder(deep, "ACME", "PO1", LIMIT, layout("{Company}/{year}/{supplier}/{po}"), {})
    assert caught.value.kind is ErrorKind.ROOT_TOO_DEEP


def test_two_pos_never_share_a_folder_even_when_every_level_is_cut(tmp_path: Path) -> None:
    root = tmp_path / ("r" * (170 - len(str(tmp_path))))
    values = {"Company": "z" * 300}
    made = {
        make_work_folder(root, "S" * 300, f"PO{n}", LIMIT, layout("{Company}/{supplier}/{po}"), values)
        for n in range(1, 40)
    }
    assert len(made) == 39 and len({p.parent for p in made}) == 1


# ---------------------------------------------------------------- on disk


def test_the_levels_are_real_folders_and_a_planted_link_is_never_followed(tmp_path: Path) -> None:
    root = tmp_path / "root"
    template = layout("{Company}/{year}/{po}")
    folder = make_work_folder(root, "ACME", "PO1", None, template, {"Company": "Acme BR"})
    assert folder == root / "Acme BR" / "2024" / "PO1__WORK" and folder.is_dir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / "Acme US", target_is_directory=True)
    with pytest.raises(UnsafeFolder):
        make_work_folder(root, "ACME", "PO2", None, template, {"Company": "Acme US"})
    assert list(elsewhere.iterdir()) == []


def test_a_folder_taken_over_from_another_layout_leaves_no_empty_level_behind(tmp_path: Path) -> None:
    root = tmp_path / "root"
    earlier = root / "4100" / "ACME" / "PO1_COMPLETED"
    earlier.mkdir(parents=True)
    (earlier / "a.pdf").write_bytes(b"A")
    (root / "4100" / "Other").mkdir()  # another supplier's folder in the old layout stays
    work = make_work_folder(root, "ACME", "PO1", None, layout("{supplier}/{year}/{po}"), {})
    assert adopt_folder(earlier, work, root)
    assert (work / "a.pdf").read_bytes() == b"A"
    assert not (root / "4100" / "ACME").exists() and (root / "4100" / "Other").is_dir()
    drop_empty_levels(root / "4100" / "Other", root)
    assert sorted(p.name for p in root.iterdir()) == ["ACME"] and root.is_dir()


def test_a_layout_travels_to_the_workers_whole() -> None:
    sent = layout("CC {Centro de custo}/{supplier}/{year}/{po}")
    assert pickle.loads(pickle.dumps(sent)) == sent
