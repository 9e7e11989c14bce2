"""Where the app's shipped files are: the default guide and its rules, the report template,
fonts with their licences, and icons.

Their sources are the project's top-level `resources/` folder. A wheel installs that folder
as `voc_desktop/resources/` and the one-folder app collects it to the same place, while a
checkout or an editable install reads the folder itself. This is the one module that knows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

MARKER = "default_guide.json"  # present in every copy of the folder


@cache
def folder() -> Path:
    """The folder that holds the shipped files, wherever the app runs from."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "resources", package.parent / "resources"):
        if (candidate / MARKER).is_file():
            return candidate
    raise FileNotFoundError(f"The app's resources are missing: no {MARKER} beside {package}.")


def path(name: str) -> Path:
    """One shipped file or folder, by its path inside `resources/` (`"fonts/DejaVuSans.ttf"`)."""
    return folder() / name


def read_bytes(name: str) -> bytes:
    return path(name).read_bytes()


def read_text(name: str) -> str:
    return path(name).read_text(encoding="utf-8")
