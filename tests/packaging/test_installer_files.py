"""The committed installer sources agree with each other and with the app: the icon is the app's
icon, and the program names the installers start are the ones the spec builds. These run on any
machine (no build needed)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QImageReader

from tests.packaging.conftest import ROOT

INSTALLER = ROOT / "installer"


def spec_names() -> tuple[str, str]:
    spec = (INSTALLER / "smgov-desk.spec").read_text(encoding="utf-8")
    gui = re.search(r'^GUI_NAME = "([^"]+)"', spec, re.M)
    cli = re.search(r'^CLI_NAME = "([^"]+)"', spec, re.M)
    assert gui, "GUI_NAME in the spec"
    assert cli, "CLI_NAME in the spec"
    return gui.group(1), cli.group(1)


def test_the_installers_start_the_windowed_program_the_spec_builds() -> None:
    gui, cli = spec_names()
    assert (gui, cli) == ("smgov-desk", "smgov")  # the names the docs and IT scripts use
    wxs = (INSTALLER / "smgov-desk.wxs").read_text(encoding="utf-8")
    assert f'Target="[INSTALLDIR]{gui}.exe"' in wxs
    iss = (INSTALLER / "smgov-desk.iss").read_text(encoding="utf-8")
    assert f'#define AppExe "{gui}.exe"' in iss
    assert "PrivilegesRequired=lowest" in iss  # per user: no administrator rights
    assert "SetupIconFile=app.ico" in iss
    script = (INSTALLER / "build-windows.ps1").read_text(encoding="utf-8")
    for name in ("smgov-desk.spec", "smgov-desk.wxs", "smgov-desk.iss", f"{cli}.exe", "app.ico"):
        assert name in script
        assert (INSTALLER / name).is_file() or name.endswith(".exe")


def _entries(data: bytes) -> list[tuple[int, bytes]]:
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    entries = []
    for i in range(count):
        width, _h, _c, _r, _planes, _bits, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        entries.append((width or 256, data[offset : offset + size]))
    return entries


def test_app_ico_holds_every_windows_size(qapp: object) -> None:
    data = (INSTALLER / "app.ico").read_bytes()
    sizes = [size for size, _payload in _entries(data)]
    assert {16, 24, 32, 48, 256} <= set(sizes)
    reader = QImageReader(str(INSTALLER / "app.ico"))
    assert reader.imageCount() == len(sizes)


@pytest.mark.parametrize("size", [16, 32, 48, 256])
def test_app_ico_is_the_apps_icon_as_it_is_now(qapp: object, size: int) -> None:
    """Fails when app.svg changed and app.ico was not made again (installer/make_icon.py)."""
    from installer.make_icon import SVG, render

    reader = QImageReader(str(INSTALLER / "app.ico"))
    images = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        images.append(reader.read())
    (stored,) = [img for img in images if img.width() == size]
    fresh = render(SVG, size).convertToFormat(QImage.Format.Format_ARGB32)
    stored = stored.convertToFormat(QImage.Format.Format_ARGB32)
    worst = 0
    for y in range(size):
        for x in range(size):
            a, b = stored.pixelColor(x, y), fresh.pixelColor(x, y)
            worst = max(worst, *(abs(p - q) for p, q in zip(a.getRgb(), b.getRgb(), strict=True)))
    assert worst <= 8, f"app.ico ({size} px) differs from app.svg: run installer/make_icon.py"


def test_make_icon_writes_the_same_file(qapp: object, tmp_path: Path) -> None:
    from installer.make_icon import main

    assert main([str(tmp_path / "app.ico")]) == 0
    made = _entries((tmp_path / "app.ico").read_bytes())
    committed = _entries((INSTALLER / "app.ico").read_bytes())
    assert [s for s, _ in made] == [s for s, _ in committed]
