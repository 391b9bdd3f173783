"""What the wheel test and the frozen-bundle test check of a shipped ``smgov``, run as a person
would run it from a folder outside the checkout."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from pypdf import PdfReader

from tests.packaging.conftest import AS_OF, ROOT, VERSION, clean_env, run


def assert_version(smgov: Path, workdir: Path) -> None:
    result = run([smgov, "--version"], cwd=workdir, env=clean_env(workdir / "home"))
    assert result.stdout.strip() == f"smgov-desk {VERSION}"


def assert_self_test_uses(smgov: Path, workdir: Path, installed: Path) -> str:
    """``smgov self-test`` passes, and the stylesheet, icons, fonts and policy text it loaded
    all come from ``installed`` (the venv or the bundle), none from the checkout."""
    result = run([smgov, "self-test"], cwd=workdir, env=clean_env(workdir / "home"))
    assert "self-test passed: 6 tabs" in result.stdout, result.stdout
    line = next((x for x in result.stdout.splitlines() if x.startswith("resources: ")), "")
    assert line, f"the self-test did not say which files it loaded:\n{result.stdout}"
    named = {
        "stylesheet": r"stylesheet (.+?app\.qss);",
        "icons": r"icons from (.+?);",
        "regular font": r"report fonts (.+?DejaVuSans\.ttf),",
        "bold font": r", (\S.+?DejaVuSans-Bold\.ttf);",
        "policy": r"policy text (.+social-media-policy\.txt)$",
    }
    for what, pattern in named.items():
        found = re.search(pattern, line)
        assert found, f"no {what} in: {line}"
        path = Path(found.group(1))
        assert path.resolve().is_relative_to(installed.resolve()), f"{what} from {path}"
        assert not path.resolve().is_relative_to(ROOT), f"{what} from the checkout: {path}"
        assert path.exists(), path
    return line


def assert_report_with_shipped_fonts(smgov: Path, workdir: Path) -> Path:
    """Demo data, then the portfolio report; the PDF has pages, text and the DejaVu fonts
    (the built-in PDF fonts would print names outside Latin-1 as black boxes)."""
    env = clean_env(workdir / "home")
    database = workdir / "demo.sqlite3"
    run([smgov, "--db", database, "demo", "--as-of", AS_OF], cwd=workdir, env=env)
    # Whoever runs the test is not in the demo data: act as one of its administrators.
    with sqlite3.connect(database) as conn:
        (admin,) = conn.execute(
            "SELECT p.login FROM people p JOIN person_roles r ON r.person_id = p.id "
            "WHERE r.role = 'admin' ORDER BY p.login LIMIT 1"
        ).fetchone()
    pdf = workdir / "portfolio.pdf"
    args = ["report", "portfolio", "--period", "2026H1", "--as-of", AS_OF, "-o", pdf]
    result = run([smgov, "--db", database, "--as", admin, *args], cwd=workdir, env=env)
    assert pdf.is_file(), result.stdout
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    assert "Portfolio" in reader.pages[0].extract_text()
    fonts: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any(name.endswith("+DejaVuSans") for name in fonts), fonts
    assert any(name.endswith("+DejaVuSans-Bold") for name in fonts), fonts
    return pdf
