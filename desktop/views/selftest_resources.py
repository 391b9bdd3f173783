"""The self-test's look at the runtime files: the stylesheet, the icons, the report fonts and the
policy text, as the running app found them (from the installed package, never the source tree).

A wheel or a frozen build that left one of them out shows no error at start-up (the window is
plainer, a report fails later), so the self-test checks each and names where it came from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from desktop.resources import resource_path
from desktop.views.icons import icon

_URL = re.compile(r"url\(([^)]+)\)")


class ResourceProblem(Exception):
    pass


def check_resources(qapp: Any) -> str:
    """One line naming the files in use; ResourceProblem lists what is missing or broken."""
    problems: list[str] = []
    style = _check_style(qapp, problems)
    icons_dir = resource_path("icons")
    names = sorted(p.stem for p in icons_dir.glob("*.svg"))
    if not names:
        problems.append(f"no icons in {icons_dir}")
    blank = [name for name in names if icon(name).pixmap(32, 32).isNull()]
    if blank:
        problems.append(f"icons Qt cannot draw (its SVG plugin missing?): {', '.join(blank)}")
    fonts = _check_fonts(problems)
    policy = resource_path("policy", "social-media-policy.txt")
    try:
        if not policy.read_text(encoding="utf-8").strip():
            problems.append(f"the policy text {policy} is empty")
    except OSError as exc:
        problems.append(f"the policy text cannot be read: {exc}")
    if problems:
        raise ResourceProblem("; ".join(problems))
    return (
        f"resources: stylesheet {style}; {len(names)} icons from {icons_dir}; "
        f"report fonts {', '.join(str(f) for f in fonts)}; policy text {policy}"
    )


def _check_style(qapp: Any, problems: list[str]) -> Path:
    style = resource_path("style", "app.qss")
    sheet = qapp.styleSheet()
    if not style.is_file():
        problems.append(f"the stylesheet {style} is missing")
    elif not sheet:
        problems.append(f"the stylesheet {style} was not applied")
    for target in _URL.findall(sheet):
        if not Path(target.strip("'\"")).is_file():
            problems.append(f"the stylesheet names {target}, which is missing")
    return style


def _check_fonts(problems: list[str]) -> list[Path]:
    from reportlab.pdfbase import pdfmetrics

    from desktop.errors import SmgovError
    from desktop.reports.render.theme import FONT, FONT_BOLD, register_fonts

    try:
        register_fonts()
    except SmgovError as exc:
        problems.append(str(exc))
        return []
    return [Path(pdfmetrics.getFont(name).face.filename) for name in (FONT, FONT_BOLD)]
