"""The app as it is shipped: the wheel installed in a fresh venv outside the checkout, and the
frozen one-folder bundle built from installer/smgov-desk.spec (the MSI is built from that).

Each is built once per run by a session fixture, and the tests that use it share one xdist group
(``xdist_group``; the run uses ``--dist loadgroup``), so one worker builds it while the others
run the rest of the suite. Without their tools these tests skip, except under CI=true, where
they fail: .ci/run installs the tools.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
EXE = ".exe" if sys.platform == "win32" else ""
# A fixed time for the demo data and the report, as the self-test uses.
AS_OF = "2026-11-18T09:00-06:00"


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine that lacks a tool; fail in CI, which must have it."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run should have installed it)")
    pytest.skip(reason)


def clean_env(home: Path) -> dict[str, str]:
    """The environment of a person's shell: nothing pointing into the checkout or its venv, no
    display (the self-test must choose offscreen itself), the user folders in ``home``."""
    drop = {
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTHONSTARTUP",
        "VIRTUAL_ENV",
        "SMGOV_DATABASE_URL",
        "QT_QPA_PLATFORM",
        "DISPLAY",
        "WAYLAND_DISPLAY",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and p != venv_bin
    )
    env["SMGOV_HOME"] = str(home)
    return env


def run(
    args: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run a command; a failure shows its output in the assertion."""
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"{' '.join(str(a) for a in args)} exited {result.returncode}\n"
        f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
    )
    return result


def outside_checkout(path: Path) -> Path:
    assert not path.resolve().is_relative_to(ROOT), f"{path} is inside the checkout"
    return path


# -- the wheel ------------------------------------------------------------------------------


class InstalledWheel:
    def __init__(self, venv: Path, wheel: Path) -> None:
        self.venv = venv
        self.wheel = wheel
        self.bin = venv / ("Scripts" if sys.platform == "win32" else "bin")
        self.smgov = self.bin / f"smgov{EXE}"


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> InstalledWheel:
    """``pip wheel`` of the project, installed with its dependencies into a new venv."""
    base = outside_checkout(tmp_path_factory.mktemp("wheel"))
    source = base / "source"
    # What an sdist holds: the package, pyproject.toml and the README it names.
    shutil.copytree(
        ROOT / "desktop", source / "desktop", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    dist = base / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", dist, source], cwd=base)
    wheels = sorted(dist.glob("smgov_desk-*.whl"))
    assert len(wheels) == 1, f"expected one wheel, got {wheels}"
    venv = base / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=base)
    installed = InstalledWheel(venv, wheels[0])
    python = installed.bin / f"python{EXE}"
    run([python, "-m", "pip", "--disable-pip-version-check", "install", "-q", wheels[0]], cwd=base)
    return installed


# -- the frozen bundle ----------------------------------------------------------------------


class FrozenBundle:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.smgov = folder / f"smgov{EXE}"
        self.gui = folder / f"smgov-desk{EXE}"
        self.internal = folder / "_internal"

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())


@pytest.fixture(scope="session")
def frozen_bundle(tmp_path_factory: pytest.TempPathFactory) -> FrozenBundle:
    """installer/smgov-desk.spec built with PyInstaller into a temporary folder."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        unavailable("PyInstaller is not installed (pip install -e '.[test,freeze]')")
    base = outside_checkout(tmp_path_factory.mktemp("frozen"))
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            base / "dist",
            "--workpath",
            base / "work",
            ROOT / "installer" / "smgov-desk.spec",
        ],
        cwd=base,
        timeout=900,
    )
    return FrozenBundle(base / "dist" / "smgov-desk")
