"""The app's version, read from ``po_downloader/__init__.py``: the one place it is written.

``python installer/version.py`` prints it for the installers and artefact names (the Inno Setup script
gets it as ``/DAppVersion=…``, the dmg script and the workflow through the shell). Parsed, not imported:
a build machine need not be able to import the app to name its artefacts.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

INIT = Path(__file__).resolve().parents[1] / "po_downloader" / "__init__.py"


def app_version(init: Path = INIT) -> str:
    match = re.search(r'^__version__ = "([^"]+)"$', init.read_text(encoding="utf-8"), re.MULTILINE)
    if match is None:
        raise ValueError(f'no __version__ = "…" line in {init}')
    return match.group(1)


if __name__ == "__main__":
    sys.stdout.write(app_version() + "\n")
