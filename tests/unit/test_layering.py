"""What may import what: the engine's one-way layers, no Qt outside the window, Selenium only in browser/.

The engine is built in layers; a module imports from its own layer and those below it, never above:

    errors, models, outcome, events, status    the vocabulary: plain values and rules every layer speaks
      ^
    system/                           the machine: paths, settings, logs, processes, removal, run markers
      ^
    download_route                    the seam: attachments in, "these bytes, from this attachment" out
      ^
    input/  output/  browser/         the sheet in; files, results, journal out; the portal in a browser
      ^                               (side by side; output/ reads input/'s plan)
    run/                              a batch at work: controller, scheduler, pool, workers, fetch
      ^
    run/batch.py  browser/signin.py   the faces: prepare and start a batch, check the sign-in
      ^
    cli/  ui/

Checked here on every import, lazy ones too (parsed, never executed):

- input/, output/, browser/, system/ (and the download_route seam browser/ implements) never import run/;
- system/ imports no other engine package: only itself and the vocabulary's nouns, errors and models;
- the vocabulary imports no engine package;
- no engine module imports a face, except another face: ui/ and cli/ are the faces' importers.

Each rule's test also feeds the checker a module that breaks it, so a checker that sees nothing fails.
The engine and the CLI never import Qt (workers and the terminal tool must run without it), and only
``engine/browser/`` imports Selenium.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

import pytest

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


# --- the engine's layers ---------------------------------------------------------------------------------

ENGINE = "po_downloader.engine"
VOCABULARY = frozenset({"errors", "models", "outcome", "events", "status"})
SYSTEM_MAY_IMPORT = frozenset({"system", "errors", "models"})
BELOW_RUN = frozenset({"input", "output", "browser", "http", "system", "download_route"})
FACES = (f"{ENGINE}.run.batch", f"{ENGINE}.browser.signin")

NO_RUN_BELOW = "input/, output/, browser/, http/, system/, download_route never import run/"
SYSTEM_ALONE = "system/ imports no other engine package (errors and models only)"
VOCABULARY_ALONE = "the vocabulary (errors, models, outcome, events, status) imports no engine package"
FACES_ON_TOP = "only ui/ and cli/ (and the faces themselves) import a face"
RULES = (NO_RUN_BELOW, SYSTEM_ALONE, VOCABULARY_ALONE, FACES_ON_TOP)

Imports = list[tuple[int, str]]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(source: str, module: str, *, package: bool = False) -> Imports:
    """``(line, dotted name)`` of everything ``module`` imports, at any depth (lazy imports too).

    ``from a.b import c`` gives ``a.b.c`` whether ``c`` is a module or a name in ``a.b``: either way it lies
    under ``a.b``, which is all the rules look at. Relative imports are resolved against ``module``.
    """
    found: Imports = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")
                anchor = parts[: len(parts) - node.level + (1 if package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def engine_part(name: str) -> str | None:
    """The package or vocabulary module a dotted name lies in (``run`` for ``…engine.run.batch.prepare``)."""
    parts = name.split(".")
    return parts[2] if len(parts) > 2 and ".".join(parts[:2]) == ENGINE else None


def is_face(name: str) -> bool:
    return any(name == face or name.startswith(f"{face}.") for face in FACES)


def broken_rules(module: str, imports: Iterable[tuple[int, str]]) -> list[tuple[str, str]]:
    """``(rule, where)`` for each of ``module``'s imports that breaks a layer rule."""
    part = engine_part(module)
    broken: list[tuple[str, str]] = []
    if part is None:
        return broken
    for line, name in imports:
        target = engine_part(name)
        if target is None:
            continue
        where = f"{module}:{line} imports {name}"
        if part in BELOW_RUN and target == "run":
            broken.append((NO_RUN_BELOW, where))
        if part == "system" and target not in SYSTEM_MAY_IMPORT:
            broken.append((SYSTEM_ALONE, where))
        if part in VOCABULARY and target not in VOCABULARY:
            broken.append((VOCABULARY_ALONE, where))
        if is_face(name) and not is_face(module):
            broken.append((FACES_ON_TOP, where))
    return broken


def scan(folder: Path) -> dict[str, Imports]:
    """Every module under ``folder`` and what it imports."""
    return {
        module_name(path): imported_names(
            path.read_text(encoding="utf-8"), module_name(path), package=path.name == "__init__.py"
        )
        for path in sorted(folder.rglob("*.py"))
    }


