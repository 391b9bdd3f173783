"""The MSI IT deploys, built from the committed installer/smgov-desk.wxs with msitools' wixl (the
Windows build uses WiX's candle and light on the same file) around the frozen bundle, and read
back table by table with msiinfo."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, VERSION, FrozenBundle, run, unavailable

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("frozen")]

WXS = ROOT / "installer" / "smgov-desk.wxs"
UPGRADE_CODE = "{2FD5FB83-A636-49C3-97BD-6DBBB9F3EC01}"


@dataclass
class Built:
    msi: Path
    wixl_output: str
    bundle: FrozenBundle


@pytest.fixture(scope="module")
def built(frozen_bundle: FrozenBundle, tmp_path_factory: pytest.TempPathFactory) -> Built:
    for tool in ("wixl", "wixl-heat", "msiinfo"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (Debian: apt-get install wixl msitools)")
    work = tmp_path_factory.mktemp("msi")
    # wixl reads sources relative to the folder it runs in.
    source = os.path.relpath(frozen_bundle.folder, work)
    files = sorted(os.path.relpath(p, work) for p in frozen_bundle.folder.rglob("*") if p.is_file())
    harvest = subprocess.run(
        ["wixl-heat", "--var", "var.SourceDir", "-p", f"{source}/", "--directory-ref",
         "INSTALLDIR", "--component-group", "AppFiles", "--win64"],
        input="\n".join(files) + "\n", capture_output=True, text=True, check=True, cwd=work,
    )  # fmt: skip
    (work / "files.wxs").write_text(harvest.stdout, encoding="utf-8")
    msi = work / f"smgov-desk-{VERSION}.msi"
    icon = os.path.relpath(ROOT / "installer" / "app.ico", work)
    result = run(
        ["wixl", "--arch", "x64", "-D", f"Version={VERSION}", "-D", f"SourceDir={source}",
         "-D", f"IconFile={icon}", "-D", "Win64=yes", "-o", msi, WXS, "files.wxs"],
        cwd=work,
    )  # fmt: skip
    return Built(msi, result.stdout + result.stderr, frozen_bundle)


def table(msi: Path, name: str) -> list[dict[str, str]]:
    """The rows of one MSI table (msiinfo export: column names, types, keys, then rows)."""
    text = run(["msiinfo", "export", msi, name], cwd=msi.parent).stdout
    lines = text.splitlines()
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:] if line]


def test_wxs_uses_only_what_wixl_understands(built: Built) -> None:
    # wixl warns of an attribute it ignores ("has no property named …"): it would then build an
    # MSI other than the one WiX builds from the same file.
    assert "WARNING" not in built.wixl_output, built.wixl_output
    assert "CRITICAL" not in built.wixl_output, built.wixl_output
    tables = run(["msiinfo", "tables", built.msi], cwd=built.msi.parent).stdout.split()
    for name in ("File", "Component", "Shortcut", "Registry", "Upgrade", "Icon", "Property"):
        assert name in tables


def test_msi_installs_for_all_users_under_program_files(built: Built) -> None:
    props = {row["Property"]: row["Value"] for row in table(built.msi, "Property")}
    assert props["ALLUSERS"] == "1"  # per machine: IT pushes it once for everyone
    assert props["ProductName"] == "Social Media Governance Desk"
    assert props["Manufacturer"] == "Government of Saskatchewan"
    assert props["ProductVersion"] == VERSION
    assert props["UpgradeCode"] == UPGRADE_CODE
    assert props["ARPPRODUCTICON"] == "AppIcon.ico"
    parents = {row["Directory"]: row for row in table(built.msi, "Directory")}
    assert parents["INSTALLDIR"]["DefaultDir"] == "smgov-desk"
    govsk = parents[parents["INSTALLDIR"]["Directory_Parent"]]
    assert govsk["DefaultDir"] == "GovSK"
    assert govsk["Directory_Parent"] == "ProgramFiles64Folder"
    summary = run(["msiinfo", "suminfo", built.msi], cwd=built.msi.parent).stdout
    assert "Template: x64;1033" in summary


def test_msi_puts_a_start_menu_shortcut_to_the_windowed_app(built: Built) -> None:
    (shortcut,) = table(built.msi, "Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Name"] == "Social Media Governance Desk"
    assert shortcut["Target"] == "[INSTALLDIR]smgov-desk.exe"
    assert shortcut["WkDir"] == "INSTALLDIR"
    registry = {row["Name"]: row for row in table(built.msi, "Registry")}
    components = {row["Component"]: row for row in table(built.msi, "Component")}
    # Windows Installer counts the Start menu as a user profile folder: the shortcut's component
    # must be kept by a value under HKCU (root 1), or WiX's light refuses it (ICE38, ICE43).
    keypath = components[shortcut["Component_"]]["KeyPath"]
    (kept_by,) = [row for row in registry.values() if row["Registry"] == keypath]
    assert kept_by["Root"] == "1"
    # The value IT's detection rule reads, machine-wide (HKLM = root 2).
    assert registry["Version"]["Root"] == "2"
    assert registry["Version"]["Key"] == r"Software\GovSK\smgov-desk"
    assert registry["Version"]["Value"] == VERSION


def test_msi_carries_every_file_of_the_bundle(built: Built) -> None:
    rows = table(built.msi, "File")
    on_disk = [p for p in built.bundle.folder.rglob("*") if p.is_file()]
    assert len(rows) == len(on_disk)
    names = {row["FileName"].split("|")[-1] for row in rows}
    for needed in ("app.qss", "DejaVuSans.ttf", "0001_initial_schema.py", "smgov-desk", "smgov"):
        assert needed in names
    (media,) = table(built.msi, "Media")
    assert media["Cabinet"].startswith("#")  # the files travel inside the .msi


def test_msi_replaces_an_older_version_and_refuses_to_downgrade(built: Built) -> None:
    upgrades = table(built.msi, "Upgrade")
    assert {row["UpgradeCode"] for row in upgrades} == {UPGRADE_CODE}
    actions = {row["Action"] for row in table(built.msi, "InstallExecuteSequence")}
    assert "RemoveExistingProducts" in actions
    conditions = table(built.msi, "LaunchCondition")
    assert any("DOWNGRADE" in row["Condition"] for row in conditions)
