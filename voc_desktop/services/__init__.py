"""Use cases shared by the desktop window and the `voc` command line."""
