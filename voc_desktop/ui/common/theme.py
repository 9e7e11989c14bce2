"""The app's colours: light, dark and high-contrast themes, chosen by the person or following
the system's colour scheme. The only ui module that names a colour; widgets ask it or the
palette, so every screen reads the same in every theme."""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass, fields
from string import Template

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from voc_desktop.ui.common.app_style import AppStyle

SYSTEM = "system"
CHOICES = {SYSTEM: "Follow the system", "light": "Light", "dark": "Dark",
           "high-contrast": "High contrast"}
SETTING = "look/theme"


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    text: str
    base: str  # where text is typed or read at length
    alt_base: str
    muted: str  # secondary text: hints, dates, counts; still at least 4.5:1 on base
    border: str
    accent: str  # the main button, links, focus
    on_accent: str
    accent_soft: str  # a selected row, a current read-back point
    focus: str
    error: str
    warning: str
    success: str
    info: str
    soft_error: str
    soft_warning: str
    soft_success: str
    soft_neutral: str
    quote: str
    quote_bg: str
    observation: str
    observation_bg: str
    learning: str
    hit: str  # a search word found in text
    on_hit: str
    series: tuple[str, ...]  # chart lines, told apart by colour-blind readers too

    @property
    def dark(self) -> bool:
        return QColor(self.base).lightnessF() < 0.5

    def qcolor(self, name: str) -> QColor:
        return QColor(getattr(self, name))


LIGHT = Theme(
    name="light", window="#f5f6f8", text="#111827", base="#ffffff", alt_base="#f1f5f9",
    muted="#4b5563", border="#cbd5e1", accent="#1d4ed8", on_accent="#ffffff",
    accent_soft="#dbeafe", focus="#1d4ed8", error="#b3261e", warning="#92400e",
    success="#166534", info="#1e3a8a", soft_error="#fee2e2", soft_warning="#fef3c7",
    soft_success="#dcfce7", soft_neutral="#e2e8f0", quote="#0369a1", quote_bg="#f0f9ff",
    observation="#4d7c0f", observation_bg="#f7fee7", learning="#b45309", hit="#fde68a",
    on_hit="#111827",
    series=("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"),
)
DARK = Theme(
    name="dark", window="#1f2126", text="#e8eaed", base="#2a2d33", alt_base="#33363d",
    muted="#b4bac4", border="#4b5160", accent="#8ab4f8", on_accent="#0b1a33",
    accent_soft="#28406b", focus="#8ab4f8", error="#f28b82", warning="#fcd34d",
    success="#86efac", info="#bfdbfe", soft_error="#5c1f1f", soft_warning="#4a3a12",
    soft_success="#173d26", soft_neutral="#3a3f48", quote="#7dd3fc", quote_bg="#1e3340",
    observation="#bef264", observation_bg="#27331c", learning="#fbbf24", hit="#854d0e",
    on_hit="#fefce8",
    series=("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#D55E00", "#FFFFFF"),
)
HIGH_CONTRAST = Theme(
    name="high-contrast", window="#000000", text="#ffffff", base="#000000",
    alt_base="#141414", muted="#e6e6e6", border="#ffffff", accent="#ffff00",
    on_accent="#000000", accent_soft="#333300", focus="#00ffff", error="#ff8080",
    warning="#ffd24d", success="#66ff66", info="#80d4ff", soft_error="#330000",
    soft_warning="#332600", soft_success="#003300", soft_neutral="#262626",
    quote="#80d4ff", quote_bg="#001a26", observation="#b3ff66", observation_bg="#0d1a00",
    learning="#ffd24d", hit="#ffff00", on_hit="#000000",
    series=("#00ffff", "#ffff00", "#66ff66", "#ff80ff", "#ff8080", "#ffffff", "#80d4ff"),
)
THEMES = {t.name: t for t in (LIGHT, DARK, HIGH_CONTRAST)}


