"""Where this workstation's data lives: a local file, or a shared PostgreSQL database whose
password goes to the OS keyring. Used by the settings dialog and File ▸ Connect.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import DomainError
from desktop.services.session import (
    TargetInfo,
    check_connection,
    database_lock,
    describe_target,
    keyring_note,
    save_database_choice,
    store_password,
)
from desktop.storage.paths import app_paths
from desktop.views.errors import clear_inline, show_inline
from desktop.views.worker import Progress, run_in_background

URL_HINT = "postgresql://user@server:5432/smgov"


class StorageForm(QWidget):
    def __init__(self, current: TargetInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current = current
        self.local = QRadioButton("A &local file on this computer (works offline)")
        self.local.setObjectName("storageLocal")
        self.shared = QRadioButton("A &shared PostgreSQL database for the whole branch")
        self.shared.setObjectName("storageShared")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.shared)

        self.path = QLineEdit()
        self.path.setObjectName("storagePath")
        self.path.setAccessibleName("Database file")
        self.browse = QPushButton("Browse…")
        self.browse.setObjectName("storageBrowse")
        self.browse.clicked.connect(self._on_browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)

        self.url = QLineEdit()
        self.url.setObjectName("storageUrl")
        self.url.setAccessibleName("Database URL")
        self.url.setPlaceholderText(URL_HINT)
        self.password = QLineEdit()
        self.password.setObjectName("storagePassword")
        self.password.setAccessibleName("Database password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Leave empty to keep the stored password")
        self.test_button = QPushButton("Test connection")
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self._on_test)
        self.test_result = QLabel("")
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)

        form = QFormLayout()
        form.addRow("File", path_row)
        form.addRow("URL", self.url)
        form.addRow("Password", self.password)
        note = QLabel(keyring_note())
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        # IT may have fixed the database in the machine-wide settings: say so, change nothing.
        self.locked = database_lock()
        self.lock_notice = QLabel(self.locked or "")
        self.lock_notice.setObjectName("storageLocked")
        self.lock_notice.setProperty("role", "muted")
        self.lock_notice.setWordWrap(True)
        self.lock_notice.setVisible(bool(self.locked))
        self.error = QLabel()
        self.error.setObjectName("storageError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.lock_notice)
        layout.addWidget(self.local)
        layout.addWidget(self.shared)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.fields: dict[str, QWidget] = {"database_url": self.url}

        self.local.toggled.connect(self._sync)
        if current is not None and current.shared:
            self.shared.setChecked(True)
            self.url.setText(current.target)
        else:
            self.local.setChecked(True)
            self.path.setText(
                current.target if current is not None else str(app_paths().default_database)
            )
        self._sync()

    @Slot()
    def _sync(self) -> None:
        local = self.local.isChecked()
        free = not self.locked
        self.local.setEnabled(free)
        self.shared.setEnabled(free)
        self.path.setEnabled(local and free)
        self.browse.setEnabled(local and free)
        self.url.setEnabled(not local and free)
        self.password.setEnabled(not local)
        self.fields["database_url"] = self.path if local else self.url

    def target(self) -> str:
        return (self.path if self.local.isChecked() else self.url).text().strip()

    @Slot()
    def _on_browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            "Database file",
            self.path.text() or str(app_paths().data_dir),
            "Database files (*.sqlite3 *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.path.setText(path)

    @Slot()
    def _on_test(self) -> None:
        clear_inline(self.fields, self.error)
        target, password = self.target(), self.password.text() or None
        self.test_button.setEnabled(False)
        self.test_result.setText("Connecting…")

        def check(_progress: Progress) -> str:
            return check_connection(target, password)

        def done(message: str) -> None:
            self.test_button.setEnabled(True)
            self.test_result.setText(message)
            self.test_result.setProperty("role", "")
            self.test_result.style().polish(self.test_result)

        def failed(exc: BaseException) -> None:
            self.test_button.setEnabled(True)
            self.test_result.setText("")
            if isinstance(exc, DomainError):
                show_inline(self.fields, self.error, exc, self)
            else:
                self.test_result.setText(str(exc))
                self.test_result.setProperty("role", "error")
                self.test_result.style().polish(self.test_result)

        run_in_background(
            self, check, on_success=done, on_failure=failed, progress_label="Connecting…"
        )

    def apply(self) -> str | None:
        """Check and save the choice; the new target when it differs from the open one.

        Raises DomainError (shown inline by the caller) when the location is not usable.
        """
        target = self.target()
        if self.locked:  # only the person's own password may change
            if self.shared.isChecked() and self.password.text():
                store_password(target, self.password.text())
            return None
        if not target:
            raise DomainError("Give a database file or URL.", "database_url")
        info = describe_target(target)
        if self.local.isChecked() and info.shared:
            raise DomainError("A local database is a file path, not a URL.", "database_url")
        if self.shared.isChecked() and not info.shared:
            raise DomainError(f"Give a PostgreSQL URL such as {URL_HINT}.", "database_url")
        if info.shared and self.password.text():
            store_password(target, self.password.text())
        save_database_choice(target)
        if self.current is not None and info.label == self.current.label:
            return None
        return target

    def show_error(self, exc: BaseException) -> None:
        show_inline(self.fields, self.error, exc, self)


class ConnectDialog(QDialog):
    """File ▸ Connect to shared database: the storage form preset to PostgreSQL."""

    def __init__(self, parent: QWidget | None = None, current: TargetInfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.setWindowTitle("Connect to a shared database")
        self.resize(640, 380)
        self.chosen_target: str | None = None
        self.form = StorageForm(current, self)
        if not self.form.locked:
            self.form.shared.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Connect")
        ok.setObjectName("connectButton")
        buttons.accepted.connect(self._on_connect)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form, 1)
        layout.addWidget(buttons)

    @Slot()
    def _on_connect(self) -> None:
        try:
            chosen = self.form.apply()
            self.chosen_target = chosen or (None if self.form.locked else self.form.target())
        except DomainError as exc:
            self.form.show_error(exc)
            return
        self.accept()
