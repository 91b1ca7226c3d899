"""Guards against the PySide6 build this app cannot live with (pinned out in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys


def test_many_signal_emits_do_not_abort_the_interpreter() -> None:
    # PySide6 6.12.0 dropped a reference to True on every Python-side emit: ~600 emits aborted the app.
    code = (
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "app = QCoreApplication([])\n"
        "class O(QObject):\n"
        "    changed = Signal(int)\n"
        "o = O()\n"
        "for i in range(5000):\n"
        "    o.changed.emit(i)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-500:]
