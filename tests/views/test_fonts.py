"""Chinese in the app: the WeChat account's name is drawn with the shipped fallback font,
not as empty boxes, in plain and in bold text."""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication

from desktop.views.fonts import add_cjk_fallback

NAME = "萨斯喀彻温农业食品"


def drawn_with(text: str, font: QFont) -> dict[str, list[int]]:
    """The font family of each run of ``text`` as Qt lays it out, with its glyph indexes."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs: dict[str, list[int]] = {}
    for run in layout.glyphRuns():
        runs.setdefault(run.rawFont().familyName(), []).extend(run.glyphIndexes())
    return runs


def test_chinese_is_drawn_with_the_fallback_font(qapp: QApplication) -> None:
    family = add_cjk_fallback(qapp)
    assert family == "Droid Sans Fallback"
    for bold in (False, True):
        font = QFont(qapp.font())
        font.setBold(bold)
        runs = drawn_with(f"WeChat @SaskAgriFood — {NAME}", font)
        assert family in runs
        assert len(runs[family]) >= len(NAME)
        assert 0 not in runs[family]  # glyph 0 is the empty box
    # A font asked for by name (a chart's) falls back to it too.
    assert family in drawn_with(NAME, QFont("DejaVu Sans", 12))
