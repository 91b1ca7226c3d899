"""Take docs/screenshot.png: the window mid-batch on a real X display with a tray host, with a large file
(PO 20000011's, sent in paced chunks) arriving: the table shows each PO's files as they come.

    xvfb-run -a -s "-screen 0 1400x900x24" bash -c 'trayer --align right & sleep 1; .venv/bin/python docs/make_screenshot.py'
(`make screenshot` does exactly this.)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from po_downloader.demo_portal.catalog import demo_po_numbers
from po_downloader.engine.models import PoStatus
from po_downloader.engine.system.logs import setup_logging
from po_downloader.engine.system.paths import app_dirs
from po_downloader.ui.app import build, make_app
from tests.helpers.batch import settings_for, sign_in
from tests.helpers.portal import PortalProcess

OUT = Path(__file__).resolve().parent / "screenshot.png"


def main() -> int:
    app = make_app(sys.argv[:1])
    setup_logging(app_dirs(Path(tempfile.mkdtemp(prefix="po-shot-logs-"))))
    with (
        tempfile.TemporaryDirectory(prefix="po-shot-") as tmp,
        PortalProcess(latency_ms=700, file_latency_ms=300, render_ms=400) as portal,
    ):
        base = Path(tmp)
        profile = sign_in(portal.url, base / "source")
        window, tray = build(app_dirs(base / "home"))
        window.settings = settings_for(portal.url, profile, base / "Coupa POs")
        window.first_run.hide()
        sheet = base / "weekly_pos.csv"
        demo = demo_po_numbers(30)
        pos = demo[:9] + ["20000011"] + demo[9:] + ["20000001", "20000005", "20000008"]
        sheet.write_text("PO_NUMBER\n" + "\n".join(f"PO{d}" for d in pos) + "\nPO12AB\n", encoding="utf-8")
        window.resize(1280, 800)
        window.show()
        window.load_file(sheet)
        while window.sheet_loader.busy:  # the sheet is read off the GUI thread
            app.processEvents()
            time.sleep(0.01)
        window.workers.slider.setValue(4)
        window.launcher.use_governor = False  # the picture is of the files arriving, not of a busy build machine
        window.log_panel.set_expanded(True)
        window.launcher.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            app.processEvents()
            rows = window.model.rows()
            counts = Counter(row.outcome.status for row in rows)
            # a file part-way, arriving at a measured speed: the row shows bytes, speed and time left
            arriving = any(row.live and any(not f.whole and f.rate > 0 for f in row.live.files) for row in rows)
            if counts.get(PoStatus.COMPLETED, 0) >= 8 and arriving:
                break
            time.sleep(0.02)
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)
        window.grab().save(str(OUT))
        sys.stdout.write(f"saved {OUT} (tray available: {QSystemTrayIcon.isSystemTrayAvailable()})\n")
        window.session.stop()
        while window.session.running:
            app.processEvents()
            time.sleep(0.02)
        window.log_panel.detach()
        tray.hide()
    QApplication.instance().quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
