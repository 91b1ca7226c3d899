"""``po-downloader run --base-url``: refused with exit 2 when it carries credentials, normalised when kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from po_downloader.cli.main import main
from po_downloader.engine.status import EXIT_BAD_INPUT
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import load_settings


def _everything_written(home: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in home.rglob("*") if p.is_file())


@pytest.mark.parametrize("password", ["p", "Hunter2pw"])
def test_a_password_in_base_url_exits_2_without_repeating_it(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str], password: str
) -> None:
    sheet = tmp_path / "pos.csv"
    sheet.write_text("PO_NUMBER\nPO10000001\n", encoding="utf-8")
    url = f"https://u:{password}@acme.coupahost.com"
    code = main(["run", str(sheet), "--base-url", url, "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == EXIT_BAD_INPUT
    assert "must not contain a user name or password" in err
    assert "--base-url https://acme.coupahost.com " in err
    # Nothing the user sees or the app keeps (settings, logs) holds the credentials.
    for text in (out, err, _everything_written(app_home)):
        assert f"u:{password}@" not in text and f":{password}@" not in text
    if len(password) > 1:
        assert password not in out + err + _everything_written(app_home)
    assert not (tmp_path / "pos_results.csv").exists()
    assert not (tmp_path / "pos_results.xlsx").exists()


def test_base_url_is_remembered_without_its_default_port(
    tmp_path: Path, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.csv"
    assert main(["run", str(missing), "--base-url", "https://acme.coupahost.com:443/"]) == EXIT_BAD_INPUT
    assert "missing.csv" in capsys.readouterr().err
    assert load_settings(app_dirs()).base_url == "https://acme.coupahost.com"
