"""The app icon in every format the installers need, drawn from the one source SVG the window uses.

``python installer/make_icons.py OUT_DIR`` writes ``po-downloader-<n>.png`` (16 … 1024 px),
``po-downloader.ico`` (Windows: exe, shortcuts, Add/Remove Programs) and ``po-downloader.icns`` (the
macOS .app). Qt renders the SVG (no extra SVG library), Pillow writes .ico and .icns: both are build-time
dependencies only (the ``build`` extra). ``build_spec.py`` calls :func:`make_icons` itself.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "resources" / "icons" / "po-downloader.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent ``size``×``size`` canvas, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a build machine may have no display
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def make_icons(out: Path, svg: Path = SOURCE) -> dict[str, Path]:
    """Write every icon under ``out``; returns ``{"ico": path, "icns": path, "png": largest png}``."""
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    images: dict[int, Image.Image] = {}
    for size in PNG_SIZES:
        data = render_png(svg, size)
        (out / f"po-downloader-{size}.png").write_bytes(data)
        images[size] = Image.open(io.BytesIO(data)).convert("RGBA")
    largest = images[max(PNG_SIZES)]
    ico = out / "po-downloader.ico"
    images[256].save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    icns = out / "po-downloader.icns"
    largest.save(icns, format="ICNS")
    return {"ico": ico, "icns": icns, "png": out / f"po-downloader-{max(PNG_SIZES)}.png"}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/icons")
    for kind, path in make_icons(target).items():
        sys.stdout.write(f"{kind}: {path}\n")
