"""The README and the docs are true to the repository: they link only files inside it, the set-up
commands the developers' guide requires come first, and the Python version is stated."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [
    ROOT / "README.md",
    ROOT / "installer" / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
]
LINK = re.compile(r"\]\(([^)\s]+)\)")
# A path written as code that climbs out of the document's folder, e.g. `../shared/DESIGN.md`.
CODE_PATH = re.compile(r"`(\.\./[^`\s]+)`")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_point_at_files_inside_the_repository(document: Path) -> None:
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        linked = (document.parent / path_part).resolve() if path_part else document
        assert linked.is_relative_to(ROOT), f"{document.name} links outside: {target}"
        assert linked.exists(), f"{document.name} links a missing file: {target}"
        if anchor and linked.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.M)
            assert anchor in {_slug(h) for h in headings}, f"no heading #{anchor} in {linked.name}"
    for named in CODE_PATH.findall(document.read_text(encoding="utf-8")):
        path = (document.parent / named).resolve()
        assert path.is_relative_to(ROOT), f"{document.name} names a file outside: {named}"
        assert path.exists(), f"{document.name} names a missing file: {named}"


def test_readme_starts_with_the_guides_set_up_commands_and_states_the_python_version() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    fences = re.findall(r"```bash\n(.+?)\n```", text, re.S)
    assert fences[:2] == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/smgov",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && "
        'PATH="$PWD/.venv/bin:$PATH" scripts/test',
    ]
    required = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert required["requires-python"] == ">=3.11"
    assert "Python 3.11 or later" in text.split("```")[0]
    assert "## Install on Windows" in text
    assert "### For communications officers" in text
    assert "### For IT departments" in text
