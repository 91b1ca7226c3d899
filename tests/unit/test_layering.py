"""The engine and the CLI never import Qt (workers and the terminal tool must run without it), and only
``engine/browser/`` imports Selenium."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import po_downloader

SCRIPT = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    imported = []
    for package_name in ("po_downloader.engine", "po_downloader.cli"):
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
    qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "qasync"))
    print(json.dumps({"imported": imported, "qt": qt}))
    """
)


def test_engine_and_cli_import_no_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    imported = set(report["imported"])
    # The walk really covered both packages (an empty walk would pass vacuously).
    assert {
        "po_downloader.engine.run.controller",
        "po_downloader.engine.run.worker",
        "po_downloader.cli.main",
    } <= imported
    assert {"po_downloader.cli.run", "po_downloader.engine.run.scheduler"} <= imported
    assert report["qt"] == [], f"Qt imported by the engine/CLI: {report['qt']}"


PACKAGE = Path(po_downloader.__file__).parent
BROWSER = PACKAGE / "engine" / "browser"


def selenium_imports(path: Path) -> list[str]:
    """Every ``import selenium…``/``from selenium… import`` in a module, at any depth (lazy ones too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            f"{path.relative_to(PACKAGE)}:{node.lineno} {n}" for n in names if n.split(".")[0] == "selenium"
        ]
    return found


def test_selenium_is_imported_only_in_engine_browser() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    run_modules = [p for p in modules if p.parent == PACKAGE / "engine" / "run"]
    # The scan sees Selenium where it is meant to be (an empty scan would pass vacuously) ...
    assert selenium_imports(BROWSER / "portal.py") and selenium_imports(BROWSER / "session.py")
    assert {"worker.py", "fetch.py", "controller.py"} <= {p.name for p in run_modules}
    # ... and nowhere else: run/ (the worker loop, one PO's fetch) talks to the browser through browser/.
    outside = [hit for p in modules if not p.is_relative_to(BROWSER) for hit in selenium_imports(p)]
    assert outside == []
