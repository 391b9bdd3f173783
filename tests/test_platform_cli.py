"""``smgov --version``, and starting the window where there is no display: one line on stderr
and exit status 1, not Qt's abort (a core dump, exit 134)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.display import display_problem

ROOT = Path(__file__).resolve().parents[1]


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"smgov-desk {project['version']}\n"


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({}, "win32"),  # a signed-in Windows session always has a display
        ({}, "darwin"),
        ({"DISPLAY": ":0"}, "linux"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({"QT_QPA_PLATFORM": "vnc:size=1280x800"}, "linux"),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, "linux"),
        ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, "linux"),
    ],
)
def test_a_display_or_a_headless_platform_lets_the_window_start(
    environ: dict[str, str], platform: str
) -> None:
    assert display_problem(environ, platform) is None


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"DISPLAY": "", "WAYLAND_DISPLAY": " "},
        {"QT_QPA_PLATFORM": "xcb"},
        {"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"},
    ],
)
def test_no_display_is_named_before_qt_starts(environ: dict[str, str]) -> None:
    problem = display_problem(environ, "linux")
    assert problem is not None
    assert "No display" in problem
    assert "\n" not in problem


def _start_gui(
    env_changes: dict[str, str | None], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SMGOV_HOME=str(tmp_path / "home"))
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "desktop"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="Windows and macOS always have a display")
def test_starting_the_window_without_a_display_prints_one_line(tmp_path: Path) -> None:
    result = _start_gui(
        {"DISPLAY": None, "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None}, tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("smgov: No display to show the window on")


@pytest.mark.skipif(sys.platform != "linux", reason="an X11 display is a Linux matter")
def test_a_display_that_does_not_answer_gives_one_line_too(tmp_path: Path) -> None:
    # DISPLAY names an X server that does not exist: Qt gives up on its platform plugin.
    result = _start_gui(
        {"DISPLAY": ":97", "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None}, tmp_path
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("smgov: the window cannot be shown: ")


@pytest.mark.skipif(sys.platform != "linux", reason="an X11 display is a Linux matter")
def test_without_a_console_the_reason_goes_to_the_log_file(tmp_path: Path) -> None:
    # The windowed Windows build has no sys.stderr: the one line must still reach someone.
    code = "import sys; sys.stderr = None; from desktop.cli import main; sys.exit(main([]))"
    env = dict(os.environ, SMGOV_HOME=str(tmp_path / "home"), DISPLAY=":97")
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
        check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    log = (tmp_path / "home" / "logs" / "smgov.log").read_text(encoding="utf-8")
    assert "CRITICAL" in log
    assert "the window cannot be shown" in log
