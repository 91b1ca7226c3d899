"""``python -m po_downloader``, and the entry script of the frozen app (``build_spec.py``)."""

import os
import sys

from po_downloader.cli.main import main

if __name__ == "__main__":
    # A windowed build (Windows, macOS .app) has no console: sys.stdout/stderr are None there, and
    # logging or argparse writing to them would fail. Send them nowhere instead.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (lives as long as the app)
    if sys.platform == "win32" and getattr(sys, "frozen", False):
        # Held while the app runs: the installer (AppMutex in installer/windows/po-downloader.iss) sees it
        # and asks the user to close the app before replacing or removing its files.
        import ctypes

        _running = ctypes.windll.kernel32.CreateMutexW(None, False, "PODownloaderRunning")
    sys.exit(main())
