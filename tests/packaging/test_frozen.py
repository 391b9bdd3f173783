"""The one-folder bundle PyInstaller builds from installer/smgov-desk.spec (the Windows release
is built from the same spec) starts, passes its self-test and writes a report: what a frozen
build most often lacks (a hidden import, a data file, a Qt plugin) fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.packaging.conftest import FrozenBundle
from tests.packaging.shipped import (
    assert_report_with_shipped_fonts,
    assert_self_test_uses,
    assert_version,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("frozen")]


def test_bundle_has_the_windowed_and_the_console_programs(frozen_bundle: FrozenBundle) -> None:
    assert frozen_bundle.gui.is_file()
    assert frozen_bundle.smgov.is_file()
    internal = frozen_bundle.internal / "desktop"
    assert (internal / "storage" / "migrations" / "versions" / "0001_initial_schema.py").is_file()
    assert (internal / "resources" / "style" / "app.qss").is_file()
    # Left out on purpose (installer/smgov-desk.spec): the Qt modules the app never imports.
    qt = frozen_bundle.internal / "PySide6"
    assert not list(qt.glob("QtNetwork*"))
    assert not list(qt.glob("QtQml*"))


def test_frozen_app_passes_its_self_test_with_the_bundled_files(
    frozen_bundle: FrozenBundle, tmp_path: Path
) -> None:
    assert_version(frozen_bundle.smgov, tmp_path)
    assert_version(frozen_bundle.gui, tmp_path)
    assert_self_test_uses(frozen_bundle.smgov, tmp_path, frozen_bundle.folder)


def test_frozen_app_writes_a_report_in_the_bundled_fonts(
    frozen_bundle: FrozenBundle, tmp_path: Path
) -> None:
    assert_report_with_shipped_fonts(frozen_bundle.smgov, tmp_path)
