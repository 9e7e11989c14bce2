"""One visit full of a hidden person's name in every form, and every file the app writes
from it read byte for byte: no form of the name is left in any of them."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from voc_desktop.domain.accounts import Consent, Role
from voc_desktop.domain.findings import FindingFilter, FindingOrder, PatternGroup
from voc_desktop.domain.names import fold
from voc_desktop.domain.visit import Team
from voc_desktop.services import closing, interview
from voc_desktop.services.accounts import add_contact, create_account
from voc_desktop.services.archive import exports
from voc_desktop.services.archive import reports as archive_reports
from voc_desktop.services.archive.keeper import Archive
from voc_desktop.services.archive.workspace import ArchiveWorkspace
from voc_desktop.services.brief import export_brief, suggested_brief_name
from voc_desktop.services.bundles.export import export_bundle
from voc_desktop.services.reports import ReportFormat, export_visit_report, suggested_file_name
from voc_desktop.services.visits import plan_visit, start_visit
from voc_desktop.services.workspace.workspace import Workspace
from voc_desktop.sync.bundle_file import open_bundle

GREEK = "Σωκράτης Παπαδόπουλος"
IRISH = "Seán O'Brien"
CHINESE = "王伟"
JAPANESE = "田中 太郎"
# what must not be found, in folded text: each part of each name, or its stem
STEMS = ("σωκρατ", "παπαδοπουλ", "sean", "o'brien", "obrien", "王伟", "田中", "太郎")
# the same, as raw bytes in any file: each part as written, in NFC and NFD, UTF-8 and UTF-16
PARTS = ("Σωκράτης", "Παπαδόπουλος", "ΣΩΚΡΑΤΗΣ", "ΠΑΠΑΔΟΠΟΥΛΟΣ", "Seán", "O'Brien",
         "O’Brien", "王伟", "田中", "太郎")

NOTES = [
    unicodedata.normalize("NFD", f"{GREEK} showed us line 3."),
    "ΣΩΚΡΑΤΗΣ ΠΑΠΑΔΟΠΟΥΛΟΣ signs the orders.",
    "O’Brien and SEÁN O'BRIEN run the night shift.",
    "Παπα\u00adδόπουλος counts the stock by hand.",
    "Σωκράτης氏 said so, and Παπαδόπουλοςさん agreed. Mail @Σωκράτης_Παπαδόπουλος.",
    "王伟说这台机器太吵。田中さんが同意した。田中太郎です。",
    "Μιλήσαμε με τον Σωκράτη Παπαδόπουλο στο γραφείο του Παπαδόπουλου.",
]


def _camera_photo() -> bytes:
    img = Image.new("RGB", (64, 48), (180, 60, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x013B] = GREEK  # Artist
    exif[0x8298] = IRISH  # Copyright
    exif[0xA431] = "SN-4711-CAM"  # camera serial
    exif[0x8825] = {1: "N", 2: (59.0, 20.0, 1.5), 3: "E", 4: (18.0, 4.0, 2.2)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif,
             xmp=f"<x:xmpmeta xmlns:x='adobe:ns:meta/'>{GREEK}</x:xmpmeta>".encode())
    return out.getvalue()


def _texted_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Sean O'Brien")
    info.add_itxt("Description", f"{GREEK} {CHINESE}")
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 60)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path | str]:
    """Every output, by what it is: files by path, suggested names as text."""
    where = tmp_path_factory.mktemp("proof")
    ws = Workspace.open(where / "laptop")
    out: dict[str, Path | str] = {}
    try:
        account = create_account(ws, f"{GREEK} & Sons")
        hidden = Consent(given=True, quote_by_name=False, method="verbal")
        people = [add_contact(ws, account.id, GREEK, roles=(Role.ECONOMIC_BUYER,),
                              consent=hidden),
                  add_contact(ws, account.id, IRISH, roles=(Role.USER,), consent=hidden),
                  add_contact(ws, account.id, CHINESE, roles=(Role.INFLUENCER,),
                              consent=hidden),
                  add_contact(ws, account.id, JAPANESE, roles=(Role.GATEKEEPER,),
                              consent=hidden)]
        visit = plan_visit(ws, account.id, f"Why {GREEK} renews late",
                           visit_date="2026-11-20", interviewers=("Ana Lind",),
                           attendees=tuple((p.id, ()) for p in people)).id
        start_visit(ws, visit)
        answer = interview.record_answer(ws, visit, "ops-day", NOTES[0])
        interview.add_why_probe(ws, answer.id, NOTES[1])
        interview.set_tags(ws, answer.id, ["παπαδοπουλος", "O’Brien", "night shift"])
        for i, text in enumerate(NOTES[2:]):
            note = interview.add_observation(ws, visit, text, question_key="ops-process")
            interview.set_tags(ws, note.id, ["Σωκράτη" if i % 2 else "王伟", "stock"])
        quote = interview.add_quote(ws, visit, NOTES[3], speaker_id=people[0].id)
        interview.toggle_key_learning(ws, quote.id)
        interview.toggle_key_learning(ws, answer.id)
        closing.add_action_item(ws, visit, f"Send {IRISH} the study", Team.PRODUCT)
        photo = where / f"{GREEK.replace(' ', '_')}_γραμμή.jpg"
        photo.write_bytes(_camera_photo())
        interview.attach_file(ws, visit, photo)
        chart = where / f"{CHINESE}_O’Brien.png"
        chart.write_bytes(_texted_png())
        interview.attach_file(ws, visit, chart, question_key="ops-day")

        for fmt in ReportFormat:
            out[f"name {fmt.value}"] = suggested_file_name(ws, visit, fmt)
            out[f"report {fmt.value}"] = export_visit_report(
                ws, visit, where / f"report.{fmt.value}").path
        out["name brief"] = suggested_brief_name(ws, visit)
        out["brief"] = export_brief(ws, visit, where / "brief.pdf").path
        (where / "bundles").mkdir()
        bundle = export_bundle(ws, where / "bundles", encrypt=False)
        out["bundle"] = bundle.path
        out["name bundle"] = bundle.path.name
        key = ws.public_key
    finally:
        ws.close()

    with Archive.create(where / "archive", index=where / "index.sqlite3") as archive:
        archive.trust(key, "Laptop")
        archive.import_bundles([bundle.path])
        lens = ArchiveWorkspace(archive)
        lens.refresh()
        everything = FindingFilter()
        out["findings"] = "\n".join(
            f"{f.text}\t{f.speaker}\t{f.account}\t{f.question}\t{f.tags}"
            for f in exports.all_findings(lens, everything, FindingOrder.NEWEST))
        out["themes"] = "\n".join(t for t, *_ in lens.themes())
        out["searched"] = "\n".join(
            str(lens.count(FindingFilter(query=q))) for q in ("Σωκράτης", "Παπαδόπουλος",
                                                                "Papadopoulos", "OBrien"))
        exports.export_findings_csv(lens, everything, FindingOrder.NEWEST, where / "f.csv")
        exports.export_patterns_csv(lens, everything, PatternGroup.ROLE, where / "p.csv")
        exports.export_qda(lens, everything, where / "project.qdpx")
        out.update({"findings csv": where / "f.csv", "patterns csv": where / "p.csv",
                    "qda": where / "project.qdpx"})
        for fmt in ReportFormat:
            out[f"pattern {fmt.value}"] = archive_reports.export_pattern_report(
                lens, everything, PatternGroup.ROLE, where / f"pattern.{fmt.value}").path
            out[f"digest {fmt.value}"] = archive_reports.export_team_digest(
                lens, "product", "", "", where / f"digest.{fmt.value}").path
            out[f"name pattern {fmt.value}"] = archive_reports.pattern_report_name(
                everything, fmt)
    return out


def _left(text: str) -> list[str]:
    folded = fold(text)[0]
    return [s for s in STEMS if s in folded]


def _raw_left(data: bytes) -> list[str]:
    found = []
    for part in PARTS:
        for form in {unicodedata.normalize(f, part) for f in ("NFC", "NFD")}:
            for encoding in ("utf-8", "utf-16-be", "utf-16-le"):
                if form.encode(encoding) in data:
                    found.append(f"{part} ({encoding})")
    return found


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return meta + "\n".join(page.extract_text() or "" for page in reader.pages)


def _pdf_images(path: Path) -> list[bytes]:
    from pypdf import PdfReader

    return [image.data for page in PdfReader(path).pages for image in page.images]


def _clean_picture(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as img:
        assert not img.getexif(), "a picture keeps its EXIF block"
        assert not {k for k in img.info if k not in ("jfif", "jfif_version", "jfif_unit",
                                                      "jfif_density", "dpi", "progressive",
                                                      "progression", "gamma")}, img.info
    assert b"SN-4711" not in data and b"xmpmeta" not in data
    assert not _raw_left(data)


def test_the_checks_see_every_form_written_in_the_visit():
    """The detectors below are not blind: each note as written trips them."""
    for note in NOTES:
        assert _left(note), note
    assert all(_raw_left(note.encode()) for note in NOTES[:3])
    assert _raw_left(_camera_photo()) and _raw_left(_texted_png())


def test_suggested_file_names_hold_no_form_of_a_hidden_name(written):
    """Report, brief, pattern report and bundle names are safe to send."""
    names = {k: v for k, v in written.items() if k.startswith("name ")}
    assert len(names) == 6
    for what, name in names.items():
        assert not _left(str(name)), (what, name)
    assert written["name docx"] == "2026-11-20 (Economic buyer) & Sons visit report.docx"


@pytest.mark.parametrize("what", ["report docx", "pattern docx", "digest docx"])
def test_docx_xml_and_media_hold_no_form_of_a_hidden_name(written, what):
    """Every member of the DOCX: the XML as text, and each picture as clean pixels."""
    seen = ""
    with zipfile.ZipFile(written[what]) as docx:
        members = docx.namelist()
        for member in members:
            data = docx.read(member)
            assert not _raw_left(data), (member, _raw_left(data))
            if member.endswith((".xml", ".rels")):
                assert not _left(data.decode("utf-8")), member
                seen += data.decode("utf-8")
            if member.startswith("word/media/"):
                _clean_picture(data)
    assert "[" in seen  # masked names stand in the text
    if what == "report docx":
        assert len([m for m in members if m.startswith("word/media/")]) == 2
        assert "γραφείο" in seen and "机器" in seen and "Photo 1" in seen


@pytest.mark.parametrize("what", ["report pdf", "brief", "pattern pdf", "digest pdf"])
def test_pdf_text_and_images_hold_no_form_of_a_hidden_name(written, what):
    """What a reader can copy out of the PDF, its metadata, and each embedded picture."""
    path = written[what]
    assert not _left(_pdf_text(path))
    assert not _raw_left(path.read_bytes())
    images = _pdf_images(path)
    for image in images:
        assert not _raw_left(image)
        assert b"SN-4711" not in image and b"xmpmeta" not in image
    if what == "report pdf":
        assert len(images) == 2
        text = _pdf_text(path)
        # the text is really read: masked names, and Greek and Chinese words around them
        assert "[Economic buyer]" in text and "γραφείο" in text and "机器" in text
        assert "Photo 1: no caption" in text  # the file's name never stands in for one


@pytest.mark.parametrize("what", ["findings csv", "patterns csv", "qda"])
def test_exports_hold_no_form_of_a_hidden_name(written, what):
    """CSV files and the REFI-QDA project with its metadata and sources."""
    path = written[what]
    if path.suffix == ".qdpx":
        seen = ""
        with zipfile.ZipFile(path) as project:
            for member in project.namelist():
                data = project.read(member)
                assert not _raw_left(data), member
                assert not _left(data.decode("utf-8", errors="replace")), member
                seen += data.decode("utf-8", errors="replace")
        assert "[Economic buyer]" in seen and "γραφείο" in seen
    else:
        assert not _raw_left(path.read_bytes())
        assert not _left(path.read_text("utf-8-sig"))
        assert "stock" in path.read_text("utf-8-sig")


def test_archive_screens_show_no_form_and_search_finds_none(written):
    """Findings, speakers, tags and themes as the archive shows them; searching any of the
    names finds nothing, and no tag became a theme about the person."""
    assert "[Economic buyer]" in written["findings"]
    assert not _left(written["findings"])
    assert not _left(written["themes"])
    assert "stock" in written["themes"].split("\n")
    assert "buyer" not in written["themes"] and "[" not in written["themes"]
    assert set(written["searched"].split("\n")) == {"0"}


def test_the_bundle_carries_clean_photos_under_neutral_names(written):
    """The bundle takes the records to the archive (which masks them as shown above); its
    photos are clean pixels and no file name in it holds the name."""
    with open_bundle(written["bundle"], archive_key=None) as bundle:
        files = [bundle.attachment(sha) for sha in bundle.manifest.attachments]
        rows = list(bundle.records("entries"))
    assert len(files) == 2
    for data in files:
        _clean_picture(data)
    assert sorted(r["attachment_name"] for r in rows if r["attachment_name"]) == \
        ["photo.jpg", "photo.png"]
    with zipfile.ZipFile(written["bundle"]) as raw:
        assert not [n for n in raw.namelist() if _left(n)]
