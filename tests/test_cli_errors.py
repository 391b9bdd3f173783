"""The command line never says "all clear" about a database it just made up, and every error is
one line on stderr with exit status 1, naming the option to change."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from desktop import cli
from desktop.storage.database import Database

AS_OF = "2026-11-18T09:00-06:00"


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("smgov")
    return captured.err.strip()


# -- only init, demo and the app may create a database --------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["check", "--json"],
        ["audit", "verify"],
        ["export", "-o", "{tmp}/out.json"],
        ["import", "{tmp}/in.json"],
        ["report", "permissions", "-o", "{tmp}/r.pdf"],
        ["report", "sla", "-o", "{tmp}/r.pdf"],
    ],
)
def test_a_mistyped_path_is_no_database_and_nothing_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    (tmp_path / "in.json").write_text("{}", encoding="utf-8")
    target = tmp_path / "no" / "such" / "x.sqlite3"
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert cli.main([*args, "--db", str(target)]) == 1
    assert one_error_line(capsys) == (
        f"smgov: No database at {target}; run smgov init to create one."
    )
    assert not (tmp_path / "no").exists()
    assert not (tmp_path / "out.json").exists()
    assert not (tmp_path / "r.pdf").exists()


def test_an_empty_file_is_no_database_either(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a failed tool run may leave behind; not a database with no findings."""
    target = tmp_path / "empty.sqlite3"
    target.touch()
    assert cli.main(["check", "--db", str(target)]) == 1
    assert "No database at" in one_error_line(capsys)


@pytest.fixture
def empty_pg_database(pg_url: str) -> Iterator[str]:
    """A PostgreSQL database that exists on the server but holds none of the app's tables."""
    admin = make_url(pg_url).set(database="postgres")
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    name = f"smgov_empty_{uuid.uuid4().hex[:10]}"
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def test_an_empty_server_database_is_no_database(
    empty_pg_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["audit", "verify", "--db", empty_pg_database]) == 1
    line = one_error_line(capsys)
    assert line.startswith("smgov: No database at postgresql://postgres@")
    assert line.endswith("; run smgov init to create one.")
    engine = create_engine(make_url(empty_pg_database).set(drivername="postgresql+psycopg"))
    with engine.connect() as conn:
        tables = conn.execute(
            text("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        ).scalar_one()
    engine.dispose()
    assert tables == 0


def test_init_creates_and_then_check_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new" / "smgov.sqlite3"
    assert cli.main(["init", "--db", str(target)]) == 0
    assert target.is_file()
    capsys.readouterr()
    # Nobody registered yet: the message says how to become the first administrator.
    assert cli.main(["check", "--db", str(target), "--as-of", AS_OF]) == 1
    assert "Nobody is registered in this database yet" in capsys.readouterr().err
    assert cli.main(["init", "--db", str(target), "--admin-name", "Pat Lee"]) == 1
    assert "Give both --admin-name and --admin-email" in capsys.readouterr().err
    argv = ["init", "--db", str(target), "--admin-name", "Pat Lee", "--admin-email"]
    assert cli.main([*argv, "pat@gmail.com"]) == 1
    assert "not a government address" in capsys.readouterr().err
    assert cli.main([*argv, "pat.lee@gov.sk.ca"]) == 0
    assert "Pat Lee (" in capsys.readouterr().out
    assert cli.main(["check", "--db", str(target), "--as-of", AS_OF]) == 0
    assert capsys.readouterr().out.startswith("No findings: every check passed")
    # A second set-up is refused: the database has people now.
    assert cli.main([*argv, "pat.lee@gov.sk.ca"]) == 1
    assert "already has people" in capsys.readouterr().err


# -- one line, exit 1 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["demo", "--size", "huge"], "smgov demo: argument --size: invalid choice: 'huge'"),
        (["report", "sla"], "the following arguments are required: -o/--output"),
        (["report", "weekly", "-o", "x.pdf"], "argument KIND: invalid choice: 'weekly'"),
        (["nosuch"], "argument COMMAND: invalid choice: 'nosuch'"),
        (["check", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    ],
)
def test_a_wrong_command_line_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    assert cli.main(argv) == 1
    line = one_error_line(capsys)
    assert expected in line
    assert "usage:" not in line
    assert line.endswith("--help)")


def test_export_to_a_missing_folder_is_one_line(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nowhere" / "out.json"
    assert cli.main(["export", "--db", str(sqlite_db.url.database), "-o", str(target)]) == 1
    assert one_error_line(capsys) == f"smgov: -o: the folder {target.parent} does not exist."


def test_export_where_no_file_can_be_written_is_one_line(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """/proc refuses new files even to root, as a read-only share refuses an officer."""
    assert cli.main(["export", "--db", str(sqlite_db.url.database), "-o", "/proc/out.json"]) == 1
    line = one_error_line(capsys)
    assert line.startswith("smgov: -o: cannot write in the folder /proc (")
    assert "unexpected" not in line


def test_a_report_into_a_folder_that_refuses_files_is_one_line(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(sqlite_db.url.database)
    assert cli.main(["report", "permissions", "--db", db, "-o", "/proc/r.pdf"]) == 1
    assert one_error_line(capsys).startswith("smgov: -o: cannot write in the folder /proc")


def test_screenshots_into_an_existing_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "pictures.png"
    existing.write_bytes(b"not a folder")
    assert cli.main(["screenshots", str(existing)]) == 1
    assert one_error_line(capsys) == (
        f"smgov: DIR: {existing} is a file; give a folder for the pictures."
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://someone@db.example/smgov", "smgov: mysql databases are not supported"),
        ("oracle://x/y", "smgov: oracle databases are not supported"),
        ("postgresql://:::", "smgov: 'postgresql://:::' is not a database URL"),
    ],
)
def test_an_unsupported_database_url_is_one_line(
    capsys: pytest.CaptureFixture[str], url: str, expected: str
) -> None:
    assert cli.main(["check", "--db", url]) == 1
    line = one_error_line(capsys)
    assert line.startswith(expected)
    assert "unexpected" not in line


def test_a_bad_check_code_names_the_option(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", "--db", str(sqlite_db.url.database), "--code", "NOPE"]) == 1
    assert one_error_line(capsys).startswith("smgov: --code: There is no check called NOPE")


def test_the_options_have_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["demo", "--help"])
    demo = " ".join(capsys.readouterr().out.split())
    assert "--size {small,large} small: 64 accounts, 2,000 comments" in demo
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    export = " ".join(capsys.readouterr().out.split())
    assert "-o FILE.json, --output FILE.json the JSON file to write" in export
