"""The Triangulation page: one question's answers per visit and role, and where roles agree."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from support.archive_ui import settled

from voc_desktop.domain.findings import FindingFilter
from voc_desktop.services.archive.triangulation import column_label
from voc_desktop.services.archive.workspace import Agreement
from voc_desktop.services.demo.script import VISITS
from voc_desktop.ui.archive import triangulation_page
from voc_desktop.ui.archive.triangulation_model import ROLES, ROW_ROLE, TriangulationModel
from voc_desktop.ui.archive.triangulation_page import (
    HONEST_HINT,
    TriangulationPage,
    agreement_lines,
)


@pytest.fixture
def page(qtbot, lens):
    """The Triangulation page on the sample archive, shown, on the friction question."""
    shown = TriangulationPage(lens)
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    qtbot.waitExposed(shown)
    settled(qtbot, shown)  # the questions come from a worker
    shown.outside.setChecked(True)  # every account: the sample's three visits
    shown.choose_question("use-friction")
    settled(qtbot, shown)
    yield shown
    shown.close()


def first_visit_day(account: str) -> str:
    """The date the sample gives the account's first visit (the sample is dated from today)."""
    days_ago = max(s.days_ago for s in VISITS if s.account == account)
    return (date.today() - timedelta(days=days_ago)).isoformat()


def role_column(label: str) -> int:
    return 3 + next(i for i, r in enumerate(ROLES) if column_label(r) == label)


def row_at(model: TriangulationModel, account: str, date: str) -> int:
    return next(r for r in range(model.rowCount())
                if model.index(r, 0).data() == account and model.index(r, 2).data() == date)


def test_triangulation_model_passes_qtmodeltester(qtbot, qtmodeltester, lens):
    """The model keeps Qt's item model rules, with a question, without, and sorted."""
    model = TriangulationModel(lens, FindingFilter(question_key="buy-why-us"))
    settled(qtbot, model)
    qtmodeltester.check(model)
    model.sort(2)
    settled(qtbot, model)
    qtmodeltester.check(model)
    model.set_filter(FindingFilter())
    settled(qtbot, model)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_each_role_column_holds_only_that_roles_words(qtbot, page):
    """The user's answer is under User (and Influencer: the same person), the evaluator's
    quote and its whys under Technical evaluator only, and the buyer who said nothing has
    an empty cell; an answer no one was named for stands under the room."""
    model = page.model
    assert model.rowCount() == 3
    row = row_at(model, "Brightway Regional Logistics", first_visit_day("brightway"))
    cell = {label: model.index(row, role_column(label)).data()
            for label in ("Technical evaluator", "User", "Influencer", "Economic buyer",
                          "The room")}
    assert cell["User"].startswith("Jams in the cold") and "Every power cut" not in cell["User"]
    assert cell["Influencer"] == cell["User"]
    assert cell["Technical evaluator"].startswith("“Every power cut is my morning")
    assert "Why? The dock's power trips" in cell["Technical evaluator"]
    assert "Jams in the cold" not in cell["Technical evaluator"]
    assert cell["Economic buyer"] == "" and cell["The room"] == ""
    tip = model.index(row, role_column("User")).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == cell["User"]
    latest = row_at(model, "Halvorsen Food Packaging", min(
        model.index(r, 2).data() for r in range(model.rowCount())
        if model.index(r, 0).data() == "Halvorsen Food Packaging"
        and model.index(r, 2).data() != first_visit_day("halvorsen")))
    assert model.index(latest, role_column("The room")).data().startswith("The recipe export")


def test_roles_nobody_answered_with_are_hidden(qtbot, page):
    """A role no one of spoke as gets no column; roles that spoke keep theirs."""
    assert page.table.isColumnHidden(role_column("Other"))
    assert page.table.isColumnHidden(role_column("Economic buyer"))
    for label in ("User", "Technical evaluator", "The room"):
        assert not page.table.isColumnHidden(role_column(label))


def test_agreement_and_honest_hint_are_shown(qtbot, page, lens):
    """The agreement lines name the themes several roles said, and the hint says how the
    columns count."""
    assert page.shared_line.text().startswith("Said by several roles: ")
    assert "recipes (Technical evaluator, User)" in page.shared_line.text()
    assert page.hint.text() == HONEST_HINT
    several, only = agreement_lines(Agreement(
        shared=(), only=(("user", ("spreadsheet", "labels")), ("other", ("noise",)))))
    assert several == "Said by several roles: no theme yet."
    assert only == ["Only the users: spreadsheet, labels",
                    "Only people with another role: noise"]


