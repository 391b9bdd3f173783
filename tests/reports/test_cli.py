"""``smgov report``: a PDF and one line on success, one clear line and exit 1 on a bad request."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop import cli
from desktop.reports import cli as report_cli
from tests.reports.conftest import World, pdf_pages, pdf_text


def _registered() -> bool:
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return "report" in commands.choices


# Until (or however) desktop.cli registers the command itself.
if not _registered():
    cli.EXTRA_COMMANDS.append(report_cli.register)

AS_OF = "2026-11-18T09:00-06:00"


@pytest.fixture(autouse=True)
def _dci_signed_in(signed_in: Callable[[str], None]) -> None:
    signed_in("dci")


def smgov(world: World, *args: str) -> int:
    url = world.cast.db.url
    target = str(url.database) if world.cast.db.is_sqlite else url.render_as_string(False)
    return cli.main(["report", *args, "--db", target, "--as-of", AS_OF])


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("evaluation", ["--account", "@SKHealth", "--period", "2026H2"]),
        ("portfolio", ["--ministry", "HEA", "--period", "2026H2"]),
        ("sla", ["--from", "2026-07-01", "--to", "2026-11-18"]),
        ("permissions", []),
        ("approvals", ["--period", "2026H2"]),
    ],
)
def test_each_report_from_the_command_line(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, options: list[str]
) -> None:
    out = tmp_path / f"{kind}.pdf"
    assert smgov(world, kind, "-o", str(out), *options) == 0
    printed = capsys.readouterr().out
    pages = pdf_pages(out)
    assert printed.startswith(f"Wrote {out} ({pages} page")
    assert "Data as of 2026-11-18 09:00 CST" in pdf_text(out)


def test_personal_information_on_request(world: World, tmp_path: Path) -> None:
    out = tmp_path / "sla.pdf"
    assert smgov(world, "sla", "-o", str(out), "--period", "2026H2", "--include-personal-info") == 0
    assert "(306) 555-0143" in pdf_text(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["evaluation", "--period", "2026H2"],
            "smgov: --account: The account evaluation is about one account",
        ),
        (["evaluation", "--account", "@SKHealth"], "smgov: --period: "),
        (["evaluation", "--account", "Nope", "--period", "2026H2"], "There is no account 'Nope'"),
        (["portfolio", "--ministry", "XYZ", "--period", "2026H2"], "no ministry with the code"),
        (["sla", "--period", "2026-H2"], "--period: Period must look like 2026H1 or 2026H2"),
        (["sla", "--from", "2026-07-01"], "The date range needs a to date too."),
        (["sla", "--period", "2026H2", "--from", "2026-07-01"], "--period: Give either"),
        (["sla", "--account", "@SKHealth", "--ministry", "HEA"], "--account: Give either"),
        (["sla", "--from", "July 1", "--to", "2026-12-31"], "--from 'July 1' is not a date"),
    ],
)
def test_a_bad_request_is_one_line_and_exit_1(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "r.pdf"
    assert smgov(world, args[0], "-o", str(out), *args[1:]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("smgov: ")
    assert message in err
    assert not out.exists()


@pytest.mark.parametrize("kind", ["portfolio", "sla", "approvals"])
def test_without_a_period_the_current_half_year(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """The README shows the period as optional: these reports cover the half-year of the
    as-of time, and say so on their title page."""
    out = tmp_path / f"{kind}.pdf"
    assert smgov(world, kind, "-o", str(out)) == 0, capsys.readouterr().err
    text = pdf_text(out)
    assert "Period 2026H2 (to 2026-11-18)" in " ".join(text.split())


def test_the_choices_of_the_report_command_have_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    usage = " ".join(capsys.readouterr().out.split())
    assert "-o FILE.pdf, --output FILE.pdf the PDF file to write" in usage
    assert "default for portfolio, sla and approvals: the current half-year" in usage
