"""PySide6 widgets: the desktop window and its screens."""
