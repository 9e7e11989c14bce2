"""What a team should act on, as the Routing page shows it: themes ranked by the accounts
that raised them, what customers confirmed beside that, then the confirmed learnings and
open actions under each, the overdue ones marked."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from voc_desktop.domain.findings import Finding
from voc_desktop.services.archive.act_on import NO_THEME, ActTheme
from voc_desktop.ui.common.theme import colour

# Items listed under a theme: the most recent learnings and the soonest actions. A big
# archive has thousands under one theme, and laying those out would hold up the window.
SHOWN = 10


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _learning(f: Finding) -> str:
    words = f.detail or f.text  # the customer's own wording when they corrected it
    how = "corrected" if f.detail else "confirmed"
    return (f"<li>{escape(words)} <span style='color:{colour('muted')}'>· {how} · "
            f"{escape(f.account)}, {escape(f.visit_date)}</span></li>")


def _action(f: Finding, today: str) -> str:
    due = (f" · due {escape(f.due_date)}" if f.due_date else " · no date")
    if f.owner:
        due = f" · owner {escape(f.owner)}{due}"
    late = (f" <b style='color:{colour('error')}'>overdue</b>" if f.overdue(today) else "")
    return (f"<li>{escape(f.text)} <span style='color:{colour('muted')}'>{due} · "
            f"{escape(f.account)}</span>{late}</li>")


def act_on_html(ranking: list[ActTheme], today: str | None = None) -> str:
    """The ranking as HTML, most raised theme first."""
    today = today or date.today().isoformat()
    if not ranking:
        return ("<p>Nothing to act on here: no confirmed learnings or open action items in "
                "this period.</p>")
    out = []
    for n, t in enumerate(ranking, start=1):
        name = escape(t.theme) if t.theme != NO_THEME else "<i>Without a theme</i>"
        counts = (f"raised at {_plural(t.accounts, 'account')} · confirmed by customers at "
                  f"{t.confirmed_accounts}" if t.theme != NO_THEME else "")
        late = (f" · <b style='color:{colour('error')}'>{t.overdue} overdue</b>"
                if t.overdue else "")
        out.append(f"<h3 style='margin-bottom:2px'>{n}. {name}</h3>"
                   f"<p style='margin-top:0; color:{colour('muted')}'>{counts}{late}</p>")
        if t.learnings:
            out.append("<p style='margin:0'><b>Confirmed learnings</b></p><ul>"
                       + "".join(_learning(f) for f in t.learnings[:SHOWN])
                       + _more(len(t.learnings), "confirmed learning") + "</ul>")
        if t.actions:
            out.append("<p style='margin:0'><b>Open actions</b></p><ul>"
                       + "".join(_action(f, today) for f in t.actions[:SHOWN])
                       + _more(len(t.actions), "open action") + "</ul>")
    return "".join(out)


def _more(n: int, what: str) -> str:
    if n <= SHOWN:
        return ""
    return (f"<li style='color:{colour('muted')}'>and {_plural(n - SHOWN, 'more ' + what)}; "
            "the team digest lists every one</li>")


class ActOnView(QTextBrowser):
    """The ranking, readable and selectable; it follows the page's team, period and words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName("What to act on, by theme")

    def show_html(self, html: str) -> None:
        """The ranking as `act_on_html` wrote it (on a worker)."""
        self.setHtml(html)
