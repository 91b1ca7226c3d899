"""Modules stay small enough to read in one sitting: none in ``engine/``, ``ui/`` or ``cli/`` over 450 lines,
unless its docstring opens a line with ``One job:`` saying why it cannot be split without losing its sense."""

from __future__ import annotations

import ast
from pathlib import Path

import po_downloader

PACKAGE = Path(po_downloader.__file__).parent
LIMIT = 450
CHECKED = ("engine", "ui", "cli")


def too_long(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    if text.count("\n") <= LIMIT:
        return False
    doc = ast.get_docstring(ast.parse(text)) or ""
    return not any(line.startswith("One job:") for line in doc.splitlines())


def test_the_check_sees_a_long_module_and_its_note(tmp_path: Path) -> None:
    long_body = "x = 1\n" * (LIMIT + 1)
    plain = tmp_path / "plain.py"
    plain.write_text('"""Does things."""\n' + long_body, encoding="utf-8")
    noted = tmp_path / "noted.py"
    noted.write_text(
        '"""Does one thing.\n\nOne job: a state machine that reads as one."""\n' + long_body, encoding="utf-8"
    )
    short = tmp_path / "short.py"
    short.write_text('"""Short."""\nx = 1\n', encoding="utf-8")
    assert [too_long(p) for p in (plain, noted, short)] == [True, False, False]


def test_no_engine_ui_or_cli_module_is_over_the_limit_without_a_note() -> None:
    modules = [p for folder in CHECKED for p in sorted((PACKAGE / folder).rglob("*.py"))]
    assert len(modules) > 50  # the walk found the packages
    offenders = [
        f"{p.relative_to(PACKAGE)} ({p.read_text(encoding='utf-8').count(chr(10))} lines)"
        for p in modules
        if too_long(p)
    ]
    assert offenders == [], f"over {LIMIT} lines without a 'One job:' note: {offenders}"