def test_the_scan_sees_every_form_of_import() -> None:
    source = textwrap.dedent(
        """
        import po_downloader.engine.run.pool
        from po_downloader.engine import events as ev
        from ..run import worker
        from . import portal

        def later():
            from po_downloader.engine.run.batch import prepare, worker_config
        """
    )
    names = [name for _line, name in imported_names(source, f"{ENGINE}.browser.fake")]
    assert names == [
        f"{ENGINE}.run.pool",
        f"{ENGINE}.events",
        f"{ENGINE}.run.worker",
        f"{ENGINE}.browser.portal",
        f"{ENGINE}.run.batch.prepare",
        f"{ENGINE}.run.batch.worker_config",
    ]
    assert imported_names("from .. import models", f"{ENGINE}.system", package=True) == [
        (1, f"{ENGINE}.models")
    ]


def test_the_scan_covers_the_engine() -> None:
    """An empty or blind scan would pass every rule vacuously: it must see imports we know are there."""
    engine = scan(PACKAGE / "engine")
    seen = {(module, name) for module, imports in engine.items() for _line, name in imports}
    assert {
        (f"{ENGINE}.run.worker", f"{ENGINE}.browser.session.BrowserSession"),
        (f"{ENGINE}.system.root_lock", f"{ENGINE}.system.processes.proc_ref"),
        (f"{ENGINE}.status", f"{ENGINE}.models.ListVerdict"),
        (f"{ENGINE}.browser.signin", f"{ENGINE}.system.run_markers.RunMarker"),
        (f"{ENGINE}.run.batch", f"{ENGINE}.browser.signin.SignInSetup"),
    } <= seen
    assert {engine_part(module) for module in engine} >= VOCABULARY | BELOW_RUN | {"run"}


# Each rule, broken once: a lazy import, a relative one, the very imports issue 15 found.
BREAKS = [
    (NO_RUN_BELOW, f"{ENGINE}.download_route", "from po_downloader.engine.run.fetch import PoFetcher\n"),
    (
        NO_RUN_BELOW,
        f"{ENGINE}.browser.signin",
        "def check():\n    from po_downloader.engine.run.worker import WorkerConfig\n",
    ),
    (NO_RUN_BELOW, f"{ENGINE}.output.fake", "from ..run import pool\n"),
    (NO_RUN_BELOW, f"{ENGINE}.http.fake", "from po_downloader.engine.run.worker import WorkerConfig\n"),
    (
        SYSTEM_ALONE,
        f"{ENGINE}.system.fake",
        "from po_downloader.engine.browser.profile_copy import SourceProfile\n",
    ),
    (SYSTEM_ALONE, f"{ENGINE}.system.fake", "from po_downloader.engine import events\n"),
    (
        VOCABULARY_ALONE,
        f"{ENGINE}.status",
        "from po_downloader.engine.browser.attachment_wait import ListVerdict\n",
    ),
    (FACES_ON_TOP, f"{ENGINE}.run.controller", "from po_downloader.engine.run.batch import worker_config\n"),
    (FACES_ON_TOP, f"{ENGINE}.output.fake", "import po_downloader.engine.browser.signin\n"),
]


@pytest.mark.parametrize(("rule", "module", "source"), BREAKS)
def test_the_checker_catches_a_break(rule: str, module: str, source: str) -> None:
    broken = broken_rules(module, imported_names(source, module))
    assert [r for r, _where in broken] == [rule]


@pytest.mark.parametrize(
    ("module", "source"),
    [
        (
            f"{ENGINE}.system.root_lock",
            "from po_downloader.engine.errors import ErrorKind\nfrom . import processes\n",
        ),
        (f"{ENGINE}.run.batch", "from po_downloader.engine.browser.signin import SignInSetup\n"),
        (f"{ENGINE}.status", "from po_downloader.engine.events import BatchSummary\n"),
        (
            f"{ENGINE}.output.results",
            "from po_downloader.engine.input.plan import BatchPlan\nimport psutil\n",
        ),
    ],
)
def test_the_checker_lets_downward_imports_pass(module: str, source: str) -> None:
    assert broken_rules(module, imported_names(source, module)) == []


@pytest.mark.parametrize("rule", RULES)
def test_the_engine_keeps_its_layers(rule: str) -> None:
    broken = [
        where
        for module, imports in scan(PACKAGE / "engine").items()
        for r, where in broken_rules(module, imports)
        if r == rule
    ]
    assert broken == [], rule


def test_the_faces_are_what_ui_and_cli_call() -> None:
    """Each face has its importers outside the engine; a name in FACES that nothing calls is a stale rule."""
    outside = scan(PACKAGE / "ui") | scan(PACKAGE / "cli")
    for face in FACES:
        importers = {
            m.split(".")[1]
            for m, imports in outside.items()
            for _line, n in imports
            if n.startswith(f"{face}.")
        }
        assert importers == {"ui", "cli"}, face
