"""Render the first page of the visit report, PDF and Word (as LibreOffice shows it), for
a visit written in English, one in Arabic and one in Japanese, into docs/reports/; and the
first page of the pattern report (PDF and Word) and of the product team's digest (PDF) of
an archive that holds the sample workspace.

Needs LibreOffice (`soffice`) and poppler (`pdftoppm`).

    python tools/report_samples.py [OUT_FOLDER]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from voc_desktop.domain.accounts import Consent, LifecycleStage, Role
from voc_desktop.domain.findings import FindingFilter, PatternGroup
from voc_desktop.domain.visit import SummaryStatus, Team
from voc_desktop.services import accounts, closing, interview, visits
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.archive.reports import export_pattern_report, export_team_digest
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.bundles.export import export_bundle
from voc_desktop.services.demo.sample_workspace import fill_demo
from voc_desktop.services.reports import export_visit_report
from voc_desktop.services.workspace.workspace import Workspace

OUT = Path(__file__).resolve().parents[1] / "docs" / "reports"

SAMPLES = {
    "arabic": dict(
        account="شركة النور للتغليف", place="مصنع الدمام، خط 2",
        people=(("سارة الحربي", "مديرة الإنتاج", Role.DECISION_MAKER, True),
                ("خالد العتيبي", "مشرف الوردية", Role.USER, False)),
        objective="فهم سبب توقف خط التعبئة في الوردية الليلية",
        answers=("يتوقف الخط مرتين في الأسبوع لأن الملصقات تنفصل في البرد.",
                 "نقرر نحن في المصنع، لكن الإدارة المالية توافق على أي مبلغ فوق 50,000 ريال.",
                 "“لا نثق بالطابعة بعد الساعة 2 صباحاً.”"),
        learnings=(("الملصقات تنفصل في البرد فيتوقف الخط مرتين في الأسبوع.",
                    SummaryStatus.CONFIRMED, ""),
                   ("المصنع يقرر وحده في كل المشتريات.", SummaryStatus.CORRECTED,
                    "الإدارة المالية توافق على ما فوق 50,000 ريال."),
                   ("السعر هو المشكلة الأولى.", SummaryStatus.REJECTED, "")),
        actions=((Team.PRODUCT, "اختبار لاصق الملصقات عند 4 درجات مئوية", "ليلى حداد", 14),
                 (Team.SALES, "إرسال عرض خدمة الصيانة الليلية", "عمر الشهري", 7)),
    ),
    "japanese": dict(
        account="株式会社さくら食品", place="大阪工場 第3ライン",
        people=(("田中 美咲", "製造部長", Role.DECISION_MAKER, True),
                ("佐藤 健", "夜勤リーダー", Role.USER, False)),
        objective="夜勤でラベル貼りが止まる理由を理解する",
        answers=("冷蔵庫の前ではラベルが剥がれて、週に二回ラインが止まります。",
                 "工場で決めますが、50万円を超える場合は本社の承認が必要です。",
                 "「夜中の2時を過ぎるとプリンターは信用できない」"),
        learnings=(("寒さでラベルが剥がれ、週に二回ラインが止まる。",
                    SummaryStatus.CONFIRMED, ""),
                   ("購入はすべて工場が決める。", SummaryStatus.CORRECTED,
                    "50万円を超える購入は本社が承認する。"),
                   ("価格が一番の問題だ。", SummaryStatus.REJECTED, "")),
        actions=((Team.PRODUCT, "4℃でのラベル粘着テストを行う", "山本 花子", 14),
                 (Team.SALES, "夜間保守サービスの提案を送る", "鈴木 一郎", 7)),
    ),
}


def sample_visit(ws: Workspace, s: dict) -> str:
    account = accounts.create_account(ws, s["account"], vertical="Food & drink",
                                      segment="Mid-market", stage=LifecycleStage.AT_RISK)
    people = [accounts.add_contact(ws, account.id, name, title=title, roles=(role,),
                                   consent=Consent(given=True, quote_by_name=by_name))
              for name, title, role, by_name in s["people"]]
    visit = visits.plan_visit(ws, account.id, s["objective"], place=s["place"],
                              interviewers=("Åsa Lindqvist",),
                              attendees=tuple((p.id, p.roles) for p in people))
    visits.start_visit(ws, visit.id)
    questions = [q for _, q in visits.load_visit(ws, visit.id).guide.questions()]
    for question, text in zip(questions, s["answers"][:2], strict=False):
        interview.record_answer(ws, visit.id, question.key, text)
    interview.add_quote(ws, visit.id, s["answers"][2], speaker_id=people[1].id,
                        question_key=questions[0].key)
    for text, _, _ in s["learnings"]:
        interview.add_key_learning(ws, visit.id, text)
    closing.end_interview(ws, visit.id)
    for learning, (_, status, correction) in zip(ws.visits.learnings(visit.id),
                                                 s["learnings"], strict=True):
        closing.set_point_status(ws, learning.id, status, correction)
    closing.complete_visit(ws, visit.id)
    day = ws.visits.get(visit.id).visit_date
    for team, text, owner, days in s["actions"]:
        closing.add_action_item(ws, visit.id, text, team, due_date=_later(day, days),
                                owner=owner)
    closing.set_next_contact(ws, visit.id, _later(day, 30))
    return visit.id


def _later(day: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def first_page(pdf: Path, out: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(out.with_suffix(""))], check=True)


def word_first_page(docx: Path, out: Path, work: Path) -> None:
    """Page 1 of a Word file as LibreOffice lays it out."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(work / "lo"), str(docx)], check=True, capture_output=True, timeout=300)
    first_page(work / "lo" / f"{docx.stem}.pdf", out)


def archive_samples(ws: Workspace, work: Path, out: Path) -> None:
    """The workspace sent as one bundle to a new archive, and its cross-visit reports."""
    (work / "bundles").mkdir()
    export_bundle(ws, work / "bundles", encrypt=False)
    folder, index = work / "archive", work / "index.sqlite3"
    with Archive.create(folder, index=index) as archive:
        archive.trust(ws.public_key, "Sample laptop")
        archive.import_bundles(sorted((work / "bundles").iterdir()))
    lens = ArchiveWorkspace.open(folder, index=index)
    try:
        lens.refresh()
        for fmt in ("pdf", "docx"):
            export_pattern_report(lens, FindingFilter(), PatternGroup.VERTICAL,
                                  work / f"pattern.{fmt}")
        export_team_digest(lens, "product", "", "", work / "digest.pdf")
    finally:
        lens.close()
    first_page(work / "pattern.pdf", out / "pattern-report-pdf.png")
    word_first_page(work / "pattern.docx", out / "pattern-report-docx.png", work)
    first_page(work / "digest.pdf", out / "team-digest-pdf.png")
    print("wrote the pattern report and the digest")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        ws = Workspace.open(work / "ws")
        fill_demo(ws)
        latin = max(ws.visits.list(), key=lambda v: len(ws.visits.learnings(v.id)))
        chosen = {"latin": latin.id}
        chosen |= {name: sample_visit(ws, s) for name, s in SAMPLES.items()}
        for name, visit_id in chosen.items():
            pdf = work / f"{name}.pdf"
            export_visit_report(ws, visit_id, pdf)
            first_page(pdf, out / f"visit-report-pdf-{name}.png")
            docx = work / f"{name}.docx"
            export_visit_report(ws, visit_id, docx)
            word_first_page(docx, out / f"visit-report-docx-{name}.png", work)
            print(f"wrote {name}")
        archive_samples(ws, work, out)
        ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
