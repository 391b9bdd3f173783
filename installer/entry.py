"""The frozen app's entry point (PyInstaller): the same ``smgov`` command as a pip install."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
