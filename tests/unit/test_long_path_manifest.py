"""The frozen Windows app declares ``longPathAware`` (issue 14, item 9), so that on a Windows with long
paths enabled ``path_limit`` lifts the 259-character budget and names stay whole.

Checked on the spec's inputs, without building (the frozen tests build, on Windows only)."""

from __future__ import annotations

import ast
import xml.dom.minidom
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / "installer" / "windows" / "po-downloader.manifest"
WINDOWS_SETTINGS = "http://schemas.microsoft.com/SMI/2016/WindowsSettings"


def test_the_manifest_declares_long_path_awareness() -> None:
    dom = xml.dom.minidom.parse(str(MANIFEST))
    (aware,) = dom.getElementsByTagNameNS(WINDOWS_SETTINGS, "longPathAware")
    assert aware.firstChild is not None and aware.firstChild.data.strip() == "true"
    assert dom.getElementsByTagName("supportedOS"), "the Windows 10/11 compatibility ids went missing"


def test_pyinstaller_embeds_it_with_the_long_path_setting_kept() -> None:
    winmanifest = pytest.importorskip("PyInstaller.utils.win32.winmanifest")

    made = winmanifest.create_application_manifest(MANIFEST.read_bytes(), False, False)
    text = made.decode() if isinstance(made, bytes) else made
    assert ">true</longPathAware>" in text and "asInvoker" in text


def test_the_spec_passes_the_manifest_to_the_windows_executable() -> None:
    tree = ast.parse((REPO / "build_spec.py").read_text(encoding="utf-8"))
    exe_calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "EXE"
    ]
    (exe,) = exe_calls
    (manifest,) = [k.value for k in exe.keywords if k.arg == "manifest"]
    assert MANIFEST.name in ast.unparse(manifest)
