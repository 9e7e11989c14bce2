"""The laptop's workspace itself: opening it, the one lock per workspace, and the folders it may
live in. Imports store/ and domain/; every other service builds on it."""

from __future__ import annotations

import os
from pathlib import Path

# Where the workspace lives, here so that the command line can name and find it without
# loading the workspace.
APP_NAME = "VOC Desktop"
DATA_DIR_ENV = "VOC_DATA_DIR"


def default_data_dir() -> Path:
    """`VOC_DATA_DIR` if set, else the platform's per-user data folder."""
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # not needed when a folder is given, as on every test run

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
