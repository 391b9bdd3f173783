"""The restricted-topics checklist: matters before the courts, draft legislation, Cabinet
materials and personal information, each answered "not discussed" before words go public."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QGridLayout, QGroupBox, QLabel, QRadioButton, QWidget

from desktop.enums import RestrictedTopic
from desktop.views.field_errors import error_label

NOT_DISCUSSED, DISCUSSED = 1, 2


class RestrictedTopicsBox(QGroupBox):
    """One row per topic with "Not discussed" / "Discussed"; ``error`` shows the service's
    refusal under the rows."""

    def __init__(self, what: str = "the text", parent: QWidget | None = None) -> None:
        super().__init__(f"Restricted topics: does {what} discuss any of these?", parent)
        self.setObjectName("restrictedTopics")
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        self.groups: dict[RestrictedTopic, QButtonGroup] = {}
        for i, topic in enumerate(RestrictedTopic):
            no = QRadioButton("Not discussed")
            no.setObjectName(f"topic_{topic.value}_no")
            no.setAccessibleName(f"{topic.label}: not discussed")
            yes = QRadioButton("Discussed")
            yes.setObjectName(f"topic_{topic.value}_yes")
            yes.setAccessibleName(f"{topic.label}: discussed")
            group = QButtonGroup(self)
            group.addButton(no, NOT_DISCUSSED)
            group.addButton(yes, DISCUSSED)
            group.idToggled.connect(self._on_answered)
            self.groups[topic] = group
            grid.addWidget(QLabel(topic.label), i, 0)
            grid.addWidget(no, i, 1)
            grid.addWidget(yes, i, 2)
        grid.setColumnStretch(0, 1)
        self.hint = QLabel()
        self.hint.setObjectName("topicsHint")
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "muted")
        self.error = error_label("topicsError")
        grid.addWidget(self.hint, len(RestrictedTopic), 0, 1, 3)
        grid.addWidget(self.error, len(RestrictedTopic) + 1, 0, 1, 3)
        self._on_answered()

    def cleared(self) -> bool:
        """Every topic answered "not discussed"."""
        return all(g.checkedId() == NOT_DISCUSSED for g in self.groups.values())

    def clear_all(self) -> None:
        for group in self.groups.values():
            group.button(NOT_DISCUSSED).setChecked(True)

    def _on_answered(self, *_args: object) -> None:
        discussed = [t for t, g in self.groups.items() if g.checkedId() == DISCUSSED]
        if discussed:
            text = (
                "These may not be discussed with the public, in a post or in a message: take "
                "them out, or send people to a phone number or a link only."
            )
        elif self.cleared():
            text = "Checked: none of the restricted topics is discussed."
            self.error.hide()  # the refusal it answered
        else:
            text = "Answer every line before saving."
        self.hint.setText(text)
