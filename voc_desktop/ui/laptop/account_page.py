"""One account on a page: where it stands in its life cycle, whether it fits our ideal customer
profile, who is there, what earlier visits learned and what is still to be done."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from voc_desktop.domain.accounts import Consent, LifecycleStage, roles_label
from voc_desktop.services import accounts as account_service
from voc_desktop.services.account_view import (
    LIFECYCLE_APART,
    LIFECYCLE_PATH,
    AccountView,
    account_view,
)
from voc_desktop.services.errors import ServiceError
from voc_desktop.services.workspace.workspace import Change, Workspace
from voc_desktop.ui.common import shortcuts
from voc_desktop.ui.common.bus import ChangeBus
from voc_desktop.ui.common.look import (
    ERROR_STYLE,
    HINT_STYLE,
    apply_readable_style,
    centred_scroll,
    heading_label,
    text_label,
)
from voc_desktop.ui.common.theme import colour, looks, styled
from voc_desktop.ui.laptop.stakeholder_map import StakeholderMap, visits_text
from voc_desktop.ui.laptop.visit_page import nice_date

WATCHED = {"accounts", "contacts", "visits", "attendees", "key_learnings", "action_items"}
CONTENT_WIDTH = 980
CHIP = ("font-size: $small; border-radius: 10px; padding: 3px 10px; background: ${bg}; "
        "color: ${fg}; {extra}")
OUTSIDE_BADGE = ("soft_warning", "warning", "font-weight: 600;")


def chip(text: str, colours: tuple[str, str, str]) -> QLabel:
    bg, fg, extra = colours
    label = QLabel(text)
    styled(label, CHIP.format(bg=bg, fg=fg, extra=extra))
    return label


def consent_chip(consent: Consent) -> QLabel:
    """The consent state at a glance: green by name, amber by role only, red none."""
    if not consent.given:
        return chip("No consent recorded", ("soft_error", "error", "font-weight: 600;"))
    if consent.quote_by_name:
        return chip("Consent: may be named", ("soft_success", "success", ""))
    return chip("Consent: quote by role only", ("soft_warning", "warning", ""))


def stage_path_html(current: LifecycleStage) -> str:
    """The life cycle as a line of words with the account's stage in bold and marked
    "now"; the stages apart from the path (at risk, lost) after it, in the error colour
    when the account is there."""
    def word(stage: LifecycleStage, strong: str) -> str:
        if stage is current:
            return (f"<b style='color:{colour(strong)}'>{escape(stage.label)} "
                    f"(now)</b>")
        return f"<span style='color:{colour('muted')}'>{escape(stage.label)}</span>"

    arrow = f"<span style='color:{colour('muted')}'> → </span>"
    path = arrow.join(word(s, "accent") for s in LIFECYCLE_PATH)
    apart = f"<span style='color:{colour('muted')}'> · </span>".join(
        word(s, "error") for s in LIFECYCLE_APART)
    return f"{path}<span style='color:{colour('muted')}'>&nbsp;&nbsp;&nbsp;apart: </span>{apart}"


class AccountPage(QWidget):
    """Shows one account; its stage and profile mark are edited here, the rest is read."""

    visit_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, ws: Workspace, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.account_id: str | None = None
        self.view: AccountView | None = None
        self._stale = False
        apply_readable_style(self)

        self.title = heading_label("", "$page")
        self.subtitle = text_label("", HINT_STYLE + " font-size: $large;")
        self.profile_badge = chip("Outside our ideal customer profile", OUTSIDE_BADGE)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.profile_badge, 0, Qt.AlignmentFlag.AlignVCenter)

        # the stages as a line of words, not buttons: the combo beside it changes the stage
        self.stage_path = QLabel()
        self.stage_path.setTextFormat(Qt.TextFormat.RichText)
        self.stage_path.setWordWrap(True)
        self.stage_path.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.stage_path.setAccessibleName("Where the account is in its life cycle")
        looks().changed.connect(self._redraw_stages)
        self.stage_combo = QComboBox()
        for stage in LifecycleStage:
            self.stage_combo.addItem(stage.label, stage)
        self.stage_combo.setAccessibleName("Life-cycle stage")
        self.stage_combo.currentIndexChanged.connect(self._stage_chosen)
        stage_label = QLabel("&Stage:")
        stage_label.setBuddy(self.stage_combo)
        stage_line = QHBoxLayout()
        stage_line.addWidget(stage_label)
        stage_line.addWidget(self.stage_combo)
        stage_line.addSpacing(16)
        stage_line.addWidget(self.stage_path, 1)

        self.outside_box = QCheckBox("&Outside our ideal customer profile")
        self.outside_box.toggled.connect(self._outside_toggled)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Why this account is not the customer we serve best")
        self.reason_edit.setAccessibleName("Reason the account is outside the profile")
        self.reason_edit.returnPressed.connect(self.save_profile_mark)
        self.reason_label = QLabel("&Reason:")
        self.reason_label.setBuddy(self.reason_edit)
        self.save_reason = QPushButton("Save reason")
        self.save_reason.clicked.connect(self.save_profile_mark)
        self.reason_line = QWidget()
        reason = QHBoxLayout(self.reason_line)
        reason.setContentsMargins(24, 0, 0, 0)
        reason.addWidget(self.reason_label)
        reason.addWidget(self.reason_edit, 1)
        reason.addWidget(self.save_reason)
        self.error_label = text_label("", ERROR_STYLE)
        self.error_label.hide()

        self.stakeholders = StakeholderMap()
        self.body = QWidget()
        column = QWidget()
        column.setMaximumWidth(CONTENT_WIDTH)
        self.column_layout = QVBoxLayout(column)
        self.column_layout.setContentsMargins(32, 24, 32, 24)
        self.column_layout.setSpacing(12)
        self.column_layout.addLayout(top)
        self.column_layout.addWidget(self.subtitle)
        self.column_layout.addLayout(stage_line)
        self.column_layout.addWidget(self.outside_box)
        self.column_layout.addWidget(self.reason_line)
        self.column_layout.addWidget(self.error_label)
        self.column_layout.addSpacing(6)
        self.column_layout.addWidget(heading_label("Who decides, influences and uses", "$question"))
        self.column_layout.addWidget(self.stakeholders)
        self.column_layout.addWidget(self.body)
        self.column_layout.addStretch(1)
        scroll = centred_scroll(column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        for key in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Alt+Left")):
            shortcuts.bind("An account's page", key, self, self.back_requested.emit,
                           context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        bus.changed.connect(self._on_change)

    # showing

    def show_account(self, account_id: str) -> None:
        self.account_id = account_id
        self.view = None
        self.error_label.hide()
        self.refresh()
        self.stage_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_change(self, change: Change) -> None:
        if self.account_id is None or not change.tables & WATCHED:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # a visit being run writes often; catch up when shown

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._stale = False
        if self.account_id is None:
            return
        try:
            view = account_view(self.ws, self.account_id)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        if view == self.view:
            return
        self.view = view
        account = view.account
        self.title.setText(account.name)
        self.subtitle.setText(" · ".join(p for p in (account.vertical, account.segment) if p)
                              or "No vertical or segment recorded")
        self.profile_badge.setVisible(not account.in_icp)
        self.profile_badge.setToolTip(account.icp_note)
        self.stage_combo.blockSignals(True)
        self.stage_combo.setCurrentIndex(self.stage_combo.findData(account.lifecycle_stage))
        self.stage_combo.blockSignals(False)
        self._draw_stages(account.lifecycle_stage)
        self.outside_box.blockSignals(True)
        self.outside_box.setChecked(not account.in_icp)
        self.outside_box.blockSignals(False)
        if not self.reason_edit.hasFocus():
            self.reason_edit.setText(account.icp_note if not account.in_icp else "")
            self.reason_edit.setCursorPosition(0)  # a long reason reads from its start
            self.reason_edit.setToolTip(account.icp_note)
        self.reason_line.setVisible(not account.in_icp)
        self.stakeholders.set_contacts(view.contacts)
        self._rebuild_body(view)

    def _draw_stages(self, current: LifecycleStage) -> None:
        self.stage_path.setText(stage_path_html(current))

    def _redraw_stages(self, _theme: object = None) -> None:
        # the words carry the theme's colours: drawn again when the theme changes
        if isValid(self.stage_path) and self.view is not None:
            self._draw_stages(self.view.account.lifecycle_stage)

    def _rebuild_body(self, view: AccountView) -> None:
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(10)
        self._people(content, view)
        self._history(content, view)
        self._actions(content, view)
        self.column_layout.replaceWidget(self.body, body)
        self.body.deleteLater()
        self.body = body

    def _section(self, content: QVBoxLayout, title: str) -> None:
        content.addSpacing(10)
        content.addWidget(heading_label(title, "$question"))

    def _people(self, content: QVBoxLayout, view: AccountView) -> None:
        self._section(content, "People and their consent")
        if not view.contacts:
            content.addWidget(text_label("No contacts recorded for this account yet.",
                                         HINT_STYLE))
        for c in view.contacts:
            row = QHBoxLayout()
            title = f" — {escape(c.contact.title)}" if c.contact.title else ""
            row.addWidget(text_label(
                f"<b>{escape(c.contact.name)}</b>{title}<br><span style='color:{colour('muted')}'>"
                f"{escape(roles_label(c.contact.roles))} · {visits_text(c.visits_attended)}"
                "</span>", rich=True), 1)
            badge = consent_chip(c.contact.consent)
            badge.setToolTip(c.contact.consent.label)
            row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
            content.addLayout(row)

    def _history(self, content: QVBoxLayout, view: AccountView) -> None:
        self._section(content, "Visits, newest first")
        if not view.history:
            content.addWidget(text_label("No visits to this account yet.", HINT_STYLE))
        for h in view.history:
            v = h.visit
            link = QLabel(f"<a href='{escape(v.id)}'>{escape(nice_date(v.visit_date))}</a> "
                          f"<span style='color:{colour('muted')}'>· "
                          f"{escape(v.status.label)}</span> — "
                          f"{escape(v.objective)}")
            link.setTextFormat(Qt.TextFormat.RichText)
            link.setWordWrap(True)
            link.setStyleSheet("font-weight: 600;")
            link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                         | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            link.linkActivated.connect(self.visit_requested.emit)
            content.addWidget(link)
            if h.learnings:
                items = "".join(
                    f"<li style='margin-bottom:3px'>{escape(lv.text)}"
                    + (f" <span style='color:{colour('warning')}'>(corrected by the customer)"
                       "</span>"
                       if lv.corrected else "") + "</li>" for lv in h.learnings)
                content.addWidget(text_label(f"<ul style='margin-left:-20px'>{items}</ul>",
                                             rich=True))
            else:
                content.addWidget(text_label("No points confirmed by the customer.",
                                             HINT_STYLE + " padding-left: 18px;"))

    def _actions(self, content: QVBoxLayout, view: AccountView) -> None:
        self._section(content, f"Open actions ({view.open_action_count})")
        if not view.open_actions:
            content.addWidget(text_label("Nothing open across this account's visits.",
                                         HINT_STYLE))
        today = date.today().isoformat()
        late = f" <span style='color:{colour('error')}; font-weight:600'>overdue</span>"
        for group in view.open_actions:
            content.addWidget(text_label(group.team.label, "font-weight: 600; color: $text;"))
            items = "".join(
                f"<li style='margin-bottom:3px'>{escape(o.action.text)} <span "
                f"style='color:{colour('muted')}'>"
                + (f"· owner {escape(o.action.owner)} " if o.action.owner else "")
                + f"· due {escape(o.action.due_date or 'no date')}</span>"
                + (late if o.action.overdue(today) else "") + "</li>"
                for o in group.actions)
            content.addWidget(text_label(f"<ul style='margin-left:-20px'>{items}</ul>",
                                         rich=True))

    # acting

    def _stage_chosen(self, index: int) -> None:
        stage = self.stage_combo.itemData(index)
        if self.account_id is None or stage is None:
            return
        self._save(lifecycle_stage=LifecycleStage(stage))

    def _outside_toggled(self, outside: bool) -> None:
        self.error_label.hide()
        self.reason_line.setVisible(outside)
        if outside:
            # nothing is saved until a reason is written: the mark must say why
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.view is not None and not self.view.account.in_icp:
            self._save(in_icp=True, icp_note="")

    def save_profile_mark(self) -> None:
        reason = self.reason_edit.text().strip()
        if not reason:
            self.show_error("Write why this account is outside our ideal customer profile.")
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.error_label.hide()
        self._save(in_icp=False, icp_note=reason)

    def _save(self, **changes: object) -> None:
        try:
            account_service.update_account(self.ws, self.account_id, **changes)
        except ServiceError as exc:
            self.show_error(str(exc))
            return
        self.refresh()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
