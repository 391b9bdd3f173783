"""The app's runtime files (fonts, icons, stylesheet, policy text), shipped inside this package.

They are found from the installed package itself (``importlib.resources``), so a checkout, an
installed wheel and a frozen build (PyInstaller collects this package's data) all find them the
same way; nothing is looked up in the source tree.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from pathlib import Path


@cache
def resources_root() -> Path:
    """The folder holding ``fonts/``, ``icons/``, ``policy/`` and ``style/``.

    The package is always installed as plain files (a wheel, an editable install, a one-folder
    frozen build), so this is a real folder; ``as_file`` would extract it otherwise.
    """
    with as_file(files(__name__)) as folder:
        return Path(folder)


def resource_path(*parts: str) -> Path:
    """A path inside the resources, e.g. ``resource_path("icons", "add.svg")``.

    The file may not exist (an optional resource); callers check ``.is_file()``.
    """
    return resources_root().joinpath(*parts)
