# PyInstaller spec: `python build_spec.py [--distpath D --workpath W]` (or `make dist`) on the OS you build for.
"""The one-folder "PO Downloader" app: Windows (``dist/PO Downloader/PO Downloader.exe``), macOS
(``dist/PO Downloader.app``) and Linux (``dist/PO Downloader/po-downloader``).

PyInstaller cannot cross-build: each OS builds its own (the GitHub workflow does Windows and macOS).
``pyinstaller build_spec.py`` would not work: PyInstaller takes a ``.py`` argument for a script to freeze
and writes a spec of its own, so run as a script this file hands itself to PyInstaller as the spec.
The version comes from ``po_downloader/__init__.py`` only; the installers read it from the environment
variable ``PO_DOWNLOADER_VERSION`` that ``installer/version.py`` prints.
"""

# ruff: noqa: F821  (Analysis, PYZ, EXE, COLLECT, BUNDLE and SPECPATH are given by PyInstaller)

import sys
from pathlib import Path

if "SPECPATH" not in globals():  # `python build_spec.py`: let PyInstaller's own CLI build with this spec
    import PyInstaller.__main__ as pyinstaller_cli

    pyinstaller_cli.run_makespec = lambda *args, **kwargs: __file__
    pyinstaller_cli.run([*sys.argv[1:], __file__])
    raise SystemExit(0)

ROOT = Path(SPECPATH).resolve()
sys.path.insert(0, str(ROOT / "installer"))

from make_icons import make_icons  # noqa: E402
from PyInstaller.utils.hooks import collect_submodules  # noqa: E402
from version import app_version  # noqa: E402

APP_NAME = "PO Downloader"
BUNDLE_ID = "io.github.po-downloader"
VERSION = app_version()
WINDOWS, MACOS = sys.platform == "win32", sys.platform == "darwin"
EXE_NAME = APP_NAME if (WINDOWS or MACOS) else "po-downloader"
SELENIUM_MANAGER_DIR = "windows" if WINDOWS else "macos" if MACOS else "linux"

# The top-level resources/ goes inside the bundled package, where the wheel installs it too: the app finds
# it there (po_downloader/engine/system/paths.py resources_root). Runtime files only, no .ts sources.
RESOURCES = ROOT / "resources"
if not list((RESOURCES / "i18n").glob("*.qm")):
    raise SystemExit("no compiled translations: run `make translations` first (pyside6-lrelease)")
datas = [(str(RESOURCES / "selectors.json"), "po_downloader/resources")]
datas += [(str(p), "po_downloader/resources/icons") for p in sorted((RESOURCES / "icons").glob("*.svg"))]
datas += [(str(p), "po_downloader/resources/i18n") for p in sorted((RESOURCES / "i18n").glob("*.qm"))]

icons = make_icons(ROOT / "build" / "icons")

# Qt modules the app never imports (PyInstaller would follow PySide6's optional imports otherwise) and
# development tools that live in the same venv.
EXCLUDES = [
    *(
        f"PySide6.{m}"
        for m in [
            "Qt3DCore",
            "QtBluetooth",
            "QtCharts",
            "QtConcurrent",
            "QtDataVisualization",
            "QtDBus",
            "QtDesigner",
            "QtHelp",
            "QtMultimedia",
            "QtNetwork",
            "QtOpenGL",
            "QtOpenGLWidgets",
            "QtPdf",
            "QtPdfWidgets",
            "QtPositioning",
            "QtPrintSupport",
            "QtQml",
            "QtQuick",
            "QtQuick3D",
            "QtQuickControls2",
            "QtQuickWidgets",
            "QtRemoteObjects",
            "QtScxml",
            "QtSensors",
            "QtSerialPort",
            "QtSql",
            "QtStateMachine",
            "QtSvgWidgets",
            "QtTest",
            "QtTextToSpeech",
            "QtUiTools",
            "QtWebChannel",
            "QtWebEngineCore",
            "QtWebEngineWidgets",
            "QtWebSockets",
            "QtXml",
        ]
    ),
    "PyQt5",
    "PyQt6",
    "PySide2",
    "tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "mypy",
    "PIL",
    "PyInstaller",
]


