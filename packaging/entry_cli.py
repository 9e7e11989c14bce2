"""`voc` of the built app: the command line."""

from __future__ import annotations

import sys

from voc_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
