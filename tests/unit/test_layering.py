"""The engine and the CLI never import Qt: workers and the terminal tool must run without it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

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
