"""The reports' look: the fonts shipped in ``desktop/resources/fonts`` and the colours.

DejaVu Sans sets every text; characters it lacks (Chinese, Japanese, Korean: the WeChat
account's name and its citizens' posts) are set in Droid Sans Fallback, run by run, so they
print as characters and not as empty boxes.
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.errors import SmgovError
from desktop.resources import resource_path

APP_NAME = "Social Media Governance Desk"
ORGANISATION = "Government of Saskatchewan"

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FALLBACK = "DroidSansFallback"  # CJK; it has one weight, used for bold too
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_FALLBACK: "DroidSansFallbackFull.ttf",
}

NAVY = colors.HexColor("#1F3A5F")
TEAL = colors.HexColor("#2A7F8F")
ORANGE = colors.HexColor("#D9822B")
RED = colors.HexColor("#B3261E")
GREEN = colors.HexColor("#2E7D32")
GREY = colors.HexColor("#6B7280")
LIGHT = colors.HexColor("#EEF2F6")
RULE = colors.HexColor("#C9D2DC")
SERIES_COLOURS = (NAVY, ORANGE, TEAL, colors.HexColor("#8E6BBF"), GREY, GREEN)


def register_fonts() -> None:
    """DejaVu Sans from ``desktop/resources/fonts``: it covers Latin, Vietnamese, Greek and Cyrillic
    names, which the standard PDF fonts (Latin-1 only) would print as black boxes."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, filename in _FONT_FILES.items():
        path = resource_path("fonts", filename)
        if not path.is_file():
            raise SmgovError(
                f"The report font {path} is missing; reinstall the application to restore it."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    pdfmetrics.registerFontFamily(
        FONT_FALLBACK,
        normal=FONT_FALLBACK,
        bold=FONT_FALLBACK,
        italic=FONT_FALLBACK,
        boldItalic=FONT_FALLBACK,
    )


@cache
def _covered() -> frozenset[int]:
    """The code points DejaVu Sans has a glyph for."""
    register_fonts()
    font = pdfmetrics.getFont(FONT)
    return frozenset(font.face.charToGlyph)


def needs_fallback(text: str) -> bool:
    """True when some character of ``text`` is missing from DejaVu Sans (and is printable)."""
    covered = _covered()
    return any(ord(ch) not in covered and not ch.isspace() for ch in text)


def esc(text: str) -> str:
    """``text`` escaped for a Paragraph, runs DejaVu lacks wrapped in the fallback font."""
    if not needs_fallback(text):
        return escape(text)
    covered = _covered()
    out: list[str] = []
    run: list[str] = []
    fallback = False
    for ch in text:
        wanted = ord(ch) not in covered and not ch.isspace()
        if wanted != fallback and run:
            out.append(_run("".join(run), fallback))
            run = []
        fallback = wanted
        run.append(ch)
    if run:
        out.append(_run("".join(run), fallback))
    return "".join(out)


def _run(text: str, fallback: bool) -> str:
    return f'<font face="{FONT_FALLBACK}">{escape(text)}</font>' if fallback else escape(text)


def covered_runs(text: str) -> list[str]:
    """The pieces of ``text`` set in DejaVu Sans, split where a fallback character stands."""
    covered = _covered()
    runs: list[str] = []
    run: list[str] = []
    for ch in text:
        if ord(ch) in covered or ch.isspace():
            run.append(ch)
        elif run:
            runs.append("".join(run))
            run = []
    if run:
        runs.append("".join(run))
    return runs