def test_both_roles_and_dates_narrow_the_visits(qtbot, page):
    """"Where both spoke" keeps the visits at which each chosen role said something about
    the question; a period keeps the visits in it."""
    page.spoke_a.choose("technical_evaluator")
    settled(qtbot, page)
    assert page.model.rowCount() == 3  # piotr or ruth spoke at each
    page.spoke_b.choose("influencer")
    settled(qtbot, page)
    assert {page.model.index(r, 0).data() for r in range(page.model.rowCount())} == {
        "Brightway Regional Logistics"}
    page.spoke_b.choose("")
    page.spoke_a.choose("")
    settled(qtbot, page)
    day = first_visit_day("brightway")
    page.date_from.setText(day)
    page.date_to.setText(day)
    settled(qtbot, page)
    assert [page.model.index(r, 2).data() for r in range(page.model.rowCount())] == [day]


def test_filters_narrow_the_visits(qtbot, page):
    """Vertical keeps its visits; unticking the box drops the account outside the profile,
    and the page says so."""
    assert page.outside_line.text() == ""
    page.vertical.choose("Food manufacturing")
    settled(qtbot, page)
    assert {page.model.index(r, 1).data() for r in range(page.model.rowCount())} == {
        "Food manufacturing"}
    page.vertical.choose("")
    page.outside.setChecked(False)
    settled(qtbot, page)
    accounts = {page.model.index(r, 0).data() for r in range(page.model.rowCount())}
    assert accounts == {"Halvorsen Food Packaging"}
    assert page.answered.text() == "answered at 2 visits"
    assert page.outside_line.text() == "1 account outside the profile is left out"


def test_the_page_starts_inside_the_profile_as_every_page_does(qtbot, lens):
    """A new Triangulation page leaves out the accounts outside the profile until asked."""
    fresh = TriangulationPage(lens)
    qtbot.addWidget(fresh)
    settled(qtbot, fresh)  # the questions come from a worker
    fresh.choose_question("use-friction")
    settled(qtbot, fresh)
    assert not fresh.outside.isChecked()
    assert fresh.answered.text() == "answered at 2 visits"


def test_date_header_sorts_newest_first(qtbot, page):
    """Clicking Date lists the newest visit first, sorted in SQL."""
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + _section_centre(header, 2))
    settled(qtbot, page)
    dates = [page.model.index(r, 2).data() for r in range(page.model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    assert page.model.order == "newest"


def _section_centre(header, section):
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def test_typing_finds_a_question(qtbot, page):
    """Ctrl+F lands in the question field; choosing a completion shows that question."""
    page.focus_find()
    assert page.question.lineEdit().hasFocus()
    completer = page.question.completer()
    completer.setCompletionPrefix("buy from us")
    assert completer.currentCompletion().startswith("Why do you buy from us?")
    page.question.setCurrentIndex(page.question.findText(completer.currentCompletion()))
    settled(qtbot, page)
    assert page.question_key() == "buy-why-us"
    assert page.model.rowCount() == 3


def test_enter_opens_the_visit_of_the_cell(qtbot, page, monkeypatch):
    """Enter on a cell opens its visit at what that role heard."""
    opened = []
    monkeypatch.setattr(triangulation_page, "open_visit",
                        lambda parent, lens, finding: opened.append(finding) or True)
    row = row_at(page.model, "Halvorsen Food Packaging", first_visit_day("halvorsen"))
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, role_column("User")))
    settled(qtbot, page)
    assert "Recipes are still named" in page.detail.toPlainText()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    settled(qtbot, page)
    visit = page.model.index(row, 0).data(ROW_ROLE).visit_id
    assert len(opened) == 1 and opened[0].visit_id == visit


def test_csv_export_writes_the_question(qtbot, tmp_path, page):
    """The page's CSV holds the chosen question's answers."""
    page.export_csv(tmp_path / "roles.csv")
    text = (tmp_path / "roles.csv").read_text(encoding="utf-8-sig")
    assert "Jams in the cold" in text and "Brightway Regional Logistics" in text


def test_role_names_stand_whole_on_two_lines_in_the_header(qtbot, lens):
    """A role's column header breaks its name over two lines, so a narrow column shows it
    whole; its tooltip says what the column holds."""
    model = TriangulationModel(lens, FindingFilter(question_key="use-friction"))
    settled(qtbot, model)
    buyer = role_column("Economic buyer")
    assert model.headerData(buyer, Qt.Orientation.Horizontal) == "Economic\nbuyer"
    assert model.headerData(role_column("The room"), Qt.Orientation.Horizontal) == "The room"
    assert "Economic buyer" in model.headerData(buyer, Qt.Orientation.Horizontal,
                                                Qt.ItemDataRole.ToolTipRole)
