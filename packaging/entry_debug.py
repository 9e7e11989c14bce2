"""`voc-desktop-debug` of the built app: the same window, its log also on the console.

For support: a user whose app misbehaves starts this one from a terminal and the log
scrolls by, with no need to find the log file."""

from __future__ import annotations

import os
import sys

from voc_desktop.ui.app import main

if __name__ == "__main__":
    # the variable rather than --log-console: it also reaches code that never sees argv
    os.environ["VOC_LOG_CONSOLE"] = "1"
    sys.exit(main())
