"""`python -m voc_desktop.cli` runs the `voc` command line."""

from voc_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
