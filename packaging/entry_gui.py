"""`voc-desktop` of the built app: the window, with no console."""

from __future__ import annotations

import sys

from voc_desktop.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