def contrast(a: str | QColor, b: str | QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                + 0.0722 * channel(c.blueF()))
    la, lb = sorted((luminance(QColor(a)), luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colours(theme: Theme) -> dict[str, str]:
    """The theme's colours meant for text, each to be read on the theme's base."""
    names = ("text", "muted", "accent", "error", "warning", "success", "info", "quote",
             "observation", "learning")
    return {n: getattr(theme, n) for n in names}


def palette(theme: Theme) -> QPalette:
    p = QPalette()
    roles = QPalette.ColorRole
    for role, name in ((roles.Window, "window"), (roles.WindowText, "text"),
                       (roles.Base, "base"), (roles.AlternateBase, "alt_base"),
                       (roles.Text, "text"), (roles.Button, "alt_base"),
                       (roles.ButtonText, "text"), (roles.ToolTipBase, "base"),
                       (roles.ToolTipText, "text"), (roles.PlaceholderText, "muted"),
                       (roles.Highlight, "accent"), (roles.HighlightedText, "on_accent"),
                       (roles.Link, "accent"), (roles.LinkVisited, "accent"),
                       (roles.Mid, "border"), (roles.Dark, "border"),
                       (roles.BrightText, "on_accent")):
        p.setColor(role, theme.qcolor(name))
    if hasattr(roles, "Accent"):
        p.setColor(roles.Accent, theme.qcolor("accent"))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, theme.qcolor("muted"))
    return p


class _Looks(QObject):
    changed = Signal(object)  # the Theme now in use


_current: Theme = LIGHT
_looks: _Looks | None = None
_styled: weakref.WeakKeyDictionary[QWidget, str] = weakref.WeakKeyDictionary()


def current() -> Theme:
    return _current


def looks() -> _Looks:
    """Tells of each change of theme (`changed`), for what draws colours itself."""
    global _looks
    if _looks is None:
        _looks = _Looks()
    return _looks


def system_theme(scheme: Qt.ColorScheme | None = None) -> Theme:
    """The theme matching the system's colour scheme (dark or light)."""
    if scheme is None:
        scheme = QGuiApplication.styleHints().colorScheme()
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def chosen() -> str:
    value = str(QSettings().value(SETTING, SYSTEM))
    return value if value in CHOICES else SYSTEM


def theme_for(choice: str) -> Theme:
    return system_theme() if choice == SYSTEM else THEMES[choice]


def choose(choice: str) -> Theme:
    """Use and remember `choice` (one of CHOICES)."""
    if choice not in CHOICES:
        raise ValueError(f"no theme called {choice!r}; choose one of {', '.join(CHOICES)}")
    QSettings().setValue(SETTING, choice)
    return use(theme_for(choice))


_following = False


def start(app: QApplication) -> Theme:
    """At start-up: the remembered choice, and follow the system when that is the choice."""
    global _following
    if not _following:
        app.styleHints().colorSchemeChanged.connect(
            lambda scheme: use(system_theme(scheme)) if chosen() == SYSTEM else None)
        _following = True
    return use(theme_for(chosen()))


def use(theme: Theme) -> Theme:
    """Colour the whole app with `theme`, styled widgets included."""
    global _current
    _current = theme
    app = QApplication.instance()
    if isinstance(app, QApplication):
        if not isinstance(app.style(), AppStyle):
            app.setStyle(AppStyle())  # Fusion: the one built-in style drawing from the palette
        app.setPalette(palette(theme))
    for widget, template in list(_styled.items()):
        if isValid(widget):
            widget.setStyleSheet(fill(template, theme))
    looks().changed.emit(theme)
    return theme


def sizes() -> dict[str, str]:
    """Type sizes in points, grown from the system's font size so a larger system font
    gives larger text everywhere (a style sheet's sizes would not follow it otherwise)."""
    app = QGuiApplication.instance()
    system = QGuiApplication.font().pointSizeF() if app is not None else 9.0
    body = max(10.0, system * 11 / 9)
    return {"small": f"{body - 1:.1f}pt", "body": f"{body:.1f}pt",
            "large": f"{body + 1:.1f}pt", "heading": f"{body + 2:.1f}pt",
            "question": f"{body + 4:.1f}pt", "title": f"{body + 5:.1f}pt",
            "page": f"{body + 9:.1f}pt",
            "customer": f"{body * 2:.1f}pt"}


def fill(template: str, theme: Theme | None = None) -> str:
    """A style sheet or markup with `$name` for the theme's colours and `$body` (and the
    other sizes) for type sizes."""
    return Template(template).substitute(_values(theme or _current, sizes()["body"]))


@functools.lru_cache(maxsize=16)
def _values(theme: Theme, body: str) -> dict[str, str]:
    # one dictionary per theme and body size: style sheets are filled for many widgets
    colours = {f.name: getattr(theme, f.name) for f in fields(theme)
               if isinstance(getattr(theme, f.name), str)}
    return {**colours, **sizes()}


def styled(widget: QWidget, template: str) -> QWidget:
    """Give `widget` the style sheet `template` (see `fill`), now and on each change."""
    _styled[widget] = template
    widget.setStyleSheet(fill(template))
    return widget


def colour(name: str) -> str:
    """One of the theme's colours by name, for markup and painting drawn now."""
    value = getattr(_current, name)
    assert isinstance(value, str), name
    return value