def _selenium_wanted(name: str) -> bool:
    """The drivers the app drives (Chromium-family) and their common parts; not the CDP bindings of every
    Chrome version (CDP goes through ``execute_cdp_cmd``), nor Firefox, Safari, IE or WebKit."""
    unused = {"devtools", "firefox", "safari", "ie", "webkitgtk", "wpewebkit"}
    return unused.isdisjoint(name.split("."))


a = Analysis(
    [str(ROOT / "po_downloader" / "__main__.py")],
    pathex=[str(ROOT)],
    datas=datas,
    # Selenium 4.3x+ imports its drivers lazily by name (webdriver.Chrome, webdriver.EdgeOptions…); SVG icons
    # are drawn by Qt's qsvg plugin, which needs QtSvg; qasync imports the binding by name at run time.
    hiddenimports=[
        *collect_submodules("selenium.webdriver", filter=_selenium_wanted),
        "PySide6.QtSvg",
        "qasync",
    ],
    excludes=EXCLUDES,
    noarchive=False,
)


def _other_platforms_selenium_manager(dest: str) -> bool:
    parts = Path(dest).parts
    return (
        len(parts) > 4
        and parts[:3] == ("selenium", "webdriver", "common")
        and parts[3] in ("linux", "macos", "windows")
        and parts[3] != SELENIUM_MANAGER_DIR
    )


a.datas = [d for d in a.datas if not _other_platforms_selenium_manager(d[0])]
a.binaries = [b for b in a.binaries if not _other_platforms_selenium_manager(b[0])]

pyz = PYZ(a.pure)
exe = EXE(
    pyz,
    a.scripts,
    [],
    exclude_binaries=True,
    name=EXE_NAME,
    icon=str(icons["ico"]) if WINDOWS else str(icons["icns"]) if MACOS else None,  # Linux: none in ELF
    # Windows and macOS users double-click: no console window. Linux keeps one (the CLI and the tests).
    console=not (WINDOWS or MACOS),
    # longPathAware, so that Windows with long paths enabled opens the full names (see the file).
    manifest=str(ROOT / "installer" / "windows" / "po-downloader.manifest") if WINDOWS else None,
    upx=False,
)
coll = COLLECT(exe, a.binaries, a.datas, name=APP_NAME, upx=False)

if MACOS:
    app = BUNDLE(
        coll,
        name=f"{APP_NAME}.app",
        icon=str(icons["icns"]),
        bundle_identifier=BUNDLE_ID,
        version=VERSION,
        info_plist={
            "CFBundleName": APP_NAME,
            "CFBundleDisplayName": APP_NAME,
            "CFBundleShortVersionString": VERSION,
            "CFBundleVersion": VERSION,
            "LSMinimumSystemVersion": "11.0",
            "NSHighResolutionCapable": True,
            # A sheet dropped on the Dock icon or opened with the app: Qt turns it into a QFileOpenEvent.
            "CFBundleDocumentTypes": [
                {
                    "CFBundleTypeName": "CSV sheet",
                    "CFBundleTypeRole": "Viewer",
                    "LSHandlerRank": "Alternate",
                    "LSItemContentTypes": ["public.comma-separated-values-text"],
                },
                {
                    "CFBundleTypeName": "Excel workbook",
                    "CFBundleTypeRole": "Viewer",
                    "LSHandlerRank": "Alternate",
                    "LSItemContentTypes": ["org.openxmlformats.spreadsheetml.sheet"],
                },
            ],
        },
    )

_built = Path(DISTPATH) / (f"{APP_NAME}.app" if MACOS else APP_NAME)
_size = sum(p.stat().st_size for p in _built.rglob("*") if p.is_file() and not p.is_symlink())
print(f"PO Downloader {VERSION}: {_built} is {_size / 1e6:.0f} MB")
