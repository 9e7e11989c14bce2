"""`python -m voc_desktop` starts the desktop app."""

from voc_desktop.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
