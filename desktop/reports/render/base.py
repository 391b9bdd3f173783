"""The renderer every report derives from (pretix's pattern): fonts, styles, page templates with
header and footer, the title block, "Page X of Y", and the document's metadata.

A report class implements ``story()``; ``render(path)`` lays it out on US Letter pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from desktop.reports.render import formatting as fmt
from desktop.reports.render.blocks import para
from desktop.reports.render.theme import (
    APP_NAME,
    FONT,
    FONT_BOLD,
    GREY,
    NAVY,
    ORGANISATION,
    RULE,
    register_fonts,
)
from desktop.reports.spec import ReportCancelled


@dataclass(frozen=True)
class ReportHeader:
    """What the title block, the running header and footer, and the metadata say."""

    title: str
    scope: str
    period: str | None
    as_of: datetime
    generated_at: datetime
    source: str  # the database, as shown to people (never with a password)
    author: str  # who generated it
    timezone: str
    # True: the person chose to include personal information; False: it is masked; None: the
    # report holds none (no comments, no commenters), so it says nothing about masking.
    personal_info: bool | None
    # The latest signed checkpoint of the audit log, printed in every page's footer.
    checkpoint: str = ""

    @property
    def subject(self) -> str:
        period = f", {self.period}" if self.period else ""
        return f"{self.title}: {self.scope}{period}"


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Keeps every page until the end so each can say "Page X of Y" (two passes, one layout)."""

    def __init__(self, *args: Any, font: str = FONT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._font = font
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_page_number(total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_page_number(self, total: int) -> None:
        width = self._pagesize[0]
        self.saveState()
        self.setFont(self._font, 8)
        self.setFillColor(GREY)
        self.drawRightString(
            width - BaseReportRenderer.margin,
            BaseReportRenderer.footer_y,
            f"Page {self._pageNumber} of {total}",
        )
        self.restoreState()


LANGUAGE = "en-CA"
_OUTLINE_LEVELS = {"Title": 0, "Heading1": 0, "Heading2": 1}


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    """Checks for cancellation after every flowable drawn (a long table is drawn in parts),
    and adds every heading to the document outline (the bookmarks a reader navigates by)."""

    def __init__(self, *args: Any, cancelled: Callable[[], bool] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cancelled = cancelled
        self._headings = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        if self._cancelled is not None and self._cancelled():
            raise ReportCancelled
        style = getattr(flowable, "style", None)
        level = _OUTLINE_LEVELS.get(getattr(style, "name", ""))
        if level is not None and isinstance(flowable, Paragraph):
            self._headings += 1
            key = f"h{self._headings}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)
            self.canv.showOutline()  # a reader opens with the bookmarks shown


class BaseReportRenderer:
    pagesize = letter  # Canada prints on US Letter
    margin = 0.75 * inch
    top_margin = 0.95 * inch  # room for the running header
    bottom_margin = 0.8 * inch  # room for the footer
    header_y = 0.5 * inch  # the running header's baseline, down from the top edge
    footer_y = 0.45 * inch  # the footer's baseline, up from the bottom edge
    label_width = 1.45 * inch  # the title block's left column

    def __init__(self, header: ReportHeader) -> None:
        self.header = header
        register_fonts()
        self.styles = self._stylesheet()

    @property
    def width(self) -> float:
        """The frame's width: what tables and charts may use."""
        return float(self.pagesize[0] - 2 * self.margin)

    # -- template methods ----------------------------------------------------------------

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def _stylesheet(self) -> StyleSheet1:
        s = StyleSheet1()
        s.add(ParagraphStyle("Normal", fontName=FONT, fontSize=9.5, leading=12.5))
        s.add(ParagraphStyle("Small", parent=s["Normal"], fontSize=8, leading=10))
        s.add(ParagraphStyle("Muted", parent=s["Small"], textColor=GREY))
        s.add(
            ParagraphStyle(
                "Note",
                parent=s["Normal"],
                fontSize=8.5,
                leading=11,
                textColor=GREY,
                spaceBefore=2,
                spaceAfter=6,
            )
        )
        s.add(
            ParagraphStyle(
                "Title", fontName=FONT_BOLD, fontSize=20, leading=24, textColor=NAVY, spaceAfter=2
            )
        )
        s.add(
            ParagraphStyle(
                "Subtitle", fontName=FONT, fontSize=11.5, leading=15, textColor=GREY, spaceAfter=10
            )
        )
        s.add(
            ParagraphStyle(
                "Heading1",
                fontName=FONT_BOLD,
                fontSize=13.5,
                leading=17,
                textColor=NAVY,
                spaceBefore=14,
                spaceAfter=6,
            )
        )
        s.add(
            ParagraphStyle(
                "Heading2",
                fontName=FONT_BOLD,
                fontSize=10.5,
                leading=13.5,
                textColor=NAVY,
                spaceBefore=9,
                spaceAfter=4,
            )
        )
        s.add(ParagraphStyle("Cell", fontName=FONT, fontSize=8, leading=9.8))
        s.add(ParagraphStyle("CellRight", parent=s["Cell"], alignment=TA_RIGHT))
        s.add(
            ParagraphStyle(
                "CellHead",
                fontName=FONT_BOLD,
                fontSize=7,
                leading=8.6,
                textColor=colors.white,
                splitLongWords=0,
            )
        )
        s.add(ParagraphStyle("CellHeadRight", parent=s["CellHead"], alignment=TA_RIGHT))
        s.add(ParagraphStyle("Figure", fontName=FONT_BOLD, fontSize=15, leading=18, textColor=NAVY))
        s.add(ParagraphStyle("FigureLabel", parent=s["Small"], textColor=GREY))
        return s

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Running header and footer (the page number is added by NumberedCanvas)."""
        h = self.header
        width, height = self.pagesize
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        top = height - self.header_y
        canvas.drawString(self.margin, top, f"{ORGANISATION} \u00b7 {APP_NAME}")
        canvas.drawRightString(width - self.margin, top, h.title)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.margin, top - 5, width - self.margin, top - 5)
        bottom = self.footer_y
        canvas.line(self.margin, bottom + 11, width - self.margin, bottom + 11)
        footer = (
            f"Data as of {fmt.when_zoned(h.as_of, h.timezone)} \u00b7 "
            f"generated {fmt.when(h.generated_at, h.timezone)}"
        )
        if h.personal_info is not None:
            footer += " \u00b7 " + (
                "Contains personal information"
                if h.personal_info
                else "Personal information masked"
            )
        canvas.drawString(self.margin, bottom, footer)
        if h.checkpoint:
            canvas.setFont(FONT, 6.5)
            canvas.drawString(self.margin, bottom - 9, h.checkpoint)
        canvas.restoreState()

    # -- shared blocks -------------------------------------------------------------------

    def heading(self, text: str, level: int = 1, room: float | None = None) -> list[Flowable]:
        """A section heading that never sits alone at the foot of a page.

        A conditional page break instead of keep-with-next: the table after a heading may
        then split across pages rather than leave half a page empty. ``room`` is the space
        the heading needs below it (more when a note and a tall first row follow).
        """
        if room is None:
            room = 1.4 * inch if level == 1 else 1.0 * inch
        return [CondPageBreak(room), para(text, self.styles[f"Heading{level}"])]

    def title_block(self) -> list[Flowable]:
        """The report's name, then what it covers and where its data comes from."""
        h = self.header
        rows = [
            ("Scope", h.scope),
            ("Period", h.period or "At the as-of time"),
            ("Data as of", fmt.when_zoned(h.as_of, h.timezone)),
            ("Source", h.source),
            ("Generated", f"{fmt.when_zoned(h.generated_at, h.timezone)} by {h.author}"),
        ]
        if h.personal_info is not None:
            rows.append(
                (
                    "Personal information",
                    "Included at the request of the person who generated this report"
                    if h.personal_info
                    else "Masked: citizens' names, @handles, e-mail addresses and phone numbers "
                    "are withheld from comments and findings",
                )
            )
        table = Table(
            [[para(k, self.styles["Muted"]), para(v, self.styles["Small"])] for k, v in rows],
            colWidths=[self.label_width, self.width - self.label_width],
            hAlign="LEFT",
        )
        table.setStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
            ]
        )
        return [
            para(h.title, self.styles["Title"]),
            para(h.scope, self.styles["Subtitle"]),
            table,
            Spacer(1, 6),
        ]

    # -- output --------------------------------------------------------------------------

    def render(self, path: Path, cancelled: Callable[[], bool] | None = None) -> int:
        """Write the PDF to ``path``; returns the number of pages."""
        h = self.header
        doc = _Doc(
            str(path),
            cancelled=cancelled,
            pagesize=self.pagesize,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.top_margin,
            bottomMargin=self.bottom_margin,
            title=h.title,
            author=h.author,
            subject=h.subject,
            creator=APP_NAME,
            keywords=["social media", "governance", h.title.lower()],
            lang=LANGUAGE,
            displayDocTitle=True,
            initialFontName=FONT,  # every font embedded: no unembedded Helvetica
        )
        frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            doc.width,
            doc.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate("page", [frame], onPage=self._on_page)])
        font = FONT

        def canvas(*args: Any, **kwargs: Any) -> NumberedCanvas:
            return NumberedCanvas(*args, font=font, **kwargs)

        doc.build(self.title_block() + self.story(), canvasmaker=canvas)
        return int(doc.page)
