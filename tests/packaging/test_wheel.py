"""The wheel, installed with pip into a fresh venv outside the checkout, runs as shipped: its
fonts, icons, stylesheet, policy text and migrations come from the installed package."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.packaging.conftest import InstalledWheel
from tests.packaging.shipped import (
    assert_report_with_shipped_fonts,
    assert_self_test_uses,
    assert_version,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]


def test_the_wheel_holds_every_runtime_file(installed_wheel: InstalledWheel) -> None:
    names = set(zipfile.ZipFile(installed_wheel.wheel).namelist())
    for needed in (
        "desktop/resources/style/app.qss",
        "desktop/resources/fonts/DejaVuSans.ttf",
        "desktop/resources/fonts/DejaVuSans-Bold.ttf",
        "desktop/resources/icons/app.svg",
        "desktop/resources/policy/social-media-policy.txt",
        "desktop/storage/migrations/env.py",
        "desktop/storage/migrations/script.py.mako",
        "desktop/storage/migrations/versions/0001_initial_schema.py",
    ):
        assert needed in names
    assert not any(n.startswith(("resources/", "tests/", "installer/")) for n in names)


def test_installed_wheel_passes_its_self_test_with_its_own_files(
    installed_wheel: InstalledWheel, tmp_path: Path
) -> None:
    assert_version(installed_wheel.smgov, tmp_path)
    assert_self_test_uses(installed_wheel.smgov, tmp_path, installed_wheel.venv)


def test_installed_wheel_writes_a_report_in_the_shipped_fonts(
    installed_wheel: InstalledWheel, tmp_path: Path
) -> None:
    assert_report_with_shipped_fonts(installed_wheel.smgov, tmp_path)
