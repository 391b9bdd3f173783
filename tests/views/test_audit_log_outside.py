"""The audit log dialog names every record changed outside the app, by its name in the app,
and opens it (issue 12, Deliver 3: "the GUI's audit log offers the same")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.enums import Platform
from desktop.views.main_window import MainWindow
from tests.factories import Cast

pytestmark = pytest.mark.tampers


def test_verifying_names_the_records_changed_outside_the_app_and_opens_them(
    cast: Cast, make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    account = cast.account("Tamper", Platform.FACEBOOK)
    with cast.db.engine.begin() as conn:  # as a plain SQL client would
        conn.execute(
            text("UPDATE accounts SET owner_id = :o WHERE id = :i"),
            {"o": cast.people["agency"].id.hex, "i": account.id.hex},
        )
        conn.execute(
            text("UPDATE people SET name = 'Mallory' WHERE id = :i"),
            {"i": cast.people["dso"].id.hex},
        )
    window = make_window("auditor")
    dialog = window.make_audit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.verify_button.text() == "&Verify the log and records"

    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outside is not None and dialog.outside.count() == 2)

    listed = dialog.findChild(QListWidget, "outsideChanges")
    assert listed is not None
    sentences = sorted(listed.item(i).text() for i in range(listed.count()))
    assert sentences == [
        f"accounts {account.id} (Facebook @Tamper) was changed outside the app.",
        f"people {cast.people['dso'].id} (Mallory) was changed outside the app.",
    ]
    assert dialog.views.tabText(dialog.views.currentIndex()) == "Changed outside the app (2)"
    assert dialog.verify_result.text().splitlines()[-1] == (
        "2 record(s) differ from what the audit log last recorded:"
    )
    assert dialog.verify_result.property("severity") == "critical"

    opened: list[tuple[str, object]] = []
    dialog.open_record.connect(lambda kind, ident: opened.append((kind, ident)))
    row = next(i for i in range(listed.count()) if "@Tamper" in listed.item(i).text())
    listed.itemDoubleClicked.emit(listed.item(row))
    assert opened == [("account", str(account.id))]


def test_a_checkpoint_is_signed_from_the_audit_log_and_then_held(
    cast: Cast, make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = make_window("auditor")
    dialog = window.make_audit_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 13)

    qtbot.mouseClick(dialog.checkpoint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.verify_result.text().startswith("Checkpoint signed"))
    assert "entry #13 (" in dialog.verify_result.text()
    assert "smgov audit verify --checkpoint 13:" in dialog.verify_result.text()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 14)
    assert dialog.model.rows[0].what == "Signed a checkpoint of the audit log"

    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.verify_result.text().startswith("Audit log intact"))
    assert "checkpoint #13 signed by auditor" in dialog.verify_result.text()
