"""A PostgreSQL password never leaves the keyring in any form of URL (issue 12, Deliver 6).

The test server trusts every login, so it accepts any password: each test hands the app a URL
with a password in the user part or in the query string and looks for the password
everywhere a person (or a file) could see it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from desktop import cli
from desktop.errors import StorageUnavailable
from desktop.reports.service import generate_report
from desktop.reports.spec import ReportKind, ReportSpec
from desktop.services.context import ServiceContext
from desktop.services.people import PeopleService
from desktop.services.session import (
    describe_target,
    open_app,
    password_prompt,
    save_database_choice,
)
from desktop.services.transfer import TransferService
from desktop.storage.app_settings import LocalSettings
from desktop.storage.database import Database, open_database
from desktop.storage.paths import app_paths
from desktop.storage.urls import safe_name, scrub, without_secrets
from tests.conftest import MemoryKeyring
from tests.factories import Cast
from tests.views.conftest import wait_for_tasks

SECRET = "Qx7-s3cret-pw"


def _with_password(pg_url: str, where: str) -> str:
    url = make_url(pg_url).set(drivername="postgresql")
    if where == "user part":
        return url.set(password=SECRET).render_as_string(hide_password=False)
    return url.render_as_string(hide_password=False) + f"?password={SECRET}"


WHERE = ["user part", "query string"]


@pytest.fixture
def keys(_isolated_user_folders: MemoryKeyring) -> MemoryKeyring:
    """The in-memory keyring the tests run with."""
    return _isolated_user_folders


def _account(pg_url: str) -> str:
    url = make_url(pg_url)
    return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


# -- one function renders a database's name ------------------------------------------------


def test_a_database_is_named_without_secrets_and_without_its_host_unless_asked() -> None:
    for text in (
        "postgresql://comms:pw1@db.gov.sk.ca:5433/smgov?password=pw2&sslmode=require",
        "postgresql://comms@db.gov.sk.ca:5433/smgov?sslpassword=pw2&password=pw1",
    ):
        url = make_url(text)
        assert safe_name(url) == "PostgreSQL database smgov"
        assert safe_name(url, host=True) == "postgresql://comms@db.gov.sk.ca:5433/smgov"
        kept = without_secrets(url).render_as_string(hide_password=False)
        assert "pw" not in kept
        assert kept.endswith("?sslmode=require") or kept.endswith("/smgov")
    # Text that does not parse is still masked before it is repeated in a message.
    assert scrub("postgresql://u:pw1@h:notaport/db?password=pw2") == (
        "postgresql://u:***@h:notaport/db?password=***"
    )


# -- the places a URL could leak -----------------------------------------------------------


@pytest.mark.parametrize("where", WHERE)
def test_a_chosen_database_keeps_its_password_in_the_keyring_not_in_settings(
    where: str, keys: MemoryKeyring
) -> None:
    typed = f"postgresql://comms:{SECRET}@db.gov.sk.ca/smgov"
    if where == "query string":
        typed = f"postgresql://comms@db.gov.sk.ca/smgov?password={SECRET}"

    save_database_choice(typed)

    stored = app_paths().settings_file.read_text(encoding="utf-8")
    assert SECRET not in stored
    assert json.loads(stored)["database_url"] == "postgresql://comms@db.gov.sk.ca/smgov"
    assert LocalSettings.load().database_url == "postgresql://comms@db.gov.sk.ca/smgov"
    assert keys.store == {("smgov-desk", "comms@db.gov.sk.ca:5432/smgov"): SECRET}
    info = describe_target(typed)
    assert SECRET not in info.target
    assert info.label == "postgresql://comms@db.gov.sk.ca:5432/smgov"


@pytest.mark.parametrize("where", WHERE)
def test_opening_with_a_password_in_the_url_keeps_it_out_of_title_logs_and_engine(
    where: str,
    pg_db: Database,
    pg_url: str,
    keys: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
    qtbot: QtBot,
) -> None:
    from desktop.views.main_window import MainWindow
    from desktop.views.ui_state import UiState

    PeopleService(ServiceContext(pg_db, "postgres")).bootstrap_admin(
        "postgres", "Pat Postgres", "pat@gov.sk.ca"
    )
    caplog.set_level(logging.DEBUG)
    app = open_app(_with_password(pg_url, where))
    try:
        assert keys.store == {("smgov-desk", _account(pg_url)): SECRET}
        engine_url = app.ctx.db.engine.url
        assert SECRET not in engine_url.render_as_string(hide_password=False)
        assert SECRET not in app.target.target
        window = MainWindow(app, app.actor(), ui_state=UiState.in_memory())
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: "postgres" in window.windowTitle(), timeout=5000)
        assert SECRET not in window.windowTitle()
        assert SECRET not in window.status_bar.database.toolTip()
        assert app.target.label.startswith("postgresql://postgres@127.0.0.1:")
        wait_for_tasks(qtbot)
        window.close()
    finally:
        app.close()
    assert SECRET not in caplog.text
    assert "Opened postgresql://postgres@127.0.0.1" in caplog.text


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_exports_and_reports_name_the_database_without_host_or_password(
    cast: Cast, pg_url: str, tmp_path: Path
) -> None:
    db = open_database(_with_password(pg_url, "query string"), migrate=False)
    try:
        ctx = ServiceContext(db, "dci", clock=cast.clock)
        export = tmp_path / "export.json"
        TransferService(ctx).export_file(export)
        report = tmp_path / "permissions.pdf"
        generate_report(ctx, ReportSpec(ReportKind.PERMISSIONS), report)
    finally:
        db.dispose()
    text = export.read_text(encoding="utf-8")
    assert SECRET not in text
    source = json.loads(text[: text.index('"tables"')].rstrip().rstrip(",") + "}")["source"]
    assert source == f"PostgreSQL database {make_url(pg_url).database}"
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(report).pages).split())
    assert SECRET not in pdf
    assert "127.0.0.1" not in pdf
    assert f"Source PostgreSQL database {make_url(pg_url).database}" in pdf
    assert "by Dci Person" in pdf


@pytest.mark.parametrize("where", WHERE)
def test_cli_errors_never_repeat_the_password(
    where: str, capsys: pytest.CaptureFixture[str], keys: MemoryKeyring
) -> None:
    nowhere = "postgresql://nobody@127.0.0.1:1/smgov"  # nothing listens on port 1
    target = (
        nowhere.replace("nobody@", f"nobody:{SECRET}@")
        if where == "user part"
        else nowhere + f"?password={SECRET}"
    )
    assert cli.main(["audit", "verify", "--db", target]) == 1
    err = capsys.readouterr().err
    assert SECRET not in err
    assert "postgresql://nobody@127.0.0.1:1/smgov" in err
    # Text that is not even a URL is masked before it is repeated.
    assert cli.main(["audit", "verify", "--db", target.replace(":1/", ":port/")]) == 1
    err = capsys.readouterr().err
    assert SECRET not in err
    assert "is not a database URL" in err


def test_a_url_without_a_database_name_is_refused(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = pg_url.rsplit("/", 1)[0] + "/"
    with pytest.raises(StorageUnavailable, match="Name the database at the end of the URL"):
        open_database(bare)
    assert cli.main(["init", "--db", bare]) == 1
    assert "Name the database at the end of the URL" in capsys.readouterr().err


# -- the password prompt names the real keyring --------------------------------------------


@pytest.fixture
def backend() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def test_the_password_prompt_names_the_keyring_in_use(backend: None) -> None:
    windows = type("WinVaultKeyring", (MemoryKeyring,), {"__module__": "keyring.backends.Windows"})
    keyring.set_keyring(windows())
    assert password_prompt("comms@db:5432/smgov") == (
        "Password for comms@db:5432/smgov (it is then kept in the Windows Credential Manager):"
    )
    keyring.set_keyring(fail.Keyring())
    assert "this computer has no keyring: it is asked each time" in password_prompt("a@b:1/c")
    keyring.set_keyring(MemoryKeyring())
    assert "Windows" not in password_prompt("a@b:1/c")


def test_the_cli_asks_naming_the_keyring_and_keeps_the_answer_there(
    pg_url: str,
    monkeypatch: pytest.MonkeyPatch,
    keys: MemoryKeyring,
) -> None:
    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(prompt)
        return SECRET

    monkeypatch.setattr("getpass.getpass", getpass)
    db = cli.open_target(pg_url, interactive=True)
    db.dispose()
    assert len(asked) == 1
    assert asked[0].startswith(f"Password for {_account(pg_url)} (it is then kept in ")
    assert "Windows" not in asked[0]
    assert keys.store == {("smgov-desk", _account(pg_url)): SECRET}


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_the_server_is_named_only_when_asked_and_the_password_never(
    cast: Cast,
    pg_url: str,
    tmp_path: Path,
    signed_in: Callable[[str], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    signed_in("dci")
    target = _with_password(pg_url, "user part")
    export = tmp_path / "export.json"
    report = tmp_path / "permissions.pdf"
    assert cli.main(["export", "--db", target, "-o", str(export), "--name-server"]) == 0
    assert (
        cli.main(["report", "permissions", "--db", target, "-o", str(report), "--name-server"]) == 0
    )
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err
    text = export.read_text(encoding="utf-8")
    server = f"postgresql://postgres@127.0.0.1:5432/{make_url(pg_url).database}"
    assert SECRET not in text
    assert f'"source": "{server}"' in text
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(report).pages).split())
    assert SECRET not in pdf
    assert f"Source {server}" in pdf
