"""The theme module: one place for colours, readable in every theme, following the system."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from voc_desktop.ui.common import theme

UI = Path(__file__).parents[3] / "voc_desktop" / "ui"
LITERAL = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b(?![\w-])|QColor\(\s*[\"']|"
                     r"Qt\.GlobalColor\.(?!transparent)|\b(?:color|background)\s*:\s*"
                     r"(?:white|black|red|green|blue|grey|gray)\b")


def test_colour_literals_live_in_the_theme_module_only():
    """No ui module but the theme names a colour; widgets ask the theme or the palette."""
    found = [f"{path.relative_to(UI)}:{n}: {line.strip()}"
             for path in sorted(UI.rglob("*.py")) if path.name != "theme.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if LITERAL.search(line)]
    assert found == []


@pytest.mark.parametrize("name", sorted(theme.THEMES))
def test_every_text_colour_reads_at_least_4_5_to_1(name):
    """Each theme's text colours have a contrast of 4.5:1 or more on its base and window."""
    t = theme.THEMES[name]
    weak = {(text, ground): round(theme.contrast(value, getattr(t, ground)), 2)
            for text, value in theme.text_colours(t).items() for ground in ("base", "window")
            if theme.contrast(value, getattr(t, ground)) < 4.5}
    assert weak == {}
    assert theme.contrast(t.on_accent, t.accent) >= 4.5
    for soft, ink in (("soft_error", "error"), ("soft_warning", "warning"),
                      ("soft_success", "success"), ("soft_neutral", "text"),
                      ("accent_soft", "text"), ("hit", "on_hit")):
        assert theme.contrast(getattr(t, soft), getattr(t, ink)) >= 4.5, (soft, ink)


def test_contrast_is_the_wcag_ratio():
    """Black on white is 21:1 and a colour on itself 1:1."""
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#777777") == pytest.approx(1.0)


def test_choosing_a_theme_colours_the_app_and_is_remembered(qtbot):
    """Dark sets the app's palette and restyles a styled widget; the choice is kept."""
    label = QLabel("words")
    qtbot.addWidget(label)
    theme.styled(label, "color: $text; background: $base;")
    theme.choose("dark")
    assert QApplication.palette().color(QPalette.ColorRole.Base).name() == theme.DARK.base
    assert theme.DARK.text in label.styleSheet() and theme.DARK.base in label.styleSheet()
    assert QSettings().value(theme.SETTING) == "dark" and theme.chosen() == "dark"
    theme.choose("high-contrast")
    assert theme.HIGH_CONTRAST.base in label.styleSheet()
    with pytest.raises(ValueError, match="no theme called 'sepia'"):
        theme.choose("sepia")
    assert theme.chosen() == "high-contrast"


def test_following_the_system_switches_with_its_colour_scheme(qtbot):
    """With "Follow the system" chosen, the system going dark turns the app dark; with a
    theme chosen, the system's change is left alone."""
    hints = QGuiApplication.styleHints()
    theme.choose(theme.SYSTEM)
    theme.start(QApplication.instance())
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the platform sends
    assert theme.current() is theme.DARK
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.current() is theme.LIGHT
    theme.choose("high-contrast")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current() is theme.HIGH_CONTRAST


def test_sizes_grow_with_the_system_font(qtbot):
    """A larger system font makes the body text (and every size) larger."""
    app = QApplication.instance()
    before = app.font()
    small = theme.sizes()["body"]
    try:
        bigger = app.font()
        bigger.setPointSizeF(before.pointSizeF() * 1.5)
        app.setFont(bigger)
        assert float(theme.sizes()["body"][:-2]) > float(small[:-2])
    finally:
        app.setFont(before)


def test_the_view_menu_offers_every_theme(qtbot, ws, open_window):
    """View › Theme lists the four choices, the remembered one checked; picking one applies it."""
    window = open_window(ws)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    themes = next(a.menu() for a in menu.actions() if a.text() == "&Theme")
    choices = {a.data(): a for a in themes.actions()}
    assert list(choices) == list(theme.CHOICES)
    assert choices[theme.chosen()].isChecked()
    choices["dark"].trigger()
    assert theme.current() is theme.DARK and theme.chosen() == "dark"
