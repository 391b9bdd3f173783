"""Chinese, Japanese and Korean in the app: the font shipped with it as the fallback of every
font the app uses, so the WeChat account's name and its citizens' posts never show as boxes
(on a Windows machine without the East Asian fonts, or a Linux desktop without any CJK font).
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop.resources import resource_path

log = logging.getLogger(__name__)

FALLBACK_FILE = "DroidSansFallbackFull.ttf"
# Families the stylesheet or widgets may ask for by name, beside the application's own.
_ALSO = ("Sans Serif", "DejaVu Sans", "Segoe UI", "Arial", "Helvetica")


def add_cjk_fallback(qapp: QApplication) -> str | None:
    """Register the fallback font and put it after the application font's family; returns
    its family name (None when the file is missing: the app then relies on the system)."""
    path = resource_path("fonts", FALLBACK_FILE)
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("The fallback font %s could not be loaded", path)
        return None
    fallback = families[0]
    font = QFont(qapp.font())
    primary = font.family()
    font.setFamilies([primary, fallback])
    qapp.setFont(font)
    # Fonts set by name elsewhere (a chart's, a bold heading's) fall back to it as well.
    for family in {primary, *_ALSO}:
        if fallback not in QFont.substitutes(family):
            QFont.insertSubstitution(family, fallback)
    return fallback
