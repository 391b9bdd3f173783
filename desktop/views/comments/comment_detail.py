"""The detail panel under the comment log: the comment itself, its responses, and the
commenter's strikes — read-only, rendered from a ``CommentDetail``.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget

from desktop.services.comment_detail import CommentDetail

EMPTY = "Select a comment in the list to see it here."


def _browser(name: str, accessible: str) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setObjectName(name)
    browser.setAccessibleName(accessible)
    browser.setOpenExternalLinks(True)
    browser.setFrameShape(QTextBrowser.Shape.NoFrame)
    browser.setMinimumHeight(40)  # the pane may be dragged short: the text scrolls
    return browser


def _box(title: str, browser: QTextBrowser) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(browser)
    return box


class CommentDetailPanel(QWidget):
    def __init__(self, timezone: str = "America/Regina", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentDetail")
        self.timezone = timezone
        self.detail: CommentDetail | None = None
        self.comment = _browser("commentText", "The comment")
        self.responses = _browser("commentResponses", "Responses")
        self.strikes = _browser("commentStrikes", "Strikes and bans")
        # Side by side: the pane is wide and may be short (the list above keeps its rows).
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(_box("Comment", self.comment), 5)
        layout.addWidget(_box("Responses", self.responses), 3)
        layout.addWidget(_box("Moderation", self.strikes), 2)
        self.show_detail(None)

    def _when(self, value: datetime) -> str:
        return value.astimezone(ZoneInfo(self.timezone)).strftime("%a %d %b %Y, %H:%M")

    def show_message(self, text: str) -> None:
        self.detail = None
        self.comment.setHtml(f"<p style='color:#57606a'>{escape(text)}</p>")
        self.responses.clear()
        self.strikes.clear()

    def show_detail(self, detail: CommentDetail | None) -> None:
        if detail is None:
            self.show_message(EMPTY)
            return
        self.detail = detail
        self.comment.setHtml(self._comment_html(detail))
        self.responses.setHtml(self._responses_html(detail))
        self.strikes.setHtml(self._strikes_html(detail))

    def _comment_html(self, d: CommentDetail) -> str:
        row = d.row
        who = escape(row.author)
        if d.author_handle and d.author_handle != row.author:
            who += f" <span style='color:#57606a'>{escape(d.author_handle)}</span>"
        flags = [
            f"<b style='color:#b25e00'>{flag}</b>"
            for flag, on in (("High profile", row.high_profile), ("Emergency", row.emergency))
            if on
        ]
        facts = [
            ("Account", escape(row.account)),
            ("Ministry", escape(f"{row.ministry} — {d.ministry_name}" if d.ministry_name else "")),
            ("Received", self._when(row.received_at)),
            ("Status", escape(row.status.value.capitalize()) + _closed(d)),
            ("Assigned to", escape(row.assignee or "nobody yet")),
            ("Acknowledge by", self._when(row.acknowledge_due_at) + _done(row.acknowledged_at)),
            ("Answer by", self._when(row.answer_due_at) + _done(row.answered_at)),
        ]
        if d.logged_by:
            facts.append(("Logged by", escape(d.logged_by)))
        if d.url:
            facts.append(("Link", f"<a href='{escape(d.url)}'>{escape(d.url)}</a>"))
        cells = [
            f"<td style='color:#57606a;padding-right:8px'>{k}</td>"
            f"<td style='padding-right:18px'>{v}</td>"
            for k, v in facts
            if v
        ]
        # Two facts a line: the panel is wide and short.
        table = "".join(
            "<tr>" + "".join(cells[i : i + 2]) + "</tr>" for i in range(0, len(cells), 2)
        )
        text = escape(d.text).replace("\n", "<br>")
        return (
            f"<p><b>{who}</b> · {escape(row.kind.value.capitalize())} {' · '.join(flags)}</p>"
            f"<p style='margin:6px 0 10px 0'>{text}</p><table>{table}</table>"
        )

    def _responses_html(self, d: CommentDetail) -> str:
        if not d.responses:
            return "<p style='color:#57606a'>No response yet.</p>"
        parts = []
        for r in d.responses:
            lines = [f"<b>{escape(r.method)}</b> · {self._when(r.responded_at)}"]
            if r.responder:
                lines[0] += f" · {escape(r.responder)}"
            if r.text:
                lines.append(escape(r.text).replace("\n", "<br>"))
            if r.link_url:
                lines.append(f"<a href='{escape(r.link_url)}'>{escape(r.link_url)}</a>")
            if r.phone:
                lines.append(f"Phone: {escape(r.phone)}")
            lines.extend(escape(item) for item in r.media)
            notes = []
            if r.restricted_topics_cleared:
                notes.append("restricted topics checked")
            if r.high_profile_referral:
                notes.append("referred to the Minister's office")
            if notes:
                lines.append(f"<span style='color:#57606a'>{escape('; '.join(notes))}</span>")
            parts.append("<p>" + "<br>".join(lines) + "</p>")
        return "".join(parts)

    def _strikes_html(self, d: CommentDetail) -> str:
        if not d.strikes:
            text = "No strikes recorded against this commenter."
            return f"<p style='color:#57606a'>{text}</p>"
        head = f"<p><b>{len(d.strikes)} strike{'s' if len(d.strikes) != 1 else ''}</b>"
        if d.active_bans:
            head += " · <b style='color:#b42318'>banned</b>"
        items = "".join(
            f"<li>{escape(s.category)} · {self._when(s.recorded_at)}"
            + (" · <i>this comment</i>" if s.this_comment else "")
            + (f" · {escape(s.recorded_by)}" if s.recorded_by else "")
            + "</li>"
            for s in d.strikes
        )
        return f"{head}</p><ul style='margin-left:-20px'>{items}</ul>"


def _done(at: datetime | None) -> str:
    return " <span style='color:#1a7f37'>✓ done</span>" if at is not None else ""


def _closed(d: CommentDetail) -> str:
    if d.close_reason:
        return escape(f" ({d.close_reason.replace('_', ' ')})")
    if d.hidden_category:
        return escape(f" ({d.hidden_category})")
    return ""
