"""The settings dialog: the branch's policy settings (read-only for those who may not change
them), holidays and closures, and this workstation's storage with the password in the keyring.

The policy pages talk to a stand-in with the settings service's API, so these tests pin what
the dialog sends and shows; the service's own rules are tested with the service.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, time
from typing import Any

import holidays as holiday_lib
import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDialog, QListWidget
from pytestqt.qtbot import QtBot

from desktop.errors import ConflictError, DomainError, PermissionDenied
from desktop.policy.settings import PolicySettings, parse_setting
from desktop.services.authz import Permission
from desktop.services.session import AppServices
from desktop.services.settings_service import CalendarDay, SettingsService
from desktop.storage.app_settings import LocalSettings
from desktop.views.settings_dialog import SettingsDialog
from tests.conftest import MemoryKeyring
from tests.factories import ROLE_CAST
from tests.views.test_main_window import allowed


class FakeSettings:
    """In memory, with the service's API and its validation of values."""

    def __init__(self) -> None:
        self.values = PolicySettings()
        self.updates: list[dict[str, Any]] = []
        self.closures_by_day: dict[date, str] = {date(2026, 12, 28): "Extra day after Boxing Day"}

    def get(self) -> PolicySettings:
        return self.values

    def update(self, changes: dict[str, Any], **_hooks: Any) -> PolicySettings:
        parsed = {}
        for key, value in changes.items():
            try:
                parsed[key] = parse_setting(key, value)
            except ValueError as exc:
                raise DomainError(str(exc), key) from exc
        self.updates.append(changes)
        self.values = dataclasses.replace(self.values, **parsed)
        return self.values

    def add_closure(self, day: date, reason: str = "", **_hooks: Any) -> None:
        if day in self.closures_by_day:
            raise ConflictError(f"{day:%d %b %Y} is already a closure.")
        self.closures_by_day[day] = reason

    def remove_closure(self, day: date, **_hooks: Any) -> None:
        del self.closures_by_day[day]

    def closures(self, year: int) -> list[CalendarDay]:
        return [
            CalendarDay(d, r, True)
            for d, r in sorted(self.closures_by_day.items())
            if d.year == year
        ]

    def holidays(self, year: int) -> list[CalendarDay]:
        public = holiday_lib.country_holidays("CA", subdiv="SK", years=year).items()
        days = [CalendarDay(d, name, False) for d, name in public] + self.closures(year)
        return sorted(days, key=lambda c: (c.day, c.is_closure))


Maker = Callable[..., SettingsDialog]


@pytest.fixture
def keyring_backend(_isolated_user_folders: MemoryKeyring) -> MemoryKeyring:
    """The in-memory keyring every test gets (tests/conftest.py)."""
    return _isolated_user_folders


@pytest.fixture
def fake() -> FakeSettings:
    return FakeSettings()


@pytest.fixture
def make_dialog(make_app: Callable[[str], AppServices], fake: FakeSettings, qtbot: QtBot) -> Maker:
    def make(who: str = "dso", page: str = SettingsDialog.POLICY_PAGE) -> SettingsDialog:
        app = make_app(who)
        dialog = SettingsDialog(app, app.actor().roles, page=page, service=fake)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.loaded is not None)
        return dialog

    return make


