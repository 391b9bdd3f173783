"""``python -m desktop`` is the ``smgov`` command."""

import sys

from desktop.cli import main

sys.exit(main())
