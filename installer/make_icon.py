"""Make installer/app.ico from the app's icon, desktop/resources/icons/app.svg.

    python installer/make_icon.py            # writes installer/app.ico
    python installer/make_icon.py OUT.ico

The .ico is committed (the Windows build, the installers and the tests use it); run this again
after changing app.svg. The SVG is drawn by Qt (already a dependency) at every size Windows asks
for: Explorer, the taskbar, the Start menu, Alt+Tab and high-DPI screens. Sizes up to 48 px are
stored as 32-bit bitmaps, which every Windows tool reads (resource compilers, Inno Setup, MSI
icons); 256 px is stored as PNG, the usual form for that size.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "desktop" / "resources" / "icons" / "app.svg"
ICO = ROOT / "installer" / "app.ico"
SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
PNG_FROM = 256  # sizes from this one up are stored as PNG


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn into a transparent size × size image (needs a QGuiApplication)."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG file Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def _bitmap_entry(image: QImage) -> bytes:
    """A 32-bit DIB as icons store it: BITMAPINFOHEADER with twice the height, BGRA rows
    bottom-up, then the 1-bit AND mask (all zero: the alpha channel decides)."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(size - 1, -1, -1):
        # Format_ARGB32 is 0xAARRGGBB per pixel, i.e. B, G, R, A bytes on little-endian.
        line = image.constScanLine(y)
        rows.append(bytes(line)[: size * 4])
    mask_row = ((size + 31) // 32) * 4
    return header + b"".join(rows) + bytes(mask_row * size)


def _png_entry(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(svg: Path = SVG, sizes: tuple[int, ...] = SIZES) -> bytes:
    """An .ico file holding ``svg`` at each of ``sizes``."""
    entries = []
    for size in sizes:
        image = render(svg, size)
        entries.append((size, _png_entry(image) if size >= PNG_FROM else _bitmap_entry(image)))
    out = [struct.pack("<HHH", 0, 1, len(entries))]  # ICONDIR: reserved, type 1 = icon, count
    offset = 6 + 16 * len(entries)
    for size, data in entries:
        side = 0 if size >= 256 else size  # 0 means 256 in the directory
        out.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset))
        offset += len(data)
    out.extend(data for _size, data in entries)
    return b"".join(out)


def main(argv: list[str]) -> int:
    # Drawing needs no screen: the offscreen platform works on a build machine too.
    _app = QGuiApplication.instance() or QGuiApplication(["make_icon", "-platform", "offscreen"])
    target = Path(argv[0]) if argv else ICO
    target.write_bytes(ico_bytes())
    print(f"{target}: {', '.join(str(s) for s in SIZES)} px from {SVG.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
