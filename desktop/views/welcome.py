"""First run on an empty database: load the sample data, or start empty as administrator."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.people import PeopleService
from desktop.services.session import AppServices
from desktop.views.errors import clear_inline, show_inline
from desktop.views.icons import icon
from desktop.views.worker import Progress, run_in_background


class WelcomeDialog(QDialog):
    """Accepted once the database has people and ``app`` acts as one of them."""

    def __init__(self, app: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.outcome = ""  # "sample" or "empty" once done
        self.setObjectName("welcomeDialog")
        self.setWindowTitle("Welcome to Social Media Governance Desk")
        self.setWindowIcon(icon("app"))
        self.resize(640, 560)
        login = app.ctx.login

        title = QLabel("Welcome")
        title.setProperty("role", "title")
        intro = QLabel(
            f"This database has no data yet ({app.target.label}). Choose how to start; you can "
            "open another database later from the File menu."
        )
        intro.setWordWrap(True)

        sample_box = QGroupBox("Explore with sample data")
        sample_text = QLabel(
            "Fills this database with a small, realistic branch: ministries, accounts, people "
            "in every role, comments with due times, approvals, evaluations, and a few "
            "deliberate policy violations to find. You then act as one of its people."
        )
        sample_text.setWordWrap(True)
        self.sample_button = QPushButton("Load sample data")
        self.sample_button.setObjectName("loadSampleButton")
        self.sample_button.setProperty("role", "primary")
        self.sample_button.clicked.connect(self._on_sample)
        sample_layout = QVBoxLayout(sample_box)
        sample_layout.addWidget(sample_text)
        sample_layout.addWidget(self.sample_button, 0, Qt.AlignmentFlag.AlignLeft)

        empty_box = QGroupBox("Start with an empty register")
        empty_text = QLabel(
            f"You become its first administrator, signed in as “{login}”, and add ministries, "
            "people and accounts yourself."
        )
        empty_text.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("adminName")
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("Your full name")
        self.email = QLineEdit()
        self.email.setObjectName("adminEmail")
        self.email.setAccessibleName("Your e-mail")
        self.email.setPlaceholderText("you@gov.sk.ca")
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&E-mail", self.email)
        self.empty_button = QPushButton(f"Start empty with {login} as administrator")
        self.empty_button.setObjectName("startEmptyButton")
        self.empty_button.clicked.connect(self._on_empty)
        empty_layout = QVBoxLayout(empty_box)
        empty_layout.addWidget(empty_text)
        empty_layout.addLayout(form)
        empty_layout.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        quit_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        quit_button.setText("Quit")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(sample_box)
        layout.addWidget(empty_box)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.fields: dict[str, QWidget] = {"name": self.name, "email": self.email}

    def _busy(self, busy: bool) -> None:
        for widget in (self.sample_button, self.empty_button, self.name, self.email):
            widget.setEnabled(not busy)

    @Slot()
    def _on_sample(self) -> None:
        clear_inline(self.fields, self.error)
        app = self.app

        def load(progress: Progress) -> str:
            return app.load_sample_data(progress=lambda text: progress.report(0, 0, text))

        def failed(exc: BaseException) -> None:
            self._busy(False)
            show_inline(self.fields, self.error, exc, self)

        self._busy(True)
        run_in_background(
            self,
            load,
            on_success=self._sample_loaded,
            on_failure=failed,
            progress_label="Loading the sample data…",
        )

    def _sample_loaded(self, _summary: str) -> None:
        self.outcome = "sample"
        login = choose_person(self, self.app)
        if login is None:
            self._busy(False)
            self.sample_button.setEnabled(False)  # the data is there; only choosing is left
            self.sample_button.setText("Sample data loaded")
            self.error.setText("Choose whom to act as to continue.")
            self.error.show()
            return
        self.accept()

    @Slot()
    def _on_empty(self) -> None:
        clear_inline(self.fields, self.error)
        people = PeopleService(self.app.ctx)
        login, name, email = self.app.ctx.login, self.name.text(), self.email.text()

        def start(_progress: Progress) -> Any:
            return people.bootstrap_admin(login, name, email)

        def failed(exc: BaseException) -> None:
            self._busy(False)
            show_inline(self.fields, self.error, exc, self)

        def started(_person: Any) -> None:
            self.outcome = "empty"
            self.accept()

        self._busy(True)
        run_in_background(self, start, on_success=started, on_failure=failed)


def choose_person(parent: QWidget | None, app: AppServices) -> str | None:
    """After loading sample data, whom to act as: the signed-in login if it is a person there,
    else one of the sample people (administrators first). The choice is kept in the sample
    database (demo data only), never in this workstation's settings."""
    people = app.demo_people()
    if app.ctx.login in {p.login for p in people}:
        return app.ctx.login
    if not people:
        return None
    labels = [f"{p.name} — {p.roles} ({p.login})" for p in people]
    chosen, ok = QInputDialog.getItem(
        parent,
        "Act as",
        "Your login is not one of the sample people. Whom do you want to act as?\n"
        "(Only on sample data; the choice is kept in this sample database.)",
        labels,
        0,
        False,
    )
    if not ok or chosen not in labels:
        return None
    login = people[labels.index(chosen)].login
    app.act_as(login)
    return login