def texts(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def _page_title(dialog: SettingsDialog) -> str:
    return dialog.pages.tabText(dialog.pages.currentIndex())


def test_the_current_values_are_shown(make_dialog: Maker) -> None:
    dialog = make_dialog()
    assert dialog.timezone.currentText() == "America/Regina"
    assert dialog.opening.time() == QTime(9, 0)
    assert dialog.closing.time() == QTime(17, 0)
    assert dialog.editors["due_soon_minutes"].value() == 15  # type: ignore[attr-defined]
    assert dialog.editors["third_party_revoke_days"].value() == 14  # type: ignore[attr-defined]
    assert dialog.domains.toPlainText().splitlines()[0] == "gov.sk.ca"
    assert [dialog.pages.tabText(i) for i in range(dialog.pages.count())] == [
        "Business hours",
        "Holidays and closures",
        "Thresholds",
        "E-mail domains",
        "Storage",
    ]


@pytest.mark.parametrize("who", list(ROLE_CAST))
def test_only_those_allowed_may_change_the_policy_settings(make_dialog: Maker, who: str) -> None:
    dialog = make_dialog(who)
    may = allowed(who, Permission.SETTINGS)
    assert all(editor.isEnabled() is may for editor in dialog.editors.values())
    assert dialog.calendar.add_button.isEnabled() is may
    assert dialog.notice.isHidden() is may
    if not may:
        assert dialog.notice.text().startswith(
            "Changing settings, the calendar and closures needs the role "
            "Digital Strategy and Operations or Administrator"
        )
        # The storage of this workstation is everyone's to choose.
        assert dialog.storage.path.isEnabled()


def test_saving_sends_only_what_changed(
    make_dialog: Maker, fake: FakeSettings, qtbot: QtBot
) -> None:
    dialog = make_dialog("dso")
    dialog.editors["due_soon_minutes"].setValue(30)  # type: ignore[attr-defined]
    dialog.closing.setTime(QTime(16, 30))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert fake.updates == [{"due_soon_minutes": 30, "business_close": time(16, 30)}]
    assert dialog.policy_changed
    assert dialog.chosen_target is None  # same database as before


def test_a_refused_value_is_shown_on_its_page_and_the_dialog_stays_open(
    make_dialog: Maker, fake: FakeSettings, qtbot: QtBot
) -> None:
    dialog = make_dialog("admin")
    dialog.domains.setPlainText("gov.sk.ca\ngmail")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.error.text() == "Allowed government e-mail domains: 'gmail' is not a domain name."
    assert _page_title(dialog) == "E-mail domains"
    assert dialog.domains.property("invalid") is True
    assert dialog.isVisible()
    assert fake.updates == []
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_a_refusal_by_the_service_is_shown_too(
    make_dialog: Maker, fake: FakeSettings, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = make_dialog("dso")

    def refuse(_changes: dict[str, Any], **_hooks: Any) -> None:
        raise PermissionDenied("Changing settings needs the role Administrator; you hold DSO.")

    monkeypatch.setattr(fake, "update", refuse)
    dialog.editors["strike_threshold"].setValue(4)  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.error.text().startswith("Changing settings needs the role Administrator")
    assert dialog.save_button.isEnabled()


def test_holidays_of_the_year_and_the_branch_closures_are_listed(
    make_dialog: Maker, qtbot: QtBot
) -> None:
    dialog = make_dialog("auditor", SettingsDialog.CALENDAR_PAGE)
    assert _page_title(dialog) == "Holidays and closures"
    items = texts(dialog.calendar.holiday_list)
    assert "Mon 3 Aug — Saskatchewan Day" in items
    assert "Fri 3 Apr — Good Friday" in items
    assert texts(dialog.calendar.closure_list) == ["Mon 28 Dec 2026 — Extra day after Boxing Day"]
    dialog.calendar.year.setValue(2027)
    qtbot.waitUntil(lambda: dialog.calendar.closure_list.count() == 0)
    items = texts(dialog.calendar.holiday_list)
    assert "Mon 2 Aug — Saskatchewan Day" in items


def test_closures_are_added_and_removed_at_once(
    make_dialog: Maker, fake: FakeSettings, qtbot: QtBot
) -> None:
    dialog = make_dialog("admin", SettingsDialog.CALENDAR_PAGE)
    dialog.calendar.closure_day.setDate(QDate(2026, 12, 24))
    qtbot.keyClicks(dialog.calendar.closure_reason, "Christmas Eve afternoon")
    qtbot.mouseClick(dialog.calendar.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.calendar.closure_list.count() == 2)
    assert fake.closures_by_day[date(2026, 12, 24)] == "Christmas Eve afternoon"
    assert texts(dialog.calendar.closure_list)[0] == "Thu 24 Dec 2026 — Christmas Eve afternoon"
    assert dialog.policy_changed
    assert dialog.calendar.closure_reason.text() == ""

    dialog.calendar.closure_day.setDate(QDate(2026, 12, 24))
    qtbot.mouseClick(dialog.calendar.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.error.text() == "24 Dec 2026 is already a closure."

    assert not dialog.calendar.remove_button.isEnabled()
    dialog.calendar.closure_list.setCurrentRow(1)
    assert dialog.calendar.remove_button.isEnabled()
    qtbot.mouseClick(dialog.calendar.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.calendar.closure_list.count() == 1)
    assert date(2026, 12, 28) not in fake.closures_by_day


def test_a_shared_database_keeps_its_password_in_the_keyring_only(
    make_dialog: Maker, qtbot: QtBot, keyring_backend: MemoryKeyring
) -> None:
    dialog = make_dialog("officer", SettingsDialog.STORAGE_PAGE)
    assert _page_title(dialog) == "Storage"
    storage = dialog.storage
    assert storage.local.isChecked()
    assert storage.path.text().endswith("test.sqlite3")
    storage.shared.setChecked(True)
    assert not storage.path.isEnabled()
    qtbot.keyClicks(storage.url, "postgresql://comms@db.gov.sk.ca:5432/smgov")
    qtbot.keyClicks(storage.password, "s3cret")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen_target == "postgresql://comms@db.gov.sk.ca:5432/smgov"
    assert keyring_backend.store == {("smgov-desk", "comms@db.gov.sk.ca:5432/smgov"): "s3cret"}
    assert LocalSettings.load().database_url == "postgresql://comms@db.gov.sk.ca:5432/smgov"


def test_a_password_typed_into_the_url_goes_to_the_keyring_not_the_settings_file(
    make_dialog: Maker, qtbot: QtBot, keyring_backend: MemoryKeyring
) -> None:
    dialog = make_dialog("officer", SettingsDialog.STORAGE_PAGE)
    dialog.storage.shared.setChecked(True)
    dialog.storage.url.setText("postgresql://comms:hunter2@db.gov.sk.ca/smgov")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert LocalSettings.load().database_url == "postgresql://comms@db.gov.sk.ca/smgov"
    assert keyring_backend.store == {("smgov-desk", "comms@db.gov.sk.ca:5432/smgov"): "hunter2"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Give a database file or URL."),
        (
            "mysql://x@h/db",
            "Only a local SQLite file or a PostgreSQL server can be used, not mysql.",
        ),
        ("postgresql://x@h", "Name the database at the end of the URL"),
        ("/tmp/x.sqlite3", "Give a PostgreSQL URL such as postgresql://user@server:5432/smgov."),
    ],
)
def test_an_unusable_database_location_is_explained_on_the_storage_page(
    make_dialog: Maker, qtbot: QtBot, url: str, message: str
) -> None:
    dialog = make_dialog("admin")
    dialog.storage.shared.setChecked(True)
    dialog.storage.url.setText(url)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text().startswith(message)
    assert _page_title(dialog) == "Storage"
    assert dialog.storage.url.property("invalid") is True
    assert dialog.isVisible()


def test_test_connection_reaches_the_postgresql_server(
    make_dialog: Maker, qtbot: QtBot, pg_url: str
) -> None:
    dialog = make_dialog("officer", SettingsDialog.STORAGE_PAGE)
    dialog.storage.shared.setChecked(True)
    dialog.storage.url.setText(pg_url)
    qtbot.mouseClick(dialog.storage.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.storage.test_result.text().startswith("Connected"), timeout=15000
    )
    assert "Connected to PostgreSQL " in dialog.storage.test_result.text()


def test_test_connection_says_why_it_failed(make_dialog: Maker, qtbot: QtBot) -> None:
    dialog = make_dialog("officer", SettingsDialog.STORAGE_PAGE)
    dialog.storage.shared.setChecked(True)
    dialog.storage.url.setText("postgresql://nobody@127.0.0.1:1/none")
    qtbot.mouseClick(dialog.storage.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.storage.test_result.text().startswith("Cannot connect"), timeout=15000
    )
    assert dialog.storage.test_result.property("role") == "error"
    assert dialog.storage.test_button.isEnabled()


# -- with the real settings service ---------------------------------------------------------


def test_a_saved_change_reaches_the_branch_settings(
    make_app: Callable[[str], AppServices], qtbot: QtBot
) -> None:
    app = make_app("dso")
    dialog = SettingsDialog(app, app.actor().roles)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded is not None)
    dialog.editors["due_soon_minutes"].setValue(20)  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert SettingsService(app.ctx).get().due_soon_minutes == 20


def test_the_real_service_refuses_a_closure_on_a_holiday_and_the_dialog_says_why(
    make_app: Callable[[str], AppServices], qtbot: QtBot
) -> None:
    app = make_app("admin")
    dialog = SettingsDialog(app, app.actor().roles, page=SettingsDialog.CALENDAR_PAGE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded is not None)
    dialog.calendar.closure_day.setDate(QDate(2026, 12, 25))
    qtbot.mouseClick(dialog.calendar.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.error.text() == "Friday 2026-12-25 is already a public holiday (Christmas Day)."
    assert dialog.calendar.closure_day.property("invalid") is True
    dialog.calendar.closure_day.setDate(QDate(2026, 12, 28))
    qtbot.keyClicks(dialog.calendar.closure_reason, "Boxing Day observed by the branch")
    qtbot.mouseClick(dialog.calendar.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.calendar.closure_list.count() == 1, timeout=10_000)
    assert texts(dialog.calendar.closure_list) == [
        "Mon 28 Dec 2026 — Boxing Day observed by the branch"
    ]
    holidays = texts(dialog.calendar.holiday_list)
    assert not any("Boxing Day observed" in h for h in holidays)
