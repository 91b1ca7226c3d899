"""Broken inputs at the terminal: ``po-downloader run`` in its own process says what is wrong and exits 2.

No browser starts (the sheet is checked first), so these run with the fast suite. Each asserts the whole
sentence the CLI words for the error's kind, no traceback, nothing written anywhere, the input untouched.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from po_downloader.cli import messages
from po_downloader.engine.status import EXIT_BAD_INPUT
from tests.helpers.bad_inputs import BAD_INPUTS, BadInput, sha256

REPO = Path(__file__).resolve().parents[2]
FIELD = re.compile(r"\{\w+\}")


def run_cli(input_path: Path, home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PO_DOWNLOADER_HOME": str(home)}
    command = [sys.executable, "-m", "po_downloader", "run", str(input_path), *extra]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def assert_worded(stderr: str, template: str, details: dict[str, str]) -> None:
    """Every fixed part of the CLI's sentence is there, and every detail the case pins down."""
    for part in FIELD.split(template):
        assert part.strip() in stderr, f"{part.strip()!r} not in {stderr!r}"
    for value in details.values():
        assert value in stderr


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.id)
def test_cli_refuses_a_broken_input_with_its_message_and_exit_2(tmp_path: Path, case: BadInput) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    path = case.write(folder)
    before = sha256(path)
    out = tmp_path / "downloads"
    home = tmp_path / "home"

    done = run_cli(path, home, "--out", str(out), "--base-url", "https://acme.coupahost.com")

    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.startswith("po-downloader: ") and done.stderr.count("\n") == 1, done.stderr
    assert_worded(done.stderr, messages.TEXT[case.kind], case.details)
    assert sha256(path) == before
    assert [p.name for p in folder.iterdir()] == [case.name], "no results or manifest for a refused input"
    assert not out.exists() or not any(out.iterdir())


def test_cli_names_the_line_of_an_unclosed_quote(tmp_path: Path) -> None:
    """The whole sentence, literally: what the user reads at the terminal."""
    path = tmp_path / "pos.csv"
    path.write_bytes(b'PO_NUMBER;Nota\r\nPO15262984;"monitor 27\r\nPO15262985;x\r\n')
    done = run_cli(path, tmp_path / "home", "--base-url", "https://acme.coupahost.com")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr == (
        "po-downloader: 'pos.csv': the quote (\") that opens a cell on line 2 is never closed, so the rest "
        "of the file would be read as one cell; close or remove that quote and run again\n"
    )


def test_cli_refuses_a_missing_input(tmp_path: Path) -> None:
    path = tmp_path / "gone.xlsx"
    done = run_cli(path, tmp_path / "home", "--base-url", "https://acme.coupahost.com")
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stderr == f"po-downloader: file not found: {path}\n"
    assert not path.exists()
