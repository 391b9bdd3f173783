"""Is there a screen to show the window on? Checked before Qt starts: Qt aborts the process
(a core dump, exit 134) when its platform plugin finds no display.

A pure function of the environment, so it is tested on any machine.
"""

from __future__ import annotations

from collections.abc import Mapping

# Qt platforms that need no display server (``QT_QPA_PLATFORM``).
_HEADLESS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


def display_problem(environ: Mapping[str, str], platform: str) -> str | None:
    """A sentence saying why the window cannot be shown, or None when it can.

    Windows and macOS always have a display for a signed-in person. Elsewhere Qt needs an X11
    server (``DISPLAY``), a Wayland compositor (``WAYLAND_DISPLAY``) or a headless platform
    named in ``QT_QPA_PLATFORM`` (which may list fallbacks: ``wayland;xcb``).
    """
    if platform.startswith(("win", "cygwin", "darwin")):
        return None
    x11 = bool(environ.get("DISPLAY", "").strip())
    wayland = bool(environ.get("WAYLAND_DISPLAY", "").strip())
    requested = [
        name.split(":")[0].strip().lower()
        for name in environ.get("QT_QPA_PLATFORM", "").split(";")
        if name.strip()
    ]
    if not requested:
        if x11 or wayland:
            return None
    else:
        for name in requested:
            if name.startswith(_HEADLESS) or (name == "xcb" and x11):
                return None
            if name.startswith("wayland") and wayland:
                return None
            if name not in ("xcb",) and not name.startswith("wayland"):
                return None  # a platform we do not know: let Qt decide
    return (
        "No display to show the window on (DISPLAY and WAYLAND_DISPLAY are not set): start "
        "smgov from a desktop session; `smgov --help` lists the commands that need no display."
    )
