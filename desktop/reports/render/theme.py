"""The reports' look: the font shipped in ``desktop/resources/fonts`` and the colours."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.errors import SmgovError
from desktop.resources import resource_path

APP_NAME = "Social Media Governance Desk"
ORGANISATION = "Government of Saskatchewan"

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

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
